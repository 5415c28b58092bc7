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

LogicalResult passThrough(NodeContext &ctx) {
  // Identity, and Dropout at inference (its mask output is not produced).
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.fail("the mask output is not supported");
  ctx.setOutput(0, ctx.input(0));
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

} // namespace

const llvm::StringMap<OpImporter> &mlir::yz::onnx_import::opImporters() {
  static const llvm::StringMap<OpImporter> table = [] {
    llvm::StringMap<OpImporter> t;
    t["Identity"] = passThrough;
    t["Dropout"] = passThrough;
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
