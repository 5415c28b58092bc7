//===- NpuToLLVM.h - lower npu ops to the LLVM dialect ----------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_NPUTOLLVM_NPUTOLLVM_H
#define YZ_CONVERSION_NPUTOLLVM_NPUTOLLVM_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class LLVMTypeConverter;
class RewritePatternSet;
namespace yz {

#define GEN_PASS_DECL_CONVERTNPUTOLLVM
#include "yz/Conversion/Passes.h.inc"

/// How NPU instructions reach the hardware.
enum class NpuIssue { CustomInstructions, SimulatorCalls };

void populateNpuToLLVMConversionPatterns(LLVMTypeConverter &converter,
                                         RewritePatternSet &patterns,
                                         NpuIssue issue);

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_NPUTOLLVM_NPUTOLLVM_H
