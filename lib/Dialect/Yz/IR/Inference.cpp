//===- Inference.cpp - type inference shared by op families ---------------===//
//
// Part of Yizhuang. Every failure is a message naming the op and the
// operands that do not fit; the importer turns it into a diagnostic at the
// ONNX node.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzOps.h"

#include "mlir/IR/Diagnostics.h"
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

LogicalResult mlir::yz::inferBroadcast(StringRef opName,
                                       std::optional<Location> loc,
                                       ValueRange operands,
                                       unsigned firstValue, bool boolResult,
                                       SmallVectorImpl<Type> &types) {
  if (operands.size() <= firstValue)
    return emitOptionalError(loc, opName, " needs ", firstValue + 1,
                             " operands");
  ValueRange values = operands.drop_front(firstValue);
  auto first = cast<RankedTensorType>(values[0].getType());
  SmallVector<int64_t> shape;
  for (Value v : values) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getElementType() != first.getElementType())
      return emitOptionalError(loc, opName,
                               " operands must have the same element type, "
                               "got ",
                               first.getElementType(), " and ",
                               t.getElementType());
    std::string why;
    auto next = broadcastShapes(shape, t.getShape(), why);
    if (failed(next)) {
      std::string shapes;
      llvm::raw_string_ostream os(shapes);
      llvm::interleave(
          values.getTypes(), os, [&](Type t) { os << "'" << t << "'"; },
          " and ");
      return emitOptionalError(loc, opName, " operand shapes ", shapes,
                               " do not broadcast: ", why);
    }
    shape = *next;
  }
  auto valueType = RankedTensorType::get(shape, first.getElementType());
  // The operands before the values (select's condition) broadcast with them.
  for (Value v : operands.take_front(firstValue)) {
    auto t = cast<RankedTensorType>(v.getType());
    std::string why;
    auto next = broadcastShapes(t.getShape(), shape, why);
    if (failed(next))
      return emitOptionalError(loc, opName, " condition ", t,
                               " does not broadcast with ", valueType, ": ",
                               why);
    shape = *next;
  }
  Type elt = boolResult ? Type(IntegerType::get(first.getContext(), 1))
                        : first.getElementType();
  types.push_back(RankedTensorType::get(shape, elt));
  return success();
}

LogicalResult mlir::yz::inferReduce(StringRef op, std::optional<Location> loc,
                                    Value inputValue, ArrayRef<int64_t> axes,
                                    bool keepdims,
                                    SmallVectorImpl<Type> &types) {
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
