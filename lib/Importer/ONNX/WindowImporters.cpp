//===- WindowImporters.cpp - ONNX convolutions and pooling -> yz ----------===//
//
// Part of Yizhuang. Conv, ConvTranspose, MaxPool, AveragePool, LpPool and
// the global poolings, over 1, 2 or 3 spatial dimensions. yz's window ops
// are 2-D (what linalg's named ops and the NPU take), so:
// - a 1-D window is a 2-D one of height 1;
// - a 3-D pooling is separable: over H and W, then over D;
// - a 3-D convolution stacks its KD depth taps into the channels and runs
//   one 2-D convolution over N x OD images (weights reshaped to match);
// - a transposed convolution is a convolution, with stride 1 and the kernel
//   flipped, over the input with stride - 1 zeros between its elements and
//   dilation x (kernel - 1) - pad around it.
//
//===----------------------------------------------------------------------===//

#include "Window.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

std::string str(int64_t v) { return std::to_string(v); }

/// Checks the spatial rank of `xt` (1 to 3) and a static shape off the
/// 2-D path.
LogicalResult checkSpatial(NodeContext &ctx, RankedTensorType xt) {
  int64_t rank = xt.getRank() - 2;
  if (rank < 1 || rank > 3)
    return ctx.fail("needs an N x C x D1 [x D2 [x D3]] input (1 to 3 spatial "
                    "dimensions), got rank " +
                    str(xt.getRank()));
  if (rank != 2 && !xt.hasStaticShape())
    return ctx.fail("a 1-D or 3-D window needs a static input shape");
  return success();
}

/// strides or dilations: one value per spatial dimension, default 1.
FailureOr<SmallVector<int64_t>> perDim(NodeContext &ctx, StringRef name,
                                       size_t rank) {
  auto v = ctx.intsAttr(name);
  if (!v)
    return SmallVector<int64_t>(rank, 1);
  if (v->size() != rank)
    return ctx.fail(name + " must have " + str(rank) + " values");
  if (llvm::any_of(*v, [](int64_t x) { return x < 1; }))
    return ctx.fail(name + " must be positive");
  return SmallVector<int64_t>(v->begin(), v->end());
}

} // namespace

FailureOr<Window>
mlir::yz::onnx_import::readWindow(NodeContext &ctx, RankedTensorType xt,
                                  ArrayRef<int64_t> kernel) {
  Window w;
  size_t rank = kernel.size();
  w.kernel.assign(kernel.begin(), kernel.end());
  auto strides = perDim(ctx, "strides", rank);
  auto dilations = perDim(ctx, "dilations", rank);
  if (failed(strides) || failed(dilations))
    return failure();
  w.strides = *strides;
  w.dilations = *dilations;
  w.pads.assign(2 * rank, 0);
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  auto explicitPads = ctx.intsAttr("pads");
  if (autoPad == "NOTSET") {
    if (explicitPads) {
      if (explicitPads->size() != 2 * rank)
        return ctx.fail("pads must have " + str(2 * rank) + " values");
      if (llvm::any_of(*explicitPads, [](int64_t p) { return p < 0; }))
        return ctx.fail("pads must not be negative");
      w.pads.assign(explicitPads->begin(), explicitPads->end());
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // The output is ceil(in / stride); the odd pad goes last (UPPER) or
    // first (LOWER).
    for (size_t i = 0; i < rank; ++i) {
      int64_t in = xt.getDimSize(2 + i);
      int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      int64_t total = std::max<int64_t>(
          (out - 1) * w.strides[i] + w.dilations[i] * (kernel[i] - 1) + 1 - in,
          0);
      int64_t small = total / 2, big = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : big;
      w.pads[rank + i] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad != "VALID") {
    return ctx.fail("auto_pad = " + autoPad + " is not supported");
  }
  return w;
}

namespace {

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// A 2-D max or average pooling over NCHW.
FailureOr<Value> pool2d(NodeContext &ctx, Value x, bool max,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                        bool ceil, bool countIncludePad) {
  if (max)
    return ctx.create<yz::MaxPool2DOp>(x, kernel, strides, dilations, pads,
                                       ceil);
  return ctx.create<yz::AvgPool2DOp>(x, kernel, strides, pads,
                                     countIncludePad, dilations, ceil);
}

/// Max or average pooling over 1 to 3 spatial dimensions.
FailureOr<Value> poolND(NodeContext &ctx, Value x, bool max, const Window &w,
                        bool ceil, bool countIncludePad) {
  auto xt = typeOf(x);
  ArrayRef<int64_t> k = w.kernel, s = w.strides, d = w.dilations;
  if (w.rank() == 2)
    return pool2d(ctx, x, max, k, s, d, w.pads, ceil, countIncludePad);
  ArrayRef<int64_t> shape = xt.getShape();
  int64_t n = shape[0], c = shape[1];
  if (w.rank() == 1) {
    auto y = pool2d(ctx, ctx.reshape(x, {n, c, 1, shape[2]}), max, {1, k[0]},
                    {1, s[0]}, {1, d[0]}, {0, w.begin(0), 0, w.end(0)}, ceil,
                    countIncludePad);
    if (failed(y))
      return failure();
    return ctx.reshape(*y, {n, c, typeOf(*y).getDimSize(3)});
  }
  // 3-D: over H and W of every depth slice, then over D.
  auto hw = pool2d(ctx, ctx.reshape(x, {n, c * shape[2], shape[3], shape[4]}),
                   max, k.drop_front(), s.drop_front(), d.drop_front(),
                   {w.begin(1), w.begin(2), w.end(1), w.end(2)}, ceil,
                   countIncludePad);
  if (failed(hw))
    return failure();
  int64_t oh = typeOf(*hw).getDimSize(2), ow = typeOf(*hw).getDimSize(3);
  auto y = pool2d(ctx, ctx.reshape(*hw, {n, c, shape[2], oh * ow}), max,
                  {k[0], 1}, {s[0], 1}, {d[0], 1}, {w.begin(0), 0, w.end(0), 0},
                  ceil, countIncludePad);
  if (failed(y))
    return failure();
  return ctx.reshape(*y, {n, c, typeOf(*y).getDimSize(2), oh, ow});
}

Value i64Constant(NodeContext &ctx, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, ctx.b.getI64Type());
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, values));
}

/// MaxPool's Indices: the flat position in the input of each window's
/// maximum (the first, on ties), ((n C + c) H + h) W + w, or with
/// storage_order 1 (column-major) ((n C + c) W + w) H + h. The window's taps
/// are stacked ([N, C, OH, OW, KH x KW], padding -inf) and arg_max picks
/// the tap; the tap's offsets come from constant tables. `x` is NCHW and
/// `y` the pooled result.
FailureOr<Value> poolIndices(NodeContext &ctx, Value x, Value y,
                             const Window &w, bool columnMajor) {
  ArrayRef<int64_t> xs = typeOf(x).getShape();
  int64_t n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
  int64_t oh = typeOf(y).getDimSize(2), ow = typeOf(y).getDimSize(3);
  ArrayRef<int64_t> k = w.kernel, s = w.strides, d = w.dilations;
  Type elt = typeOf(x).getElementType();
  // Past the explicit pads, what ceil_mode's last window overhangs.
  int64_t endH = std::max(w.end(0), (oh - 1) * s[0] + (k[0] - 1) * d[0] + 1 -
                                        h - w.begin(0));
  int64_t endW = std::max(w.end(1), (ow - 1) * s[1] + (k[1] - 1) * d[1] + 1 -
                                        wd - w.begin(1));
  Value lowest = isa<FloatType>(elt)
                     ? ctx.scalar(elt, -std::numeric_limits<double>::infinity())
                     : Value();
  if (!lowest) {
    unsigned bits = elt.getIntOrFloatBitWidth();
    auto type = RankedTensorType::get({}, elt);
    APInt v = elt.isUnsignedInteger() ? APInt::getMinValue(bits)
                                      : APInt::getSignedMinValue(bits);
    lowest = yz::ConstantOp::create(ctx.b, ctx.loc,
                                    DenseElementsAttr::get(type, v));
  }
  auto padded = ctx.padOrCrop(x, {0, 0, w.begin(0), w.begin(1)},
                              {0, 0, endH, endW}, lowest);
  if (failed(padded))
    return failure();
  SmallVector<Value> taps;
  SmallVector<int64_t> tapH, tapW;
  for (int64_t i = 0; i < k[0]; ++i)
    for (int64_t j = 0; j < k[1]; ++j) {
      auto tap = ctx.create<yz::SliceOp>(
          *padded, ArrayRef<int64_t>{0, 0, i * d[0], j * d[1]},
          ArrayRef<int64_t>{n, c, oh, ow}, ArrayRef<int64_t>{1, 1, s[0], s[1]});
      if (failed(tap))
        return failure();
      taps.push_back(ctx.reshape(*tap, {n, c, oh, ow, 1}));
      tapH.push_back(i * d[0]);
      tapW.push_back(j * d[1]);
    }
  Value stacked = taps.size() == 1
                      ? taps[0]
                      : Value(yz::ConcatOp::create(ctx.b, ctx.loc, taps, 4));
  auto best = ctx.create<yz::ArgMaxOp>(stacked, 4, false, false);
  if (failed(best))
    return failure();
  OpBuilder &b = ctx.b;
  auto at = [&](ArrayRef<int64_t> table) {
    return yz::GatherOp::create(
        b, ctx.loc, i64Constant(ctx, {int64_t(table.size())}, table), *best, 0);
  };
  SmallVector<int64_t> rows, cols, planes;
  for (int64_t i = 0; i < oh; ++i)
    rows.push_back(i * s[0] - w.begin(0));
  for (int64_t j = 0; j < ow; ++j)
    cols.push_back(j * s[1] - w.begin(1));
  for (int64_t p = 0; p < n * c; ++p)
    planes.push_back(p * h * wd);
  Value hIdx = yz::AddOp::create(b, ctx.loc, at(tapH),
                                 i64Constant(ctx, {oh, 1}, rows));
  Value wIdx = yz::AddOp::create(b, ctx.loc, at(tapW),
                                 i64Constant(ctx, {1, ow}, cols));
  Value inPlane =
      columnMajor
          ? yz::AddOp::create(b, ctx.loc, hIdx,
                              yz::MulOp::create(b, ctx.loc, wIdx,
                                                i64Constant(ctx, {}, {h})))
          : yz::AddOp::create(b, ctx.loc,
                              yz::MulOp::create(b, ctx.loc, hIdx,
                                                i64Constant(ctx, {}, {wd})),
                              wIdx);
  return Value(yz::AddOp::create(b, ctx.loc, inPlane,
                                 i64Constant(ctx, {n, c, 1, 1}, planes)));
}

LogicalResult pool(NodeContext &ctx, bool max) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (failed(checkSpatial(ctx, xt)))
    return failure();
  int64_t storageOrder = max ? ctx.intAttr("storage_order", 0) : 0;
  if (storageOrder != 0 && storageOrder != 1)
    return ctx.fail("storage_order must be 0 or 1");
  bool indices = max && ctx.wantsOutput(1);
  if (indices && xt.getRank() == 5)
    return ctx.fail("the Indices output of a 3-D max pooling is not "
                    "supported");
  auto kernel = ctx.intsAttr("kernel_shape");
  if (!kernel || int64_t(kernel->size()) != xt.getRank() - 2)
    return ctx.fail("kernel_shape must have " + str(xt.getRank() - 2) +
                    " values");
  auto w = readWindow(ctx, xt, *kernel);
  if (failed(w))
    return failure();
  int64_t ceil = ctx.intAttr("ceil_mode", 0);
  if (ceil != 0 && ceil != 1)
    return ctx.fail("ceil_mode must be 0 or 1");
  bool countIncludePad = !max && ctx.intAttr("count_include_pad", 0) != 0;
  auto y = poolND(ctx, x, max, *w, ceil, countIncludePad);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  if (indices) {
    // As 2-D: a 1-D input is one row (h = 0, H = 1: the same indices).
    Window w2 = *w;
    Value x4 = x, y4 = *y;
    if (w->rank() == 1) {
      ArrayRef<int64_t> xs = xt.getShape(), ys = typeOf(*y).getShape();
      w2.kernel = {1, w->kernel[0]};
      w2.strides = {1, w->strides[0]};
      w2.dilations = {1, w->dilations[0]};
      w2.pads = {0, w->begin(0), 0, w->end(0)};
      x4 = ctx.reshape(x, {xs[0], xs[1], 1, xs[2]});
      y4 = ctx.reshape(*y, {ys[0], ys[1], 1, ys[2]});
    }
    auto idx = poolIndices(ctx, x4, y4, w2, storageOrder == 1);
    if (failed(idx))
      return failure();
    ctx.setOutput(1, ctx.reshape(*idx, typeOf(*y).getShape()));
  }
  return success();
}

/// MaxUnpool: zeros of each dimension's (in - 1) x stride + kernel - pads
/// with X scattered to the flat positions in I (MaxPool's Indices).
LogicalResult maxUnpool(NodeContext &ctx) {
  Value x = ctx.input(0), idx = ctx.input(1);
  auto xt = typeOf(x);
  if (failed(checkSpatial(ctx, xt)))
    return failure();
  if (!xt.hasStaticShape() || typeOf(idx).getShape() != xt.getShape())
    return ctx.fail("X and I must have one static shape");
  auto kernel = ctx.intsAttr("kernel_shape");
  size_t rank = xt.getRank() - 2;
  if (!kernel || kernel->size() != rank)
    return ctx.fail("kernel_shape must have " + str(rank) + " values");
  auto strides = perDim(ctx, "strides", rank);
  if (failed(strides))
    return failure();
  std::vector<int64_t> pads =
      ctx.intsAttr("pads").value_or(std::vector<int64_t>(2 * rank, 0));
  if (pads.size() != 2 * rank)
    return ctx.fail("pads must have " + str(2 * rank) + " values");
  SmallVector<int64_t> shape(xt.getShape().take_front(2));
  for (size_t i = 0; i < rank; ++i)
    shape.push_back((xt.getDimSize(2 + i) - 1) * (*strides)[i] +
                    (*kernel)[i] - pads[i] - pads[rank + i]);
  // A given output_shape pads (or crops) the end of that, as the reference
  // does: the indices stay positions in the computed shape.
  SmallVector<int64_t> given(shape);
  if (ctx.input(2)) {
    auto values = ctx.constantInts(2);
    if (!values || values->size() != rank + 2)
      return ctx.fail("output_shape must be a constant of " + str(rank + 2) +
                      " values");
    given.assign(values->begin(), values->end());
  }
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  if (given[0] != shape[0] || given[1] != shape[1] || total < 1)
    return ctx.fail("output_shape must keep N and C and not be empty");
  Type elt = xt.getElementType();
  auto flatType = RankedTensorType::get({total}, elt);
  Value zeros = yz::ConstantOp::create(
      ctx.b, ctx.loc, DenseElementsAttr::get(flatType, ctx.b.getZeroAttr(elt)));
  int64_t count = xt.getNumElements();
  auto y = ctx.createTyped<yz::ScatterNDOp>(
      flatType, zeros, ctx.reshape(idx, {count, 1}), ctx.reshape(x, {count}),
      "none");
  if (failed(y))
    return failure();
  SmallVector<int64_t> low(rank + 2, 0), high;
  for (size_t i = 0; i < rank + 2; ++i)
    high.push_back(given[i] - shape[i]);
  auto out = ctx.padOrCrop(ctx.reshape(*y, shape), low, high);
  if (failed(out))
    return failure();
  ctx.setOutput(0, *out);
  return success();
}

/// |x|^p for LpPool and GlobalLpPool, and its inverse y^(1/p).
Value powerOf(NodeContext &ctx, Value x, int64_t p) {
  Value a = yz::AbsOp::create(ctx.b, ctx.loc, x);
  if (p == 1)
    return a;
  if (p == 2)
    return yz::MulOp::create(ctx.b, ctx.loc, a, a);
  return yz::PowOp::create(ctx.b, ctx.loc, a,
                           ctx.scalar(typeOf(x).getElementType(), double(p)));
}
Value rootOf(NodeContext &ctx, Value y, int64_t p) {
  if (p == 1)
    return y;
  if (p == 2)
    return yz::SqrtOp::create(ctx.b, ctx.loc, y);
  return yz::PowOp::create(
      ctx.b, ctx.loc, y, ctx.scalar(typeOf(y).getElementType(), 1.0 / p));
}

/// LpPool: (sum over the window of |x|^p)^(1/p), the padding 0. The sum is
/// an average including the padding (every window covers the whole
/// kernel) times the kernel's size.
LogicalResult lpPool(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (failed(checkSpatial(ctx, xt)))
    return failure();
  int64_t p = ctx.intAttr("p", 2);
  if (p < 1)
    return ctx.fail("p must be at least 1");
  auto kernel = ctx.intsAttr("kernel_shape");
  if (!kernel || int64_t(kernel->size()) != xt.getRank() - 2)
    return ctx.fail("kernel_shape must have " + str(xt.getRank() - 2) +
                    " values");
  auto w = readWindow(ctx, xt, *kernel);
  if (failed(w))
    return failure();
  // ceil_mode (opset 18): the last window may overhang the end pad. The
  // sum of |x|^p is the same over zeros there, so the end pads grow to
  // cover it and every window averages over all its taps.
  int64_t ceil = ctx.intAttr("ceil_mode", 0);
  if (ceil != 0 && ceil != 1)
    return ctx.fail("ceil_mode must be 0 or 1");
  if (ceil && !xt.hasStaticShape())
    return ctx.fail("ceil_mode needs a static input shape");
  for (size_t i = 0; ceil && i < w->rank(); ++i) {
    int64_t in = xt.getDimSize(2 + i), s = w->strides[i];
    int64_t span = (w->kernel[i] - 1) * w->dilations[i] + 1;
    int64_t padded = in + w->begin(i) + w->end(i);
    if (padded < span)
      return ctx.fail("the window is larger than the padded input");
    int64_t out = (padded - span + s - 1) / s + 1;
    // A last window that would start in the end pad is dropped.
    if ((out - 1) * s >= in + w->begin(i))
      --out;
    w->pads[w->rank() + i] =
        std::max(w->end(i), (out - 1) * s + span - in - w->begin(i));
  }
  auto avg = poolND(ctx, powerOf(ctx, x, p), false, *w, false, true);
  if (failed(avg))
    return failure();
  int64_t taps = 1;
  for (int64_t k : *kernel)
    taps *= k;
  Value sum = yz::MulOp::create(ctx.b, ctx.loc, *avg,
                                ctx.scalar(xt.getElementType(), double(taps)));
  ctx.setOutput(0, rootOf(ctx, sum, p));
  return success();
}

/// GlobalAveragePool, GlobalMaxPool, GlobalLpPool: a reduction over every
/// spatial dimension, kept as 1.
LogicalResult globalPool(NodeContext &ctx, StringRef kind) {
  Value x = ctx.input(0);
  if (typeOf(x).getRank() < 3)
    return ctx.fail("needs an N x C x D1 x ... input, got rank " +
                    str(typeOf(x).getRank()));
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < typeOf(x).getRank(); ++d)
    axes.push_back(d);
  FailureOr<Value> y;
  if (kind == "max") {
    y = ctx.create<yz::ReduceMaxOp>(x, axes, true);
  } else if (kind == "avg") {
    y = ctx.create<yz::ReduceMeanOp>(x, axes, true);
  } else {
    int64_t p = ctx.intAttr("p", 2);
    if (p < 1)
      return ctx.fail("p must be at least 1");
    y = ctx.create<yz::ReduceSumOp>(powerOf(ctx, x, p), axes, true);
    if (succeeded(y))
      y = rootOf(ctx, *y, p);
  }
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

FailureOr<Value> conv2d(NodeContext &ctx, Value x, Value w, Value bias,
                        ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                        ArrayRef<int64_t> pads, int64_t groups) {
  return ctx.create<yz::Conv2DOp>(
      x, w, bias, ctx.b.getDenseI64ArrayAttr(strides),
      ctx.b.getDenseI64ArrayAttr(dilations), ctx.b.getDenseI64ArrayAttr(pads),
      ctx.b.getI64IntegerAttr(groups), FloatAttr(), FloatAttr());
}

/// A 3-D convolution: the KD depth taps of every output depth stacked
/// into the channels (C x KD of them, each group's still together), one
/// 2-D convolution over N x OD images, and the depth moved back.
FailureOr<Value> conv3d(NodeContext &ctx, Value x, Value w, Value bias,
                        const Window &win, int64_t groups) {
  auto wt = typeOf(w);
  auto padded = ctx.padOrCrop(x, {0, 0, win.begin(0), 0, 0},
                              {0, 0, win.end(0), 0, 0});
  if (failed(padded))
    return failure();
  ArrayRef<int64_t> shape = typeOf(*padded).getShape();
  int64_t n = shape[0], c = shape[1], depth = shape[2], h = shape[3],
          wd = shape[4];
  int64_t kd = wt.getDimSize(2), sd = win.strides[0], dd = win.dilations[0];
  int64_t od = (depth - (dd * (kd - 1) + 1)) / sd + 1;
  if (od < 1)
    return ctx.fail("the kernel (depth " + str(kd) +
                    ") is larger than the padded input (depth " + str(depth) +
                    ")");
  SmallVector<Value> taps;
  for (int64_t t = 0; t < kd; ++t) {
    auto tap = ctx.create<yz::SliceOp>(
        *padded, ArrayRef<int64_t>{0, 0, t * dd, 0, 0},
        ArrayRef<int64_t>{n, c, od, h, wd}, ArrayRef<int64_t>{1, 1, sd, 1, 1});
    if (failed(tap))
      return failure();
    taps.push_back(ctx.reshape(*tap, {n, c, 1, od, h, wd}));
  }
  Value stacked = taps.size() == 1
                      ? taps[0]
                      : Value(yz::ConcatOp::create(ctx.b, ctx.loc, taps, 2));
  Value images = ctx.reshape(
      yz::TransposeOp::create(ctx.b, ctx.loc, stacked,
                              ArrayRef<int64_t>{0, 3, 1, 2, 4, 5}),
      {n * od, c * kd, h, wd});
  Value filter =
      ctx.reshape(w, {wt.getDimSize(0), wt.getDimSize(1) * kd,
                      wt.getDimSize(3), wt.getDimSize(4)});
  auto y = conv2d(ctx, images, filter, bias, ArrayRef(win.strides).drop_front(),
                  ArrayRef(win.dilations).drop_front(),
                  {win.begin(1), win.begin(2), win.end(1), win.end(2)}, groups);
  if (failed(y))
    return failure();
  auto yt = typeOf(*y);
  Value split = ctx.reshape(*y, {n, od, yt.getDimSize(1), yt.getDimSize(2),
                                 yt.getDimSize(3)});
  return Value(yz::TransposeOp::create(ctx.b, ctx.loc, split,
                                       ArrayRef<int64_t>{0, 2, 1, 3, 4}));
}

/// A convolution over 1 to 3 spatial dimensions.
FailureOr<Value> convND(NodeContext &ctx, Value x, Value w, Value bias,
                        const Window &win, int64_t groups) {
  if (win.rank() == 2)
    return conv2d(ctx, x, w, bias, win.strides, win.dilations, win.pads,
                  groups);
  if (win.rank() == 3)
    return conv3d(ctx, x, w, bias, win, groups);
  ArrayRef<int64_t> xs = typeOf(x).getShape(), ws = typeOf(w).getShape();
  auto y = conv2d(ctx, ctx.reshape(x, {xs[0], xs[1], 1, xs[2]}),
                  ctx.reshape(w, {ws[0], ws[1], 1, ws[2]}), bias,
                  {1, win.strides[0]}, {1, win.dilations[0]},
                  {0, win.begin(0), 0, win.end(0)}, groups);
  if (failed(y))
    return failure();
  auto yt = typeOf(*y);
  return ctx.reshape(*y, {yt.getDimSize(0), yt.getDimSize(1),
                          yt.getDimSize(3)});
}

/// Checks the input and weight ranks and kernel_shape; returns the kernel.
FailureOr<SmallVector<int64_t>> convKernel(NodeContext &ctx,
                                           RankedTensorType xt,
                                           RankedTensorType wt) {
  if (failed(checkSpatial(ctx, xt)))
    return failure();
  if (wt.getRank() != xt.getRank())
    return ctx.fail("the weights must have the input's rank " +
                    str(xt.getRank()) + ", got " + str(wt.getRank()));
  if (xt.getRank() != 4 && !wt.hasStaticShape())
    return ctx.fail("a 1-D or 3-D convolution needs static weights");
  SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
  if (auto given = ctx.intsAttr("kernel_shape");
      given && ArrayRef<int64_t>(*given) != ArrayRef<int64_t>(kernel))
    return ctx.fail("kernel_shape does not match the weights");
  return kernel;
}

LogicalResult conv(NodeContext &ctx) {
  Value x = ctx.input(0), w = ctx.input(1), bias = ctx.input(2);
  auto kernel = convKernel(ctx, typeOf(x), typeOf(w));
  if (failed(kernel))
    return failure();
  auto win = readWindow(ctx, typeOf(x), *kernel);
  if (failed(win))
    return failure();
  auto y = convND(ctx, x, w, bias, *win, ctx.intAttr("group", 1));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// ConvTranspose: X [N, C, L...] and W [C, M / group, K...].
LogicalResult convTranspose(NodeContext &ctx) {
  Value x = ctx.input(0), w = ctx.input(1), bias = ctx.input(2);
  auto xt = typeOf(x), wt = typeOf(w);
  auto kernel = convKernel(ctx, xt, wt);
  if (failed(kernel))
    return failure();
  if (!xt.hasStaticShape() || !wt.hasStaticShape())
    return ctx.fail("needs static input and weight shapes");
  size_t rank = kernel->size();
  int64_t groups = ctx.intAttr("group", 1);
  int64_t c = xt.getDimSize(1);
  if (groups < 1 || c % groups != 0 || wt.getDimSize(0) != c)
    return ctx.fail("the weights must be [C, M / group, ...] with C = " +
                    str(c) + " divisible by group " + str(groups));
  auto strides = perDim(ctx, "strides", rank);
  auto dilations = perDim(ctx, "dilations", rank);
  if (failed(strides) || failed(dilations))
    return failure();
  SmallVector<int64_t> outPad(rank, 0);
  if (auto given = ctx.intsAttr("output_padding")) {
    if (given->size() != rank)
      return ctx.fail("output_padding must have " + str(rank) + " values");
    outPad.assign(given->begin(), given->end());
  }
  // Pads: given, or from output_shape (or auto_pad's in x stride).
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  auto outputShape = ctx.intsAttr("output_shape");
  auto explicitPads = ctx.intsAttr("pads");
  SmallVector<int64_t> pads(2 * rank, 0);
  auto full = [&](size_t i) { // the output size without pads
    return (*strides)[i] * (xt.getDimSize(2 + i) - 1) + outPad[i] +
           ((*kernel)[i] - 1) * (*dilations)[i] + 1;
  };
  if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    std::vector<int64_t> target;
    if (outputShape) {
      target = *outputShape;
      if (target.size() == rank + 2) // some exporters give N and C too
        target.erase(target.begin(), target.begin() + 2);
      if (target.size() != rank)
        return ctx.fail("output_shape must have " + str(rank) + " values");
    } else {
      for (size_t i = 0; i < rank; ++i)
        target.push_back(xt.getDimSize(2 + i) * (*strides)[i]);
    }
    for (size_t i = 0; i < rank; ++i) {
      // Floor division: an output_shape past the full size pads at the end.
      int64_t total = full(i) - target[i];
      int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
      pads[i] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[rank + i] = autoPad == "SAME_UPPER" ? total - half : half;
    }
  } else if (autoPad == "NOTSET" || autoPad == "VALID") {
    if (explicitPads && autoPad == "NOTSET") {
      if (explicitPads->size() != 2 * rank)
        return ctx.fail("pads must have " + str(2 * rank) + " values");
      pads.assign(explicitPads->begin(), explicitPads->end());
    }
  } else {
    return ctx.fail("auto_pad = " + autoPad + " is not supported");
  }
  for (size_t i = 0; i < rank; ++i)
    if (outPad[i] < 0 ||
        outPad[i] >= std::max((*strides)[i], (*dilations)[i]))
      return ctx.fail("output_padding must be below the stride or the "
                      "dilation");

  // stride - 1 zeros after each element: a unit dimension after each
  // spatial one, padded to the stride and folded in.
  ArrayRef<int64_t> xs = xt.getShape();
  SmallVector<int64_t> spread = {xs[0], xs[1]}, folded = {xs[0], xs[1]};
  SmallVector<int64_t> lo(2 + 2 * rank, 0), hi(2 + 2 * rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    spread.append({xs[2 + i], 1});
    hi[3 + 2 * i] = (*strides)[i] - 1;
    folded.push_back(xs[2 + i] * (*strides)[i]);
  }
  auto zeros = ctx.padOrCrop(ctx.reshape(x, spread), lo, hi);
  if (failed(zeros))
    return failure();
  // Around it: dilation x (kernel - 1) - pad, less the trailing zeros.
  SmallVector<int64_t> low(2 + rank, 0), high(2 + rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    int64_t reach = (*dilations)[i] * ((*kernel)[i] - 1);
    low[2 + i] = reach - pads[i];
    high[2 + i] = reach - pads[rank + i] + outPad[i] - ((*strides)[i] - 1);
  }
  auto input = ctx.padOrCrop(ctx.reshape(*zeros, folded), low, high);
  if (failed(input))
    return failure();

  // The weights as a convolution's: [M, C / group, K...], flipped.
  int64_t m = wt.getDimSize(1) * groups, cg = c / groups;
  SmallVector<int64_t> grouped = {groups, cg, wt.getDimSize(1)};
  SmallVector<int64_t> perm = {0, 2, 1};
  SmallVector<int64_t> from = {0, 0}, sizes = {m, cg}, steps = {1, 1};
  for (size_t i = 0; i < rank; ++i) {
    grouped.push_back((*kernel)[i]);
    perm.push_back(3 + i);
    from.push_back((*kernel)[i] - 1);
    sizes.push_back((*kernel)[i]);
    steps.push_back(-1);
  }
  Value swapped = yz::TransposeOp::create(ctx.b, ctx.loc,
                                          ctx.reshape(w, grouped), perm);
  SmallVector<int64_t> filterShape = {m, cg};
  filterShape.append(kernel->begin(), kernel->end());
  auto filter = ctx.create<yz::SliceOp>(ctx.reshape(swapped, filterShape),
                                        from, sizes, steps);
  if (failed(filter))
    return failure();

  Window win;
  win.kernel = *kernel;
  win.strides.assign(rank, 1);
  win.dilations = *dilations;
  win.pads.assign(2 * rank, 0);
  auto y = convND(ctx, *input, *filter, bias, win, groups);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerWindowImporters(Registry &r) {
  r.op("Conv", 1, conv);
  r.op("ConvTranspose", 1, convTranspose);
  r.op("MaxPool", 1, [](NodeContext &c) { return pool(c, true); });
  r.op("AveragePool", 1, [](NodeContext &c) { return pool(c, false); });
  r.op("AveragePool", 19, [](NodeContext &c) { return pool(c, false); },
       {{1, 1, 1, 1,
         "auto_pad:s ceil_mode:i count_include_pad:i dilations:ints "
         "!kernel_shape:ints pads:ints strides:ints"}});
  r.op("MaxUnpool", 9, maxUnpool);
  r.op("LpPool", 2, lpPool);
  r.op("LpPool", 18, lpPool,
       {{1, 1, 1, 1,
         "auto_pad:s ceil_mode:i dilations:ints !kernel_shape:ints p:i "
         "pads:ints strides:ints"}});
  r.op("GlobalAveragePool", 1,
       [](NodeContext &c) { return globalPool(c, "avg"); });
  r.op("GlobalMaxPool", 1, [](NodeContext &c) { return globalPool(c, "max"); });
  r.op("GlobalLpPool", 2, [](NodeContext &c) { return globalPool(c, "lp"); });
}
