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
                           "::mlir::tensor::TensorDialect"];
}

#endif // YZ_CONVERSION_PASSES_TD
