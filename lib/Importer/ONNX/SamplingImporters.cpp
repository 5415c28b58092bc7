//===- SamplingImporters.cpp - ONNX GridSample, AffineGrid -> yz ----------===//
//
// Part of Yizhuang. Sampling at positions the model computes:
//
//   GridSample  X [N, C, d1..dr] read at the normalized positions of
//               grid [N, o1..or, r]: each position's taps (1 nearest, 2^r
//               linear, 4^r cubic) are gathered from X flattened to
//               [N, C, d1 x .. x dr] with yz.gather_elements and summed
//               with their weights; the coordinates, taps and weights are
//               elementwise yz ops on the run-time grid, as ONNX's
//               reference computes them (padding applied to the coordinate,
//               then to each tap's index).
//   AffineGrid  the normalized base grid times theta: one batched matmul.
//   DeformConv  a convolution whose taps are sampled at learned offsets:
//               the same bilinear gathers build its im2col columns.
//
//===----------------------------------------------------------------------===//

#include "Formulas.h"
#include "Importer.h"
#include "Window.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

enum class Padding { Zeros, Border, Reflection };

/// Elementwise helpers over f32 tensors of one shape (and scalars).
struct Coords : Formula {
  Value floor(Value a) { return FloorOp::create(ctx.b, ctx.loc, a); }
  Value round(Value a) { return RoundOp::create(ctx.b, ctx.loc, a); }
  Value clamp(Value a, double lo, double hi) {
    return max(min(a, c(hi)), c(lo));
  }
  Value outside(Value a, double lo, double hi) {
    return OrOp::create(ctx.b, ctx.loc, less(a, c(lo)), greater(a, c(hi)));
  }
  /// `a` reflected at lo and hi until inside, as the reference's
  /// _gs_reflect: the distance past the near border folded back, every
  /// other span from the far one.
  Value reflect(Value a, double lo, double hi) {
    double span = hi - lo;
    if (span <= 0) // one position: everything reflects onto it
      return add(mul(a, c(0)), c(lo));
    auto fold = [&](Value distance, double near, double far) {
      Value n = floor(div(distance, c(span)));
      Value r = sub(distance, mul(n, c(span)));
      Value odd = sub(n, mul(c(2), floor(div(n, c(2)))));
      Value even = less(odd, c(0.5));
      return select(even, near < far ? add(c(near), r) : sub(c(near), r),
                    near < far ? sub(c(far), r) : add(c(far), r));
    };
    Value below = fold(sub(c(lo), a), lo, hi);
    Value above = fold(sub(a, c(hi)), hi, lo);
    return select(less(a, c(lo)), below, select(greater(a, c(hi)), above, a));
  }
};

/// Keys' cubic weights (a = -0.75) of the taps at -1, 0, 1, 2 from the
/// floor, for a position `t` in [0, 1) past it.
SmallVector<Value> cubicWeights(Coords &f, Value t) {
  double a = -0.75;
  auto outer = [&](Value s) { // 1 < s < 2
    return f.sub(f.mul(f.add(f.mul(f.sub(f.mul(f.c(a), s), f.c(5 * a)), s),
                             f.c(8 * a)),
                       s),
                 f.c(4 * a));
  };
  auto inner = [&](Value s) { // 0 <= s <= 1
    return f.add(f.mul(f.mul(f.sub(f.mul(f.c(a + 2), s), f.c(a + 3)), s), s),
                 f.c(1));
  };
  Value u = f.sub(f.c(1), t);
  return {outer(f.add(t, f.c(1))), inner(t), inner(u), outer(f.add(u, f.c(1)))};
}

LogicalResult gridSample(NodeContext &ctx) {
  Value x = ctx.input(0), grid = ctx.input(1);
  auto xt = typeOf(x), gt = typeOf(grid);
  int64_t r = xt.getRank() - 2;
  if (r < 1 || !xt.hasStaticShape() || !gt.hasStaticShape())
    return ctx.fail("needs static N x C x d1 x ... input and grid shapes");
  if (ctx.opset < 20 && r != 2)
    return ctx.fail("before opset 20 the input must be 4-D [N, C, H, W]");
  if (gt.getRank() != r + 2 || gt.getDimSize(0) != xt.getDimSize(0) ||
      gt.getDimSize(r + 1) != r)
    return ctx.fail("the grid must be [N, out_1, .., out_r, r] for an input "
                    "of " + std::to_string(r) + " spatial dimensions");
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt) || !isa<FloatType>(gt.getElementType()))
    return ctx.fail("X and the grid must be floats");
  std::string mode = ctx.stringAttr("mode", ctx.opset < 20 ? "bilinear" : "linear");
  // Opset 20 renamed bilinear and bicubic to linear and cubic.
  if (ctx.opset < 20 ? mode == "bilinear" : mode == "linear")
    mode = "linear";
  else if (ctx.opset < 20 ? mode == "bicubic" : mode == "cubic")
    mode = "cubic";
  else if (mode != "nearest")
    return ctx.fail("mode " + mode + " is not one of opset " +
                    std::to_string(ctx.opset) + "'s");
  std::string paddingName = ctx.stringAttr("padding_mode", "zeros");
  Padding padding;
  if (paddingName == "zeros")
    padding = Padding::Zeros;
  else if (paddingName == "border")
    padding = Padding::Border;
  else if (paddingName == "reflection")
    padding = Padding::Reflection;
  else
    return ctx.fail("padding_mode must be zeros, border or reflection");
  int64_t alignCorners = ctx.intAttr("align_corners", 0);
  if (alignCorners != 0 && alignCorners != 1)
    return ctx.fail("align_corners must be 0 or 1");

  OpBuilder &b = ctx.b;
  Type f32 = b.getF32Type();
  int64_t n = xt.getDimSize(0), channels = xt.getDimSize(1);
  SmallVector<int64_t> outShape(gt.getShape().drop_back()); // [N, o1..or]
  int64_t positions = 1, pixels = 1;
  for (int64_t d = 1; d <= r; ++d)
    positions *= outShape[d], pixels *= xt.getDimSize(1 + d);
  if (!gt.getElementType().isF32())
    grid = yz::CastOp::create(b, ctx.loc, gt.clone(f32), grid);
  Coords f{{ctx, f32}};

  // Per spatial dimension k (the grid lists them last first): the
  // coordinate, padded, then its taps' indices and weights.
  struct Tap {
    Value index, weight, valid; // valid: null when always inside
  };
  SmallVector<SmallVector<Tap>> taps(r);
  for (int64_t k = 0; k < r; ++k) {
    int64_t size = xt.getDimSize(2 + k);
    SmallVector<int64_t> starts(r + 2, 0), sizes(gt.getShape()),
        steps(r + 2, 1);
    starts[r + 1] = r - 1 - k, sizes[r + 1] = 1;
    Value g = ctx.reshape(
        yz::SliceOp::create(b, ctx.loc, grid, starts, sizes, steps), outShape);
    Value pos = alignCorners
                    ? f.mul(f.add(g, f.c(1)), f.c((size - 1) / 2.0))
                    : f.div(f.sub(f.mul(f.add(g, f.c(1)), f.c(double(size))),
                                  f.c(1)),
                            f.c(2));
    if (mode == "nearest")
      pos = f.round(pos);
    double lo = alignCorners ? 0 : -0.5, hi = alignCorners ? size - 1 : size - 0.5;
    if (padding == Padding::Border)
      pos = f.select(f.outside(pos, lo, hi), f.clamp(pos, 0, size - 1), pos);
    else if (padding == Padding::Reflection)
      pos = f.reflect(pos, lo, hi);
    Value base = mode == "nearest" ? pos : f.floor(pos);
    SmallVector<Value> weights;
    int64_t first = 0;
    if (mode == "linear") {
      Value t = f.sub(pos, base);
      weights = {f.sub(f.c(1), t), t};
    } else if (mode == "cubic") {
      weights = cubicWeights(f, f.sub(pos, base));
      first = -1;
    } else {
      weights = {Value()};
    }
    for (auto [i, w] : llvm::enumerate(weights)) {
      Value at = f.add(base, f.c(double(first + int64_t(i))));
      Tap tap{at, w, Value()};
      if (padding == Padding::Zeros) {
        tap.valid = f.select(f.outside(at, 0, size - 1), f.c(0), f.c(1));
        tap.index = f.clamp(at, 0, size - 1);
      } else if (padding == Padding::Border) {
        tap.index = f.clamp(at, 0, size - 1);
      } else {
        // Reflected, then truncated toward zero as the reference's int().
        Value reflected = f.reflect(at, lo, hi);
        Value truncated = f.select(f.less(reflected, f.c(0)),
                                   f.sub(f.c(0), f.floor(f.sub(f.c(0), reflected))),
                                   f.floor(reflected));
        tap.index = f.clamp(truncated, 0, size - 1);
      }
      taps[k].push_back(tap);
    }
  }

  // Every combination of one tap per dimension: gather and weigh.
  Value flat = ctx.reshape(x, {n, channels, pixels});
  auto idxType = RankedTensorType::get({n, 1, positions}, b.getI64Type());
  auto wideIdx = RankedTensorType::get({n, channels, positions}, b.getI64Type());
  Value sum;
  SmallVector<size_t> pick(r, 0);
  while (true) {
    Value index, weight, valid;
    int64_t stride = 1;
    for (int64_t k = r - 1; k >= 0; --k) {
      const Tap &t = taps[k][pick[k]];
      Value term = stride == 1 ? t.index : f.mul(t.index, f.c(double(stride)));
      index = index ? f.add(index, term) : term;
      if (t.weight)
        weight = weight ? f.mul(weight, t.weight) : t.weight;
      if (t.valid)
        valid = valid ? f.mul(valid, t.valid) : t.valid;
      stride *= xt.getDimSize(2 + k);
    }
    if (valid)
      weight = weight ? f.mul(weight, valid) : valid;
    // A NaN position (a NaN in the grid) reads element 0, never outside.
    index = f.select(IsNaNOp::create(b, ctx.loc, index), f.c(0), index);
    Value i64 = yz::CastOp::create(
        b, ctx.loc, typeOf(index).clone(b.getI64Type()), index);
    Value wide = yz::BroadcastToOp::create(b, ctx.loc, wideIdx,
                                           ctx.reshape(i64, idxType.getShape()));
    Value value = yz::GatherElementsOp::create(b, ctx.loc, flat, wide, 2);
    if (weight) {
      Value w = ctx.reshape(weight, {n, 1, positions});
      if (elt != f32)
        w = yz::CastOp::create(b, ctx.loc, typeOf(w).clone(elt), w);
      value = yz::MulOp::create(b, ctx.loc, value, w);
    }
    sum = sum ? Value(yz::AddOp::create(b, ctx.loc, sum, value)) : value;
    int64_t k = r - 1;
    while (k >= 0 && ++pick[k] == taps[k].size())
      pick[k--] = 0;
    if (k < 0)
      break;
  }
  SmallVector<int64_t> yShape = {n, channels};
  yShape.append(outShape.begin() + 1, outShape.end());
  ctx.setOutput(0, ctx.reshape(sum, yShape));
  return success();
}

/// AffineGrid (opset 20): for each output position its normalized
/// coordinates (x, y[, z], 1) times theta^T: [N, H x W, 3] x [N, 3, 2].
LogicalResult affineGrid(NodeContext &ctx) {
  Value theta = ctx.input(0);
  auto size = ctx.constantInts(1);
  if (!size)
    return ctx.fail("size must be a constant");
  int64_t r = int64_t(size->size()) - 2;
  if (r != 2 && r != 3)
    return ctx.fail("size must be [N, C, H, W] or [N, C, D, H, W]");
  auto tt = typeOf(theta);
  int64_t n = (*size)[0];
  if (tt.getShape() != ArrayRef<int64_t>{n, r, r + 1} ||
      !isa<FloatType>(tt.getElementType()))
    return ctx.fail("theta must be float [" + std::to_string(n) + ", " +
                    std::to_string(r) + ", " + std::to_string(r + 1) + "]");
  int64_t alignCorners = ctx.intAttr("align_corners", 0);
  if (alignCorners != 0 && alignCorners != 1)
    return ctx.fail("align_corners must be 0 or 1");
  // The normalized coordinate of each index along a dimension of `d`.
  auto coords = [&](int64_t d) {
    std::vector<double> v(d);
    for (int64_t i = 0; i < d; ++i)
      v[i] = alignCorners ? (d == 1 ? 0.0 : -1 + 2.0 * double(i) / double(d - 1))
                          : (2.0 * double(i) + 1) / double(d) - 1;
    return v;
  };
  ArrayRef<int64_t> spatial = ArrayRef<int64_t>(*size).drop_front(2);
  int64_t positions = 1;
  for (int64_t d : spatial)
    positions *= d;
  // Rows (x, y[, z], 1), x along the last dimension.
  std::vector<float> base;
  base.reserve(positions * (r + 1));
  SmallVector<std::vector<double>> axis;
  for (int64_t d : spatial)
    axis.push_back(coords(d));
  for (int64_t p = 0; p < positions; ++p) {
    SmallVector<double> at(r);
    for (int64_t k = r - 1, rest = p; k >= 0; --k) {
      at[k] = axis[k][rest % spatial[k]];
      rest /= spatial[k];
    }
    for (int64_t k = r - 1; k >= 0; --k)
      base.push_back(float(at[k]));
    base.push_back(1.0f);
  }
  OpBuilder &b = ctx.b;
  auto baseType = RankedTensorType::get({1, positions, r + 1}, b.getF32Type());
  Value baseV = yz::ConstantOp::create(
      b, ctx.loc, DenseElementsAttr::get(baseType, ArrayRef<float>(base)));
  Type elt = tt.getElementType();
  if (!elt.isF32())
    baseV = yz::CastOp::create(b, ctx.loc, baseType.clone(elt), baseV);
  Value thetaT =
      yz::TransposeOp::create(b, ctx.loc, theta, ArrayRef<int64_t>{0, 2, 1});
  Value grid = yz::MatmulOp::create(b, ctx.loc, baseV, thetaT);
  SmallVector<int64_t> shape = {n};
  shape.append(spatial.begin(), spatial.end());
  shape.push_back(r);
  ctx.setOutput(0, ctx.reshape(grid, shape));
  return success();
}

/// DeformConv (opset 19, 2-D): a convolution whose kernel taps are read at
/// learned offsets. Every tap k of every output position p reads the input
/// at (p x stride - pad + k x dilation + offset) by bilinear interpolation
/// (zeros outside), times the mask if given: the columns [N, C x K, P] of
/// an im2col, gathered from the flattened input per offset group, then one
/// batched matmul per group by the weights [group, M / group, C / group x K].
LogicalResult deformConv(NodeContext &ctx) {
  Value x = ctx.input(0), w = ctx.input(1), offset = ctx.input(2);
  Value bias = ctx.input(3), mask = ctx.input(4);
  auto xt = typeOf(x), wt = typeOf(w);
  if (xt.getRank() != 4 || !xt.hasStaticShape() || !wt.hasStaticShape() ||
      wt.getRank() != 4)
    return ctx.fail("needs a static 2-D (N x C x H x W) input and weights");
  Type elt = xt.getElementType();
  if (!elt.isF32() || wt.getElementType() != elt ||
      typeOf(offset).getElementType() != elt)
    return ctx.fail("needs f32 input, weights and offsets");
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1), h = xt.getDimSize(2),
          wd = xt.getDimSize(3);
  int64_t m = wt.getDimSize(0), kh = wt.getDimSize(2), kw = wt.getDimSize(3);
  int64_t groups = ctx.intAttr("group", 1);
  int64_t offsetGroups = ctx.intAttr("offset_group", 1);
  if (groups < 1 || c % groups || m % groups || wt.getDimSize(1) != c / groups)
    return ctx.fail("the weights must be [M, C / group, kH, kW] with C and M "
                    "divisible by group");
  if (offsetGroups < 1 || c % offsetGroups)
    return ctx.fail("offset_group must divide the channels");
  if (auto kernel = ctx.intsAttr("kernel_shape");
      kernel && *kernel != std::vector<int64_t>{kh, kw})
    return ctx.fail("kernel_shape differs from the weights'");
  auto win = readWindow(ctx, xt, {kh, kw});
  if (failed(win))
    return failure();
  int64_t sh = win->strides[0], sw = win->strides[1];
  int64_t dh = win->dilations[0], dw = win->dilations[1];
  int64_t top = win->begin(0), left = win->begin(1);
  int64_t spanH = h + top + win->end(0) - ((kh - 1) * dh + 1);
  int64_t spanW = wd + left + win->end(1) - ((kw - 1) * dw + 1);
  if (spanH < 0 || spanW < 0)
    return ctx.fail("the window does not fit the padded input");
  int64_t oh = spanH / sh + 1, ow = spanW / sw + 1;
  int64_t k = kh * kw, p = oh * ow, g = offsetGroups, cg = c / g;
  if (typeOf(offset).getShape() != ArrayRef<int64_t>{n, g * k * 2, oh, ow})
    return ctx.fail("offset must be [" + std::to_string(n) + ", " +
                    std::to_string(g * k * 2) + ", " + std::to_string(oh) +
                    ", " + std::to_string(ow) + "]");
  if (mask && typeOf(mask).getShape() != ArrayRef<int64_t>{n, g * k, oh, ow})
    return ctx.fail("mask must be [" + std::to_string(n) + ", " +
                    std::to_string(g * k) + ", " + std::to_string(oh) + ", " +
                    std::to_string(ow) + "]");
  OpBuilder &b = ctx.b;
  Coords f{{ctx, elt}};
  // Offsets as [N, G, K, 2, P]: (dy, dx) per group and tap.
  Value off = ctx.reshape(offset, {n, g, k, 2, p});
  auto part = [&](int64_t which) {
    return ctx.reshape(yz::SliceOp::create(
                           b, ctx.loc, off, ArrayRef<int64_t>{0, 0, 0, which, 0},
                           ArrayRef<int64_t>{n, g, k, 1, p},
                           ArrayRef<int64_t>{1, 1, 1, 1, 1}),
                       {n, g, k, p});
  };
  // The undeformed position of each tap and output: [1, 1, K, P].
  std::vector<float> baseY, baseX;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          baseY.push_back(float(y * sh - top + i * dh));
          baseX.push_back(float(xo * sw - left + j * dw));
        }
  auto table = [&](std::vector<float> &v) {
    auto type = RankedTensorType::get({1, 1, k, p}, elt);
    return yz::ConstantOp::create(b, ctx.loc,
                                  DenseElementsAttr::get(type, ArrayRef<float>(v)))
        .getResult();
  };
  Value py = f.add(part(0), table(baseY)), px = f.add(part(1), table(baseX));
  Value y0 = f.floor(py), x0 = f.floor(px);
  Value ty = f.sub(py, y0), tx = f.sub(px, x0);
  Value flat = ctx.reshape(x, {n, g, cg, h * wd});
  auto wide = RankedTensorType::get({n, g, cg, k * p}, b.getI64Type());
  Value sampled;
  for (int64_t dy = 0; dy < 2; ++dy)
    for (int64_t dx = 0; dx < 2; ++dx) {
      Value yy = f.add(y0, f.c(double(dy))), xx = f.add(x0, f.c(double(dx)));
      Value weight = f.mul(dy ? ty : f.sub(f.c(1), ty), dx ? tx : f.sub(f.c(1), tx));
      // Zero outside the input (and for a NaN offset).
      Value inside = f.select(
          OrOp::create(b, ctx.loc, f.outside(yy, 0, h - 1), f.outside(xx, 0, wd - 1)),
          f.c(0), f.c(1));
      weight = f.mul(weight, inside);
      Value index = f.add(f.mul(f.clamp(yy, 0, h - 1), f.c(double(wd))),
                          f.clamp(xx, 0, wd - 1));
      index = f.select(IsNaNOp::create(b, ctx.loc, index), f.c(0), index);
      Value i64 = yz::CastOp::create(
          b, ctx.loc, typeOf(index).clone(b.getI64Type()), index);
      Value idx = yz::BroadcastToOp::create(b, ctx.loc, wide,
                                            ctx.reshape(i64, {n, g, 1, k * p}));
      Value v = yz::GatherElementsOp::create(b, ctx.loc, flat, idx, 3);
      weight = f.select(IsNaNOp::create(b, ctx.loc, weight), f.c(0), weight);
      v = yz::MulOp::create(b, ctx.loc, v, ctx.reshape(weight, {n, g, 1, k * p}));
      sampled = sampled ? Value(yz::AddOp::create(b, ctx.loc, sampled, v)) : v;
    }
  if (mask)
    sampled = yz::MulOp::create(b, ctx.loc, sampled,
                                ctx.reshape(mask, {n, g, 1, k * p}));
  // Columns [N, group, C / group x K, P] against weights [group, M / group,
  // C / group x K].
  Value cols = ctx.reshape(sampled, {n, groups, (c / groups) * k, p});
  Value weights = ctx.reshape(w, {groups, m / groups, (c / groups) * k});
  auto out = ctx.create<yz::MatmulOp>(weights, cols, Value(), FloatAttr(),
                                      FloatAttr());
  if (failed(out))
    return failure();
  Value y = ctx.reshape(*out, {n, m, oh, ow});
  if (bias) {
    if (typeOf(bias).getShape() != ArrayRef<int64_t>{m})
      return ctx.fail("B must be [" + std::to_string(m) + "]");
    y = yz::AddOp::create(b, ctx.loc, y, ctx.reshape(bias, {1, m, 1, 1}));
  }
  ctx.setOutput(0, y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerSamplingImporters(Registry &r) {
  r.op("DeformConv", 19, deformConv,
       {{3, 5, 1, 1,
         "dilations:ints group:i kernel_shape:ints offset_group:i pads:ints "
         "strides:ints"}});
  r.op("GridSample", 16, gridSample);
  r.op("GridSample", 20, gridSample,
       {{2, 2, 1, 1, "align_corners:i mode:s padding_mode:s"}});
  r.op("AffineGrid", 20, affineGrid, {{2, 2, 1, 1, "align_corners:i"}});
}
