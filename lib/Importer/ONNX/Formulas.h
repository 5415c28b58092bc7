//===- Formulas.h - ONNX activations as yz formulas -------------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Importer/ONNX. The activations ONNX
// defines as formulas, built from elementwise yz ops whose operands fit by
// construction (x and rank-0 constants of its type); shared by the
// elementwise importers and the recurrent layers' activation lists.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_IMPORTER_ONNX_FORMULAS_H
#define YZ_LIB_IMPORTER_ONNX_FORMULAS_H

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

namespace mlir::yz::onnx_import {

struct Formula {
  NodeContext &ctx;
  Type elt;

  Value c(double v) { return ctx.scalar(elt, v); }
  Value add(Value a, Value b) { return AddOp::create(ctx.b, ctx.loc, a, b); }
  Value sub(Value a, Value b) { return SubOp::create(ctx.b, ctx.loc, a, b); }
  Value mul(Value a, Value b) { return MulOp::create(ctx.b, ctx.loc, a, b); }
  Value div(Value a, Value b) { return DivOp::create(ctx.b, ctx.loc, a, b); }
  Value exp(Value a) { return ExpOp::create(ctx.b, ctx.loc, a); }
  Value log(Value a) { return LogOp::create(ctx.b, ctx.loc, a); }
  Value abs(Value a) { return AbsOp::create(ctx.b, ctx.loc, a); }
  Value tanh(Value a) { return TanhOp::create(ctx.b, ctx.loc, a); }
  Value sigmoid(Value a) { return SigmoidOp::create(ctx.b, ctx.loc, a); }
  Value relu(Value a) { return ReluOp::create(ctx.b, ctx.loc, a); }
  Value max(Value a, Value b) { return MaxOp::create(ctx.b, ctx.loc, a, b); }
  Value min(Value a, Value b) { return MinOp::create(ctx.b, ctx.loc, a, b); }
  Value less(Value a, Value b) { return LessOp::create(ctx.b, ctx.loc, a, b); }
  Value greater(Value a, Value b) {
    return GreaterOp::create(ctx.b, ctx.loc, a, b);
  }
  /// A scalar branch broadcasts; the result takes the full shape.
  Value select(Value cond, Value a, Value b) {
    return SelectOp::create(ctx.b, ctx.loc, cond, a, b);
  }

  /// max(x, alpha x) for alpha <= 1, min(x, alpha x) above.
  Value leakyRelu(Value x, double alpha) {
    Value ax = mul(x, c(alpha));
    return alpha <= 1 ? max(x, ax) : min(x, ax);
  }
  /// max(0, min(1, alpha x + beta)).
  Value hardSigmoid(Value x, double alpha, double beta) {
    return max(min(add(mul(x, c(alpha)), c(beta)), c(1)), c(0));
  }
  /// x < 0 ? alpha (exp(x) - 1) : x.
  Value elu(Value x, double alpha) {
    return select(less(x, c(0)), mul(c(alpha), sub(exp(x), c(1))), x);
  }
  /// log(exp(x) + 1), as max(x, 0) + log(1 + exp(-|x|)) (no overflow).
  Value softplus(Value x) {
    return add(max(x, c(0)), log(add(c(1), exp(sub(c(0), abs(x))))));
  }
  Value softsign(Value x) { return div(x, add(c(1), abs(x))); }
  Value thresholdedRelu(Value x, double alpha) {
    return select(greater(x, c(alpha)), x, c(0));
  }
};

} // namespace mlir::yz::onnx_import

#endif // YZ_LIB_IMPORTER_ONNX_FORMULAS_H
