//===- ShapeOps.cpp - constants and data movement -------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::yz;

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

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
    if (starts[d] < 0 || sizes[d] < 0 || strides[d] == 0)
      return emitOptionalError(loc, "yz.slice dimension ", d,
                               ": starts and sizes must not be negative, "
                               "strides not 0");
    int64_t dim = input.getDimSize(d);
    int64_t last = starts[d] + (sizes[d] - 1) * strides[d];
    if (!ShapedType::isDynamic(dim) && sizes[d] > 0 &&
        (starts[d] >= dim || last < 0 || last >= dim))
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

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (!adaptor.getBatchDimsAttr())
    return emitOptionalError(loc, "yz.gather_nd needs batch_dims");
  int64_t b = adaptor.getBatchDimsAttr().getInt();
  int64_t q = indices.getRank(), r = data.getRank();
  if (q < 1 || ShapedType::isDynamic(indices.getDimSize(q - 1)))
    return emitOptionalError(loc, "yz.gather_nd indices ", indices,
                             " need a static last dimension");
  int64_t k = indices.getDimSize(q - 1);
  if (b < 0 || b >= std::min(q, r) || k < 1 || b + k > r)
    return emitOptionalError(loc, "yz.gather_nd with batch_dims ", b, " and ",
                             k, "-tuples does not fit data ", data,
                             " and indices ", indices);
  for (int64_t d = 0; d < b; ++d)
    if (data.getDimSize(d) != indices.getDimSize(d))
      return emitOptionalError(loc, "yz.gather_nd batch dimension ", d,
                               " differs: data ", data, ", indices ", indices);
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(b + k));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

static LogicalResult verifyReduction(Operation *op, StringRef reduction) {
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return op->emitOpError("reduction must be none, add, mul, max or min, "
                           "got '")
           << reduction << "'";
  return success();
}

LogicalResult ScatterElementsOp::verify() {
  auto data = cast<RankedTensorType>(getData().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto updates = cast<RankedTensorType>(getUpdates().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= data.getRank())
    return emitOpError("axis ") << axis << " is outside 0.."
                                << data.getRank() - 1;
  if (indices.getShape() != updates.getShape() ||
      indices.getRank() != data.getRank() ||
      updates.getElementType() != data.getElementType())
    return emitOpError("indices ")
           << indices << " and updates " << updates
           << " must have one shape, the data's rank and element type";
  return verifyReduction(*this, getReduction());
}

LogicalResult ScatterNDOp::verify() {
  auto data = cast<RankedTensorType>(getData().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto updates = cast<RankedTensorType>(getUpdates().getType());
  int64_t q = indices.getRank();
  int64_t k = q ? indices.getDimSize(q - 1) : 0;
  if (q < 1 || k < 1 || k > data.getRank())
    return emitOpError("indices ") << indices << " must hold tuples of 1 to "
                                   << data.getRank() << " indices";
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(k));
  if (updates != RankedTensorType::get(shape, data.getElementType()))
    return emitOpError("updates ")
           << updates << " must be "
           << RankedTensorType::get(shape, data.getElementType());
  return verifyReduction(*this, getReduction());
}

LogicalResult DynamicSliceOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  for (Value v : {getOffsets(), getSteps()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != 1 || t.getDimSize(0) != in.getRank())
      return emitOpError("offsets and steps need ")
             << in.getRank() << " entries, got " << t;
  }
  if (out.getRank() != in.getRank() ||
      out.getElementType() != in.getElementType())
    return emitOpError("result ") << out << " must have the input's rank and "
                                     "element type";
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!adaptor.getLowAttr() || !adaptor.getHighAttr() || !adaptor.getModeAttr())
    return emitOptionalError(loc, "yz.pad needs low, high and mode");
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  StringRef mode = adaptor.getMode();
  if (int64_t(low.size()) != in.getRank() || int64_t(high.size()) != in.getRank())
    return emitOptionalError(loc, "yz.pad needs ", in.getRank(),
                             " low and high pads");
  if (mode != "constant" && mode != "edge" && mode != "reflect" && mode != "wrap")
    return emitOptionalError(loc, "yz.pad mode must be constant, edge, reflect "
                                  "or wrap, got '", mode, "'");
  if (Value v = adaptor.getValue()) {
    auto vt = cast<RankedTensorType>(v.getType());
    if (vt.getRank() != 0 || vt.getElementType() != in.getElementType() ||
        mode != "constant")
      return emitOptionalError(loc, "yz.pad value must be a rank-0 tensor of "
                                    "the input's element type, in constant mode");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    int64_t n = in.getDimSize(d);
    if (low[d] < 0 || high[d] < 0)
      return emitOptionalError(loc, "yz.pad pads must not be negative");
    if (mode != "constant" && (low[d] || high[d]) && n == 0)
      return emitOptionalError(loc, "yz.pad ", mode, " mode cannot pad an "
                                    "empty dimension");
    if (mode == "reflect" && (low[d] >= n || high[d] >= n) && (low[d] || high[d]))
      return emitOptionalError(loc, "yz.pad reflect pads of dimension ", d,
                               " must be below its size ", n);
    shape.push_back(ShapedType::isDynamic(n) ? n : n + low[d] + high[d]);
  }
  types.push_back(in.clone(shape));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (!adaptor.getAxisAttr())
    return emitOptionalError(loc, "yz.gather_elements needs an axis");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "yz.gather_elements axis ", axis,
                             " is outside 0..", data.getRank() - 1);
  if (indices.getRank() != data.getRank())
    return emitOptionalError(loc, "yz.gather_elements indices ", indices,
                             " must have the rank of the data ", data);
  for (int64_t d = 0; d < data.getRank(); ++d)
    if (d != axis && indices.getDimSize(d) > data.getDimSize(d))
      return emitOptionalError(loc, "yz.gather_elements indices ", indices,
                               " are larger than the data ", data,
                               " in dimension ", d);
  types.push_back(indices.clone(data.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzShapeOps.cpp.inc"
