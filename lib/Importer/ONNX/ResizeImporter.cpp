//===- ResizeImporter.cpp - ONNX Resize -> yz gathers and weighted sums ---===//
//
// Part of Yizhuang. Resize (and Upsample, which the version converter turns
// into Resize) is separable: the result is a 1-D resampling of each axis in
// turn, as ONNX's reference computes it. With static shapes and constant
// scales, every output position of an axis reads T input positions (1 for
// nearest, 2 for linear, 4 for cubic) with fixed weights, so an axis is
//
//   gather(x, indices[O x T]) -> [.., O, T, ..], times weights[O, T],
//   summed over T (nearest: the gather alone).
//
// The tables are computed here, in double, exactly as the reference
// (onnx/backend/test/case/node/resize.py) does: coordinate transformation,
// neighbours from an edge-padded axis, coefficients, exclude_outside and
// tf_crop_and_resize's extrapolation.
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

struct ResizeSpec {
  std::string mode, transform, nearestMode;
  double cubicA, extrapolation;
  bool excludeOutside, antialias;
};

/// One axis's tables: out[o] = sum_t weight[o][t] * in[index[o][t]], or
/// the extrapolation value where `outside[o]`.
struct AxisTable {
  std::vector<int64_t> index;
  std::vector<double> weight;
  std::vector<bool> outside;
  int64_t taps = 0;
};

/// Keys' cubic kernel at distance x.
double cubicKernel(double a, double x) {
  x = std::abs(x);
  if (x <= 1)
    return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2)
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/// The taps of an axis downscaled by `scale` with antialias (opset 18):
/// the linear or cubic kernel stretched by 1 / scale.
int64_t antialiasTaps(const ResizeSpec &s, double scale) {
  double reach = s.mode == "cubic" ? 2 : 1;
  int64_t start = int64_t(std::floor(-reach / std::min(scale, 1.0))) + 1;
  return 2 - 2 * start;
}

/// The weights of the taps around a position `ratio` past the tap before
/// it, the kernel stretched by 1 / scale and normalized (antialias).
std::vector<double> antialiasCoefficients(const ResizeSpec &s, double ratio,
                                          double scale) {
  scale = std::min(scale, 1.0);
  int64_t taps = antialiasTaps(s, scale), start = 1 - taps / 2;
  std::vector<double> c;
  double sum = 0;
  for (int64_t i = start; i < start + taps; ++i) {
    double x = (double(i) - ratio) * scale;
    c.push_back(s.mode == "cubic" ? cubicKernel(s.cubicA, x)
                                  : std::clamp(1 - std::abs(x), 0.0, 1.0));
    sum += c.back();
  }
  for (double &v : c)
    v /= sum;
  return c;
}

std::vector<double> coefficients(const ResizeSpec &s, double ratio) {
  if (s.mode == "nearest") {
    if (ratio == std::floor(ratio))
      return {0, 1};
    if (s.nearestMode == "round_prefer_floor")
      return {double(ratio <= 0.5), double(ratio > 0.5)};
    if (s.nearestMode == "round_prefer_ceil")
      return {double(ratio < 0.5), double(ratio >= 0.5)};
    if (s.nearestMode == "floor")
      return {1, 0};
    return {0, 1}; // ceil
  }
  if (s.mode == "linear")
    return {1 - ratio, ratio};
  double a = s.cubicA, r = ratio, q = 1 - ratio;
  return {cubicKernel(a, r + 1), cubicKernel(a, r), cubicKernel(a, q),
          cubicKernel(a, q + 1)};
}

/// The table of an axis of `in` elements resized to `out` by `scale`
/// (roiStart and roiEnd for tf_crop_and_resize).
AxisTable axisTable(const ResizeSpec &s, int64_t in, int64_t out, double scale,
                    double roiStart, double roiEnd) {
  AxisTable t;
  bool antialias = s.antialias && s.mode != "nearest";
  t.taps = antialias ? antialiasTaps(s, scale) : s.mode == "cubic" ? 4 : 2;
  // The reference's output width is scale x input, not the rounded size.
  double width = scale * double(in);
  for (int64_t o = 0; o < out; ++o) {
    double x = double(o), orig;
    bool outside = false;
    if (s.transform == "align_corners") {
      orig = width == 1 ? 0 : x * double(in - 1) / (width - 1);
    } else if (s.transform == "asymmetric") {
      orig = x / scale;
    } else if (s.transform == "tf_crop_and_resize") {
      orig = width == 1 ? (roiEnd - roiStart) * double(in - 1) / 2
                        : x * (roiEnd - roiStart) * double(in - 1) / (width - 1);
      orig += roiStart * double(in - 1);
      outside = orig < 0 || orig > double(in - 1);
    } else if (s.transform == "half_pixel_symmetric") {
      // half_pixel, the rounded output centred on the unrounded one.
      double center = double(in) / 2;
      orig = center * (1 - double(out) / width) + (x + 0.5) / scale - 0.5;
    } else if (s.transform == "pytorch_half_pixel") {
      orig = width == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    } else { // half_pixel
      orig = (x + 0.5) / scale - 0.5;
    }
    t.outside.push_back(outside);
    if (outside) {
      t.index.insert(t.index.end(), t.taps, 0);
      t.weight.insert(t.weight.end(), t.taps, 0.0);
      continue;
    }
    double ratio = orig == std::floor(orig) ? 1 : orig - std::floor(orig);
    std::vector<double> c = antialias
                                ? antialiasCoefficients(s, ratio, scale)
                                : coefficients(s, ratio);
    // The taps nearest `orig` among [-pad, in + pad), ties to the smaller,
    // in ascending order; read from the edge-padded axis.
    int64_t pad = (t.taps + 1) / 2;
    std::vector<int64_t> cand;
    for (int64_t i = -pad; i < in + pad; ++i)
      cand.push_back(i);
    std::stable_sort(cand.begin(), cand.end(), [&](int64_t a, int64_t b) {
      return std::abs(orig - double(a)) < std::abs(orig - double(b));
    });
    cand.resize(t.taps);
    std::sort(cand.begin(), cand.end());
    if (s.excludeOutside) {
      double sum = 0;
      for (int64_t k = 0; k < t.taps; ++k) {
        if (cand[k] < 0 || cand[k] >= in)
          c[k] = 0;
        sum += c[k];
      }
      for (double &v : c)
        v /= sum;
    }
    for (int64_t k = 0; k < t.taps; ++k) {
      t.index.push_back(std::clamp<int64_t>(cand[k], 0, in - 1));
      t.weight.push_back(c[k]);
    }
  }
  return t;
}

/// Whether the table copies its axis unchanged.
bool isIdentity(const AxisTable &t, int64_t in, int64_t out) {
  if (in != out)
    return false;
  for (int64_t o = 0; o < out; ++o) {
    if (t.outside[o])
      return false;
    for (int64_t k = 0; k < t.taps; ++k) {
      double w = t.weight[o * t.taps + k];
      if (w != 0 && (w != 1 || t.index[o * t.taps + k] != o))
        return false;
    }
  }
  return true;
}

Value i64Constant(NodeContext &ctx, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())},
                                    ctx.b.getI64Type());
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, values));
}

/// `x` resampled along `axis` by table `t`.
FailureOr<Value> resampleAxis(NodeContext &ctx, Value x, int64_t axis,
                              const AxisTable &t, const ResizeSpec &s) {
  auto xt = typeOf(x);
  int64_t out = int64_t(t.outside.size()), rank = xt.getRank();
  bool anyOutside = llvm::is_contained(t.outside, true);
  if (s.mode == "nearest" && !anyOutside) {
    // One tap weighs 1: gather it alone.
    std::vector<int64_t> picked;
    for (int64_t o = 0; o < out; ++o)
      for (int64_t k = 0; k < t.taps; ++k)
        if (t.weight[o * t.taps + k] != 0) {
          picked.push_back(t.index[o * t.taps + k]);
          break;
        }
    if (int64_t(picked.size()) != out)
      return ctx.fail("a nearest output position has no input to read");
    return ctx.create<yz::GatherOp>(x, i64Constant(ctx, picked), axis);
  }
  Type elt = xt.getElementType();
  auto g = ctx.create<yz::GatherOp>(x, i64Constant(ctx, t.index), axis);
  if (failed(g))
    return failure();
  SmallVector<int64_t> split(xt.getShape());
  split[axis] = out;
  split.insert(split.begin() + axis + 1, t.taps);
  // Weights [O, T, 1, ...] broadcast over the dimensions after the axis.
  SmallVector<int64_t> wshape = {out, t.taps};
  wshape.append(rank - axis - 1, 1);
  auto wtype = RankedTensorType::get(wshape, elt);
  SmallVector<APFloat> w;
  for (double v : t.weight) {
    APFloat f(v);
    bool lost;
    f.convert(cast<FloatType>(elt).getFloatSemantics(),
              APFloat::rmNearestTiesToEven, &lost);
    w.push_back(f);
  }
  Value weights = yz::ConstantOp::create(ctx.b, ctx.loc,
                                         DenseElementsAttr::get(wtype, w));
  Value products =
      yz::MulOp::create(ctx.b, ctx.loc, ctx.reshape(*g, split), weights);
  Value y = yz::ReduceSumOp::create(ctx.b, ctx.loc, products,
                                    ArrayRef<int64_t>{axis + 1}, false);
  if (anyOutside) {
    SmallVector<int64_t> eshape = {out};
    eshape.append(rank - axis - 1, 1);
    SmallVector<APFloat> e;
    for (bool o : t.outside) {
      APFloat f(o ? s.extrapolation : 0.0);
      bool lost;
      f.convert(cast<FloatType>(elt).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lost);
      e.push_back(f);
    }
    y = yz::AddOp::create(
        ctx.b, ctx.loc, y,
        yz::ConstantOp::create(
            ctx.b, ctx.loc,
            DenseElementsAttr::get(RankedTensorType::get(eshape, elt), e)));
  }
  return y;
}

LogicalResult resize(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  int64_t rank = xt.getRank();
  if (!xt.hasStaticShape())
    return ctx.fail("needs a static input shape");
  ResizeSpec s;
  s.mode = ctx.stringAttr("mode", "nearest");
  s.transform = ctx.stringAttr("coordinate_transformation_mode", "half_pixel");
  s.nearestMode = ctx.stringAttr("nearest_mode", "round_prefer_floor");
  s.cubicA = ctx.floatAttr("cubic_coeff_a", -0.75f);
  s.excludeOutside = ctx.intAttr("exclude_outside", 0) != 0;
  s.extrapolation = ctx.floatAttr("extrapolation_value", 0.0f);
  s.antialias = ctx.intAttr("antialias", 0) != 0;
  std::string policy = ctx.stringAttr("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return ctx.fail("keep_aspect_ratio_policy must be stretch, not_larger or "
                    "not_smaller, got " + policy);
  // The axes scales, sizes and roi list (opset 18); all by default.
  std::vector<int64_t> axes;
  if (auto given = ctx.intsAttr("axes")) {
    llvm::SmallSet<int64_t, 4> seen;
    for (int64_t a : *given) {
      int64_t axis = a;
      if (!normalizeAxis(axis, rank) || !seen.insert(axis).second)
        return ctx.fail("axis " + std::to_string(a) +
                        " is out of range or repeated");
      axes.push_back(axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  int64_t listed = axes.size();
  if (s.mode != "nearest" && s.mode != "linear" && s.mode != "cubic")
    return ctx.fail("mode must be nearest, linear or cubic, got " + s.mode);
  static const char *transforms[] = {"half_pixel", "pytorch_half_pixel",
                                     "align_corners", "asymmetric",
                                     "tf_crop_and_resize",
                                     "half_pixel_symmetric"};
  if (!llvm::is_contained(transforms, s.transform) ||
      (s.transform == "half_pixel_symmetric" && ctx.opset < 19))
    return ctx.fail("coordinate_transformation_mode " + s.transform +
                    " is not supported");
  static const char *nearestModes[] = {"round_prefer_floor",
                                       "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(nearestModes, s.nearestMode))
    return ctx.fail("nearest_mode " + s.nearestMode + " is not supported");
  if (s.mode != "nearest" && !isa<FloatType>(xt.getElementType()))
    return ctx.fail(s.mode + " mode needs a float input");

  // Scales, or sizes: constant inputs (an empty tensor counts as absent).
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  if (ctx.input(2)) {
    auto given = ctx.constantFloats(2);
    if (!given)
      return ctx.fail("scales must be a constant");
    scales = *given;
  }
  if (ctx.input(3)) {
    auto given = ctx.constantInts(3);
    if (!given)
      return ctx.fail("sizes must be a constant");
    sizes = *given;
  }
  if (scales.empty() == sizes.empty())
    return ctx.fail("exactly one of scales and sizes must be given");
  if ((!scales.empty() && int64_t(scales.size()) != listed) ||
      (!sizes.empty() && int64_t(sizes.size()) != listed))
    return ctx.fail("scales or sizes must have one value per axis (" +
                    std::to_string(listed) + ")");
  if (policy != "stretch" && sizes.empty())
    return ctx.fail("keep_aspect_ratio_policy " + policy + " needs sizes");
  std::vector<double> roi;
  if (s.transform == "tf_crop_and_resize") {
    auto given = ctx.input(1) ? ctx.constantFloats(1) : std::nullopt;
    if (!given || int64_t(given->size()) != 2 * listed)
      return ctx.fail("tf_crop_and_resize needs a constant roi of " +
                      std::to_string(2 * listed) + " values");
    roi = *given;
  } else if (ctx.input(1)) {
    (void)ctx.input(1); // roi only matters to tf_crop_and_resize
  }
  // keep_aspect_ratio_policy: one scale for every listed axis, the
  // smallest (not_larger) or largest (not_smaller) the sizes ask for.
  std::optional<double> kept;
  for (int64_t i = 0; policy != "stretch" && i < listed; ++i) {
    double r = double(sizes[i]) / double(xt.getDimSize(axes[i]));
    kept = !kept ? r : policy == "not_larger" ? std::min(*kept, r)
                                              : std::max(*kept, r);
  }

  Value y = x;
  for (int64_t i = 0; i < listed; ++i) {
    int64_t d = axes[i], in = xt.getDimSize(d), out;
    double scale;
    if (kept) {
      scale = *kept;
      out = int64_t(std::nearbyint(scale * double(in))); // half to even
    } else if (!sizes.empty()) {
      out = sizes[i];
      scale = double(out) / double(in);
    } else {
      scale = scales[i];
      if (!(scale > 0))
        return ctx.fail("scales must be positive");
      out = int64_t(std::floor(scale * double(in)));
    }
    if (out < 1 || in < 1)
      return ctx.fail("dimension " + std::to_string(d) + " resizes " +
                      std::to_string(in) + " elements to " +
                      std::to_string(out) + "; both must be positive");
    AxisTable t = axisTable(s, in, out, scale, roi.empty() ? 0 : roi[i],
                            roi.empty() ? 1 : roi[listed + i]);
    if (isIdentity(t, in, out))
      continue;
    auto next = resampleAxis(ctx, y, d, t, s);
    if (failed(next))
      return failure();
    y = *next;
  }
  ctx.setOutput(0, y == x ? Value(yz::IdentityOp::create(ctx.b, ctx.loc, x))
                          : y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerResizeImporter(Registry &r) {
  r.op("Resize", 11, resize);
  // 18 adds antialias, axes and keep_aspect_ratio_policy; 19 the
  // half_pixel_symmetric coordinate transformation.
  r.op("Resize", 18, resize,
       {{1, 4, 1, 1,
         "antialias:i axes:ints coordinate_transformation_mode:s "
         "cubic_coeff_a:f exclude_outside:i extrapolation_value:f "
         "keep_aspect_ratio_policy:s mode:s nearest_mode:s"}});
}
