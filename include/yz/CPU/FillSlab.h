//===- FillSlab.h - one slab of a tensor filled -----------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_FILLSLAB_H
#define YZ_CPU_FILLSLAB_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::yz {

/// `t` with the slab [from, from + size) of dimension `d` set to `value`:
/// a fill of its slice, inserted back (in place once bufferized). A padded
/// buffer's border, written after its interior.
inline Value fillSlab(OpBuilder &b, Location loc, Value t, Value value,
                      int64_t d, int64_t from, int64_t size) {
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<int64_t> at(type.getRank(), 0), shape(type.getShape()),
      ones(type.getRank(), 1);
  at[d] = from;
  shape[d] = size;
  MLIRContext *ctx = b.getContext();
  auto o = getAsIndexOpFoldResult(ctx, at);
  auto s = getAsIndexOpFoldResult(ctx, shape);
  auto u = getAsIndexOpFoldResult(ctx, ones);
  Value slab = tensor::ExtractSliceOp::create(b, loc, t, o, s, u);
  Value filled = linalg::FillOp::create(b, loc, value, slab).getResult(0);
  return tensor::InsertSliceOp::create(b, loc, filled, t, o, s, u);
}

} // namespace mlir::yz

#endif // YZ_CPU_FILLSLAB_H
