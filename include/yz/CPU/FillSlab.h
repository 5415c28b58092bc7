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

/// `t` with `size` elements of dimension `d`, from `from` and `stride`
/// apart (1: a slab), set to `value`: a fill of their slice, inserted back
/// (in place once bufferized). A padded buffer's border, written after
/// its interior.
inline Value fillSlab(OpBuilder &b, Location loc, Value t, Value value,
                      int64_t d, int64_t from, int64_t size,
                      int64_t stride = 1) {
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<int64_t> at(type.getRank(), 0), shape(type.getShape()),
      steps(type.getRank(), 1);
  at[d] = from;
  shape[d] = size;
  steps[d] = stride;
  MLIRContext *ctx = b.getContext();
  auto o = getAsIndexOpFoldResult(ctx, at);
  auto s = getAsIndexOpFoldResult(ctx, shape);
  auto u = getAsIndexOpFoldResult(ctx, steps);
  Value slab = tensor::ExtractSliceOp::create(b, loc, t, o, s, u);
  Value filled = linalg::FillOp::create(b, loc, value, slab).getResult(0);
  return tensor::InsertSliceOp::create(b, loc, filled, t, o, s, u);
}

/// `t` with the first `low` and the last `high` elements of dimension `d`
/// set to `value`. Both ends one element thick (a 3 x 3 window's padding)
/// are one strided slab: one loop nest, and with threads one fork and join
/// of the workers, where two were (MobileNetV2 has four such borders a
/// layer).
inline Value fillEnds(OpBuilder &b, Location loc, Value t, Value value,
                      int64_t d, int64_t low, int64_t high) {
  int64_t size = cast<RankedTensorType>(t.getType()).getDimSize(d);
  if (low == 1 && high == 1 && size > 2)
    return fillSlab(b, loc, t, value, d, 0, 2, size - 1);
  if (low)
    t = fillSlab(b, loc, t, value, d, 0, low);
  if (high)
    t = fillSlab(b, loc, t, value, d, size - high, high);
  return t;
}

} // namespace mlir::yz

#endif // YZ_CPU_FILLSLAB_H
