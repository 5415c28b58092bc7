//===- YzOps.cpp - yz op verification, inference and folding --------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::yz;

static std::string dimStr(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

FailureOr<SmallVector<int64_t>>
mlir::yz::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                          std::string &why) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align at the right, as numpy does; missing dimensions act as 1.
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == 1) {
      out[i] = r;
    } else if (r == 1 || l == r) {
      out[i] = l;
    } else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r)) {
      out[i] = ShapedType::isDynamic(l) ? r : l;
    } else {
      why = llvm::formatv("dimension {0} of the result: {1} vs {2}", i,
                          dimStr(l), dimStr(r))
                .str();
      return failure();
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "yz.matmul operands must have rank >= 2, got ",
                             lhs, " and ", rhs);
  Type elt = lhs.getElementType();
  if (elt != rhs.getElementType())
    return emitOptionalError(loc, "yz.matmul operands must have the same "
                                  "element type, got ",
                             elt, " and ", rhs.getElementType());
  int64_t k1 = lhs.getShape().back();
  int64_t k2 = rhs.getShape()[rhs.getRank() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOptionalError(loc, "yz.matmul contraction dimensions differ: "
                                  "lhs has K = ",
                             k1, ", rhs has K = ", k2);
  std::string why;
  auto batch = broadcastShapes(lhs.getShape().drop_back(2),
                               rhs.getShape().drop_back(2), why);
  if (failed(batch))
    return emitOptionalError(loc, "yz.matmul batch dimensions do not "
                                  "broadcast: ",
                             why);
  SmallVector<int64_t> shape = *batch;
  shape.push_back(lhs.getShape()[lhs.getRank() - 2]);
  shape.push_back(rhs.getShape().back());
  Type resultElt = elt;
  if (elt.isInteger(8))
    resultElt = IntegerType::get(elt.getContext(), 32);
  types.push_back(RankedTensorType::get(shape, resultElt));
  return success();
}

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcastBinary(StringRef opName,
                                          std::optional<Location> loc,
                                          Value lhsValue, Value rhsValue,
                                          SmallVectorImpl<Type> &types) {
  auto lhs = cast<RankedTensorType>(lhsValue.getType());
  auto rhs = cast<RankedTensorType>(rhsValue.getType());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, opName,
                             " operands must have the same element type, got ",
                             lhs.getElementType(), " and ",
                             rhs.getElementType());
  std::string why;
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape(), why);
  if (failed(shape))
    return emitOptionalError(loc, opName, " operand shapes ", lhs, " and ", rhs,
                             " do not broadcast: ", why);
  types.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

#define YZ_BINARY_INFER(Op, name)                                              \
  LogicalResult Op::inferReturnTypes(MLIRContext *,                           \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferBroadcastBinary(name, loc, adaptor.getLhs(),                   \
                                adaptor.getRhs(), types);                      \
  }
YZ_BINARY_INFER(AddOp, "yz.add")
YZ_BINARY_INFER(SubOp, "yz.sub")
YZ_BINARY_INFER(MulOp, "yz.mul")
YZ_BINARY_INFER(DivOp, "yz.div")
YZ_BINARY_INFER(PowOp, "yz.pow")
YZ_BINARY_INFER(MaxOp, "yz.max")
YZ_BINARY_INFER(MinOp, "yz.min")
#undef YZ_BINARY_INFER

#define YZ_COMPARE_INFER(Op, name)                                             \
  LogicalResult Op::inferReturnTypes(MLIRContext *ctx,                        \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    if (failed(inferBroadcastBinary(name, loc, adaptor.getLhs(),               \
                                    adaptor.getRhs(), types)))                 \
      return failure();                                                        \
    types[0] = cast<RankedTensorType>(types[0]).clone(IntegerType::get(ctx, 1)); \
    return success();                                                          \
  }
YZ_COMPARE_INFER(EqualOp, "yz.equal")
YZ_COMPARE_INFER(LessOp, "yz.less")
YZ_COMPARE_INFER(LessEqualOp, "yz.less_equal")
YZ_COMPARE_INFER(GreaterOp, "yz.greater")
YZ_COMPARE_INFER(GreaterEqualOp, "yz.greater_equal")
#undef YZ_COMPARE_INFER

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(inferBroadcastBinary("yz.select", loc, adaptor.getLhs(),
                                  adaptor.getRhs(), types)))
    return failure();
  auto cond = cast<RankedTensorType>(adaptor.getCondition().getType());
  auto value = cast<RankedTensorType>(types[0]);
  std::string why;
  auto shape = broadcastShapes(cond.getShape(), value.getShape(), why);
  if (failed(shape))
    return emitOptionalError(loc, "yz.select condition ", cond,
                             " does not broadcast with ", value, ": ", why);
  types[0] = value.clone(*shape);
  return success();
}

//===----------------------------------------------------------------------===//
// Fused epilogues: bias and clamp
//===----------------------------------------------------------------------===//

/// clamp_min <= clamp_max when both are set.
static LogicalResult verifyClamp(Operation *op, FloatAttr lo, FloatAttr hi) {
  if (lo && hi && lo.getValueAsDouble() > hi.getValueAsDouble())
    return op->emitOpError("clamp_min (")
           << lo.getValueAsDouble() << ") is greater than clamp_max ("
           << hi.getValueAsDouble() << ")";
  return success();
}

LogicalResult MatmulOp::verify() {
  if (Value bias = getBias()) {
    auto b = cast<RankedTensorType>(bias.getType());
    auto result = cast<RankedTensorType>(getType());
    std::string why;
    auto shape = broadcastShapes(b.getShape(), result.getShape(), why);
    if (b.getElementType() != result.getElementType() || failed(shape) ||
        ArrayRef<int64_t>(*shape) != result.getShape())
      return emitOpError("bias ")
             << b << " must broadcast to the result " << result;
  }
  return verifyClamp(*this, getClampMinAttr(), getClampMaxAttr());
}

LogicalResult Conv2DOp::verify() {
  return verifyClamp(*this, getClampMinAttr(), getClampMaxAttr());
}

//===----------------------------------------------------------------------===//
// Element type and shape conversions
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  std::string why;
  auto shape = broadcastShapes(in.getShape(), out.getShape(), why);
  if (in.getElementType() != out.getElementType())
    return emitOpError("changes the element type from ")
           << in.getElementType() << " to " << out.getElementType();
  if (failed(shape) || ArrayRef<int64_t>(*shape) != out.getShape())
    return emitOpError("cannot broadcast ") << in << " to " << out;
  return success();
}

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getShape() != out.getShape())
    return emitOpError("changes the shape from ")
           << in << " to " << out;
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Checks window attributes; on success fills the output H and W.
static LogicalResult
inferWindow(std::optional<Location> loc, StringRef op, RankedTensorType input,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
            SmallVectorImpl<int64_t> &hw) {
  if (input.getRank() != 4)
    return emitOptionalError(loc, op, " input must be NCHW (rank 4), got ",
                             input);
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 ||
      pads.size() != 4)
    return emitOptionalError(loc, op, " needs 2 kernel sizes, 2 strides, 2 "
                                      "dilations and 4 pads");
  for (int i = 0; i < 2; ++i)
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1)
      return emitOptionalError(loc, op, " kernel, strides and dilations "
                                        "must be positive");
  for (int64_t p : pads)
    if (p < 0)
      return emitOptionalError(loc, op, " pads must not be negative");
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (ShapedType::isDynamic(in)) {
      hw.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t padded = in + pads[i] + pads[i + 2];
    if (padded < span)
      return emitOptionalError(loc, op, " window of ", span,
                               " is larger than the padded input (", padded,
                               ") in dimension ", 2 + i);
    hw.push_back((padded - span) / strides[i] + 1);
  }
  return success();
}

/// The result type of a convolution (yz.conv2d, yz.qconv2d) whose bias is
/// of `biasElt` and result of `resultElt`.
template <typename Adaptor>
static LogicalResult inferConvType(std::optional<Location> loc, StringRef name,
                                   Adaptor adaptor, Type biasElt,
                                   Type resultElt,
                                   SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = cast<RankedTensorType>(adaptor.getFilter().getType());
  if (input.getRank() != 4)
    return emitOptionalError(loc, name, " input must be NCHW (rank 4), got ",
                             input);
  if (filter.getRank() != 4)
    return emitOptionalError(loc, name, " filter must be FCHW (rank 4), got ",
                             filter);
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, name, " input and filter element types "
                                        "differ: ",
                             input.getElementType(), " vs ",
                             filter.getElementType());
  // Guards for ops built in C++; parsed IR gets ODS's "requires attribute".
  if (!adaptor.getStridesAttr() || !adaptor.getDilationsAttr() ||
      !adaptor.getPadsAttr() || !adaptor.getGroupsAttr())
    return emitOptionalError(loc, name, " needs strides, dilations, pads "
                                        "and groups");
  int64_t groups = adaptor.getGroupsAttr().getInt();
  int64_t c = input.getDimSize(1);
  int64_t f = filter.getDimSize(0);
  if (groups < 1 || (!ShapedType::isDynamic(c) &&
                     c != filter.getDimSize(1) * groups) ||
      f % groups != 0)
    return emitOptionalError(loc, name, " with ", groups, " groups needs ",
                             "C = filter C x groups and F divisible by groups; "
                             "got input ",
                             input, " and filter ", filter);
  if (Value bias = adaptor.getBias()) {
    auto b = cast<RankedTensorType>(bias.getType());
    if (b.getRank() != 1 || b.getDimSize(0) != f ||
        b.getElementType() != biasElt)
      return emitOptionalError(loc, name, " bias must be [", f, "] of ",
                               biasElt, ", got ", b);
  }
  SmallVector<int64_t> hw;
  if (failed(inferWindow(loc, name, input, filter.getShape().drop_front(2),
                         adaptor.getStrides(), adaptor.getDilations(),
                         adaptor.getPads(), hw)))
    return failure();
  types.push_back(
      RankedTensorType::get({input.getDimSize(0), f, hw[0], hw[1]}, resultElt));
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Type elt = cast<RankedTensorType>(adaptor.getInput().getType())
                 .getElementType();
  return inferConvType(loc, "yz.conv2d", adaptor, elt, elt, types);
}

LogicalResult QConv2DOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Builder b(ctx);
  return inferConvType(loc, "yz.qconv2d", adaptor, b.getI32Type(),
                       b.getI8Type(), types);
}

/// An i8 zero point or clamp bound.
static LogicalResult verifyI8(Operation *op, StringRef name, int64_t v) {
  if (v < -128 || v > 127)
    return op->emitOpError() << name << " = " << v << " is not an i8";
  return success();
}

static LogicalResult verifyScale(Operation *op, StringRef name, float s) {
  if (!(s > 0) || std::isinf(s))
    return op->emitOpError() << name << " must be positive and finite, got "
                             << s;
  return success();
}

/// yz.quantize and yz.dequantize: a usable scale, an i8 zero point.
template <typename QuantOp> static LogicalResult verifyQuantParams(QuantOp op) {
  return failure(
      failed(verifyScale(op, "scale", op.getScale().convertToFloat())) ||
      failed(verifyI8(op, "zero_point", op.getZeroPointAttr().getInt())));
}

LogicalResult QuantizeOp::verify() { return verifyQuantParams(*this); }
LogicalResult DequantizeOp::verify() { return verifyQuantParams(*this); }

LogicalResult QConv2DOp::verify() {
  // I64Attr getters are unsigned: read the attributes' signed values.
  int64_t lo = getClampMinAttr().getInt(), hi = getClampMaxAttr().getInt();
  for (auto [name, v] :
       {std::pair<StringRef, int64_t>{"input_zero_point",
                                      getInputZeroPointAttr().getInt()},
        {"output_zero_point", getOutputZeroPointAttr().getInt()},
        {"clamp_min", lo},
        {"clamp_max", hi}})
    if (failed(verifyI8(*this, name, v)))
      return failure();
  if (lo > hi)
    return emitOpError("clamp_min ") << lo << " is above clamp_max " << hi;
  int64_t f = cast<RankedTensorType>(getType()).getDimSize(1);
  ArrayRef<float> m = getMultipliers();
  if (m.size() != 1 && int64_t(m.size()) != f)
    return emitOpError("needs 1 or ")
           << f << " (one per output channel) multipliers, got " << m.size();
  for (float v : m)
    if (failed(verifyScale(*this, "every multiplier", v)))
      return failure();
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getKernelAttr() || !adaptor.getStridesAttr() ||
      !adaptor.getDilationsAttr() || !adaptor.getPadsAttr())
    return emitOptionalError(loc, "yz.max_pool2d needs kernel, strides, "
                                  "dilations and pads");
  SmallVector<int64_t> hw;
  if (failed(inferWindow(loc, "yz.max_pool2d", input, adaptor.getKernel(),
                         adaptor.getStrides(), adaptor.getDilations(),
                         adaptor.getPads(), hw)))
    return failure();
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), hw[0], hw[1]},
      input.getElementType()));
  return success();
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getKernelAttr() || !adaptor.getStridesAttr() ||
      !adaptor.getPadsAttr() || !adaptor.getCountIncludePadAttr())
    return emitOptionalError(loc, "yz.avg_pool2d needs kernel, strides, pads "
                                  "and count_include_pad");
  SmallVector<int64_t> hw;
  if (failed(inferWindow(loc, "yz.avg_pool2d", input, adaptor.getKernel(),
                         adaptor.getStrides(), {1, 1}, adaptor.getPads(), hw)))
    return failure();
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), hw[0], hw[1]},
      input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions, softmax, concat
//===----------------------------------------------------------------------===//

static LogicalResult inferReduce(StringRef op, std::optional<Location> loc,
                                 Value inputValue, ArrayRef<int64_t> axes,
                                 bool keepdims, SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(inputValue.getType());
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= input.getRank() ||
        (i && axes[i] <= axes[i - 1]))
      return emitOptionalError(loc, op, " axes must be sorted, unique and in "
                                        "0..",
                               input.getRank() - 1);
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

#define YZ_REDUCE_INFER(Op, name)                                              \
  LogicalResult Op::inferReturnTypes(MLIRContext *,                           \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    if (!adaptor.getAxesAttr() || !adaptor.getKeepdimsAttr())                  \
      return emitOptionalError(loc, name, " needs axes and keepdims");         \
    return inferReduce(name, loc, adaptor.getInput(), adaptor.getAxes(),       \
                       adaptor.getKeepdims(), types);                          \
  }
YZ_REDUCE_INFER(ReduceSumOp, "yz.reduce_sum")
YZ_REDUCE_INFER(ReduceMeanOp, "yz.reduce_mean")
YZ_REDUCE_INFER(ReduceMaxOp, "yz.reduce_max")
#undef YZ_REDUCE_INFER

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getType().getRank(), axis = getAxisAttr().getInt();
  // (A missing axis is reported by the generated verifier first.)
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is outside 0.." << rank - 1;
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (!adaptor.getAxisAttr())
    return emitOptionalError(loc, "yz.concat needs an axis");
  if (inputs.empty())
    return emitOptionalError(loc, "yz.concat needs at least one input");
  auto first = cast<RankedTensorType>(inputs[0].getType());
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (axis < 0 || axis >= first.getRank())
    return emitOptionalError(loc, "yz.concat axis ", axis, " is outside 0..",
                             first.getRank() - 1);
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : inputs.drop_front()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "yz.concat inputs differ in rank or "
                                    "element type: ",
                               first, " vs ", t);
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (d == axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) || t.isDynamicDim(d)
                       ? ShapedType::kDynamic
                       : shape[d] + t.getDimSize(d);
      } else if (t.getDimSize(d) != first.getDimSize(d)) {
        return emitOptionalError(loc, "yz.concat inputs differ in dimension ",
                                 d, ": ", first, " vs ", t);
      }
    }
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getPermAttr())
    return emitOptionalError(loc, "yz.transpose needs a perm");
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (int64_t(perm.size()) != input.getRank())
    return emitOptionalError(loc, "yz.transpose perm has ", perm.size(),
                             " entries for a rank-", input.getRank(), " input");
  SmallVector<bool> seen(perm.size());
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "yz.transpose perm is not a permutation "
                                    "of 0..",
                               input.getRank() - 1);
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("changes the element type from ")
           << in.getElementType() << " to " << out.getElementType();
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("reshapes ")
           << in.getNumElements() << " elements into " << out.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // A reshape of a reshape is one reshape.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  // Constants reshape for free.
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(cast<ShapedType>(getType()));
  return {};
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getStartsAttr() || !adaptor.getSizesAttr() ||
      !adaptor.getStridesAttr())
    return emitOptionalError(loc, "yz.slice needs starts, sizes and strides");
  ArrayRef<int64_t> starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  int64_t rank = input.getRank();
  if (int64_t(starts.size()) != rank || int64_t(sizes.size()) != rank ||
      int64_t(strides.size()) != rank)
    return emitOptionalError(loc, "yz.slice needs ", rank,
                             " starts, sizes and strides");
  for (int64_t d = 0; d < rank; ++d) {
    if (starts[d] < 0 || sizes[d] < 0 || strides[d] < 1)
      return emitOptionalError(loc, "yz.slice dimension ", d,
                               ": starts and sizes must not be negative, "
                               "strides must be positive");
    int64_t dim = input.getDimSize(d);
    if (!ShapedType::isDynamic(dim) && sizes[d] > 0 &&
        starts[d] + (sizes[d] - 1) * strides[d] >= dim)
      return emitOptionalError(loc, "yz.slice dimension ", d, ": elements ",
                               starts[d], " + k * ", strides[d], " for k < ",
                               sizes[d], " leave the input's ", dim);
  }
  types.push_back(RankedTensorType::get(sizes, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (!adaptor.getAxisAttr())
    return emitOptionalError(loc, "yz.gather needs an axis");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "yz.gather axis ", axis, " is outside 0..",
                             data.getRank() - 1);
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzOps.cpp.inc"
