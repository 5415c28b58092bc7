//===- PaddedShifted.cpp - a shifted-columns product into its pad ---------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/PaddedShifted.h"

#include "yz/CPU/FillSlab.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace {

/// `v` (one use) as the op it is defined by.
template <typename OpTy> OpTy onlyUseOf(Value v) {
  return v && v.hasOneUse() ? v.getDefiningOp<OpTy>() : OpTy();
}

/// The source of `v` where that is a slice of its leading elements (unit
/// strides, one use), `v` where it is no such slice, null for another slice.
Value beforeLeadingSlice(Value v) {
  auto s = onlyUseOf<tensor::ExtractSliceOp>(v);
  if (!s)
    return v;
  return s.hasZeroOffset() && s.hasUnitStride() &&
                 s.getSourceType().hasStaticShape()
             ? s.getSource()
             : Value();
}

/// The product [F, P] a shifted-columns conv's result `v` [1, F, OH, OW] is
/// read from: expand(slice(expand(slice(matmul)))), the slices dropping
/// the junk pixels and the columns rounding up to whole tiles. Sets `wq`.
linalg::MatmulOp shiftedProduct(Value v, int64_t &wq) {
  auto expand4 = onlyUseOf<tensor::ExpandShapeOp>(v);
  if (!expand4 || expand4.getSrcType().getRank() != 3)
    return {};
  auto expand3 =
      onlyUseOf<tensor::ExpandShapeOp>(beforeLeadingSlice(expand4.getSrc()));
  if (!expand3 || expand3.getSrcType().getRank() != 2 ||
      !expand3.getResultType().hasStaticShape())
    return {};
  wq = expand3.getResultType().getDimSize(2);
  auto mm = onlyUseOf<linalg::MatmulOp>(beforeLeadingSlice(expand3.getSrc()));
  if (!mm || !mm.hasPureTensorSemantics())
    return {};
  return mm;
}

/// Where `pad` (of a [1, F, OH, OW] tensor) puts pixel (0, 0) in the
/// padded tensor's flattened channel: LH * WQ + LW, if its rows are `wq`
/// pixels wide, it pads only H and W with a constant and `end` elements
/// fit in a channel. -1 elsewhere.
int64_t offsetInPad(tensor::PadOp pad, int64_t wq, int64_t end) {
  RankedTensorType type = pad.getType();
  if (!pad.getConstantPaddingValue() || !type.hasStaticShape() ||
      type.getRank() != 4 || type.getDimSize(3) != wq ||
      ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()))
    return -1;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (low[0] || low[1] || high[0] || high[1])
    return -1;
  int64_t o = low[2] * wq + low[3];
  return o + end <= type.getDimSize(2) * wq ? o : -1;
}

/// A residual `r` [1, F, OH, OW] as a padded tensor X [1, F, HX, WQ] and
/// the flattened offset of r's pixel (0, 0) in it: r is X's interior (a
/// slice), or X is a pad of r before `op`. Null elsewhere.
std::pair<Value, int64_t> paddedResidual(Value r, int64_t wq, int64_t end,
                                         Operation *op) {
  if (auto s = r.getDefiningOp<tensor::ExtractSliceOp>()) {
    RankedTensorType x = s.getSourceType();
    if (s.hasUnitStride() && x.getRank() == 4 && x.hasStaticShape() &&
        x.getDimSize(3) == wq && x.getDimSize(0) == 1 &&
        !ShapedType::isDynamicShape(s.getStaticOffsets())) {
      ArrayRef<int64_t> at = s.getStaticOffsets();
      int64_t o = at[2] * wq + at[3];
      if (!at[0] && !at[1] && o + end <= x.getDimSize(2) * wq)
        return {s.getSource(), o};
    }
  }
  for (Operation *user : r.getUsers())
    if (auto pad = dyn_cast<tensor::PadOp>(user);
        pad && !pad->use_empty() && pad->getBlock() == op->getBlock() &&
        pad->isBeforeInBlock(op))
      if (int64_t o = offsetInPad(pad, wq, end); o >= 0)
        return {pad.getResult(), o};
  return {Value(), 0};
}

/// [1, F, H, W] `x` flattened to [F, H * W], columns `from` to `from +
/// size`.
Value flatColumns(OpBuilder &b, Location loc, Value x, int64_t from,
                  int64_t size) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t f = type.getDimSize(1);
  Value flat = tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get({f, type.getDimSize(2) * type.getDimSize(3)},
                            type.getElementType()),
      x, SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(b, loc, flat,
                                        getAsIndexOpFoldResult(ctx, {0, from}),
                                        getAsIndexOpFoldResult(ctx, {f, size}),
                                        getAsIndexOpFoldResult(ctx, {1, 1}));
}

} // namespace

bool mlir::yz::shiftedIntoPadding(RewriterBase &rewriter,
                                  linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() != 4 ||
      op.getNumParallelLoops() != 4 || !op.hasPureTensorSemantics() ||
      !op.getBody()->getOps<linalg::IndexOp>().empty() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!type.hasStaticShape() || type.getDimSize(0) != 1)
    return false;
  int64_t f = type.getDimSize(1), oh = type.getDimSize(2),
          ow = type.getDimSize(3);

  // The product, read at the identity.
  linalg::MatmulOp mm;
  OpOperand *product = nullptr;
  int64_t wq = 0;
  for (OpOperand *operand : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(operand).isIdentity())
      if ((mm = shiftedProduct(operand->get(), wq))) {
        product = operand;
        break;
      }
  if (!mm)
    return false;
  auto mmType = cast<RankedTensorType>(mm->getResult(0).getType());
  int64_t p = mmType.getDimSize(1);
  if (mmType.getDimSize(0) != f || p < oh * wq || wq < ow)
    return false;

  // The pad of the result into rows of WQ pixels.
  tensor::PadOp pad;
  int64_t o = -1;
  for (Operation *user : op->getResult(0).getUsers())
    if ((pad = dyn_cast<tensor::PadOp>(user)) && !pad->use_empty() &&
        (o = offsetInPad(pad, wq, p)) >= 0)
      break;
  if (o < 0)
    return false;
  Attribute padAttr;
  if (!matchPattern(pad.getConstantPaddingValue(), m_Constant(&padAttr)))
    return false;

  // The other operands: residuals in padded buffers of the same rows, at
  // the identity, or constant over the pixels (a bias).
  MLIRContext *ctx = rewriter.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap toColumns =
      AffineMap::get(2, 0,
                     {getAffineConstantExpr(0, ctx), getAffineDimExpr(0, ctx),
                      getAffineDimExpr(1, ctx), getAffineDimExpr(1, ctx)},
                     ctx);
  SmallVector<std::pair<Value, int64_t>> residuals;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (map.isIdentity() && operand != product) {
      auto [x, at] = paddedResidual(operand->get(), wq, p, op);
      if (!x)
        return false;
      residuals.push_back({x, at});
    } else if (!map.isIdentity() &&
               (map.isFunctionOfDim(2) || map.isFunctionOfDim(3))) {
      return false;
    }
  }

  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  auto residual = residuals.begin();
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (!map.isIdentity()) {
      inputs.push_back(operand->get());
      maps.push_back(map.compose(toColumns));
      continue;
    }
    maps.push_back(identity);
    if (operand == product) {
      inputs.push_back(mm->getResult(0));
      continue;
    }
    auto [x, at] = *residual++;
    inputs.push_back(flatColumns(rewriter, loc, x, at, p));
  }
  maps.push_back(identity);

  // The padded buffer [F, HP * WQ], the op writing its columns o to o + P.
  RankedTensorType padded = pad.getType();
  int64_t hp = padded.getDimSize(2);
  Type elt = type.getElementType();
  Value buffer = tensor::EmptyOp::create(rewriter, loc, {f, hp * wq}, elt);
  Value columns = tensor::ExtractSliceOp::create(
      rewriter, loc, buffer, getAsIndexOpFoldResult(ctx, {0, o}),
      getAsIndexOpFoldResult(ctx, {f, p}), getAsIndexOpFoldResult(ctx, {1, 1}));
  auto over = linalg::GenericOp::create(
      rewriter, loc, columns.getType(), inputs, columns, maps,
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel));
  rewriter.inlineRegionBefore(op.getRegion(), over.getRegion(),
                              over.getRegion().end());
  buffer = tensor::InsertSliceOp::create(
      rewriter, loc, over.getResult(0), buffer,
      getAsIndexOpFoldResult(ctx, {0, o}), getAsIndexOpFoldResult(ctx, {f, p}),
      getAsIndexOpFoldResult(ctx, {1, 1}));
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, padded, buffer,
      SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  // The border after: the junk columns landed on it.
  Value value =
      arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(padAttr));
  ArrayRef<int64_t> low = pad.getStaticLow();
  result = fillEnds(rewriter, loc, result, value, 2, low[2], hp - low[2] - oh);
  result = fillEnds(rewriter, loc, result, value, 3, low[3], wq - low[3] - ow);
  rewriter.replaceOp(pad, result);
  // Other readers, the interior.
  Value interior = tensor::ExtractSliceOp::create(
      rewriter, loc, result,
      getAsIndexOpFoldResult(ctx, {0, 0, low[2], low[3]}),
      getAsIndexOpFoldResult(ctx, {1, f, oh, ow}),
      getAsIndexOpFoldResult(ctx, {1, 1, 1, 1}));
  Operation *def = product->get().getDefiningOp();
  rewriter.replaceOp(op, interior);
  // The reshapes and slices between the product and the op.
  while (def != mm && def->use_empty()) {
    Operation *source = def->getOperand(0).getDefiningOp();
    rewriter.eraseOp(def);
    def = source;
  }
  return true;
}
