//===- Pipelines.h - yz pass pipelines --------------------------*- C++ -*-===//
//
// Part of Yizhuang. The pipelines yzc runs, registered so that
// `yz-opt --yz-to-llvm-pipeline` reproduces them exactly.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_PIPELINES_PIPELINES_H
#define YZ_PIPELINES_PIPELINES_H

namespace mlir {
class OpPassManager;
namespace yz {

/// yz (tensors) -> linalg -> bufferized loops -> LLVM dialect. Model entry
/// functions end up taking one bare pointer per input, then per output.
void buildYzToLLVMPipeline(OpPassManager &pm);

void registerYzPipelines();

} // namespace yz
} // namespace mlir

#endif // YZ_PIPELINES_PIPELINES_H
