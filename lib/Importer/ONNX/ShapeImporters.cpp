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

LogicalResult slice(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto t = typeOf(x);
  int64_t rank = t.getRank();
  if (!t.hasStaticShape())
    return ctx.fail("the input's shape is not static");
  auto starts = ctx.constantInts(1), ends = ctx.constantInts(2);
  if (!starts || !ends)
    return ctx.fail("starts and ends must be constants");
  std::vector<int64_t> axes, steps(starts->size(), 1);
  for (size_t i = 0; i < starts->size(); ++i)
    axes.push_back(int64_t(i));
  if (ctx.input(3)) {
    auto a = ctx.constantInts(3);
    if (!a)
      return ctx.fail("axes must be a constant");
    axes = *a;
  }
  if (ctx.input(4)) {
    auto s = ctx.constantInts(4);
    if (!s)
      return ctx.fail("steps must be a constant");
    steps = *s;
  }
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
    if (step < 1)
      return ctx.fail("steps must be positive (reversing slices are not "
                      "supported)");
    // ONNX: negative indices count from the end; both ends clamp.
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v += dim;
      return std::clamp<int64_t>(v, 0, dim);
    };
    int64_t b = clampIndex((*starts)[i]), e = clampIndex((*ends)[i]);
    from[axis] = b;
    sizes[axis] = e > b ? (e - b + step - 1) / step : 0;
    strides[axis] = step;
  }
  auto y = ctx.create<yz::SliceOp>(x, from, sizes, strides);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult gather(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(data).getRank()))
    return ctx.fail("axis is out of range");
  Type it = typeOf(indices).getElementType();
  if (!it.isInteger(32) && !it.isInteger(64))
    return ctx.fail("indices must be i32 or i64");
  // Constant indices are checked here; others are the model's promise.
  if (auto idx = ctx.constantInts(1)) {
    int64_t dim = typeOf(data).getDimSize(axis);
    for (int64_t i : *idx)
      if (i < -dim || i >= dim)
        return ctx.fail("index " + std::to_string(i) + " is out of range for "
                        "a dimension of " + std::to_string(dim));
  }
  auto y = ctx.create<yz::GatherOp>(data, indices, axis);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult expand(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto shape = shapeInput(ctx, 1, "the shape");
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

LogicalResult gatherElements(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(data).getRank()))
    return ctx.fail("axis is out of range");
  Type it = typeOf(indices).getElementType();
  if (!it.isInteger(32) && !it.isInteger(64))
    return ctx.fail("indices must be int32 or int64");
  auto y = ctx.create<yz::GatherElementsOp>(data, indices, axis);
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
  r.op("Gather", 1, gather);
  r.op("Expand", 8, expand);
  r.op("GatherElements", 11, gatherElements);
  r.op("Size", 1, size);
  r.op("EyeLike", 9, eyeLike);
  r.op("Range", 11, range);
  r.op("Trilu", 14, trilu);
  r.op("OneHot", 9, oneHot);
}
