//===- Passes.td - yz transformation passes ----------------*- tablegen -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD
#define YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def YzPlaceOnNpu : Pass<"yz-place-on-npu", "::mlir::ModuleOp"> {
  let summary = "Decide which ops run on the NPU";
  let description = [{
    Marks every op the NPU will run with `yz.placement = "npu"`; the rest
    stay on the CPU. Nothing is placed unless the module carries an
    `npu.target`. Placed today: 2-D `yz.matmul` with i8 operands (i32
    result), and with f32 operands when `bf16` is set (computed in bf16 with
    f32 accumulation).
  }];
  let options = [
    Option<"bf16", "bf16", "bool", /*default=*/"false",
           "Place f32 matmuls on the NPU, computed in bf16">,
  ];
  let statistics = [
    Statistic<"numNpu", "npu-ops", "Ops placed on the NPU">,
    Statistic<"numCpu", "cpu-matmuls", "Matmuls left on the CPU">,
  ];
}

def YzCopiesToLinalg : Pass<"yz-copies-to-linalg"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    Bufferization copies strided buffers (padding, slices) with memref.copy,
    which the LLVM lowering turns into calls to MLIR's C runner library
    (`memrefCopy`) unless both sides have identity layouts. As linalg.copy
    they become loops, which need no library and vectorize.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def YzFlattenGlobals : Pass<"yz-flatten-globals", "::mlir::ModuleOp"> {
  let summary = "Store N-D constant memref.globals as 1-D";
  let description = [{
    The LLVM translation turns an N-D global into nested arrays whose
    innermost dimension is one uniqued constant each: a [64, 3, 7, 7]
    convolution weight becomes 1344 constants of 7 floats, and a ResNet
    millions of them. As 1-D globals (read through memref.expand_shape,
    which costs nothing) every weight is a single constant.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

#endif // YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD
