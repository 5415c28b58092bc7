//===- Passes.td - npu dialect transformations -------------*- tablegen -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_TRANSFORMS_PASSES_TD
#define YZ_DIALECT_NPU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def YzLowerNpuConvs : Pass<"yz-lower-npu-convs", "::mlir::ModuleOp"> {
  let summary = "Expand bufferized npu.conv2d ops into their NPU programs";
  let description = [{
    Each `npu.conv2d` (yz-convs-to-npu makes them, bufferization turns them
    to memrefs) becomes its implicit-GEMM program: `scf.for` loops of npu
    instructions in which strided DMAs read the input's rows straight from
    the padded NHWC tensor, blocks are double-buffered as in the matmul
    offload (convert-linalg-to-npu), and the DMA out applies the epilogue:
    per-channel requantization (int8) or bias and activation (bf16).
  }];
  let options = [
    Option<"doubleBuffer", "double-buffer", "bool", /*default=*/"true",
           "Alternate scratchpad and accumulator halves between blocks">,
  ];
  let statistics = [
    Statistic<"numConvs", "convs", "npu.conv2d ops expanded into programs">,
  ];
  let dependentDialects = ["::mlir::npu::NpuDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // YZ_DIALECT_NPU_TRANSFORMS_PASSES_TD
