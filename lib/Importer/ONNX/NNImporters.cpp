//===- NNImporters.cpp - ONNX contractions, windows, reductions -> yz -----===//
//
// Part of Yizhuang. MatMul, Gemm, reductions, Softmax and Dropout
// (convolutions and pooling: WindowImporters.cpp; normalizations:
// NormalizationImporters.cpp).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

LogicalResult matmul(NodeContext &ctx) {
  Value a = ctx.input(0), b = ctx.input(1);
  bool vecA = typeOf(a).getRank() == 1, vecB = typeOf(b).getRank() == 1;
  // numpy.matmul: a 1-D operand gains a unit dimension, removed afterwards.
  if (vecA)
    a = ctx.reshape(a, {1, typeOf(a).getDimSize(0)});
  if (vecB)
    b = ctx.reshape(b, {typeOf(b).getDimSize(0), 1});
  auto y = ctx.create<yz::MatmulOp>(a, b, Value(), FloatAttr(), FloatAttr());
  if (failed(y))
    return failure();
  SmallVector<int64_t> shape(typeOf(*y).getShape());
  if (vecB)
    shape.erase(shape.end() - 1);
  if (vecA)
    shape.erase(shape.end() - (vecB ? 1 : 2));
  ctx.setOutput(0, ctx.reshape(*y, shape));
  return success();
}

LogicalResult gemm(NodeContext &ctx) {
  int64_t transA = ctx.intAttr("transA", 0), transB = ctx.intAttr("transB", 0);
  if ((transA != 0 && transA != 1) || (transB != 0 && transB != 1))
    return ctx.fail("transA and transB must be 0 or 1");
  Value a = ctx.input(0), b = ctx.input(1);
  if (typeOf(a).getRank() != 2 || typeOf(b).getRank() != 2)
    return ctx.fail("A and B must be 2-D");
  auto t = [&](Value v) {
    return yz::TransposeOp::create(ctx.b, ctx.loc, v, ArrayRef<int64_t>{1, 0})
        .getResult();
  };
  if (transA)
    a = t(a);
  if (transB)
    b = t(b);
  auto y = ctx.create<yz::MatmulOp>(a, b, Value(), FloatAttr(), FloatAttr());
  if (failed(y))
    return failure();
  Value out = *y;
  Type elt = typeOf(out).getElementType();
  float alpha = ctx.floatAttr("alpha", 1.0f), beta = ctx.floatAttr("beta", 1.0f);
  if (alpha != 1.0f)
    out = yz::MulOp::create(ctx.b, ctx.loc, out, ctx.scalar(elt, alpha));
  if (Value c = ctx.input(2)) {
    if (typeOf(c).getElementType() != elt)
      return ctx.fail("C must have the element type of the product");
    if (beta != 1.0f)
      c = yz::MulOp::create(ctx.b, ctx.loc, c, ctx.scalar(elt, beta));
    auto sum = ctx.create<yz::AddOp>(out, c);
    if (failed(sum))
      return failure();
    // C broadcasts to A x B, never the other way round.
    if (typeOf(*sum) != typeOf(out))
      return ctx.fail("C does not broadcast to the product's shape");
    out = *sum;
  }
  ctx.setOutput(0, out);
  return success();
}

/// What a reduction node asks: its axes (sorted, unique), or none to
/// leave the input as it is (noop_with_empty_axes), and keepdims.
struct ReduceSpec {
  SmallVector<int64_t> axes;
  bool noop = false, keepdims = true;
};

/// The axes of a reduction: the `axes` attribute (before opset 13 for
/// ReduceSum, 18 for the others), or input 1 (after); none means all.
FailureOr<ReduceSpec> reduceSpec(NodeContext &ctx, bool axesInput) {
  int64_t rank = ctx.inputType(0).getRank();
  std::optional<std::vector<int64_t>> axes;
  if (axesInput) {
    if (ctx.input(1)) {
      axes = ctx.constantInts(1);
      if (!axes)
        return ctx.fail("axes must be a constant");
    }
  } else {
    axes = ctx.intsAttr("axes");
  }
  ReduceSpec spec;
  spec.keepdims = ctx.intAttr("keepdims", 1) != 0;
  bool noop = ctx.intAttr("noop_with_empty_axes", 0) != 0;
  if (!axes || axes->empty()) {
    spec.noop = noop;
    if (!noop)
      for (int64_t d = 0; d < rank; ++d)
        spec.axes.push_back(d);
    return spec;
  }
  for (int64_t a : *axes) {
    if (!normalizeAxis(a, rank))
      return ctx.fail("axis " + std::to_string(a) + " is out of range");
    spec.axes.push_back(a);
  }
  llvm::sort(spec.axes);
  if (std::adjacent_find(spec.axes.begin(), spec.axes.end()) !=
      spec.axes.end())
    return ctx.fail("axes repeat an axis");
  return spec;
}

/// A reduction, composed as ONNX defines it: `pre` on each element, the
/// reduction OpT, then `post` on the result (ReduceL2 = sqrt(sum(x * x))).
/// With noop_with_empty_axes and no axes only the elementwise parts apply.
template <typename OpT>
LogicalResult reduceWith(NodeContext &ctx, bool axesInput,
                         function_ref<Value(Value)> pre = {},
                         function_ref<Value(Value)> post = {}) {
  auto spec = reduceSpec(ctx, axesInput);
  if (failed(spec))
    return failure();
  Value x = ctx.input(0);
  if (pre)
    x = pre(x);
  Value y;
  if (spec->noop) {
    y = yz::IdentityOp::create(ctx.b, ctx.loc, x);
  } else {
    auto r = ctx.create<OpT>(x, spec->axes, spec->keepdims);
    if (failed(r))
      return failure();
    y = *r;
  }
  ctx.setOutput(0, post ? post(y) : y);
  return success();
}

template <typename OpT, bool axesInput>
LogicalResult reduceAt(NodeContext &ctx) {
  return reduceWith<OpT>(ctx, axesInput);
}

/// Reductions' signature from opset 18 (axes an input).
constexpr Signature kReduce18 = {1, 2, 1, 1, "keepdims:i noop_with_empty_axes:i"};

/// ReduceL1, L2, LogSum, SumSquare: a sum with an elementwise pre- or
/// post-step; ReduceLogSumExp: log(sum(exp(x - max))) + max.
template <bool axesInput>
void registerComposedReductions(Registry &r, int64_t since,
                                std::optional<Signature> sig = std::nullopt) {
  r.op("ReduceL1", since, [](NodeContext &ctx) {
    return reduceWith<yz::ReduceSumOp>(ctx, axesInput, [&](Value x) -> Value {
      return yz::AbsOp::create(ctx.b, ctx.loc, x);
    });
  }, sig);
  r.op("ReduceL2", since, [](NodeContext &ctx) {
    if (!isa<FloatType>(ctx.inputType(0).getElementType()))
      return ctx.fail("needs a float input");
    return reduceWith<yz::ReduceSumOp>(
        ctx, axesInput,
        [&](Value x) -> Value { return yz::MulOp::create(ctx.b, ctx.loc, x, x); },
        [&](Value s) -> Value { return yz::SqrtOp::create(ctx.b, ctx.loc, s); });
  }, sig);
  r.op("ReduceSumSquare", since, [](NodeContext &ctx) {
    return reduceWith<yz::ReduceSumOp>(ctx, axesInput, [&](Value x) -> Value {
      return yz::MulOp::create(ctx.b, ctx.loc, x, x);
    });
  }, sig);
  r.op("ReduceLogSum", since, [](NodeContext &ctx) {
    if (!isa<FloatType>(ctx.inputType(0).getElementType()))
      return ctx.fail("needs a float input");
    return reduceWith<yz::ReduceSumOp>(ctx, axesInput, {}, [&](Value s) -> Value {
      return yz::LogOp::create(ctx.b, ctx.loc, s);
    });
  }, sig);
  r.op("ReduceLogSumExp", since, [](NodeContext &ctx) -> LogicalResult {
    Value x = ctx.input(0);
    if (!isa<FloatType>(typeOf(x).getElementType()))
      return ctx.fail("needs a float input");
    auto spec = reduceSpec(ctx, axesInput);
    if (failed(spec))
      return failure();
    if (spec->noop) { // log(exp(x)) = x
      ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
      return success();
    }
    Value m = yz::ReduceMaxOp::create(ctx.b, ctx.loc, x, spec->axes, true);
    // An infinite maximum would make x - max NaN: subtract 0 there.
    Type elt = typeOf(x).getElementType();
    Value finite = yz::SelectOp::create(
        ctx.b, ctx.loc,
        yz::IsInfOp::create(ctx.b, ctx.loc, m, true, true), ctx.scalar(elt, 0), m);
    Value e = yz::ExpOp::create(ctx.b, ctx.loc,
                                yz::SubOp::create(ctx.b, ctx.loc, x, finite));
    Value sum = yz::ReduceSumOp::create(ctx.b, ctx.loc, e, spec->axes, true);
    Value y = yz::AddOp::create(ctx.b, ctx.loc,
                                yz::LogOp::create(ctx.b, ctx.loc, sum), finite);
    if (!spec->keepdims) {
      SmallVector<int64_t> shape;
      for (auto [d, n] : llvm::enumerate(typeOf(y).getShape()))
        if (!llvm::is_contained(spec->axes, int64_t(d)))
          shape.push_back(n);
      y = ctx.reshape(y, shape);
    }
    ctx.setOutput(0, y);
    return success();
  }, sig);
}

template <typename OpT>
LogicalResult argReduce(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(x).getRank()))
    return ctx.fail("axis is out of range");
  auto y = ctx.create<OpT>(x, axis, ctx.intAttr("keepdims", 1) != 0,
                           ctx.intAttr("select_last_index", 0) != 0);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// TopK: k an attribute (opset 1) or a constant input (10); `largest` and
/// `sorted` from 11 (the results are always sorted, which sorted = 0
/// allows).
LogicalResult topK(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t axis = ctx.intAttr("axis", -1);
  if (!normalizeAxis(axis, typeOf(x).getRank()))
    return ctx.fail("axis is out of range");
  int64_t k;
  if (ctx.opset < 10) {
    k = ctx.intAttr("k", -1);
  } else {
    auto given = ctx.constantInts(1);
    if (!given || given->size() != 1)
      return ctx.fail("K must be a one-element constant (the output's shape "
                      "depends on it)");
    k = (*given)[0];
  }
  ctx.ignoreAttr("sorted", "the results are always sorted");
  auto y = ctx.create<yz::TopKOp>(x, k, axis, ctx.intAttr("largest", 1) != 0);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  ctx.setOutput(1, y->getDefiningOp()->getResult(1));
  return success();
}

/// Before opset 13, Softmax, LogSoftmax and Hardmax work on the input
/// flattened to 2-D at `axis` (default 1); from 13, along one axis
/// (default -1). `fn` builds the op on (x, axis).
LogicalResult alongAxis(NodeContext &ctx, bool flattened,
                        function_ref<FailureOr<Value>(Value, int64_t)> fn) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t axis = ctx.intAttr("axis", flattened ? 1 : -1);
  if (!normalizeAxis(axis, t.getRank()))
    return ctx.fail("axis is out of range");
  if (!isa<FloatType>(t.getElementType()))
    return ctx.fail("needs a float input");
  if (!flattened) {
    auto y = fn(x, axis);
    if (failed(y))
      return failure();
    ctx.setOutput(0, *y);
    return success();
  }
  if (!t.hasStaticShape())
    return ctx.fail("needs a static shape");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < t.getRank(); ++d)
    (d < axis ? outer : inner) *= t.getDimSize(d);
  auto y = fn(ctx.reshape(x, {outer, inner}), 1);
  if (failed(y))
    return failure();
  ctx.setOutput(0, ctx.reshape(*y, t.getShape()));
  return success();
}

/// Hardmax: 1 at the first maximum along the axis, 0 elsewhere.
FailureOr<Value> hardmaxOf(NodeContext &ctx, Value x, int64_t axis) {
  auto t = typeOf(x);
  Value idx = yz::ArgMaxOp::create(ctx.b, ctx.loc, x, axis, true, false);
  SmallVector<int64_t> shape(t.getRank(), 1), iota;
  shape[axis] = t.getDimSize(axis);
  for (int64_t i = 0; i < shape[axis]; ++i)
    iota.push_back(i);
  Value positions = yz::ConstantOp::create(
      ctx.b, ctx.loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, ctx.b.getI64Type()),
                             ArrayRef<int64_t>(iota)));
  Value hit = yz::EqualOp::create(ctx.b, ctx.loc, idx, positions);
  return ctx.createTyped<yz::CastOp>(t, hit);
}

template <bool flattened>
void registerAxisOps(Registry &r, int64_t since) {
  r.op("Softmax", since, [](NodeContext &ctx) {
    return alongAxis(ctx, flattened, [&](Value x, int64_t a) {
      return ctx.create<yz::SoftmaxOp>(x, a);
    });
  });
  r.op("LogSoftmax", since, [](NodeContext &ctx) {
    return alongAxis(ctx, flattened, [&](Value x, int64_t a) {
      return ctx.create<yz::LogSoftmaxOp>(x, a);
    });
  });
  r.op("Hardmax", since, [](NodeContext &ctx) {
    return alongAxis(ctx, flattened,
                     [&](Value x, int64_t a) { return hardmaxOf(ctx, x, a); });
  });
}

LogicalResult cumSum(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto axis = ctx.constantInts(1);
  if (!axis || axis->size() != 1)
    return ctx.fail("axis must be a one-element constant");
  int64_t a = (*axis)[0];
  if (!normalizeAxis(a, typeOf(x).getRank()))
    return ctx.fail("axis " + std::to_string((*axis)[0]) + " is out of range");
  auto y = ctx.create<yz::CumSumOp>(x, a, ctx.intAttr("exclusive", 0) != 0,
                                    ctx.intAttr("reverse", 0) != 0);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// NegativeLogLikelihoodLoss on log-probabilities `input` [N, C, d...] and
/// targets [N, d...]: -input[n, target, d...] (times weight[target]),
/// reduced by `reduction`; targets equal to ignore_index count for nothing.
FailureOr<Value> nllLoss(NodeContext &ctx, Value input, Value target,
                         Value weight) {
  auto it = typeOf(input), tt = typeOf(target);
  Type elt = it.getElementType();
  if (it.getRank() < 2 || tt.getRank() != it.getRank() - 1 ||
      !isa<FloatType>(elt))
    return ctx.fail("needs float input [N, C, d...] and targets [N, d...]");
  if (!tt.getElementType().isInteger(32) && !tt.getElementType().isInteger(64))
    return ctx.fail("targets must be int32 or int64");
  std::string reduction = ctx.stringAttr("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return ctx.fail("reduction must be none, sum or mean, got '" + reduction +
                    "'");
  const onnx::AttributeProto *ignore = ctx.attr("ignore_index");
  Type tElt = tt.getElementType();
  Value mask, t = target;
  if (ignore) {
    // Ignored targets may lie outside [0, C): read class 0 for them.
    Value ii = ctx.scalar(tElt, double(ignore->i()));
    mask = yz::NotOp::create(ctx.b, ctx.loc,
                             yz::EqualOp::create(ctx.b, ctx.loc, t, ii));
    t = yz::SelectOp::create(ctx.b, ctx.loc, mask, t, ctx.scalar(tElt, 0));
  }
  SmallVector<int64_t> tShape(tt.getShape());
  tShape.insert(tShape.begin() + 1, 1);
  auto picked = ctx.create<yz::GatherElementsOp>(input, ctx.reshape(t, tShape),
                                                 int64_t(1));
  if (failed(picked))
    return failure();
  Value loss = yz::NegOp::create(ctx.b, ctx.loc, ctx.reshape(*picked, tt.getShape()));
  Value w; // the weight each element's loss counts with
  if (weight) {
    auto wt = ctx.create<yz::GatherOp>(weight, t, int64_t(0));
    if (failed(wt))
      return failure();
    w = *wt;
    loss = yz::MulOp::create(ctx.b, ctx.loc, loss, w);
  }
  if (mask) {
    Value zero = ctx.scalar(elt, 0);
    loss = yz::SelectOp::create(ctx.b, ctx.loc, mask, loss, zero);
    Value one = w ? w : ctx.scalar(elt, 1);
    w = yz::SelectOp::create(ctx.b, ctx.loc, mask, one, zero);
  }
  if (reduction == "none")
    return loss;
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < tt.getRank(); ++d)
    all.push_back(d);
  Value sum = yz::ReduceSumOp::create(ctx.b, ctx.loc, loss, all, false);
  if (reduction == "sum")
    return sum;
  if (!w)
    return Value(yz::DivOp::create(ctx.b, ctx.loc, sum,
                                   ctx.scalar(elt, double(tt.getNumElements()))));
  Value total = yz::ReduceSumOp::create(ctx.b, ctx.loc, w, all, false);
  return Value(yz::DivOp::create(ctx.b, ctx.loc, sum, total));
}

LogicalResult negativeLogLikelihood(NodeContext &ctx) {
  auto y = nllLoss(ctx, ctx.input(0), ctx.input(1), ctx.input(2));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult softmaxCrossEntropy(NodeContext &ctx) {
  Value scores = ctx.input(0);
  if (typeOf(scores).getRank() < 2)
    return ctx.fail("scores must be [N, C, d...]");
  auto logProb = ctx.create<yz::LogSoftmaxOp>(scores, int64_t(1));
  if (failed(logProb))
    return failure();
  auto y = nllLoss(ctx, *logProb, ctx.input(1), ctx.input(2));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  if (ctx.wantsOutput(1))
    ctx.setOutput(1, *logProb);
  return success();
}

/// The splat value of input i, if it is a constant all of whose elements
/// are equal (a scalar ratio, a training_mode flag).
std::optional<double> constantScalar(NodeContext &ctx, size_t i) {
  if (auto f = ctx.constantFloats(i); f && !f->empty() &&
                                      llvm::all_equal(*f))
    return f->front();
  if (auto n = ctx.constantInts(i); n && !n->empty() && llvm::all_equal(*n))
    return double(n->front());
  return std::nullopt;
}

/// Dropout is the identity at inference. In training mode with a ratio
/// above 0 it drops elements at random, which a compiled inference graph
/// cannot reproduce: refused rather than compiled as the identity.
LogicalResult dropout(NodeContext &ctx) {
  double ratio = ctx.floatAttr("ratio", 0.5f); // before opset 12
  ctx.ignoreAttr("seed", "it only seeds the random drop, refused below");
  bool training = false;
  if (ctx.input(2)) {
    auto mode = constantScalar(ctx, 2);
    if (!mode)
      return ctx.fail("training_mode must be a constant");
    training = *mode != 0;
  }
  if (ctx.input(1)) {
    auto r = constantScalar(ctx, 1);
    if (!r) {
      if (training)
        return ctx.fail("ratio must be a constant");
    } else {
      ratio = *r;
    }
  }
  if (training && ratio != 0)
    return ctx.fail("training_mode = true with ratio " + std::to_string(ratio) +
                    " drops elements at random; only inference (or ratio 0) "
                    "is supported");
  Value x = ctx.input(0);
  ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
  if (ctx.wantsOutput(1)) {
    // Nothing is dropped: the mask is all true.
    auto type = typeOf(x).clone(ctx.b.getI1Type());
    if (!type.hasStaticShape())
      return ctx.fail("the mask output needs a static shape");
    ctx.setOutput(1, yz::ConstantOp::create(
                         ctx.b, ctx.loc,
                         DenseElementsAttr::get(type, ctx.b.getBoolAttr(true))));
  }
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerNNImporters(Registry &r) {
  r.op("MatMul", 1, matmul);
  r.op("Gemm", 7, gemm);
  r.op("ReduceSum", 1, reduceAt<yz::ReduceSumOp, false>);
  r.op("ReduceSum", 13, reduceAt<yz::ReduceSumOp, true>);
  r.op("ReduceMean", 1, reduceAt<yz::ReduceMeanOp, false>);
  r.op("ReduceMean", 18, reduceAt<yz::ReduceMeanOp, true>, kReduce18);
  r.op("ReduceMax", 1, reduceAt<yz::ReduceMaxOp, false>);
  r.op("ReduceMax", 18, reduceAt<yz::ReduceMaxOp, true>, kReduce18);
  r.op("ReduceMax", 20, reduceAt<yz::ReduceMaxOp, true>, kReduce18); // bool
  r.op("ReduceMin", 1, reduceAt<yz::ReduceMinOp, false>);
  r.op("ReduceMin", 18, reduceAt<yz::ReduceMinOp, true>, kReduce18);
  r.op("ReduceMin", 20, reduceAt<yz::ReduceMinOp, true>, kReduce18); // bool
  r.op("ReduceProd", 1, reduceAt<yz::ReduceProdOp, false>);
  r.op("ReduceProd", 18, reduceAt<yz::ReduceProdOp, true>, kReduce18);
  registerComposedReductions<false>(r, 1);
  registerComposedReductions<true>(r, 18, kReduce18);
  r.op("ArgMax", 1, argReduce<yz::ArgMaxOp>);
  r.op("TopK", 1, topK);
  r.op("ArgMin", 1, argReduce<yz::ArgMinOp>);
  registerAxisOps<true>(r, 1);
  registerAxisOps<false>(r, 13);
  r.op("CumSum", 11, cumSum);
  r.op("NegativeLogLikelihoodLoss", 12, negativeLogLikelihood);
  r.op("SoftmaxCrossEntropyLoss", 12, softmaxCrossEntropy);
  r.op("Dropout", 7, dropout);
}
