//===- NNOps.cpp - contractions, windows, reductions ----------------------===//
//
// Part of Yizhuang. Inference, verifiers, the epilogue and contraction
// interfaces, and the decompositions of the composite normalizations.
//
//===----------------------------------------------------------------------===//

#include "ConvInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::yz;

//===----------------------------------------------------------------------===//
// Windows
//===----------------------------------------------------------------------===//

LogicalResult mlir::yz::inferWindow(std::optional<Location> loc, StringRef op,
                                    RankedTensorType input,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> dilations,
                                    ArrayRef<int64_t> pads,
                                    SmallVectorImpl<int64_t> &hw, bool ceil) {
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
    hw.push_back((padded - span + (ceil ? strides[i] - 1 : 0)) / strides[i] + 1);
  }
  return success();
}

uint64_t mlir::yz::convMacs(Value filter, Value result) {
  auto f = cast<RankedTensorType>(filter.getType());
  auto r = cast<RankedTensorType>(result.getType());
  if (!f.hasStaticShape() || !r.hasStaticShape() || f.getDimSize(0) == 0)
    return 0;
  return uint64_t(r.getNumElements()) *
         uint64_t(f.getNumElements() / f.getDimSize(0));
}

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

/// clamp_min <= clamp_max when both are set.
static LogicalResult verifyClamp(Operation *op, FloatAttr lo, FloatAttr hi) {
  if (lo && hi && lo.getValueAsDouble() > hi.getValueAsDouble())
    return op->emitOpError("clamp_min (")
           << lo.getValueAsDouble() << ") is greater than clamp_max ("
           << hi.getValueAsDouble() << ")";
  return success();
}

Operation *mlir::yz::cloneWithEpilogue(Operation *op, OpBuilder &b, Value bias,
                                       FloatAttr lo, FloatAttr hi) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  SmallVector<Value> operands = {op->getOperand(0), op->getOperand(1)};
  if (bias)
    operands.push_back(bias);
  Operation *clone = b.clone(*op);
  clone->setOperands(operands);
  for (auto [name, value] : {std::pair<StringRef, FloatAttr>{"clamp_min", lo},
                             {"clamp_max", hi}}) {
    if (value)
      clone->setAttr(name, value);
    else
      clone->removeAttr(name);
  }
  return clone;
}

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

LogicalResult MatmulOp::verify() {
  if (Value bias = getBias()) {
    auto b = cast<RankedTensorType>(bias.getType());
    auto result = cast<RankedTensorType>(getType());
    if (b.getElementType() != result.getElementType() || !acceptsBias(b))
      return emitOpError("bias ")
             << b << " must broadcast to the result " << result;
  }
  return verifyClamp(*this, getClampMinAttr(), getClampMaxAttr());
}

bool MatmulOp::acceptsBias(RankedTensorType type) {
  auto result = cast<RankedTensorType>(getType());
  std::string why;
  auto shape = broadcastShapes(type.getShape(), result.getShape(), why);
  return succeeded(shape) && ArrayRef<int64_t>(*shape) == result.getShape();
}

SmallVector<int64_t> MatmulOp::biasShape(RankedTensorType type) {
  return llvm::to_vector(type.getShape());
}

uint64_t MatmulOp::getMacCount() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto result = cast<RankedTensorType>(getType());
  if (!lhs.hasStaticShape() || !result.hasStaticShape())
    return 0;
  return uint64_t(result.getNumElements()) * uint64_t(lhs.getShape().back());
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Type elt = cast<RankedTensorType>(adaptor.getInput().getType())
                 .getElementType();
  return inferConvType(loc, "yz.conv2d", adaptor, elt, elt, types);
}

LogicalResult Conv2DOp::verify() {
  return verifyClamp(*this, getClampMinAttr(), getClampMaxAttr());
}

bool Conv2DOp::acceptsBias(RankedTensorType type) {
  int64_t f = cast<RankedTensorType>(getType()).getDimSize(1);
  return isPerOutputChannel(type.getShape(), f);
}

SmallVector<int64_t> Conv2DOp::biasShape(RankedTensorType) {
  return {cast<RankedTensorType>(getType()).getDimSize(1)};
}

uint64_t Conv2DOp::getMacCount() { return convMacs(getFilter(), getResult()); }

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

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
                         adaptor.getPads(), hw,
                         adaptor.getCeilModeAttr() && adaptor.getCeilMode())))
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
  SmallVector<int64_t> dilations = {1, 1};
  if (adaptor.getDilationsAttr())
    dilations = llvm::to_vector(adaptor.getDilations());
  if (failed(inferWindow(loc, "yz.avg_pool2d", input, adaptor.getKernel(),
                         adaptor.getStrides(), dilations, adaptor.getPads(), hw,
                         adaptor.getCeilModeAttr() && adaptor.getCeilMode())))
    return failure();
  types.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), hw[0], hw[1]},
      input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Composite normalizations
//===----------------------------------------------------------------------===//

/// A rank-0 constant of `elt` (it broadcasts against anything).
static Value scalarConstant(OpBuilder &b, Location loc, Type elt,
                            double value) {
  auto type = RankedTensorType::get({}, elt);
  return ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(elt, value)));
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getType().getRank(), axis = getAxisAttr().getInt();
  // (A missing axis is reported by the generated verifier first.)
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is outside 0.." << rank - 1;
  return success();
}

SmallVector<Value> SoftmaxOp::decompose(OpBuilder &b) {
  Location loc = getLoc();
  Value x = getInput();
  SmallVector<int64_t> axis = {getAxisAttr().getInt()};
  Value m = ReduceMaxOp::create(b, loc, x, axis, true);
  Value e = ExpOp::create(b, loc, SubOp::create(b, loc, x, m));
  Value s = ReduceSumOp::create(b, loc, e, axis, true);
  return {DivOp::create(b, loc, e, s)};
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getAxisAttr() || !adaptor.getEpsilonAttr())
    return emitOptionalError(loc, "yz.layer_norm needs axis and epsilon");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (axis < 0 || axis >= x.getRank())
    return emitOptionalError(loc, "yz.layer_norm axis ", axis,
                             " is outside 0..", x.getRank() - 1);
  for (Value v : {adaptor.getScale(), adaptor.getBias()}) {
    if (!v)
      continue;
    auto t = cast<RankedTensorType>(v.getType());
    std::string why;
    auto shape = broadcastShapes(x.getShape(), t.getShape(), why);
    if (t.getElementType() != x.getElementType() || failed(shape) ||
        ArrayRef<int64_t>(*shape) != x.getShape())
      return emitOptionalError(loc, "yz.layer_norm ",
                               v == adaptor.getScale() ? "scale " : "bias ",
                               t, " does not broadcast to the input ", x,
                               failed(shape) ? ": " + why : std::string());
  }
  types.push_back(x);
  return success();
}

SmallVector<Value> LayerNormOp::decompose(OpBuilder &b) {
  Location loc = getLoc();
  Value x = getInput();
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> axes;
  for (int64_t d = getAxisAttr().getInt(); d < type.getRank(); ++d)
    axes.push_back(d);
  Type elt = type.getElementType();
  // Statistics of x shifted by each group's first element: in a nearly
  // constant group (a broadcast, a clamp) the deviations stay exact instead
  // of drowning in the rounding of a large mean (found by
  // fuzz/random_models.py; test/e2e/layernorm-accuracy.test).
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()), steps(rank, 1);
  for (int64_t a : axes)
    sizes[a] = 1;
  Value first = SliceOp::create(b, loc, x, starts, sizes, steps);
  Value shifted = SubOp::create(b, loc, x, first);
  Value mean = ReduceMeanOp::create(b, loc, shifted, axes, true);
  Value d = SubOp::create(b, loc, shifted, mean);
  Value var = ReduceMeanOp::create(b, loc, MulOp::create(b, loc, d, d), axes,
                                   true);
  Value eps = scalarConstant(b, loc, elt, getEpsilon().convertToDouble());
  Value y = DivOp::create(b, loc, d,
                          SqrtOp::create(b, loc, AddOp::create(b, loc, var, eps)));
  y = MulOp::create(b, loc, y, getScale());
  if (Value bias = getBias())
    y = AddOp::create(b, loc, y, bias);
  return {y};
}

LogicalResult LogSoftmaxOp::verify() {
  int64_t rank = getType().getRank(), axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is outside 0.." << rank - 1;
  return success();
}

SmallVector<Value> LogSoftmaxOp::decompose(OpBuilder &b) {
  Location loc = getLoc();
  Value x = getInput();
  SmallVector<int64_t> axis = {getAxisAttr().getInt()};
  Value m = ReduceMaxOp::create(b, loc, x, axis, true);
  Value d = SubOp::create(b, loc, x, m);
  Value s = ReduceSumOp::create(b, loc, ExpOp::create(b, loc, d), axis, true);
  return {SubOp::create(b, loc, d, LogOp::create(b, loc, s))};
}

LogicalResult CumSumOp::verify() {
  int64_t rank = getType().getRank(), axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is outside 0.." << rank - 1;
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getKAttr() || !adaptor.getAxisAttr() || !adaptor.getLargestAttr())
    return emitOptionalError(loc, "yz.top_k needs k, axis and largest");
  int64_t axis = adaptor.getAxisAttr().getInt(), k = adaptor.getKAttr().getInt();
  if (axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, "yz.top_k axis ", axis, " is outside 0..",
                             in.getRank() - 1);
  int64_t n = in.getDimSize(axis);
  if (k < 0 || (!ShapedType::isDynamic(n) && k > n))
    return emitOptionalError(loc, "yz.top_k k = ", k, " is outside 0..", n);
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = k;
  types.push_back(in.clone(shape));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

SmallVector<Value> ReduceMeanOp::decompose(OpBuilder &b) {
  Location loc = getLoc();
  auto in = cast<RankedTensorType>(getInput().getType());
  int64_t count = 1;
  for (int64_t a : getAxes())
    count *= in.getDimSize(a);
  Value sum = ReduceSumOp::create(b, loc, getInput(), getAxes(), getKeepdims());
  Type elt = in.getElementType();
  auto type = RankedTensorType::get({}, elt);
  Attribute n = isa<FloatType>(elt) ? Attribute(b.getFloatAttr(elt, count))
                                    : Attribute(b.getIntegerAttr(elt, count));
  Value divisor = ConstantOp::create(b, loc, DenseElementsAttr::get(type, n));
  return {DivOp::create(b, loc, sum, divisor)};
}

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzNNOps.cpp.inc"
