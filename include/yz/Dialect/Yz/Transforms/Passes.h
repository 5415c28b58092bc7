//===- Passes.h - yz transformation passes ----------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_TRANSFORMS_PASSES_H
#define YZ_DIALECT_YZ_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "llvm/ADT/APFloat.h"

#include <optional>

namespace mlir::yz {

/// The attribute placement passes set; "npu" or "cpu".
constexpr llvm::StringLiteral kPlacementAttr = "yz.placement";

/// Calibrated [lo, hi] of a convolution's input and result (array<f32>),
/// which `yz-quantize` reads; the driver's calibration sets them.
constexpr llvm::StringLiteral kInputRangeAttr = "yz.input_range";
constexpr llvm::StringLiteral kOutputRangeAttr = "yz.output_range";
/// The calibrated [lo, hi] of the right operand of a matmul of two
/// activations (attention's Q K^T and A V).
constexpr llvm::StringLiteral kRhsRangeAttr = "yz.rhs_range";

/// Per-tensor int8 parameters: q = round(x / scale) + zeroPoint.
struct QuantParams {
  float scale;
  int64_t zeroPoint;
};
/// Asymmetric parameters covering [lo, hi] widened to hold 0.
QuantParams chooseQuantParams(float lo, float hi);
/// Whether yz-quantize can take `op`: an f32 conv2d with constant weights
/// and bias, or a 2-D f32 matmul by a constant matrix with a per-column
/// bias (a linear layer, quantized as a 1x1 convolution).
bool isQuantizable(Operation *op);
/// Takes back out of the linear layers (2-D matmuls by constant matrices)
/// directly in `root` the run-time parts of their fused biases (residual
/// additions), as adds after them: such a layer then quantizes, with its
/// calibrated output its own. yz-fuse-bias-activation leaves calibrated
/// layers alone, so they stay apart.
void separateRunTimeBiases(Operation *root);
/// Whether yz-quantize can take `op` as a matmul of two f32 activations
/// (neither constant, no epilogue), 2-D or batched over one dimension:
/// both operands quantized symmetrically per tensor, an int8 x int8 -> i32
/// matmul, rescaled in f32.
bool isActivationMatmul(Operation *op);

#define GEN_PASS_DECL
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_TRANSFORMS_PASSES_H
