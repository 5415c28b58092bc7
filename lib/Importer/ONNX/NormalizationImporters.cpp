//===- NormalizationImporters.cpp - ONNX normalizations -> yz -------------===//
//
// Part of Yizhuang. BatchNormalization, LayerNormalization,
// InstanceNormalization, MeanVarianceNormalization, LpNormalization and
// LRN. LayerNormalization is yz.layer_norm, and InstanceNormalization too
// (over the spatial dimensions, its per-channel scale broadcast); the others
// are compositions of elementwise ops and reductions. Inference-mode batch
// norm over constant statistics is one multiply-add per channel, which
// yz-graph-opt folds into the convolution before it.
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

/// A per-channel constant shaped [1, C, 1, ...] for a rank-`rank` input.
Value channelConstant(NodeContext &ctx, ArrayRef<float> values, int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = int64_t(values.size());
  auto type = RankedTensorType::get(shape, ctx.b.getF32Type());
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, values));
}

/// A per-channel [C] input reshaped to [1, C, 1, ...] and cast to `elt`.
FailureOr<Value> perChannel(NodeContext &ctx, Value v, int64_t c, int64_t rank,
                            Type elt) {
  auto t = typeOf(v);
  if (t.getRank() != 1 || t.getDimSize(0) != c)
    return ctx.fail("scale, bias, mean and var must be [" + std::to_string(c) +
                    "], got one of rank " + std::to_string(t.getRank()));
  auto converted = ctx.convert(v, elt);
  if (failed(converted))
    return failure();
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = c;
  return ctx.reshape(*converted, shape);
}

/// (x - mean) / sqrt(var + eps) with mean and var over `axes` (kept).
/// Returns {normalized, mean, var}.
std::array<Value, 3> standardize(NodeContext &ctx, Value x,
                                 ArrayRef<int64_t> axes, Value eps) {
  OpBuilder &b = ctx.b;
  Value mean = yz::ReduceMeanOp::create(b, ctx.loc, x, axes, true);
  Value d = yz::SubOp::create(b, ctx.loc, x, mean);
  Value var = yz::ReduceMeanOp::create(
      b, ctx.loc, yz::MulOp::create(b, ctx.loc, d, d), axes, true);
  Value sd = yz::SqrtOp::create(b, ctx.loc,
                                yz::AddOp::create(b, ctx.loc, var, eps));
  return {yz::DivOp::create(b, ctx.loc, d, sd), mean, var};
}

LogicalResult batchNorm(NodeContext &ctx) {
  int64_t training = ctx.intAttr("training_mode", 0);
  if (training != 0 && training != 1)
    return ctx.fail("training_mode must be 0 or 1");
  if (ctx.intAttr("spatial", 1) != 1)
    return ctx.fail("spatial = 0 is not supported");
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  int64_t rank = xt.getRank();
  if (rank < 2 || ShapedType::isDynamic(xt.getDimSize(1)))
    return ctx.fail("needs an N x C x ... input with a static C");
  int64_t c = xt.getDimSize(1);
  Type elt = xt.getElementType();
  float eps = ctx.floatAttr("epsilon", 1e-5f);
  float momentum = ctx.floatAttr("momentum", 0.9f);
  // Before opset 14, the outputs past Y are training's (and need it).
  if (ctx.opset < 14)
    for (size_t i = 1; i < 5; ++i)
      if (ctx.wantsOutput(i))
        return ctx.fail("the mean and variance outputs are training outputs; "
                        "only inference is supported before opset 14");

  auto scale = ctx.constantFloats(1), bias = ctx.constantFloats(2),
       mean = ctx.constantFloats(3), var = ctx.constantFloats(4);
  if (!training && scale && bias && mean && var && elt.isF32()) {
    if (scale->size() != size_t(c) || bias->size() != size_t(c) ||
        mean->size() != size_t(c) || var->size() != size_t(c))
      return ctx.fail("scale, B, mean and var must have C = " +
                      std::to_string(c) + " values");
    // y = x * a + b with a = scale / sqrt(var + eps), b = B - mean * a.
    std::vector<float> a(c), b(c);
    for (int64_t i = 0; i < c; ++i) {
      a[i] = float((*scale)[i] / std::sqrt((*var)[i] + eps));
      b[i] = float((*bias)[i] - (*mean)[i] * a[i]);
    }
    Value y = yz::MulOp::create(ctx.b, ctx.loc, x, channelConstant(ctx, a, rank));
    ctx.setOutput(0, yz::AddOp::create(ctx.b, ctx.loc, y,
                                       channelConstant(ctx, b, rank)));
    return success();
  }
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  SmallVector<Value, 4> p;
  for (size_t i = 1; i < 5; ++i) {
    auto v = perChannel(ctx, ctx.input(i), c, rank, elt);
    if (failed(v))
      return failure();
    p.push_back(*v);
  }
  Value epsV = ctx.scalar(elt, eps);
  OpBuilder &b = ctx.b;
  Value normalized;
  if (training) {
    // Batch statistics over every axis but C; the running ones move
    // towards them by 1 - momentum.
    SmallVector<int64_t> axes = {0};
    for (int64_t d = 2; d < rank; ++d)
      axes.push_back(d);
    auto [n, batchMean, batchVar] = standardize(ctx, x, axes, epsV);
    normalized = n;
    auto running = [&](Value old, Value now, size_t out) {
      Value m = ctx.scalar(elt, momentum), rest = ctx.scalar(elt, 1 - momentum);
      Value v = yz::AddOp::create(b, ctx.loc, yz::MulOp::create(b, ctx.loc, old, m),
                                  yz::MulOp::create(b, ctx.loc, now, rest));
      ctx.setOutput(out, ctx.reshape(v, {c}));
    };
    if (ctx.wantsOutput(1))
      running(p[2], batchMean, 1);
    if (ctx.wantsOutput(2))
      running(p[3], batchVar, 2);
  } else {
    Value sd = yz::SqrtOp::create(b, ctx.loc,
                                  yz::AddOp::create(b, ctx.loc, p[3], epsV));
    normalized = yz::DivOp::create(b, ctx.loc,
                                   yz::SubOp::create(b, ctx.loc, x, p[2]), sd);
    // Inference passes the statistics through.
    if (ctx.wantsOutput(1))
      ctx.setOutput(1, ctx.input(3));
    if (ctx.wantsOutput(2))
      ctx.setOutput(2, ctx.input(4));
  }
  Value y = yz::AddOp::create(b, ctx.loc,
                              yz::MulOp::create(b, ctx.loc, normalized, p[0]),
                              p[1]);
  ctx.setOutput(0, y);
  return success();
}

/// The float type stash_type (opsets 17, 21, 23) names: the precision of
/// the statistics.
FailureOr<Type> stashType(NodeContext &ctx) {
  Type stash = ctx.graph.elementType(int32_t(ctx.intAttr("stash_type", 1)));
  if (!stash || !isa<FloatType>(stash))
    return ctx.fail("stash_type must be a float type");
  return stash;
}

LogicalResult layerNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank(), axis = ctx.intAttr("axis", -1);
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis is out of range");
  float eps = ctx.floatAttr("epsilon", 1e-5f);
  // stash_type is the precision of the statistics (default f32): an input
  // of another type is computed in it and converted back.
  auto stashOr = stashType(ctx);
  if (failed(stashOr))
    return failure();
  Type stash = *stashOr;
  Type elt = typeOf(x).getElementType();
  auto convert = [&](Value v, Type to) -> FailureOr<Value> {
    return v ? ctx.convert(v, to) : FailureOr<Value>(v);
  };
  auto xs = convert(x, stash), scale = convert(ctx.input(1), stash),
       bias = convert(ctx.input(2), stash);
  if (failed(xs) || failed(scale) || failed(bias))
    return failure();
  x = *xs;
  auto y = ctx.create<yz::LayerNormOp>(x, *scale, *bias,
                                       ctx.b.getI64IntegerAttr(axis),
                                       ctx.b.getF32FloatAttr(eps));
  if (failed(y))
    return failure();
  auto yOut = convert(*y, elt);
  if (failed(yOut))
    return failure();
  ctx.setOutput(0, *yOut);
  // The statistics, kept for the normalized axes (ONNX's Mean, InvStdDev),
  // in the stash type.
  if (ctx.wantsOutput(1) || ctx.wantsOutput(2)) {
    SmallVector<int64_t> axes;
    for (int64_t d = axis; d < rank; ++d)
      axes.push_back(d);
    Value mean = yz::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true);
    Value d = yz::SubOp::create(ctx.b, ctx.loc, x, mean);
    Value var = yz::ReduceMeanOp::create(
        ctx.b, ctx.loc, yz::MulOp::create(ctx.b, ctx.loc, d, d), axes, true);
    Value inv = yz::ReciprocalOp::create(
        ctx.b, ctx.loc,
        yz::SqrtOp::create(ctx.b, ctx.loc,
                           yz::AddOp::create(ctx.b, ctx.loc, var,
                                             ctx.scalar(stash, eps))));
    if (ctx.wantsOutput(1))
      ctx.setOutput(1, mean);
    if (ctx.wantsOutput(2))
      ctx.setOutput(2, inv);
  }
  return success();
}

/// GroupNormalization: the channels in num_groups groups, each normalized
/// over its channels and the spatial dimensions - a layer norm of the
/// [N, G, C/G, S] view from dimension 2. Opset 18 scales per group, opset
/// 21 per channel; both broadcast in that view.
LogicalResult groupNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (xt.getRank() < 2 || !xt.hasStaticShape())
    return ctx.fail("needs a static N x C x ... input");
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t g = ctx.intAttr("num_groups", 0);
  if (g < 1 || c % g != 0)
    return ctx.fail("num_groups (" + std::to_string(g) +
                    ") must be positive and divide the channels (" +
                    std::to_string(c) + ")");
  bool perChannel = ctx.opset >= 21;
  int64_t params = perChannel ? c : g;
  for (size_t i = 1; i < 3; ++i)
    if (typeOf(ctx.input(i)).getShape() != ArrayRef<int64_t>{params})
      return ctx.fail(std::string("scale and bias must be [") +
                      std::to_string(params) + "] (one per " +
                      (perChannel ? "channel" : "group") + ")");
  auto stash = stashType(ctx);
  if (failed(stash))
    return failure();
  Type elt = xt.getElementType();
  SmallVector<int64_t> paramShape = {g, perChannel ? c / g : 1, 1};
  auto xs = ctx.convert(ctx.reshape(x, {n, g, c / g, xt.getNumElements() / (n * c)}), *stash);
  auto scale = ctx.convert(ctx.reshape(ctx.input(1), paramShape), *stash);
  auto bias = ctx.convert(ctx.reshape(ctx.input(2), paramShape), *stash);
  if (failed(xs) || failed(scale) || failed(bias))
    return failure();
  auto y = ctx.create<yz::LayerNormOp>(
      *xs, *scale, *bias, ctx.b.getI64IntegerAttr(2),
      ctx.b.getF32FloatAttr(ctx.floatAttr("epsilon", 1e-5f)));
  if (failed(y))
    return failure();
  auto out = ctx.convert(ctx.reshape(*y, xt.getShape()), elt);
  if (failed(out))
    return failure();
  ctx.setOutput(0, *out);
  return success();
}

/// RMSNormalization (opset 23): x / sqrt(mean(x^2) + epsilon) x scale,
/// the mean over the dimensions from `axis` on, in stash_type.
LogicalResult rmsNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  int64_t rank = xt.getRank(), axis = ctx.intAttr("axis", -1);
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis is out of range");
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  auto stash = stashType(ctx);
  if (failed(stash))
    return failure();
  auto xs = ctx.convert(x, *stash);
  if (failed(xs))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  OpBuilder &b = ctx.b;
  Value meanSquare = yz::ReduceMeanOp::create(
      b, ctx.loc, yz::MulOp::create(b, ctx.loc, *xs, *xs), axes, true);
  Value rms = yz::SqrtOp::create(
      b, ctx.loc,
      yz::AddOp::create(b, ctx.loc, meanSquare,
                        ctx.scalar(*stash, ctx.floatAttr("epsilon", 1e-5f))));
  auto normalized =
      ctx.convert(yz::DivOp::create(b, ctx.loc, *xs, rms), elt);
  if (failed(normalized))
    return failure();
  // The scale broadcasts to the normalized dimensions.
  auto y = ctx.create<yz::MulOp>(*normalized, ctx.input(1));
  if (failed(y))
    return failure();
  if (typeOf(*y) != xt)
    return ctx.fail("scale does not broadcast to the input's shape");
  ctx.setOutput(0, *y);
  return success();
}

/// InstanceNormalization: a layer norm over the spatial dimensions whose
/// scale and bias are per channel ([C, 1, ...] broadcasts to them).
LogicalResult instanceNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (xt.getRank() < 3 || ShapedType::isDynamic(xt.getDimSize(1)))
    return ctx.fail("needs an N x C x D1 x ... input with a static C");
  int64_t c = xt.getDimSize(1);
  SmallVector<int64_t> shape(xt.getRank() - 1, 1);
  shape[0] = c;
  for (size_t i = 1; i < 3; ++i)
    if (typeOf(ctx.input(i)).getRank() != 1 ||
        typeOf(ctx.input(i)).getDimSize(0) != c)
      return ctx.fail("scale and B must be [" + std::to_string(c) + "]");
  auto y = ctx.create<yz::LayerNormOp>(
      x, ctx.reshape(ctx.input(1), shape), ctx.reshape(ctx.input(2), shape),
      ctx.b.getI64IntegerAttr(2),
      ctx.b.getF32FloatAttr(ctx.floatAttr("epsilon", 1e-5f)));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// MeanVarianceNormalization: (x - mean) / (sqrt(var) + 1e-9) over `axes`,
/// as ONNX's function body defines it.
LogicalResult meanVarianceNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  int64_t rank = xt.getRank();
  std::vector<int64_t> given =
      ctx.intsAttr("axes").value_or(std::vector<int64_t>{0, 2, 3});
  SmallVector<int64_t> axes;
  for (int64_t a : given) {
    if (!normalizeAxis(a, rank))
      return ctx.fail("axis " + std::to_string(a) + " is out of range");
    axes.push_back(a);
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  auto mean = ctx.create<yz::ReduceMeanOp>(x, axes, true);
  if (failed(mean))
    return failure();
  OpBuilder &b = ctx.b;
  Value d = yz::SubOp::create(b, ctx.loc, x, *mean);
  Value var = yz::ReduceMeanOp::create(
      b, ctx.loc, yz::MulOp::create(b, ctx.loc, d, d), axes, true);
  Value sd = yz::AddOp::create(b, ctx.loc, yz::SqrtOp::create(b, ctx.loc, var),
                               ctx.scalar(elt, 1e-9));
  ctx.setOutput(0, yz::DivOp::create(b, ctx.loc, d, sd));
  return success();
}

/// LpNormalization: x / ||x||_p along `axis` (p is 1 or 2).
LogicalResult lpNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t axis = ctx.intAttr("axis", -1), p = ctx.intAttr("p", 2);
  if (!normalizeAxis(axis, typeOf(x).getRank()))
    return ctx.fail("axis is out of range");
  if (p != 1 && p != 2)
    return ctx.fail("p must be 1 or 2, got " + std::to_string(p));
  if (!isa<FloatType>(typeOf(x).getElementType()))
    return ctx.fail("needs a float input");
  OpBuilder &b = ctx.b;
  Value terms = p == 1 ? Value(yz::AbsOp::create(b, ctx.loc, x))
                       : Value(yz::MulOp::create(b, ctx.loc, x, x));
  Value norm = yz::ReduceSumOp::create(b, ctx.loc, terms,
                                       ArrayRef<int64_t>{axis}, true);
  if (p == 2)
    norm = yz::SqrtOp::create(b, ctx.loc, norm);
  ctx.setOutput(0, yz::DivOp::create(b, ctx.loc, x, norm));
  return success();
}

/// LRN: x / (bias + alpha / size * sum of x^2 over `size` channels around
/// each)^beta. The channel sum is an average pooling, padding included,
/// over a [N, 1, C, H x W] view, times size.
LogicalResult lrn(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (xt.getRank() < 3 || !xt.hasStaticShape())
    return ctx.fail("needs a static N x C x D1 x ... input");
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt))
    return ctx.fail("needs a float input");
  int64_t size = ctx.intAttr("size", 0);
  if (size < 1)
    return ctx.fail("size must be positive");
  float alpha = ctx.floatAttr("alpha", 1e-4f), beta = ctx.floatAttr("beta", 0.75f),
        bias = ctx.floatAttr("bias", 1.0f);
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t rest = xt.getNumElements() / std::max<int64_t>(n * c, 1);
  OpBuilder &b = ctx.b;
  Value sq = ctx.reshape(yz::MulOp::create(b, ctx.loc, x, x), {n, 1, c, rest});
  auto avg = ctx.create<yz::AvgPool2DOp>(
      sq, ArrayRef<int64_t>{size, 1}, ArrayRef<int64_t>{1, 1},
      ArrayRef<int64_t>{(size - 1) / 2, 0, size / 2, 0}, true,
      ArrayRef<int64_t>{1, 1}, false);
  if (failed(avg))
    return failure();
  // avg * size * alpha / size = avg * alpha.
  Value base = yz::AddOp::create(
      b, ctx.loc, ctx.scalar(elt, bias),
      yz::MulOp::create(b, ctx.loc, ctx.reshape(*avg, xt.getShape()),
                        ctx.scalar(elt, alpha)));
  Value denom = yz::PowOp::create(b, ctx.loc, base, ctx.scalar(elt, beta));
  ctx.setOutput(0, yz::DivOp::create(b, ctx.loc, x, denom));
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerNormalizationImporters(Registry &r) {
  r.op("BatchNormalization", 7, batchNorm);
  r.op("LayerNormalization", 17, layerNorm);
  r.op("GroupNormalization", 18, groupNorm,
       {{3, 3, 1, 1, "epsilon:f !num_groups:i"}});
  r.op("GroupNormalization", 21, groupNorm,
       {{3, 3, 1, 1, "epsilon:f !num_groups:i stash_type:i"}});
  r.op("RMSNormalization", 23, rmsNorm,
       {{2, 2, 1, 1, "axis:i epsilon:f stash_type:i"}});
  r.op("InstanceNormalization", 6, instanceNorm);
  r.op("MeanVarianceNormalization", 9, meanVarianceNorm);
  r.op("LpNormalization", 1, lpNorm);
  r.op("LRN", 1, lrn);
}
