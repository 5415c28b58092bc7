//===- ElementwiseBuilders.h - scalar pieces of elementwise ops -*- C++ -*-===//
//
// Part of Yizhuang. The helpers the `scalar` bodies of elementwise ops
// (YzElementwiseOps.td, YzQuantOps.td) are written with: they emit arith
// and math ops on scalars, choosing the float, signed or unsigned form.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_ELEMENTWISEBUILDERS_H
#define YZ_DIALECT_YZ_IR_ELEMENTWISEBUILDERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

namespace mlir::yz {

/// Whether `tensor`'s elements are unsigned integers (ui8..ui64).
bool isUnsigned(Value tensor);

/// The float op on float scalars, else the integer op.
template <typename FloatOp, typename IntOp>
Value floatOrInt(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args);
  return IntOp::create(b, loc, args);
}

/// The float, signed or unsigned op, by the element type of `operand`.
template <typename FloatOp, typename SignedOp, typename UnsignedOp>
Value bySign(OpBuilder &b, Location loc, Value operand, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args);
  if (isUnsigned(operand))
    return UnsignedOp::create(b, loc, args);
  return SignedOp::create(b, loc, args);
}

/// A comparison of args[0] with args[1] by the element type of `operand`.
Value compare(OpBuilder &b, Location loc, Value operand, ValueRange args,
              arith::CmpFPredicate f, arith::CmpIPredicate s,
              arith::CmpIPredicate u);

/// args[0] shifted by args[1] (left, else right: logical for unsigned);
/// a shift by the width or more gives 0 (or the sign, right-shifting a
/// negative signed value).
Value shift(OpBuilder &b, Location loc, ValueRange args, bool left,
            bool isUnsigned);

/// args[0] mod args[1]: truncated (C fmod, float or integer) with `fmod`,
/// else floored (the result takes the divisor's sign; integers).
Value remainder(OpBuilder &b, Location loc, ValueRange args, bool fmod,
                bool isUnsigned);

/// 0 of `like`'s type; `value` as a float of `like`'s type.
Value zeroLike(OpBuilder &b, Location loc, Value like);
Value floatLike(OpBuilder &b, Location loc, Value like, double value);

/// `v`, an element of a tensor of `fromType`, as an element of `toType`
/// (ONNX Cast): floats truncate toward zero into integers, integers extend
/// by their signedness, i1 is boolean.
Value convertScalar(OpBuilder &b, Location loc, Value v, Type fromType,
                    Type toType);

/// clamp(round_half_even(v) + zeroPoint, lo, hi) as i8, for an f32 `v`: the
/// end of quantize and of the NPU's requantization.
Value roundToI8(OpBuilder &b, Location loc, Value v, int64_t zeroPoint,
                int64_t lo, int64_t hi);

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_ELEMENTWISEBUILDERS_H
