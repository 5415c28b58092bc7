//===- OpImporters.cpp - one translation per ONNX op type -----------------===//
//
// Part of Yizhuang. Each entry turns one ONNX node into yz ops. Result
// shapes come from the yz ops' own inference; where an op's shape depends
// on data (Reshape and friends), from ONNX shape inference.
//
//===----------------------------------------------------------------------===//

#include "ONNXImporter.h"

#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ONNX/ImportONNX.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A rank-0 constant of `elt` (it broadcasts against anything).
Value scalar(NodeContext &ctx, Type elt, double v) {
  auto type = RankedTensorType::get({}, elt);
  Attribute value = isa<FloatType>(elt)
                        ? Attribute(ctx.b.getFloatAttr(elt, v))
                        : Attribute(ctx.b.getIntegerAttr(elt, int64_t(v)));
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, value));
}

Value reshape(NodeContext &ctx, Value v, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, typeOf(v).getElementType());
  if (type == v.getType())
    return v;
  return yz::ReshapeOp::create(ctx.b, ctx.loc, type, v);
}

/// Ops are created with the context's builder; inference errors surface as
/// diagnostics at the node, and a null op means failure.
template <typename OpT, typename... Args>
FailureOr<Value> create(NodeContext &ctx, Args &&...args) {
  SmallVector<Type> types;
  Value operands[] = {args...};
  if (failed(OpT::inferReturnTypes(ctx.b.getContext(), ctx.loc,
                                   ValueRange(operands), nullptr, nullptr, {},
                                   types)))
    return ctx.fail("operands do not fit the op (see above)");
  return OpT::create(ctx.b, ctx.loc, args...).getResult();
}

template <typename OpT>
OpImporter binary() {
  return [](NodeContext &ctx) -> LogicalResult {
    // Variadic ops (Max, Min, Sum) fold left.
    Value acc = ctx.input(0);
    for (size_t i = 1; i < ctx.numInputs(); ++i) {
      auto next = create<OpT>(ctx, acc, ctx.input(i));
      if (failed(next))
        return failure();
      acc = *next;
    }
    ctx.setOutput(0, acc);
    return success();
  };
}

template <typename OpT>
OpImporter unaryFloat() {
  return [](NodeContext &ctx) -> LogicalResult {
    Value x = ctx.input(0);
    if (!isa<FloatType>(typeOf(x).getElementType()))
      return ctx.fail("needs a float input, got " +
                      std::to_string(typeOf(x).getElementTypeBitWidth()) +
                      "-bit integers");
    ctx.setOutput(0, OpT::create(ctx.b, ctx.loc, x));
    return success();
  };
}

LogicalResult identity(NodeContext &ctx) {
  // yz-remove-identities drops it.
  ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, ctx.input(0)));
  return success();
}

/// The splat value of input i, if it is a constant all of whose elements
/// are equal (a scalar ratio, a training_mode flag).
std::optional<double> constantScalar(NodeContext &ctx, size_t i) {
  Value v = ctx.input(i);
  auto c = v ? v.getDefiningOp<yz::ConstantOp>() : yz::ConstantOp();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : nullptr;
  if (!dense || !dense.isSplat())
    return std::nullopt;
  Attribute a = dense.getSplatValue<Attribute>();
  if (auto f = dyn_cast<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto n = dyn_cast<IntegerAttr>(a))
    return n.getType().isInteger(1) ? double(n.getValue().getBoolValue())
                                    : double(n.getValue().getSExtValue());
  return std::nullopt;
}

/// Dropout is the identity at inference. In training mode with a ratio
/// above 0 it drops elements at random, which a compiled inference graph
/// cannot reproduce: refused rather than compiled as the identity.
LogicalResult dropout(NodeContext &ctx) {
  double ratio = ctx.floatAttr("ratio", 0.5f); // opset < 12: an attribute
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
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty()) {
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

LogicalResult castOp(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t to = ctx.intAttr("to", 0);
  Type elt = ctx.graph.elementType(int32_t(to));
  if (!elt)
    return ctx.fail("casting to ONNX element type " + std::to_string(to) +
                    " is not supported");
  if (elt == typeOf(x).getElementType())
    ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
  else
    ctx.setOutput(0, yz::CastOp::create(ctx.b, ctx.loc, typeOf(x).clone(elt),
                                        x));
  return success();
}

LogicalResult where(NodeContext &ctx) {
  Value c = ctx.input(0);
  if (!typeOf(c).getElementType().isInteger(1))
    return ctx.fail("the condition must be a bool tensor");
  auto y = create<yz::SelectOp>(ctx, c, ctx.input(1), ctx.input(2));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult expand(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto shape = ctx.constantInts(1);
  if (!shape)
    return ctx.fail("the shape must be known at compile time");
  // Expand broadcasts both ways: a 1 in `shape` keeps the input's size.
  std::string why;
  auto result = broadcastShapes(typeOf(x).getShape(), *shape, why);
  if (failed(result))
    return ctx.fail("cannot expand " + std::to_string(typeOf(x).getRank()) +
                    "-D input to the given shape: " + why);
  auto type = typeOf(x).clone(*result);
  if (type == x.getType())
    ctx.setOutput(0, yz::IdentityOp::create(ctx.b, ctx.loc, x));
  else
    ctx.setOutput(0, yz::BroadcastToOp::create(ctx.b, ctx.loc, type, x));
  return success();
}

template <typename OpT>
LogicalResult compare(NodeContext &ctx) {
  auto y = create<OpT>(ctx, ctx.input(0), ctx.input(1));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult constant(NodeContext &ctx) {
  const onnx::AttributeProto *value = ctx.attr("value");
  if (!value)
    return ctx.fail("only the 'value' form of Constant is supported");
  auto v = ctx.graph.importTensor(ctx.b, ctx.loc, value->t());
  if (failed(v))
    return failure();
  ctx.setOutput(0, *v);
  return success();
}

LogicalResult relu(NodeContext &ctx) {
  ctx.setOutput(0, yz::ReluOp::create(ctx.b, ctx.loc, ctx.input(0)));
  return success();
}

LogicalResult matmul(NodeContext &ctx) {
  Value a = ctx.input(0), b = ctx.input(1);
  // numpy.matmul: a 1-D operand gains a unit dimension, removed afterwards.
  if (typeOf(a).getRank() == 1)
    a = reshape(ctx, a, {1, typeOf(a).getDimSize(0)});
  if (typeOf(b).getRank() == 1)
    b = reshape(ctx, b, {typeOf(b).getDimSize(0), 1});
  auto result = create<yz::MatmulOp>(ctx, a, b);
  if (failed(result))
    return failure();
  RankedTensorType want = ctx.outputType(0);
  Value out = *result;
  if (want && want.hasStaticShape() && want.getShape() != typeOf(out).getShape())
    out = reshape(ctx, out, want.getShape());
  ctx.setOutput(0, out);
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
    return yz::TransposeOp::create(ctx.b, ctx.loc, v,
                                   ArrayRef<int64_t>{1, 0})
        .getResult();
  };
  if (transA)
    a = t(a);
  if (transB)
    b = t(b);
  auto y = create<yz::MatmulOp>(ctx, a, b);
  if (failed(y))
    return failure();
  Value out = *y;
  Type elt = typeOf(out).getElementType();
  float alpha = ctx.floatAttr("alpha", 1.0f), beta = ctx.floatAttr("beta", 1.0f);
  if (alpha != 1.0f)
    out = yz::MulOp::create(ctx.b, ctx.loc, out, scalar(ctx, elt, alpha));
  if (Value c = ctx.input(2)) {
    if (beta != 1.0f)
      c = yz::MulOp::create(ctx.b, ctx.loc, c, scalar(ctx, elt, beta));
    auto sum = create<yz::AddOp>(ctx, out, c);
    if (failed(sum))
      return failure();
    out = *sum;
  }
  ctx.setOutput(0, out);
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
  if (int64_t(perm.size()) != rank)
    return ctx.fail("perm has " + std::to_string(perm.size()) +
                    " entries for a rank-" + std::to_string(rank) + " input");
  for (int64_t p : perm)
    if (p < 0 || p >= rank || llvm::count(perm, p) != 1)
      return ctx.fail("perm is not a permutation");
  ctx.setOutput(0, yz::TransposeOp::create(ctx.b, ctx.loc, x, perm));
  return success();
}

/// Reshape, Flatten, Squeeze, Unsqueeze: the data do not move; the shape
/// is the one ONNX inference computed.
LogicalResult reshapeLike(NodeContext &ctx) {
  RankedTensorType want = ctx.outputType(0);
  if (!want || !want.hasStaticShape())
    return ctx.fail("ONNX shape inference gave no static output shape (the "
                    "shape must be computable at compile time)");
  ctx.setOutput(0, reshape(ctx, ctx.input(0), want.getShape()));
  return success();
}

LogicalResult clip(NodeContext &ctx) {
  Value x = ctx.input(0);
  Type elt = typeOf(x).getElementType();
  // Opset 11+: min and max are optional inputs; earlier, attributes.
  auto bound = [&](size_t input, StringRef attr) -> Value {
    if (Value v = ctx.input(input))
      return v;
    if (ctx.attr(attr))
      return scalar(ctx, elt, ctx.floatAttr(attr, 0));
    return {};
  };
  if (Value lo = bound(1, "min"))
    x = yz::MaxOp::create(ctx.b, ctx.loc, x, lo);
  if (Value hi = bound(2, "max"))
    x = yz::MinOp::create(ctx.b, ctx.loc, x, hi);
  ctx.setOutput(0, x);
  return success();
}

/// Normalizes a possibly negative axis; false if out of range.
bool normalizeAxis(int64_t &axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank;
}

/// A per-channel constant shaped [1, C, 1, ...] for a rank-`rank` input.
Value channelConstant(NodeContext &ctx, ArrayRef<float> values, int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = int64_t(values.size());
  auto type = RankedTensorType::get(shape, ctx.b.getF32Type());
  return yz::ConstantOp::create(ctx.b, ctx.loc,
                                DenseElementsAttr::get(type, values));
}

/// Pads from ONNX's pads/auto_pad for a window op over NCHW `input`.
FailureOr<SmallVector<int64_t>> windowPads(NodeContext &ctx,
                                           RankedTensorType input,
                                           ArrayRef<int64_t> kernel,
                                           ArrayRef<int64_t> strides,
                                           ArrayRef<int64_t> dilations) {
  std::string autoPad = "NOTSET";
  if (const auto *a = ctx.attr("auto_pad"))
    autoPad = a->s();
  SmallVector<int64_t> pads(4, 0);
  if (autoPad == "NOTSET") {
    if (auto p = ctx.intsAttr("pads")) {
      if (p->size() != 4)
        return ctx.fail("pads must have 4 values for a 2-D window");
      pads.assign(p->begin(), p->end());
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      int64_t in = input.getDimSize(2 + i);
      int64_t out = (in + strides[i] - 1) / strides[i];
      int64_t total = std::max<int64_t>(
          (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - in, 0);
      int64_t small = total / 2, big = total - small;
      pads[i] = autoPad == "SAME_UPPER" ? small : big;
      pads[i + 2] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad != "VALID") {
    return ctx.fail("auto_pad = " + autoPad + " is not supported");
  }
  return pads;
}

LogicalResult conv(NodeContext &ctx) {
  Value x = ctx.input(0), w = ctx.input(1), bias = ctx.input(2);
  auto xt = typeOf(x), wt = typeOf(w);
  if (xt.getRank() != 4 || wt.getRank() != 4)
    return ctx.fail("only 2-D convolutions (NCHW input, 4-D weights) are "
                    "supported, got rank " +
                    std::to_string(xt.getRank()));
  std::vector<int64_t> strides = ctx.intsAttr("strides").value_or(
                           std::vector<int64_t>{1, 1}),
                       dilations = ctx.intsAttr("dilations").value_or(
                           std::vector<int64_t>{1, 1});
  SmallVector<int64_t> kernel = {wt.getDimSize(2), wt.getDimSize(3)};
  auto pads = windowPads(ctx, xt, kernel, strides, dilations);
  if (failed(pads))
    return failure();
  SmallVector<Type> types;
  yz::Conv2DOp::Properties props;
  props.strides = ctx.b.getDenseI64ArrayAttr(strides);
  props.dilations = ctx.b.getDenseI64ArrayAttr(dilations);
  props.pads = ctx.b.getDenseI64ArrayAttr(*pads);
  props.groups = ctx.b.getI64IntegerAttr(ctx.intAttr("group", 1));
  SmallVector<Value> operands = {x, w};
  if (bias)
    operands.push_back(bias);
  if (failed(yz::Conv2DOp::inferReturnTypes(ctx.b.getContext(), ctx.loc,
                                            operands, nullptr, &props, {},
                                            types)))
    return ctx.fail("the convolution's operands do not fit (see above)");
  ctx.setOutput(0, yz::Conv2DOp::create(ctx.b, ctx.loc, TypeRange{types[0]},
                                        ValueRange(operands), props));
  return success();
}

LogicalResult pool(NodeContext &ctx, bool max) {
  Value x = ctx.input(0);
  auto xt = typeOf(x);
  if (xt.getRank() != 4)
    return ctx.fail("only 2-D pooling over NCHW inputs is supported");
  if (ctx.intAttr("ceil_mode", 0) != 0)
    return ctx.fail("ceil_mode = 1 is not supported");
  if (ctx.intAttr("storage_order", 0) != 0)
    return ctx.fail("storage_order = 1 is not supported");
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.fail("the Indices output is not supported");
  auto kernel = ctx.intsAttr("kernel_shape");
  if (!kernel || kernel->size() != 2)
    return ctx.fail("kernel_shape must have 2 values");
  std::vector<int64_t> strides = ctx.intsAttr("strides").value_or(
                           std::vector<int64_t>{1, 1}),
                       dilations = ctx.intsAttr("dilations").value_or(
                           std::vector<int64_t>{1, 1});
  auto pads = windowPads(ctx, xt, *kernel, strides, dilations);
  if (failed(pads))
    return failure();
  SmallVector<Type> types;
  if (max) {
    yz::MaxPool2DOp::Properties props;
    props.kernel = ctx.b.getDenseI64ArrayAttr(*kernel);
    props.strides = ctx.b.getDenseI64ArrayAttr(strides);
    props.dilations = ctx.b.getDenseI64ArrayAttr(dilations);
    props.pads = ctx.b.getDenseI64ArrayAttr(*pads);
    if (failed(yz::MaxPool2DOp::inferReturnTypes(ctx.b.getContext(), ctx.loc,
                                                 ValueRange{x}, nullptr,
                                                 &props, {}, types)))
      return ctx.fail("the window does not fit the input (see above)");
    ctx.setOutput(0, yz::MaxPool2DOp::create(ctx.b, ctx.loc, x, *kernel,
                                             strides, dilations, *pads));
    return success();
  }
  if (dilations != std::vector<int64_t>{1, 1})
    return ctx.fail("dilated average pooling is not supported");
  yz::AvgPool2DOp::Properties props;
  props.kernel = ctx.b.getDenseI64ArrayAttr(*kernel);
  props.strides = ctx.b.getDenseI64ArrayAttr(strides);
  props.pads = ctx.b.getDenseI64ArrayAttr(*pads);
  props.count_include_pad =
      ctx.b.getBoolAttr(ctx.intAttr("count_include_pad", 0) != 0);
  if (failed(yz::AvgPool2DOp::inferReturnTypes(ctx.b.getContext(), ctx.loc,
                                               ValueRange{x}, nullptr, &props,
                                               {}, types)))
    return ctx.fail("the window does not fit the input (see above)");
  ctx.setOutput(0, yz::AvgPool2DOp::create(ctx.b, ctx.loc, x, *kernel, strides,
                                           *pads,
                                           props.count_include_pad.getValue()));
  return success();
}

LogicalResult globalPool(NodeContext &ctx, bool max) {
  Value x = ctx.input(0);
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < typeOf(x).getRank(); ++d)
    axes.push_back(d);
  if (max)
    ctx.setOutput(0, yz::ReduceMaxOp::create(ctx.b, ctx.loc, x, axes, true));
  else
    ctx.setOutput(0, yz::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true));
  return success();
}

LogicalResult batchNorm(NodeContext &ctx) {
  if (ctx.intAttr("training_mode", 0) != 0)
    return ctx.fail("training_mode = 1 is not supported (inference only)");
  if (ctx.node.output_size() > 1)
    return ctx.fail("the running-statistics outputs are not supported");
  auto scale = ctx.constantFloats(1), bias = ctx.constantFloats(2),
       mean = ctx.constantFloats(3), var = ctx.constantFloats(4);
  if (!scale || !bias || !mean || !var)
    return ctx.fail("scale, B, mean and var must be f32 constants");
  float eps = ctx.floatAttr("epsilon", 1e-5f);
  // y = x * a + b with a = scale / sqrt(var + eps), b = B - mean * a.
  std::vector<float> a(scale->size()), b(scale->size());
  for (size_t c = 0; c < a.size(); ++c) {
    a[c] = (*scale)[c] / std::sqrt((*var)[c] + eps);
    b[c] = (*bias)[c] - (*mean)[c] * a[c];
  }
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank();
  if (rank < 2 || typeOf(x).getDimSize(1) != int64_t(a.size()) ||
      !typeOf(x).getElementType().isF32())
    return ctx.fail("needs an f32 input with C = " + std::to_string(a.size()) +
                    " channels in dimension 1");
  Value y = yz::MulOp::create(ctx.b, ctx.loc, x, channelConstant(ctx, a, rank));
  ctx.setOutput(0,
                yz::AddOp::create(ctx.b, ctx.loc, y, channelConstant(ctx, b, rank)));
  return success();
}

template <typename OpT>
LogicalResult reduce(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank();
  std::optional<std::vector<int64_t>> axes = ctx.intsAttr("axes");
  if (!axes && ctx.numInputs() > 1 && ctx.input(1)) {
    axes = ctx.constantInts(1);
    if (!axes)
      return ctx.fail("axes must be a constant");
  }
  SmallVector<int64_t> list;
  if (!axes || axes->empty()) {
    if (ctx.intAttr("noop_with_empty_axes", 0)) {
      ctx.setOutput(0, x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      list.push_back(d);
  } else {
    for (int64_t a : *axes) {
      if (!normalizeAxis(a, rank))
        return ctx.fail("axis " + std::to_string(a) + " is out of range");
      list.push_back(a);
    }
    llvm::sort(list);
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  ctx.setOutput(0, OpT::create(ctx.b, ctx.loc, x, list,
                               ctx.intAttr("keepdims", 1) != 0));
  return success();
}

LogicalResult softmax(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank();
  int64_t axis = ctx.intAttr("axis", ctx.graph.opset >= 13 ? -1 : 1);
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis is out of range");
  // Before opset 13, Softmax flattened everything from `axis` on.
  if (ctx.graph.opset < 13 && axis != rank - 1)
    return ctx.fail("opset < 13 Softmax over several axes is not supported");
  ctx.setOutput(0, yz::SoftmaxOp::create(ctx.b, ctx.loc, x, axis));
  return success();
}

LogicalResult concat(NodeContext &ctx) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    inputs.push_back(ctx.input(i));
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(inputs[0]).getRank()))
    return ctx.fail("axis is out of range");
  SmallVector<Type> types;
  yz::ConcatOp::Properties props;
  props.axis = ctx.b.getI64IntegerAttr(axis);
  if (failed(yz::ConcatOp::inferReturnTypes(ctx.b.getContext(), ctx.loc,
                                            inputs, nullptr, &props, {},
                                            types)))
    return ctx.fail("the inputs do not concatenate (see above)");
  ctx.setOutput(0, yz::ConcatOp::create(ctx.b, ctx.loc, inputs, axis));
  return success();
}

LogicalResult leakyRelu(NodeContext &ctx) {
  Value x = ctx.input(0);
  float alpha = ctx.floatAttr("alpha", 0.01f);
  Value ax = yz::MulOp::create(
      ctx.b, ctx.loc, x, scalar(ctx, typeOf(x).getElementType(), alpha));
  // For 0 <= alpha <= 1, max(x, alpha x); for alpha > 1, min(x, alpha x).
  if (alpha <= 1.0f)
    ctx.setOutput(0, yz::MaxOp::create(ctx.b, ctx.loc, x, ax));
  else
    ctx.setOutput(0, yz::MinOp::create(ctx.b, ctx.loc, x, ax));
  return success();
}

/// max(0, min(1, alpha * x + beta)).
Value hardSigmoidOf(NodeContext &ctx, Value x, float alpha, float beta) {
  Type elt = typeOf(x).getElementType();
  Value y = yz::AddOp::create(
      ctx.b, ctx.loc,
      yz::MulOp::create(ctx.b, ctx.loc, x, scalar(ctx, elt, alpha)),
      scalar(ctx, elt, beta));
  y = yz::MinOp::create(ctx.b, ctx.loc, y, scalar(ctx, elt, 1.0));
  return yz::MaxOp::create(ctx.b, ctx.loc, y, scalar(ctx, elt, 0.0));
}

LogicalResult hardSigmoid(NodeContext &ctx) {
  ctx.setOutput(0, hardSigmoidOf(ctx, ctx.input(0),
                                 ctx.floatAttr("alpha", 0.2f),
                                 ctx.floatAttr("beta", 0.5f)));
  return success();
}

LogicalResult hardSwish(NodeContext &ctx) {
  Value x = ctx.input(0);
  ctx.setOutput(0, yz::MulOp::create(ctx.b, ctx.loc, x,
                                     hardSigmoidOf(ctx, x, 1.0f / 6, 0.5f)));
  return success();
}

LogicalResult layerNorm(NodeContext &ctx) {
  Value x = ctx.input(0);
  int64_t rank = typeOf(x).getRank(), axis = ctx.intAttr("axis", -1);
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis is out of range");
  if (ctx.node.output_size() > 1)
    return ctx.fail("the Mean and InvStdDev outputs are not supported");
  Type elt = typeOf(x).getElementType();
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  // (x - mean) / sqrt(var + eps) * scale + bias, over axes axis..rank-1.
  Value mean = yz::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true);
  Value d = yz::SubOp::create(ctx.b, ctx.loc, x, mean);
  Value var = yz::ReduceMeanOp::create(
      ctx.b, ctx.loc, yz::MulOp::create(ctx.b, ctx.loc, d, d), axes, true);
  Value denom = yz::SqrtOp::create(
      ctx.b, ctx.loc,
      yz::AddOp::create(ctx.b, ctx.loc, var,
                        scalar(ctx, elt, ctx.floatAttr("epsilon", 1e-5f))));
  Value y = yz::DivOp::create(ctx.b, ctx.loc, d, denom);
  y = yz::MulOp::create(ctx.b, ctx.loc, y, ctx.input(1));
  if (Value bias = ctx.input(2))
    y = yz::AddOp::create(ctx.b, ctx.loc, y, bias);
  ctx.setOutput(0, y);
  return success();
}

/// Shape of a static input: a constant.
LogicalResult shape(NodeContext &ctx) {
  auto t = typeOf(ctx.input(0));
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
  // Downstream Reshape/Expand read it as a constant too.
  return success();
}

LogicalResult constantOfShape(NodeContext &ctx) {
  auto dims = ctx.constantInts(0);
  RankedTensorType want = ctx.outputType(0);
  if (!want || !want.hasStaticShape())
    return ctx.fail("the shape must be a constant");
  (void)dims;
  Attribute value = ctx.b.getZeroAttr(want.getElementType());
  if (const auto *a = ctx.attr("value")) {
    auto v = ctx.graph.importTensor(ctx.b, ctx.loc, a->t());
    if (failed(v))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(
        v->getDefiningOp<yz::ConstantOp>().getValue());
    if (!dense)
      return ctx.fail("value must be a small constant");
    value = dense.getSplatValue<Attribute>();
    v->getDefiningOp()->erase();
  }
  ctx.setOutput(0, yz::ConstantOp::create(
                       ctx.b, ctx.loc, DenseElementsAttr::get(want, value)));
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
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (!normalizeAxis(axis, rank))
      return ctx.fail("axis " + std::to_string(axes[i]) + " is out of range");
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
  ctx.setOutput(0, yz::SliceOp::create(ctx.b, ctx.loc, x, from, sizes, strides));
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
  ctx.setOutput(0, yz::GatherOp::create(ctx.b, ctx.loc, data, indices, axis));
  return success();
}

/// The data of input i as raw bytes, if it is an initializer of `type`.
std::optional<std::vector<char>> constantBytes(NodeContext &ctx, size_t i,
                                               int32_t type, size_t width) {
  if (i >= ctx.numInputs())
    return std::nullopt;
  auto it = ctx.graph.constants.find(ctx.node.input(int(i)));
  if (it == ctx.graph.constants.end() || it->second->data_type() != type)
    return std::nullopt;
  auto bytes = tensorBytes(*it->second, width);
  if (failed(bytes))
    return std::nullopt;
  return std::move(*bytes);
}

/// The scales (input 1) and the int8 zero points (input 2, 0 if absent) of
/// QuantizeLinear / DequantizeLinear: one each, or one per slice of `axis`.
struct QdqParams {
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
};
FailureOr<QdqParams> qdqParams(NodeContext &ctx, bool needZeroPoint) {
  QdqParams p;
  auto scales = ctx.constantFloats(1);
  if (!scales || scales->empty())
    return ctx.fail("the scale must be an f32 constant");
  p.scales = *scales;
  if (Value zp = ctx.input(2)) {
    Type elt = typeOf(zp).getElementType();
    auto bytes = constantBytes(ctx, 2, onnx::TensorProto::INT8, 1);
    if (!elt.isInteger(8) || !bytes)
      return ctx.fail("the zero point must be an int8 constant (uint8 QDQ "
                      "models are not supported: quantize activations to "
                      "int8)");
    for (char c : *bytes)
      p.zeroPoints.push_back(int8_t(c));
  } else if (needZeroPoint) {
    return ctx.fail("needs an int8 zero point (without one the output is "
                    "uint8, which is not supported)");
  } else {
    p.zeroPoints.assign(p.scales.size(), 0);
  }
  if (p.zeroPoints.size() != p.scales.size())
    return ctx.fail("scale and zero point differ in size");
  for (float scale : p.scales)
    if (!(scale > 0) || std::isinf(scale))
      return ctx.fail("scales must be positive and finite");
  return p;
}

LogicalResult quantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto p = qdqParams(ctx, /*needZeroPoint=*/true);
  if (failed(p))
    return failure();
  if (p->scales.size() != 1)
    return ctx.fail("per-axis QuantizeLinear is not supported (activations "
                    "are quantized per tensor)");
  if (!typeOf(x).getElementType().isF32())
    return ctx.fail("needs an f32 input");
  ctx.setOutput(0, yz::QuantizeOp::create(
                       ctx.b, ctx.loc, typeOf(x).clone(ctx.b.getI8Type()), x,
                       ctx.b.getF32FloatAttr(p->scales[0]),
                       ctx.b.getI64IntegerAttr(p->zeroPoints[0])));
  return success();
}

/// DequantizeLinear: of an int8 activation, yz.dequantize; of constant
/// int8 weights or int32 biases (per tensor or per axis), the f32 values,
/// computed here as ONNX defines them ((q - zero point) x scale in f32) -
/// yz-quantize fuses QDQ convolutions and recovers the weights' int8 grid.
LogicalResult dequantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  RankedTensorType type = typeOf(x);
  auto p = qdqParams(ctx, /*needZeroPoint=*/false);
  if (failed(p))
    return failure();
  std::optional<std::vector<char>> i8 =
      constantBytes(ctx, 0, onnx::TensorProto::INT8, 1);
  std::optional<std::vector<char>> i32 =
      constantBytes(ctx, 0, onnx::TensorProto::INT32, 4);
  if (!i8 && !i32) {
    if (!type.getElementType().isInteger(8))
      return ctx.fail("needs an int8 input (or constant int8 or int32 data)");
    if (p->scales.size() != 1)
      return ctx.fail("per-axis DequantizeLinear needs constant data");
    ctx.setOutput(0, yz::DequantizeOp::create(
                         ctx.b, ctx.loc, type.clone(ctx.b.getF32Type()), x,
                         ctx.b.getF32FloatAttr(p->scales[0]),
                         ctx.b.getI64IntegerAttr(p->zeroPoints[0])));
    return success();
  }
  if (!type.hasStaticShape())
    return ctx.fail("constant data of dynamic shape");
  int64_t rank = type.getRank(), axis = ctx.intAttr("axis", 1);
  int64_t n = type.getNumElements(), inner = 1, dim = 1;
  if (p->scales.size() > 1) {
    if (!normalizeAxis(axis, rank) ||
        type.getDimSize(axis) != int64_t(p->scales.size()))
      return ctx.fail("per-axis scales must match the size of dimension " +
                      std::to_string(ctx.intAttr("axis", 1)));
    dim = type.getDimSize(axis);
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= type.getDimSize(d);
  }
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i) {
    size_t c = p->scales.size() > 1 ? size_t((i / inner) % dim) : 0;
    int64_t q;
    if (i8) {
      q = int8_t((*i8)[i]);
    } else {
      int32_t v;
      memcpy(&v, i32->data() + 4 * i, 4);
      q = v;
    }
    values[i] = (float(q) - float(p->zeroPoints[c])) * p->scales[c];
  }
  ctx.setOutput(0, ctx.graph.constant(
                       ctx.b, ctx.loc, type.clone(ctx.b.getF32Type()),
                       ArrayRef<char>(reinterpret_cast<char *>(values.data()),
                                      values.size() * 4),
                       ctx.node.input(0) + "_dequantized"));
  return success();
}

} // namespace

const llvm::StringMap<OpImporter> &mlir::yz::onnx_import::opImporters() {
  static const llvm::StringMap<OpImporter> table = [] {
    llvm::StringMap<OpImporter> t;
    t["Identity"] = identity;
    t["Dropout"] = dropout;
    t["Cast"] = castOp;
    t["Where"] = where;
    t["Expand"] = expand;
    t["Equal"] = compare<yz::EqualOp>;
    t["Less"] = compare<yz::LessOp>;
    t["LessOrEqual"] = compare<yz::LessEqualOp>;
    t["Greater"] = compare<yz::GreaterOp>;
    t["GreaterOrEqual"] = compare<yz::GreaterEqualOp>;
    t["Constant"] = constant;
    t["Add"] = binary<yz::AddOp>();
    t["Sub"] = binary<yz::SubOp>();
    t["Mul"] = binary<yz::MulOp>();
    t["Div"] = binary<yz::DivOp>();
    t["Pow"] = binary<yz::PowOp>();
    t["Max"] = binary<yz::MaxOp>();
    t["Min"] = binary<yz::MinOp>();
    t["Sum"] = binary<yz::AddOp>();
    t["Relu"] = relu;
    t["Sigmoid"] = unaryFloat<yz::SigmoidOp>();
    t["Tanh"] = unaryFloat<yz::TanhOp>();
    t["Erf"] = unaryFloat<yz::ErfOp>();
    t["Exp"] = unaryFloat<yz::ExpOp>();
    t["Log"] = unaryFloat<yz::LogOp>();
    t["Sqrt"] = unaryFloat<yz::SqrtOp>();
    t["Reciprocal"] = unaryFloat<yz::ReciprocalOp>();
    t["Neg"] = unaryFloat<yz::NegOp>();
    t["Abs"] = unaryFloat<yz::AbsOp>();
    t["MatMul"] = matmul;
    t["Gemm"] = gemm;
    t["Transpose"] = transpose;
    t["Reshape"] = reshapeLike;
    t["Flatten"] = reshapeLike;
    t["Squeeze"] = reshapeLike;
    t["Unsqueeze"] = reshapeLike;
    t["Clip"] = clip;
    t["Conv"] = conv;
    t["MaxPool"] = [](NodeContext &c) { return pool(c, true); };
    t["AveragePool"] = [](NodeContext &c) { return pool(c, false); };
    t["GlobalAveragePool"] = [](NodeContext &c) { return globalPool(c, false); };
    t["GlobalMaxPool"] = [](NodeContext &c) { return globalPool(c, true); };
    t["BatchNormalization"] = batchNorm;
    t["ReduceSum"] = reduce<yz::ReduceSumOp>;
    t["ReduceMean"] = reduce<yz::ReduceMeanOp>;
    t["ReduceMax"] = reduce<yz::ReduceMaxOp>;
    t["Softmax"] = softmax;
    t["Concat"] = concat;
    t["LeakyRelu"] = leakyRelu;
    t["HardSigmoid"] = hardSigmoid;
    t["HardSwish"] = hardSwish;
    t["LayerNormalization"] = layerNorm;
    t["Shape"] = shape;
    t["ConstantOfShape"] = constantOfShape;
    t["Slice"] = slice;
    t["Gather"] = gather;
    t["QuantizeLinear"] = quantizeLinear;
    t["DequantizeLinear"] = dequantizeLinear;
    return t;
  }();
  return table;
}

std::vector<std::string> mlir::yz::supportedONNXOps() {
  std::vector<std::string> names;
  for (const auto &entry : opImporters())
    names.push_back(entry.getKey().str());
  llvm::sort(names);
  return names;
}
