//===- ShapeImporters.cpp - ONNX constants and data movement -> yz --------===//
//
// Part of Yizhuang. Shapes come from the yz ops' own inference and from
// constant inputs: a shape subgraph (Shape -> Gather -> Concat -> Reshape,
// as exporters write for flatten and view) is folded as it is imported
// (NodeContext::setOutput), so its result reaches Reshape as a constant
// wherever the input shapes are static.
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

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

LogicalResult identity(NodeContext &ctx) {
  // yz-remove-identities drops it.
  ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, ctx.input(0)));
  return success();
}

/// Constant: a tensor attribute, or (opset 12) one of the scalar and list
/// forms.
LogicalResult constant(NodeContext &ctx) {
  Builder &b = ctx.b;
  auto make = [&](Attribute value) {
    ctx.setOutput(0, yz::ConstantOp::create(ctx.b, ctx.loc,
                                            cast<ElementsAttr>(value)));
    return success();
  };
  if (const auto *a = ctx.attr("value")) {
    auto v = ctx.graph.importTensor(ctx.b, ctx.loc, a->t());
    if (failed(v))
      return failure();
    ctx.setOutput(0, *v);
    return success();
  }
  if (const auto *a = ctx.attr("value_float"))
    return make(DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                       a->f()));
  if (const auto *a = ctx.attr("value_int"))
    return make(DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                       int64_t(a->i())));
  if (const auto *a = ctx.attr("value_floats")) {
    std::vector<float> v(a->floats().begin(), a->floats().end());
    return make(DenseElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, b.getF32Type()),
        ArrayRef<float>(v)));
  }
  if (const auto *a = ctx.attr("value_ints")) {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    return make(DenseElementsAttr::get(
        RankedTensorType::get({int64_t(v.size())}, b.getI64Type()),
        ArrayRef<int64_t>(v)));
  }
  for (StringRef form : {"sparse_value", "value_string", "value_strings"})
    if (ctx.attr(form))
      return ctx.fail("the '" + form + "' form of Constant is not supported");
  return ctx.fail("has no value");
}

/// Shape of a static input: a constant (no yz op survives it).
LogicalResult shape(NodeContext &ctx) {
  auto t = ctx.inputType(0);
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  int64_t rank = t.getRank();
  int64_t start = ctx.intAttr("start", 0), end = ctx.intAttr("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  SmallVector<int64_t> dims(t.getShape().begin() + start,
                            t.getShape().begin() + end);
  auto type = RankedTensorType::get({int64_t(dims.size())}, ctx.b.getI64Type());
  ctx.setOutput(0, yz::ConstantOp::create(
                       ctx.b, ctx.loc,
                       DenseElementsAttr::get(type, ArrayRef<int64_t>(dims))));
  return success();
}

/// A shape from a constant input: non-negative dimensions.
FailureOr<SmallVector<int64_t>> shapeInput(NodeContext &ctx, size_t i,
                                           StringRef what) {
  auto dims = ctx.constantInts(i);
  if (!dims)
    return ctx.fail(what + " must be known at compile time (a constant, or "
                           "computed from static shapes)");
  for (int64_t d : *dims)
    if (d < 0)
      return ctx.fail(what + " " + shapeStr(*dims) +
                      " has a negative dimension");
  return SmallVector<int64_t>(dims->begin(), dims->end());
}

LogicalResult constantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> dims = failure();
  if (RankedTensorType declared = ctx.declaredType(0); declared &&
                                                     !ctx.constantInts(0))
    dims = SmallVector<int64_t>(declared.getShape());
  else
    dims = shapeInput(ctx, 0, "the shape");
  if (failed(dims))
    return failure();
  Type elt = ctx.b.getF32Type();
  Attribute value = ctx.b.getZeroAttr(elt);
  if (const auto *a = ctx.attr("value")) {
    auto v = ctx.graph.importTensor(ctx.b, ctx.loc, a->t());
    if (failed(v))
      return failure();
    auto c = v->getDefiningOp<yz::ConstantOp>();
    auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
    if (!dense || dense.getNumElements() != 1)
      return ctx.fail("value must be a one-element tensor");
    value = dense.getSplatValue<Attribute>();
    c.erase();
  }
  auto type = RankedTensorType::get(*dims, cast<TypedAttr>(value).getType());
  ctx.setOutput(0, yz::ConstantOp::create(
                       ctx.b, ctx.loc, DenseElementsAttr::get(type, value)));
  return success();
}

/// Reshape: 0 copies the input's dimension (unless allowzero), -1 is
/// inferred from the element count.
LogicalResult reshape(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  auto dims = ctx.constantInts(1);
  bool allowZero = ctx.intAttr("allowzero", 0) != 0;
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  if (!dims) {
    // A run-time shape: the model's declared output type says which.
    if (RankedTensorType declared = ctx.declaredType(0);
        declared && declared.getNumElements() == t.getNumElements()) {
      ctx.setOutput(0, ctx.reshape(x, declared.getShape()));
      return success();
    }
    return ctx.fail("the shape must be known at compile time (a constant, "
                    "or computed from static shapes)");
  }
  SmallVector<int64_t> shape;
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(*dims)) {
    if (d == 0 && !allowZero) {
      if (int64_t(i) >= t.getRank())
        return ctx.fail("shape " + shapeStr(*dims) + " copies dimension " +
                        std::to_string(i) + " of a rank-" +
                        std::to_string(t.getRank()) + " input");
      d = t.getDimSize(i);
    } else if (d == -1) {
      if (inferred >= 0)
        return ctx.fail("shape " + shapeStr(*dims) + " has two -1s");
      inferred = int64_t(i);
    } else if (d < 0) {
      return ctx.fail("shape " + shapeStr(*dims) + " has a negative dimension");
    }
    if (d != -1)
      known *= d;
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || t.getNumElements() % known != 0)
      return ctx.fail("cannot reshape " + shapeStr(t.getShape()) + " into " +
                      shapeStr(*dims));
    shape[inferred] = t.getNumElements() / known;
  }
  auto y = ctx.createTyped<yz::ReshapeOp>(t.clone(shape), x);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult flatten(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t axis = ctx.intAttr("axis", 1), rank = t.getRank();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return ctx.fail("axis is out of range");
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= t.getDimSize(d);
  ctx.setOutput(0, ctx.reshape(x, {outer, inner}));
  return success();
}

/// Squeeze and Unsqueeze with run-time axes: `x` in the output type the
/// model declares, if it has one with as many elements.
LogicalResult declaredShape(NodeContext &ctx, Value x, StringRef why) {
  RankedTensorType declared = ctx.declaredType(0);
  if (!declared || !typeOf(x).hasStaticShape() ||
      declared.getNumElements() != typeOf(x).getNumElements())
    return ctx.fail(why);
  ctx.setOutput(0, ctx.reshape(x, declared.getShape()));
  return success();
}

/// The axes of Squeeze/Unsqueeze: an attribute (before opset 13) or
/// input 1.
std::optional<std::vector<int64_t>> axesOf(NodeContext &ctx, bool asInput) {
  if (asInput)
    return ctx.input(1) ? ctx.constantInts(1) : std::nullopt;
  return ctx.intsAttr("axes");
}

LogicalResult squeeze(NodeContext &ctx, bool asInput) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  auto axes = axesOf(ctx, asInput);
  if (asInput && ctx.input(1) && !axes)
    return declaredShape(ctx, x, "axes must be a constant");
  int64_t rank = t.getRank();
  SmallVector<bool> drop(rank, false);
  if (!axes) {
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = t.getDimSize(d) == 1;
  } else {
    for (int64_t a : *axes) {
      if (!normalizeAxis(a, rank))
        return ctx.fail("axis " + std::to_string(a) + " is out of range");
      if (t.getDimSize(a) != 1)
        return ctx.fail("cannot squeeze dimension " + std::to_string(a) +
                        " of size " + std::to_string(t.getDimSize(a)));
      drop[a] = true;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(t.getDimSize(d));
  ctx.setOutput(0, ctx.reshape(x, shape));
  return success();
}

LogicalResult unsqueeze(NodeContext &ctx, bool asInput) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  auto axes = axesOf(ctx, asInput);
  if (!axes)
    return declaredShape(ctx, x, "axes must be given as a constant");
  int64_t rank = t.getRank() + int64_t(axes->size());
  SmallVector<bool> added(rank, false);
  for (int64_t a : *axes) {
    if (!normalizeAxis(a, rank))
      return ctx.fail("axis " + std::to_string(a) + " is out of range");
    if (added[a])
      return ctx.fail("axes repeat an axis");
    added[a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0, k = 0; d < rank; ++d)
    shape.push_back(added[d] ? 1 : t.getDimSize(k++));
  ctx.setOutput(0, ctx.reshape(x, shape));
  return success();
}

LogicalResult transpose(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank();
  std::vector<int64_t> perm;
  for (int64_t i = rank - 1; i >= 0; --i)
    perm.push_back(i);
  if (auto given = ctx.intsAttr("perm"))
    perm = *given;
  auto y = ctx.create<yz::TransposeOp>(x, perm);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult concat(NodeContext &ctx) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (Value v = ctx.input(i))
      inputs.push_back(v);
  if (inputs.empty())
    return ctx.fail("has no inputs");
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(inputs[0]).getRank()))
    return ctx.fail("axis is out of range");
  auto y = ctx.create<yz::ConcatOp>(ValueRange(inputs), axis);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// Slice whose starts, ends, axes or steps are run-time inputs: the box's
/// size is the output type the model declares; its start and steps are
/// computed at run time as ONNX says (negative indices from the end,
/// clamped), and yz.dynamic_slice reads it.
LogicalResult dynamicSlice(NodeContext &ctx, Value x) {
  auto t = typeOf(x);
  int64_t rank = t.getRank();
  RankedTensorType declared = ctx.declaredType(0);
  if (!declared || declared.getRank() != rank)
    return ctx.fail("starts, ends, axes and steps are run-time inputs and the "
                    "output's shape is not declared");
  Type i64 = ctx.b.getI64Type();
  auto vector = [&](size_t i) -> FailureOr<Value> {
    Value v = ctx.input(i);
    auto vt = typeOf(v);
    if (vt.getRank() != 1 || !vt.hasStaticShape())
      return ctx.fail("input " + std::to_string(i) + " must be a 1-D tensor");
    if (vt.getElementType() == i64)
      return v;
    return ctx.createTyped<yz::CastOp>(vt.clone(i64), v);
  };
  auto starts = vector(1);
  (void)ctx.input(2); // the size comes from the declared type
  if (failed(starts))
    return failure();
  int64_t k = typeOf(*starts).getDimSize(0);
  auto iota = [&](int64_t n, int64_t first, int64_t step) {
    SmallVector<int64_t> v;
    for (int64_t i = 0; i < n; ++i)
      v.push_back(first + i * step);
    return Value(yz::ConstantOp::create(
        ctx.b, ctx.loc,
        DenseElementsAttr::get(RankedTensorType::get({n}, i64),
                               ArrayRef<int64_t>(v))));
  };
  FailureOr<Value> axes = ctx.input(3) ? vector(3) : FailureOr<Value>(iota(k, 0, 1));
  FailureOr<Value> steps = ctx.input(4) ? vector(4) : FailureOr<Value>(iota(k, 1, 0));
  if (failed(axes) || failed(steps))
    return failure();
  if (typeOf(*axes).getDimSize(0) != k || typeOf(*steps).getDimSize(0) != k)
    return ctx.fail("starts, ends, axes and steps differ in length");
  auto b = [&]() -> OpBuilder & { return ctx.b; };
  Location loc = ctx.loc;
  auto c = [&](int64_t v) { return ctx.scalar(i64, double(v)); };
  auto where = [&](Value cond, Value a, Value bb) {
    return Value(yz::SelectOp::create(b(), loc, cond, a, bb));
  };
  Value zero = c(0);
  Value a = where(yz::LessOp::create(b(), loc, *axes, zero),
                  yz::AddOp::create(b(), loc, *axes, c(rank)), *axes);
  SmallVector<int64_t> dimList(t.getShape());
  Value dims = yz::ConstantOp::create(
      b(), loc, DenseElementsAttr::get(RankedTensorType::get({rank}, i64),
                                       ArrayRef<int64_t>(dimList)));
  Value dimOf = yz::GatherOp::create(b(), loc, dims, a, 0);
  Value st = where(yz::LessOp::create(b(), loc, *starts, zero),
                   yz::AddOp::create(b(), loc, *starts, dimOf), *starts);
  Value forward = yz::GreaterOp::create(b(), loc, *steps, zero);
  Value upper = where(forward, dimOf, yz::SubOp::create(b(), loc, dimOf, c(1)));
  Value lower = where(forward, zero, c(-1));
  st = yz::MinOp::create(b(), loc, yz::MaxOp::create(b(), loc, st, lower), upper);
  SmallVector<Value> offsetList, stepList;
  for (int64_t d = 0; d < rank; ++d) {
    Value match = yz::EqualOp::create(b(), loc, a, c(d));
    auto pick = [&](Value v, int64_t otherwise) {
      Value sum = yz::ReduceSumOp::create(b(), loc, where(match, v, zero),
                                          ArrayRef<int64_t>{0}, true);
      Value any = yz::ReduceMaxOp::create(
          b(), loc, yz::CastOp::create(b(), loc, RankedTensorType::get({k}, i64), match),
          ArrayRef<int64_t>{0}, true);
      return Value(yz::AddOp::create(
          b(), loc, sum,
          yz::MulOp::create(b(), loc, yz::SubOp::create(b(), loc, c(1), any),
                            c(otherwise))));
    };
    offsetList.push_back(pick(st, 0));
    stepList.push_back(pick(*steps, 1));
  }
  Value offsets = yz::ConcatOp::create(b(), loc, offsetList, 0);
  Value stepVec = yz::ConcatOp::create(b(), loc, stepList, 0);
  auto y = ctx.createTyped<yz::DynamicSliceOp>(declared, x, offsets, stepVec);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult slice(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t rank = t.getRank();
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  auto starts = ctx.constantInts(1), ends = ctx.constantInts(2);
  std::optional<std::vector<int64_t>> givenAxes, givenSteps;
  if (ctx.input(3))
    givenAxes = ctx.constantInts(3);
  if (ctx.input(4))
    givenSteps = ctx.constantInts(4);
  if (!starts || !ends || (ctx.input(3) && !givenAxes) ||
      (ctx.input(4) && !givenSteps))
    return dynamicSlice(ctx, x);
  std::vector<int64_t> axes, steps(starts->size(), 1);
  for (size_t i = 0; i < starts->size(); ++i)
    axes.push_back(int64_t(i));
  if (givenAxes)
    axes = *givenAxes;
  if (givenSteps)
    steps = *givenSteps;
  if (axes.size() != starts->size() || ends->size() != starts->size() ||
      steps.size() != starts->size())
    return ctx.fail("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> from(rank, 0), sizes(t.getShape()), strides(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (!normalizeAxis(axis, rank))
      return ctx.fail("axis " + std::to_string(axes[i]) + " is out of range");
    if (seen[axis])
      return ctx.fail("axes repeat an axis");
    seen[axis] = true;
    int64_t dim = t.getDimSize(axis), step = steps[i];
    if (step == 0)
      return ctx.fail("steps must not be 0");
    // ONNX: negative indices count from the end; starts and ends clamp to
    // [0, dim] walking forward, to [-1, dim - 1] walking backward.
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v += dim;
      return step > 0 ? std::clamp<int64_t>(v, 0, dim)
                      : std::clamp<int64_t>(v, -1, dim - 1);
    };
    int64_t b = clampIndex((*starts)[i]), e = clampIndex((*ends)[i]);
    int64_t n = step > 0 ? (e > b ? (e - b + step - 1) / step : 0)
                         : (b > e ? (b - e - step - 1) / -step : 0);
    from[axis] = n ? b : 0;
    sizes[axis] = n;
    strides[axis] = n ? step : 1;
  }
  auto y = ctx.create<yz::SliceOp>(x, from, sizes, strides);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}


LogicalResult expand(NodeContext &ctx) {
  Value x = ctx.input(0);
  FailureOr<SmallVector<int64_t>> shape = failure();
  if (RankedTensorType declared = ctx.declaredType(0);
      declared && !ctx.constantInts(1))
    shape = SmallVector<int64_t>(declared.getShape()); // a run-time shape
  else
    shape = shapeInput(ctx, 1, "the shape");
  if (failed(shape))
    return failure();
  // Expand broadcasts both ways: a 1 in `shape` keeps the input's size.
  std::string why;
  auto result = broadcastShapes(typeOf(x).getShape(), *shape, why);
  if (failed(result))
    return ctx.fail("cannot expand " + shapeStr(typeOf(x).getShape()) +
                    " to " + shapeStr(*shape) + ": " + why);
  auto type = typeOf(x).clone(*result);
  if (type == x.getType()) {
    ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
    return success();
  }
  auto y = ctx.createTyped<yz::BroadcastToOp>(type, x);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}


/// A constant of `shape` and `elt` whose element at (row-major) index i is
/// value(i), for the ops whose output depends only on shapes.
Value generated(NodeContext &ctx, ArrayRef<int64_t> shape, Type elt,
                function_ref<double(int64_t)> value) {
  auto type = RankedTensorType::get(shape, elt);
  SmallVector<Attribute> values;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    double v = value(i);
    values.push_back(isa<FloatType>(elt)
                         ? Attribute(ctx.b.getFloatAttr(elt, v))
                         : elt.isInteger(1)
                               ? Attribute(ctx.b.getBoolAttr(v != 0))
                               : Attribute(ctx.b.getIntegerAttr(elt, int64_t(v))));
  }
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, values));
}

LogicalResult size(NodeContext &ctx) {
  auto t = ctx.inputType(0);
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  ctx.setOutput(0, ctx.scalar(ctx.b.getI64Type(), double(t.getNumElements())));
  return success();
}

LogicalResult eyeLike(NodeContext &ctx) {
  auto t = ctx.inputType(0);
  if (t.getRank() != 2 || !t.hasStaticShape())
    return ctx.fail("needs a static 2-D input");
  Type elt = t.getElementType();
  if (ctx.attr("dtype")) {
    elt = ctx.graph.elementType(int32_t(ctx.intAttr("dtype", 0)));
    if (!elt)
      return ctx.fail("dtype is not a supported element type");
  }
  int64_t k = ctx.intAttr("k", 0), cols = t.getDimSize(1);
  ctx.setOutput(0, generated(ctx, t.getShape(), elt, [&](int64_t i) {
    return double(i % cols - i / cols == k);
  }));
  return success();
}

/// A one-element input as a rank-0 tensor of `elt` (converted if needed).
FailureOr<Value> scalarInput(NodeContext &ctx, size_t i, Type elt) {
  Value v = ctx.input(i);
  auto t = typeOf(v);
  if (!t.hasStaticShape() || t.getNumElements() != 1)
    return ctx.fail("input " + std::to_string(i) + " must have one element");
  v = ctx.reshape(v, {});
  if (t.getElementType() == elt)
    return v;
  return ctx.createTyped<yz::CastOp>(RankedTensorType::get({}, elt), v);
}

/// Range: start + i * delta for i < max(ceil((limit - start) / delta), 0).
/// The length must be known: from constant inputs, or the model's declared
/// output type; the values may be computed at run time.
LogicalResult range(NodeContext &ctx) {
  Type elt = ctx.inputType(0).getElementType();
  auto scalarOf = [&](size_t i) -> std::optional<double> {
    if (auto f = ctx.constantFloats(i); f && f->size() == 1)
      return f->front();
    if (auto n = ctx.constantInts(i); n && n->size() == 1)
      return double(n->front());
    return std::nullopt;
  };
  auto start = scalarOf(0), limit = scalarOf(1), delta = scalarOf(2);
  int64_t n;
  if (start && limit && delta) {
    if (*delta == 0)
      return ctx.fail("delta is 0");
    n = std::max<int64_t>(int64_t(std::ceil((*limit - *start) / *delta)), 0);
  } else if (RankedTensorType declared = ctx.declaredType(0);
             declared && declared.getRank() == 1) {
    n = declared.getDimSize(0);
  } else {
    return ctx.fail("the output's length depends on start, limit and delta: "
                    "they must be constants, or the output's shape declared");
  }
  Value iota = generated(ctx, {n}, elt, [](int64_t i) { return double(i); });
  auto s = scalarInput(ctx, 0, elt), d = scalarInput(ctx, 2, elt);
  (void)ctx.input(1); // only the length depends on the limit
  if (failed(s) || failed(d))
    return failure();
  ctx.setOutput(0, yz::AddOp::create(
                       ctx.b, ctx.loc, *s,
                       yz::MulOp::create(ctx.b, ctx.loc, iota, *d)));
  return success();
}

/// Trilu: the upper (or lower) triangle of the last two dimensions from
/// diagonal k, zero elsewhere: a select on (column - row) compared with k.
LogicalResult trilu(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  if (t.getRank() < 2 || !t.hasStaticShape())
    return ctx.fail("needs a static input of rank 2 or more");
  Type i64 = ctx.b.getI64Type();
  Value k = ctx.scalar(i64, 0);
  if (ctx.input(1)) {
    auto given = scalarInput(ctx, 1, i64);
    if (failed(given))
      return failure();
    k = *given;
  }
  bool upper = ctx.intAttr("upper", 1) != 0;
  int64_t rows = t.getDimSize(t.getRank() - 2), cols = t.getDimSize(t.getRank() - 1);
  Value diagonal = generated(ctx, {rows, cols}, i64, [&](int64_t i) {
    return double(i % cols - i / cols);
  });
  Value mask = upper ? Value(yz::GreaterEqualOp::create(ctx.b, ctx.loc, diagonal, k))
                     : Value(yz::LessEqualOp::create(ctx.b, ctx.loc, diagonal, k));
  Value zero = ctx.scalar(t.getElementType(), 0);
  ctx.setOutput(0, yz::SelectOp::create(ctx.b, ctx.loc, mask, x, zero));
  return success();
}

/// OneHot: (index == position along the new axis) ? on : off, indices
/// counting from the end when negative; out-of-range ones are all off. The
/// depth sizes the output: a constant, or the model's declared type.
LogicalResult oneHot(NodeContext &ctx) {
  Value indices = ctx.input(0), values = ctx.input(2);
  auto vt = typeOf(values);
  if (vt.getRank() != 1 || vt.getDimSize(0) != 2)
    return ctx.fail("values must be [off_value, on_value]");
  auto it = typeOf(indices);
  int64_t rank = it.getRank() + 1, axis = ctx.intAttr("axis", -1);
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis is out of range");
  Type i64 = ctx.b.getI64Type();
  auto depthValue = scalarInput(ctx, 1, i64);
  if (failed(depthValue))
    return failure();
  int64_t depth;
  if (auto n = readInts(*depthValue))
    depth = n->front();
  else if (RankedTensorType declared = ctx.declaredType(0);
           declared && declared.getRank() == rank)
    depth = declared.getDimSize(axis);
  else
    return ctx.fail("depth sizes the output: it must be a constant, or the "
                    "output's shape declared");
  // Indices as i64 (ONNX allows any numeric type; floats truncate).
  Value idx = indices;
  if (it.getElementType() != i64) {
    auto cast = ctx.createTyped<yz::CastOp>(it.clone(i64), idx);
    if (failed(cast))
      return failure();
    idx = *cast;
  }
  idx = yz::SelectOp::create(
      ctx.b, ctx.loc, yz::LessOp::create(ctx.b, ctx.loc, idx, ctx.scalar(i64, 0)),
      yz::AddOp::create(ctx.b, ctx.loc, idx, *depthValue), idx);
  SmallVector<int64_t> idxShape(it.getShape()), posShape(rank, 1);
  idxShape.insert(idxShape.begin() + axis, 1);
  posShape[axis] = depth;
  Value positions = generated(ctx, posShape, i64,
                              [](int64_t i) { return double(i); });
  Value hit = yz::EqualOp::create(ctx.b, ctx.loc, ctx.reshape(idx, idxShape),
                                  positions);
  auto pick = [&](int64_t i) {
    return ctx.reshape(yz::SliceOp::create(ctx.b, ctx.loc, values,
                                           ArrayRef<int64_t>{i},
                                           ArrayRef<int64_t>{1},
                                           ArrayRef<int64_t>{1}),
                       {});
  };
  ctx.setOutput(0, yz::SelectOp::create(ctx.b, ctx.loc, hit, pick(1), pick(0)));
  return success();
}

/// Split: consecutive slices along `axis`, their sizes given (an
/// attribute before opset 13, input 1 after), or equal (the last one
/// smaller when the dimension does not divide, as opset 18's num_outputs).
LogicalResult split(NodeContext &ctx, bool sizesInput) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, t.getRank()))
    return ctx.fail("axis is out of range");
  int64_t dim = t.getDimSize(axis), outputs = ctx.node.output_size();
  std::optional<std::vector<int64_t>> sizes;
  if (sizesInput) {
    if (ctx.input(1) && !(sizes = ctx.constantInts(1))) {
      // Run-time sizes: the outputs' declared types give them.
      sizes.emplace();
      for (int64_t i = 0; i < outputs; ++i) {
        RankedTensorType d = ctx.declaredType(i);
        if (!d || d.getRank() != t.getRank())
          return ctx.fail("split is a run-time input and output " +
                          std::to_string(i) + "'s shape is not declared");
        sizes->push_back(d.getDimSize(axis));
      }
    }
  } else {
    sizes = ctx.intsAttr("split");
  }
  const auto *numOutputs = ctx.attr("num_outputs");
  if (numOutputs && numOutputs->i() != outputs)
    return ctx.fail("num_outputs differs from the node's outputs");
  if (ctx.opset >= 18 && bool(numOutputs) == bool(ctx.input(1)))
    return ctx.fail("give either the split input or num_outputs");
  if (!sizes) {
    int64_t each = (dim + outputs - 1) / outputs;
    sizes.emplace();
    for (int64_t i = 0, left = dim; i < outputs; ++i, left -= each)
      sizes->push_back(std::max<int64_t>(std::min(each, left), 0));
  }
  int64_t total = 0;
  for (int64_t n : *sizes)
    total += n < 0 ? dim + 1 : n;
  if (int64_t(sizes->size()) != outputs || total != dim)
    return ctx.fail("split sizes must be one per output and add up to the "
                    "dimension's " + std::to_string(dim));
  SmallVector<int64_t> from(t.getRank(), 0), extent(t.getShape()),
      steps(t.getRank(), 1);
  for (int64_t i = 0, at = 0; i < outputs; at += (*sizes)[i], ++i) {
    from[axis] = at;
    extent[axis] = (*sizes)[i];
    if (ctx.wantsOutput(i))
      ctx.setOutput(i, yz::SliceOp::create(ctx.b, ctx.loc, x, from, extent,
                                           steps));
  }
  return success();
}

/// Tile: each dimension repeated: broadcast a unit dimension in front of
/// every one, then merge the pairs.
LogicalResult tile(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  auto repeats = ctx.constantInts(1);
  if (!repeats) {
    // Run-time repeats: the declared output shape over the input's.
    RankedTensorType d = ctx.declaredType(0);
    if (!d || d.getRank() != t.getRank() || !t.hasStaticShape())
      return ctx.fail("repeats is a run-time input and the output's shape is "
                      "not declared");
    repeats.emplace();
    for (int64_t i = 0; i < t.getRank(); ++i) {
      if (t.getDimSize(i) == 0 || d.getDimSize(i) % t.getDimSize(i))
        return ctx.fail("the declared output shape is not a multiple of the "
                        "input's");
      repeats->push_back(d.getDimSize(i) / t.getDimSize(i));
    }
  }
  if (int64_t(repeats->size()) != t.getRank())
    return ctx.fail("repeats needs one value per dimension");
  SmallVector<int64_t> split, wide, merged;
  for (auto [d, n] : llvm::enumerate(t.getShape())) {
    int64_t r = (*repeats)[d];
    if (r < 0)
      return ctx.fail("repeats must not be negative");
    split.append({1, n});
    wide.append({r, n});
    merged.push_back(r * n);
  }
  Value y = ctx.reshape(x, split);
  auto b = ctx.createTyped<yz::BroadcastToOp>(t.clone(wide), y);
  if (failed(b))
    return failure();
  ctx.setOutput(0, ctx.reshape(*b, merged));
  return success();
}

/// DepthToSpace (DCR: depth, column, row; CRD: column, row, depth) and
/// SpaceToDepth: a reshape, a transpose, a reshape.
LogicalResult depthToSpace(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t bs = ctx.intAttr("blocksize", 0);
  std::string mode = ctx.stringAttr("mode", "DCR");
  if (t.getRank() != 4 || bs < 1 || t.getDimSize(1) % (bs * bs))
    return ctx.fail("needs NCHW input whose C divides by blocksize^2");
  int64_t n = t.getDimSize(0), c = t.getDimSize(1), h = t.getDimSize(2),
          w = t.getDimSize(3), oc = c / (bs * bs);
  SmallVector<int64_t> shape, perm;
  if (mode == "DCR") {
    shape = {n, bs, bs, oc, h, w};
    perm = {0, 3, 4, 1, 5, 2};
  } else if (mode == "CRD") {
    shape = {n, oc, bs, bs, h, w};
    perm = {0, 1, 4, 2, 5, 3};
  } else {
    return ctx.fail("mode must be DCR or CRD, got '" + mode + "'");
  }
  Value y = yz::TransposeOp::create(ctx.b, ctx.loc, ctx.reshape(x, shape), perm);
  ctx.setOutput(0, ctx.reshape(y, {n, oc, h * bs, w * bs}));
  return success();
}

LogicalResult spaceToDepth(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t bs = ctx.intAttr("blocksize", 0);
  if (t.getRank() != 4 || bs < 1 || t.getDimSize(2) % bs || t.getDimSize(3) % bs)
    return ctx.fail("needs NCHW input whose H and W divide by blocksize");
  int64_t n = t.getDimSize(0), c = t.getDimSize(1), h = t.getDimSize(2) / bs,
          w = t.getDimSize(3) / bs;
  Value y = yz::TransposeOp::create(
      ctx.b, ctx.loc, ctx.reshape(x, {n, c, h, bs, w, bs}),
      ArrayRef<int64_t>{0, 3, 5, 1, 2, 4});
  ctx.setOutput(0, ctx.reshape(y, {n, c * bs * bs, h, w}));
  return success();
}

/// Pad: pads as an attribute (before opset 11) or a constant input, for
/// every axis or (opset 18) the listed ones; negative pads crop.
LogicalResult pad(NodeContext &ctx, bool padsInput) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t rank = t.getRank();
  std::string mode = ctx.stringAttr("mode", "constant");
  if (mode == "wrap" && ctx.opset < 19)
    return ctx.fail("mode wrap is opset 19's; the model's is " +
                    std::to_string(ctx.opset));
  std::optional<std::vector<int64_t>> pads =
      padsInput ? ctx.constantInts(1) : ctx.intsAttr("pads");
  if (!pads)
    return ctx.fail("pads must be a constant");
  std::vector<int64_t> axes;
  if (padsInput && ctx.input(3)) {
    auto given = ctx.constantInts(3);
    if (!given)
      return ctx.fail("axes must be a constant");
    axes = *given;
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (pads->size() != 2 * axes.size())
    return ctx.fail("pads needs 2 values per axis");
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (auto [i, a] : llvm::enumerate(axes)) {
    int64_t axis = a;
    if (!normalizeAxis(axis, rank))
      return ctx.fail("axis " + std::to_string(a) + " is out of range");
    low[axis] = (*pads)[i];
    high[axis] = (*pads)[i + axes.size()];
  }
  Value value;
  if (mode == "constant") {
    if (padsInput && ctx.input(2)) {
      Value v = ctx.input(2);
      auto vt = typeOf(v);
      if (!vt.hasStaticShape() || vt.getNumElements() != 1 ||
          vt.getElementType() != t.getElementType())
        return ctx.fail("constant_value must be one element of the input's type");
      value = ctx.reshape(v, {});
    } else if (!padsInput && ctx.attr("value")) {
      value = ctx.scalar(t.getElementType(), ctx.floatAttr("value", 0));
    }
  }
  auto y = ctx.padOrCrop(x, low, high, value, mode);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// CenterCropPad (opset 18): each listed axis cropped or zero-padded to
/// its target size around the centre (the extra element, when the
/// difference is odd, at the end).
LogicalResult centerCropPad(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t rank = t.getRank();
  auto target = ctx.constantInts(1);
  if (!target)
    return ctx.fail("shape must be a constant");
  std::vector<int64_t> axes;
  if (auto given = ctx.intsAttr("axes")) {
    axes = *given;
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (target->size() != axes.size())
    return ctx.fail("shape has " + std::to_string(target->size()) +
                    " values for " + std::to_string(axes.size()) + " axes");
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  llvm::SmallSet<int64_t, 4> seen;
  for (auto [a, size] : llvm::zip(axes, *target)) {
    int64_t axis = a;
    if (!normalizeAxis(axis, rank) || !seen.insert(axis).second)
      return ctx.fail("axis " + std::to_string(a) +
                      " is out of range or repeated");
    if (ShapedType::isDynamic(t.getDimSize(axis)) || size < 0)
      return ctx.fail("needs static dimensions and non-negative sizes");
    int64_t diff = size - t.getDimSize(axis);
    // A negative pad crops: floor(|diff| / 2) before, the rest after.
    int64_t before = (diff >= 0 ? diff : -diff) / 2;
    low[axis] = diff >= 0 ? before : -before;
    high[axis] = diff - low[axis];
  }
  auto y = ctx.padOrCrop(x, low, high, ctx.scalar(t.getElementType(), 0));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerShapeImporters(Registry &r) {
  r.op("Identity", 1, identity);
  r.op("Constant", 1, constant);
  r.op("Shape", 1, shape);
  r.op("ConstantOfShape", 9, constantOfShape);
  r.op("Reshape", 5, reshape);
  r.op("Flatten", 1, flatten);
  r.op("Squeeze", 1, [](NodeContext &c) { return squeeze(c, false); });
  r.op("Squeeze", 13, [](NodeContext &c) { return squeeze(c, true); });
  r.op("Unsqueeze", 1, [](NodeContext &c) { return unsqueeze(c, false); });
  r.op("Unsqueeze", 13, [](NodeContext &c) { return unsqueeze(c, true); });
  r.op("Transpose", 1, transpose);
  r.op("Concat", 4, concat);
  r.op("Slice", 10, slice);
  r.op("Expand", 8, expand);
  r.op("Size", 1, size);
  r.op("EyeLike", 9, eyeLike);
  r.op("Range", 11, range);
  r.op("Trilu", 14, trilu);
  r.op("OneHot", 9, oneHot);
  r.op("Split", 2, [](NodeContext &c) { return split(c, false); });
  r.op("Split", 13, [](NodeContext &c) { return split(c, true); });
  r.op("Split", 18, [](NodeContext &c) { return split(c, true); },
       {{1, 2, 1, kVariadic, "axis:i num_outputs:i"}});
  r.op("Tile", 6, tile);
  r.op("DepthToSpace", 1, depthToSpace);
  r.op("SpaceToDepth", 1, spaceToDepth);
  r.op("Pad", 2, [](NodeContext &c) { return pad(c, false); });
  r.op("Pad", 11, [](NodeContext &c) { return pad(c, true); });
  // 18 adds the axes input, 19 the wrap mode.
  r.op("Pad", 18, [](NodeContext &c) { return pad(c, true); },
       {{2, 4, 1, 1, "mode:s"}});
  r.op("CenterCropPad", 18, centerCropPad, {{2, 2, 1, 1, "axes:ints"}});
}
