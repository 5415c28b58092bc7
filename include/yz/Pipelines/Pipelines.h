//===- Pipelines.h - yz pass pipelines --------------------------*- C++ -*-===//
//
// Part of Yizhuang. The pipelines yzc runs, registered so that
// `yz-opt --yz-to-llvm-pipeline` reproduces them exactly.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_PIPELINES_PIPELINES_H
#define YZ_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace yz {

struct YzToLLVMPipelineOptions
    : public PassPipelineOptions<YzToLLVMPipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("riscv64 (NPU instructions) or host (NPU simulator calls)"),
      llvm::cl::init("riscv64")};
  Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("The CPU description the code strategy reads, e.g. "
                     "vector-bits=256,vector-registers=32 (CpuTarget)"),
      llvm::cl::init("")};
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: plain loops; 1 and up: packed, tiled, vectorized "
                     "matmuls"),
      llvm::cl::init(2)};
  Option<bool> npuBf16{*this, "npu-bf16",
                       llvm::cl::desc("Run f32 matmuls on the NPU in bf16"),
                       llvm::cl::init(false)};
  Option<bool> reportPlacement{
      *this, "report-placement",
      llvm::cl::desc("Print where each matmul and convolution runs"),
      llvm::cl::init(false)};
  Option<bool> npuDoubleBuffer{
      *this, "npu-double-buffer",
      llvm::cl::desc("Double-buffer NPU scratchpad and accumulator blocks"),
      llvm::cl::init(true)};
  Option<int> threads{
      *this, "threads",
      llvm::cl::desc("Threads the model runs on by default (1: no thread "
                     "machinery)"),
      llvm::cl::init(1)};
};

/// Graph-level optimization of yz: identities, constants, batch-norm into
/// convolutions, bias and activation epilogues, dead code.
void buildYzGraphPipeline(OpPassManager &pm);

/// yz (tensors) -> linalg -> bufferized loops and NPU programs -> LLVM
/// dialect. Ops go to the NPU only if the module has an npu.target. Model
/// entry functions end up taking one bare pointer per input, then output.
void buildYzToLLVMPipeline(OpPassManager &pm,
                           const YzToLLVMPipelineOptions &options);

void registerYzPipelines();

} // namespace yz
} // namespace mlir

#endif // YZ_PIPELINES_PIPELINES_H
