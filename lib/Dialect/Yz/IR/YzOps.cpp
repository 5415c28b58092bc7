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

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
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

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzOps.cpp.inc"
