//===- Transposed.cpp - a tensor transposed, at compile time if constant --===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Transposed.h"

#include "yz/CPU/Reshapes.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/IR/ConstantFolding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

Value mlir::yz::transposed(RewriterBase &rewriter, Location loc, Value value,
                           ArrayRef<int64_t> perm, StringRef resource) {
  auto type = cast<RankedTensorType>(value.getType());
  ElementsAttr attr;
  if (matchPattern(throughReshapes(value), m_Constant(&attr))) {
    if (std::optional<ConstantData> data = readElements(attr)) {
      data->type = type; // a reshape is the same bytes
      ConstantData t = transposeData(*data, perm);
      return arith::ConstantOp::create(
          rewriter, loc,
          resource.empty() ? ElementsAttr(DenseElementsAttr::getFromRawBuffer(
                                 t.type, t.bytes))
                           : makeElements(t.type, t.bytes, resource));
    }
  }
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), perm);
  Value init =
      tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, value, init, perm)
      .getResult()[0];
}
