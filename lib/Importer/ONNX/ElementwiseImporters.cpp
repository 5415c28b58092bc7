//===- ElementwiseImporters.cpp - ONNX elementwise ops -> yz --------------===//
//
// Part of Yizhuang. Arithmetic, math, comparisons, selection, casts and the
// activations ONNX defines as elementwise formulas. Registered by op type
// and the opset version each form starts at.
//
//===----------------------------------------------------------------------===//

#include "Formulas.h"
#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

Type elementOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

/// Binary and variadic (Sum, Max, Min) ops: a left fold.
template <typename OpT>
LogicalResult binary(NodeContext &ctx) {
  auto y = ctx.foldInputs<OpT>();
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// Unary math on floats.
template <typename OpT>
LogicalResult unaryFloat(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!isa<FloatType>(elementOf(x)))
    return ctx.fail("needs a float input, got " +
                    std::to_string(elementOf(x).getIntOrFloatBitWidth()) +
                    "-bit integers");
  auto y = ctx.create<OpT>(x);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// Unary ops on any number (Neg, Abs, Relu).
template <typename OpT>
LogicalResult unary(NodeContext &ctx) {
  auto y = ctx.create<OpT>(ctx.input(0));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// Pow: ONNX lets the exponent have another element type; it is converted
/// to the base's (an integer base with a float exponent computes in float,
/// truncated back, as the reference does).
LogicalResult power(NodeContext &ctx) {
  Value x = ctx.input(0), e = ctx.input(1);
  Type xt = elementOf(x), et = elementOf(e);
  if (xt != et) {
    Type to = isa<FloatType>(et) && !isa<FloatType>(xt) ? et : xt;
    auto xc = ctx.convert(x, to), ec = ctx.convert(e, to);
    if (failed(xc) || failed(ec))
      return failure();
    auto y = ctx.create<yz::PowOp>(*xc, *ec);
    if (failed(y))
      return failure();
    auto r = ctx.convert(*y, xt);
    if (failed(r))
      return failure();
    ctx.setOutput(0, *r);
    return success();
  }
  return binary<yz::PowOp>(ctx);
}

LogicalResult where(NodeContext &ctx) {
  Value c = ctx.input(0);
  if (!elementOf(c).isInteger(1))
    return ctx.fail("the condition must be a bool tensor");
  auto y = ctx.create<yz::SelectOp>(c, ctx.input(1), ctx.input(2));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult castOp(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t to = ctx.intAttr("to", 0);
  // saturate (opset 19) only concerns float8 types, which are refused.
  ctx.ignoreAttr("saturate", "float8 only");
  Type elt = ctx.graph.elementType(int32_t(to));
  if (!elt)
    return ctx.fail("casting to ONNX element type " + std::to_string(to) +
                    " is not supported");
  auto type = cast<RankedTensorType>(x.getType());
  if (elt == type.getElementType()) {
    ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
    return success();
  }
  auto y = ctx.createTyped<yz::CastOp>(type.clone(elt), x);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// A Clip bound: a one-element tensor (ONNX requires a scalar).
FailureOr<Value> clipBound(NodeContext &ctx, size_t input, StringRef attr,
                           Type elt) {
  if (Value v = ctx.input(input)) {
    auto t = cast<RankedTensorType>(v.getType());
    if (!t.hasStaticShape() || t.getNumElements() != 1)
      return ctx.fail(std::string(input == 1 ? "min" : "max") +
                      " must be a scalar");
    return ctx.reshape(v, {});
  }
  if (ctx.attr(attr))
    return ctx.scalar(elt, ctx.floatAttr(attr, 0));
  return Value();
}

LogicalResult clip(NodeContext &ctx) {
  Value x = ctx.input(0);
  Type elt = elementOf(x);
  // Opset 11+: min and max are optional inputs; before, attributes.
  auto lo = clipBound(ctx, 1, "min", elt), hi = clipBound(ctx, 2, "max", elt);
  if (failed(lo) || failed(hi))
    return failure();
  if (*lo) {
    auto y = ctx.create<yz::MaxOp>(x, *lo);
    if (failed(y))
      return failure();
    x = *y;
  }
  if (*hi) {
    auto y = ctx.create<yz::MinOp>(x, *hi);
    if (failed(y))
      return failure();
    x = *y;
  }
  ctx.setOutput(0, x);
  return success();
}

LogicalResult leakyRelu(NodeContext &ctx) {
  float alpha = ctx.floatAttr("alpha", 0.01f);
  Value x = ctx.input(0);
  ctx.setOutput(0, Formula{ctx, elementOf(x)}.leakyRelu(x, alpha));
  return success();
}

/// max(0, min(1, alpha * x + beta)).
FailureOr<Value> hardSigmoidOf(NodeContext &ctx, Value x, float alpha,
                               float beta) {
  Type elt = elementOf(x);
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  return Formula{ctx, elt}.hardSigmoid(x, alpha, beta);
}

LogicalResult hardSigmoid(NodeContext &ctx) {
  auto y = hardSigmoidOf(ctx, ctx.input(0), ctx.floatAttr("alpha", 0.2f),
                         ctx.floatAttr("beta", 0.5f));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult hardSwish(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto s = hardSigmoidOf(ctx, x, 1.0f / 6, 0.5f);
  if (failed(s))
    return failure();
  ctx.setOutput(0, yz::MulOp::create(ctx.b, ctx.loc, x, *s));
  return success();
}

/// A float-only activation defined by ONNX as a formula: refuses other
/// element types, then builds the formula on x.
template <typename Fn>
LogicalResult floatFormula(NodeContext &ctx, Fn formula) {
  Value x = ctx.input(0);
  Type elt = elementOf(x);
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  auto y = formula(x, elt);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult elu(NodeContext &ctx) {
  float alpha = ctx.floatAttr("alpha", 1.0f);
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    return Formula{ctx, elt}.elu(x, alpha);
  });
}

LogicalResult selu(NodeContext &ctx) {
  float alpha = ctx.floatAttr("alpha", 1.67326319217681884765625f);
  float gamma = ctx.floatAttr("gamma", 1.05070102214813232421875f);
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    Formula f{ctx, elt};
    // gamma * (x <= 0 ? alpha * exp(x) - alpha : x)
    Value neg = f.sub(f.mul(f.c(alpha), f.exp(x)), f.c(alpha));
    return f.mul(f.c(gamma), f.select(f.greater(x, f.c(0)), x, neg));
  });
}

LogicalResult celu(NodeContext &ctx) {
  float alpha = ctx.floatAttr("alpha", 1.0f);
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    Formula f{ctx, elt};
    // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
    Value e = f.mul(f.c(alpha), f.sub(f.exp(f.div(x, f.c(alpha))), f.c(1)));
    return f.add(f.max(x, f.c(0)), f.min(e, f.c(0)));
  });
}

LogicalResult softplus(NodeContext &ctx) {
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    return Formula{ctx, elt}.softplus(x);
  });
}

LogicalResult softsign(NodeContext &ctx) {
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    return Formula{ctx, elt}.softsign(x);
  });
}

LogicalResult thresholdedRelu(NodeContext &ctx) {
  float alpha = ctx.floatAttr("alpha", 1.0f);
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    return Formula{ctx, elt}.thresholdedRelu(x, alpha);
  });
}

LogicalResult shrink(NodeContext &ctx) {
  float bias = ctx.floatAttr("bias", 0.0f), lambd = ctx.floatAttr("lambd", 0.5f);
  Value x = ctx.input(0);
  Type elt = elementOf(x);
  // Integer inputs too: the bounds are converted as the reference does.
  Formula f{ctx, elt};
  Value y = f.select(f.less(x, f.c(-lambd)), f.add(x, f.c(bias)),
                     f.select(f.greater(x, f.c(lambd)), f.sub(x, f.c(bias)),
                              f.c(0)));
  ctx.setOutput(0, y);
  return success();
}

/// Mish (opset 18): x tanh(softplus(x)).
LogicalResult mish(NodeContext &ctx) {
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    Formula f{ctx, elt};
    return f.mul(x, f.tanh(f.softplus(x)));
  });
}

/// Gelu (opset 20): x Phi(x), exactly (through erf) or by its tanh
/// approximation.
LogicalResult gelu(NodeContext &ctx) {
  std::string approximate = ctx.stringAttr("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return ctx.fail("approximate must be none or tanh, got '" + approximate +
                    "'");
  return floatFormula(ctx, [&](Value x, Type elt) -> FailureOr<Value> {
    Formula f{ctx, elt};
    Value inner;
    if (approximate == "tanh") {
      // tanh(sqrt(2 / pi) (x + 0.044715 x^3))
      Value cube = f.mul(f.mul(x, x), x);
      inner = f.tanh(f.mul(f.c(std::sqrt(2.0 / M_PI)),
                           f.add(x, f.mul(f.c(0.044715), cube))));
    } else {
      inner = ErfOp::create(ctx.b, ctx.loc, f.mul(x, f.c(M_SQRT1_2)));
    }
    return f.mul(f.mul(f.c(0.5), x), f.add(f.c(1), inner));
  });
}

/// BitwiseAnd/Or/Xor/Not (opset 18): on integers only (And, Or, Xor and
/// Not are the bool forms).
template <typename OpT>
LogicalResult bitwise(NodeContext &ctx) {
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (Type elt = elementOf(ctx.input(i)); !isa<IntegerType>(elt) ||
                                            elt.isInteger(1))
      return ctx.fail("needs integer inputs");
  if constexpr (std::is_same_v<OpT, yz::NotOp>)
    return unary<OpT>(ctx);
  else
    return binary<OpT>(ctx);
}

LogicalResult prelu(NodeContext &ctx) {
  Value x = ctx.input(0), slope = ctx.input(1);
  Type elt = elementOf(x);
  Formula f{ctx, elt};
  // x < 0 ? slope * x : x, the slope broadcasting (unidirectionally) to x.
  auto prod = ctx.create<yz::MulOp>(x, slope);
  if (failed(prod))
    return failure();
  if (cast<RankedTensorType>(prod->getType()) != x.getType())
    return ctx.fail("slope does not broadcast to the input's shape");
  ctx.setOutput(0, f.select(f.less(x, f.c(0)), *prod, x));
  return success();
}

LogicalResult isInf(NodeContext &ctx) {
  auto y = ctx.create<yz::IsInfOp>(ctx.input(0),
                                   ctx.intAttr("detect_negative", 1) != 0,
                                   ctx.intAttr("detect_positive", 1) != 0);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult mod(NodeContext &ctx) {
  Value x = ctx.input(0);
  bool fmod = ctx.intAttr("fmod", 0) != 0;
  if (isa<FloatType>(elementOf(x)) && !fmod)
    return ctx.fail("float inputs need fmod = 1");
  auto y = ctx.create<yz::ModOp>(x, ctx.input(1), fmod);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult bitShift(NodeContext &ctx) {
  std::string direction = ctx.stringAttr("direction", "");
  FailureOr<Value> y = failure();
  if (direction == "LEFT")
    y = ctx.create<yz::ShiftLeftOp>(ctx.input(0), ctx.input(1));
  else if (direction == "RIGHT")
    y = ctx.create<yz::ShiftRightOp>(ctx.input(0), ctx.input(1));
  else
    return ctx.fail("direction must be LEFT or RIGHT, got '" + direction + "'");
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// Mean: the sum of the inputs, divided by their number.
LogicalResult mean(NodeContext &ctx) {
  auto sum = ctx.foldInputs<yz::AddOp>();
  if (failed(sum))
    return failure();
  Type elt = elementOf(*sum);
  if (!isa<FloatType>(elt))
    return ctx.fail("needs float inputs");
  ctx.setOutput(0, yz::DivOp::create(ctx.b, ctx.loc, *sum,
                                     ctx.scalar(elt, double(ctx.numInputs()))));
  return success();
}

LogicalResult castLike(NodeContext &ctx) {
  Value x = ctx.input(0);
  ctx.ignoreAttr("saturate", "float8 only");
  Type elt = elementOf(ctx.input(1));
  auto type = cast<RankedTensorType>(x.getType());
  if (elt == type.getElementType()) {
    ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
    return success();
  }
  auto y = ctx.createTyped<yz::CastOp>(type.clone(elt), x);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerElementwiseImporters(Registry &r) {
  r.op("Add", 7, binary<yz::AddOp>);
  r.op("Sub", 7, binary<yz::SubOp>);
  r.op("Mul", 7, binary<yz::MulOp>);
  r.op("Div", 7, binary<yz::DivOp>);
  r.op("Pow", 7, power);
  r.op("Max", 8, binary<yz::MaxOp>);
  r.op("Min", 8, binary<yz::MinOp>);
  r.op("Sum", 8, binary<yz::AddOp>);
  r.op("Neg", 6, unary<yz::NegOp>);
  r.op("Abs", 6, unary<yz::AbsOp>);
  r.op("Relu", 6, unary<yz::ReluOp>);
  r.op("Sigmoid", 6, unaryFloat<yz::SigmoidOp>);
  r.op("Tanh", 6, unaryFloat<yz::TanhOp>);
  r.op("Erf", 9, unaryFloat<yz::ErfOp>);
  r.op("Exp", 6, unaryFloat<yz::ExpOp>);
  r.op("Log", 6, unaryFloat<yz::LogOp>);
  r.op("Sqrt", 6, unaryFloat<yz::SqrtOp>);
  r.op("Reciprocal", 6, unaryFloat<yz::ReciprocalOp>);
  r.op("Floor", 6, unaryFloat<yz::FloorOp>);
  r.op("Equal", 7, binary<yz::EqualOp>);
  r.op("Less", 7, binary<yz::LessOp>);
  r.op("LessOrEqual", 12, binary<yz::LessEqualOp>);
  r.op("Greater", 7, binary<yz::GreaterOp>);
  r.op("GreaterOrEqual", 12, binary<yz::GreaterEqualOp>);
  r.op("Where", 9, where);
  r.op("Cast", 6, castOp);
  r.op("Cast", 19, castOp, {{1, 1, 1, 1, "saturate:i !to:i"}});
  r.op("Clip", 6, clip);
  r.op("LeakyRelu", 6, leakyRelu);
  r.op("HardSigmoid", 6, hardSigmoid);
  r.op("HardSwish", 14, hardSwish);
  r.op("Ceil", 6, unaryFloat<yz::CeilOp>);
  r.op("Round", 11, unaryFloat<yz::RoundOp>);
  r.op("Sin", 7, unaryFloat<yz::SinOp>);
  r.op("Cos", 7, unaryFloat<yz::CosOp>);
  r.op("Tan", 7, unaryFloat<yz::TanOp>);
  r.op("Asin", 7, unaryFloat<yz::AsinOp>);
  r.op("Acos", 7, unaryFloat<yz::AcosOp>);
  r.op("Atan", 7, unaryFloat<yz::AtanOp>);
  r.op("Sinh", 9, unaryFloat<yz::SinhOp>);
  r.op("Cosh", 9, unaryFloat<yz::CoshOp>);
  r.op("Asinh", 9, unaryFloat<yz::AsinhOp>);
  r.op("Acosh", 9, unaryFloat<yz::AcoshOp>);
  r.op("Atanh", 9, unaryFloat<yz::AtanhOp>);
  r.op("Sign", 9, unary<yz::SignOp>);
  r.op("IsNaN", 9, unaryFloat<yz::IsNaNOp>);
  r.op("IsInf", 10, isInf);
  r.op("Not", 1, unary<yz::NotOp>);
  r.op("And", 7, binary<yz::AndOp>);
  r.op("Or", 7, binary<yz::OrOp>);
  r.op("Xor", 7, binary<yz::XorOp>);
  r.op("BitShift", 11, bitShift);
  r.op("Mod", 10, mod);
  r.op("Mean", 8, mean);
  r.op("CastLike", 15, castLike);
  r.op("CastLike", 19, castLike, {{2, 2, 1, 1, "saturate:i"}});
  r.op("Mish", 18, mish, {{1, 1, 1, 1, ""}});
  r.op("Gelu", 20, gelu, {{1, 1, 1, 1, "approximate:s"}});
  r.op("BitwiseAnd", 18, bitwise<yz::AndOp>, {{2, 2, 1, 1, ""}});
  r.op("BitwiseOr", 18, bitwise<yz::OrOp>, {{2, 2, 1, 1, ""}});
  r.op("BitwiseXor", 18, bitwise<yz::XorOp>, {{2, 2, 1, 1, ""}});
  r.op("BitwiseNot", 18, bitwise<yz::NotOp>, {{1, 1, 1, 1, ""}});
  r.op("Elu", 6, elu);
  r.op("Selu", 6, selu);
  r.op("Celu", 12, celu);
  r.op("Softplus", 1, softplus);
  r.op("Softsign", 1, softsign);
  r.op("ThresholdedRelu", 10, thresholdedRelu);
  r.op("Shrink", 9, shrink);
  r.op("PRelu", 7, prelu);
}
