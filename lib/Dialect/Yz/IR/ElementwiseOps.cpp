//===- ElementwiseOps.cpp - the elementwise family ------------------------===//
//
// Part of Yizhuang. The scalar helpers the ops' `scalar` bodies use, and
// the verifiers; each op's arithmetic is in YzElementwiseOps.td.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::yz;

bool mlir::yz::isUnsigned(Value tensor) {
  return getElementTypeOrSelf(tensor.getType()).isUnsignedInteger();
}

Value mlir::yz::compare(OpBuilder &b, Location loc, Value operand,
                        ValueRange args, arith::CmpFPredicate f,
                        arith::CmpIPredicate s, arith::CmpIPredicate u) {
  if (isa<FloatType>(args[0].getType()))
    return arith::CmpFOp::create(b, loc, f, args[0], args[1]);
  return arith::CmpIOp::create(b, loc, isUnsigned(operand) ? u : s, args[0],
                               args[1]);
}

Value mlir::yz::zeroLike(OpBuilder &b, Location loc, Value like) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(like.getType()));
}

Value mlir::yz::floatLike(OpBuilder &b, Location loc, Value like,
                          double value) {
  return arith::ConstantOp::create(b, loc,
                                   b.getFloatAttr(like.getType(), value));
}

/// The signless form of an integer type (arith computes on those).
static Type signless(Type t) {
  if (auto i = dyn_cast<IntegerType>(t))
    return IntegerType::get(t.getContext(), i.getWidth());
  return t;
}

Value mlir::yz::convertScalar(OpBuilder &b, Location loc, Value v,
                              Type fromTensor, Type toTensor) {
  Type from = getElementTypeOrSelf(fromTensor), to = getElementTypeOrSelf(toTensor);
  Type toSl = signless(to);
  if (signless(from) == toSl)
    return v;
  auto fromInt = dyn_cast<IntegerType>(from), toInt = dyn_cast<IntegerType>(to);
  Type vt = v.getType();
  if (toInt && toInt.getWidth() == 1) {
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(vt));
    if (fromInt)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero);
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero);
  }
  // i1 is boolean: 0 or 1, never -1.
  bool zeroExtend = fromInt && (fromInt.getWidth() == 1 || fromInt.isUnsigned());
  if (fromInt && toInt) {
    if (toInt.getWidth() < fromInt.getWidth())
      return arith::TruncIOp::create(b, loc, toSl, v);
    if (zeroExtend)
      return arith::ExtUIOp::create(b, loc, toSl, v);
    return arith::ExtSIOp::create(b, loc, toSl, v);
  }
  if (fromInt) // to float
    return zeroExtend ? Value(arith::UIToFPOp::create(b, loc, to, v))
                      : Value(arith::SIToFPOp::create(b, loc, to, v));
  if (toInt) // from float, toward zero
    return toInt.isUnsigned() ? Value(arith::FPToUIOp::create(b, loc, toSl, v))
                              : Value(arith::FPToSIOp::create(b, loc, toSl, v));
  if (to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  if (to.getIntOrFloatBitWidth() < from.getIntOrFloatBitWidth())
    return arith::TruncFOp::create(b, loc, to, v);
  // f16 <-> bf16: through f32, which holds both exactly.
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
  return arith::TruncFOp::create(b, loc, to, wide);
}

Value mlir::yz::roundToI8(OpBuilder &b, Location loc, Value v,
                          int64_t zeroPoint, int64_t lo, int64_t hi) {
  auto f32 = [&](double x) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(float(x)));
  };
  Value r = math::RoundEvenOp::create(b, loc, v);
  r = arith::AddFOp::create(b, loc, r, f32(double(zeroPoint)));
  r = arith::MaximumFOp::create(b, loc, r, f32(double(lo)));
  r = arith::MinimumFOp::create(b, loc, r, f32(double(hi)));
  return arith::FPToSIOp::create(b, loc, b.getI8Type(), r);
}

Value mlir::yz::shift(OpBuilder &b, Location loc, ValueRange args, bool left,
                      bool isUnsigned) {
  Type t = args[0].getType();
  unsigned width = t.getIntOrFloatBitWidth();
  Value widthV = arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, width));
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                        args[1], widthV);
  // Past the width arith's shifts are poison: clamp the amount, then pick.
  Value amount = arith::SelectOp::create(
      b, loc, inRange, args[1],
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, width - 1)));
  Value shifted;
  if (left)
    shifted = arith::ShLIOp::create(b, loc, args[0], amount);
  else if (isUnsigned)
    shifted = arith::ShRUIOp::create(b, loc, args[0], amount);
  else
    return arith::ShRSIOp::create(b, loc, args[0], amount); // sign fills
  return arith::SelectOp::create(b, loc, inRange, shifted, zeroLike(b, loc, shifted));
}

Value mlir::yz::remainder(OpBuilder &b, Location loc, ValueRange args,
                          bool fmod, bool isUnsigned) {
  Value x = args[0], y = args[1];
  if (isa<FloatType>(x.getType()))
    return arith::RemFOp::create(b, loc, x, y); // fmod only (verified)
  if (isUnsigned)
    return arith::RemUIOp::create(b, loc, x, y);
  Value r = arith::RemSIOp::create(b, loc, x, y);
  if (fmod)
    return r;
  // Floored: a non-zero remainder whose sign differs from the divisor's
  // moves by the divisor.
  Value zero = zeroLike(b, loc, r);
  Value nonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value signsDiffer = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::slt,
      arith::XOrIOp::create(b, loc, r, y), zero);
  Value fix = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  return arith::SelectOp::create(b, loc, fix, arith::AddIOp::create(b, loc, r, y), r);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getLhs().getType().getElementType()) && !getFmod())
    return emitOpError("on floats needs fmod = true (C's fmod)");
  return success();
}

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getShape() != out.getShape())
    return emitOpError("changes the shape from ") << in << " to " << out;
  return success();
}

LogicalResult BroadcastToOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  std::string why;
  auto shape = broadcastShapes(in.getShape(), out.getShape(), why);
  if (in.getElementType() != out.getElementType())
    return emitOpError("changes the element type from ")
           << in.getElementType() << " to " << out.getElementType();
  if (failed(shape) || ArrayRef<int64_t>(*shape) != out.getShape())
    return emitOpError("cannot broadcast ") << in << " to " << out;
  return success();
}

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzElementwiseOps.cpp.inc"
