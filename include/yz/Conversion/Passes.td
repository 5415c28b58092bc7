//===- Passes.td - yz conversion passes --------------------*- tablegen -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_PASSES_TD
#define YZ_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertYzToLinalg : Pass<"convert-yz-to-linalg"> {
  let summary = "Lower yz tensor ops to linalg, tensor and arith";
  let description = [{
    Rewrites every yz op into upstream ops on tensors: matmuls become
    `linalg.matmul` / `linalg.batch_matmul` (or a broadcasting
    `linalg.generic`), elementwise ops become `linalg.generic` with
    broadcasting indexing maps, constants become `arith.constant`.
    Only static shapes are lowered; a dynamic one is reported by name.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ConvertNpuToLLVM : Pass<"convert-npu-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower npu ops to NPU instructions (riscv64) or simulator calls (host)";
  let description = [{
    Packs every npu op's operands into the rs1/rs2 register values that
    runtime/include/yz/npu/isa.def defines. For riscv64 each op becomes an
    `llvm.inline_asm` `.insn r CUSTOM_0, ...` with side effects and a memory
    clobber; for the host, a call to `yz_npu_exec(word, rs1, rs2)` with the
    same instruction word, which the host simulator library executes.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"riscv64\"",
           "riscv64 (custom instructions) or host (simulator calls)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ConvertLinalgToNpu : Pass<"convert-linalg-to-npu", "::mlir::ModuleOp"> {
  let summary = "Run linalg.matmul ops placed on the NPU as tiled npu programs";
  let description = [{
    Rewrites each bufferized `linalg.matmul` marked `yz.placement = "npu"`
    into `scf.for` loops of npu instructions: blocks of A and B are DMAed
    into the scratchpad, multiplied DIM x DIM x DIM tile by tile
    (weight-stationary: each B tile is reused across the rows of A), summed
    in the accumulator across K, and DMAed out. Block sizes come from the
    module's #npu.target (see chooseMatmulBlocks). With double buffering,
    consecutive blocks alternate between the halves of the scratchpad and
    of the accumulator, so DMA overlaps compute. Partial blocks and tiles
    are handled with min() bounds; nothing is unrolled. A placed
    `linalg.batch_matmul` becomes a loop over its batch, each iteration the
    same program on that batch's slices (strided memref views).
    (`npu.conv2d` ops become their programs in `yz-lower-npu-convs`.)
  }];
  let options = [
    Option<"doubleBuffer", "double-buffer", "bool", /*default=*/"true",
           "Alternate scratchpad and accumulator halves between blocks">,
  ];
  let statistics = [
    Statistic<"numMatmuls", "matmuls", "Matmuls offloaded to the NPU">,
    Statistic<"numBatched", "batched", "Batched matmuls offloaded (loops)">,
  ];
  let dependentDialects = ["::mlir::npu::NpuDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}
def YzConvsToNpu : Pass<"yz-convs-to-npu", "::mlir::ModuleOp"> {
  let summary = "Turn yz.qconv2d ops placed on the NPU into npu.conv2d";
  let description = [{
    For each `yz.qconv2d` marked `yz.placement = "npu"`: the input is padded
    with its zero point and laid out NHWC (CPU copies), the filter becomes
    the [KH * KW * C, F] matrix the NPU's weight DMA reads row by row, and
    the requantization scales and biases become the [2, F] epilogue rows the
    NPU's DMA out applies; the input zero point is folded into the biases
    (bias - zp * sum of the filter). The NHWC result is transposed back to
    NCHW for the rest of the graph. All weight preparation happens at
    compile time.
  }];
  let statistics = [
    Statistic<"numConvs", "convs", "Convolutions turned into npu.conv2d">,
  ];
  let dependentDialects = ["::mlir::npu::NpuDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // YZ_CONVERSION_PASSES_TD
