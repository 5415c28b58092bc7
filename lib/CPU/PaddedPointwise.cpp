//===- PaddedPointwise.cpp - a pointwise conv over its consumer's padding -===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/PaddedPointwise.h"

#include "yz/CPU/FillSlab.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

linalg::MatmulOp mlir::yz::convOverPadding(RewriterBase &rewriter,
                                           linalg::Conv2DNchwFchwOp conv,
                                           const CpuTarget &target) {
  Value x = conv.getDpsInputs()[0], filter = conv.getDpsInputs()[1];
  auto xt = cast<RankedTensorType>(x.getType());
  auto ft = cast<RankedTensorType>(filter.getType());
  auto ot = cast<RankedTensorType>(conv->getResultTypes()[0]);
  auto fill = conv.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (ot.getDimSize(0) != 1 || ft.getDimSize(2) != 1 || ft.getDimSize(3) != 1 ||
      !llvm::all_of(conv.getStrides().getValues<int64_t>(),
                    [](int64_t s) { return s == 1; }) ||
      !fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
      !conv->getResult(0).hasOneUse())
    return {};
  // The input's producer writes into the padded buffer (PadIntoProducer):
  // a linalg op into an empty tensor. (A model's input would be copied.)
  auto producer = x.getDefiningOp<linalg::LinalgOp>();
  if (!producer || producer->getNumResults() != 1 ||
      producer->getBlock() != conv->getBlock() ||
      !producer.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>())
    return {};

  // The elementwise op, reading the product at the identity and otherwise
  // only operands constant over the pixels (a bias), whose result only
  // the zero pad of H and W reads.
  auto op = dyn_cast<linalg::GenericOp>(*conv->getResult(0).getUsers().begin());
  if (!op || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() != 4 ||
      !op.getBody()->getOps<linalg::IndexOp>().empty() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      !op->getResult(0).hasOneUse())
    return {};
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (operand->get() == conv->getResult(0)
            ? !map.isIdentity()
            : map.isFunctionOfDim(2) || map.isFunctionOfDim(3))
      return {};
  }
  // Through the reshape that splits the channels into the depthwise
  // conv's groups, [N, C, 1, H, W].
  auto expand =
      dyn_cast<tensor::ExpandShapeOp>(*op->getResult(0).getUsers().begin());
  if (!expand || !expand->hasOneUse())
    return {};
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  if (groups.size() != 4 || groups[2].size() != 1 || groups[3].size() != 1)
    return {};
  auto pad = dyn_cast<tensor::PadOp>(*expand->getUsers().begin());
  Value zero = pad ? pad.getConstantPaddingValue() : Value();
  if (!pad || !zero || !matchPattern(zero, m_AnyZeroFloat()) ||
      !pad.getType().hasStaticShape())
    return {};
  // The padded input of an x86 depthwise stencil, which reads it in place
  // whatever made it (a grouped conv's shifted columns want a row more, so
  // they would copy it; the NHWC depthwise conv of targets with strided
  // vectors transposes the unpadded input).
  auto dw = pad->hasOneUse()
                ? dyn_cast<linalg::Conv2DNgchwGfchwOp>(*pad->getUsers().begin())
                : linalg::Conv2DNgchwGfchwOp();
  if (!dw || target.stridedVectors)
    return {};
  auto dwFilter = cast<RankedTensorType>(dw.getDpsInputs()[1].getType());
  if (dwFilter.getDimSize(1) != 1 || dwFilter.getDimSize(2) != 1)
    return {};
  // H and W padded, nothing else.
  int64_t rank = pad.getType().getRank();
  ArrayRef<int64_t> padLow = pad.getStaticLow(), padHigh = pad.getStaticHigh();
  for (int64_t d = 0; d + 2 < rank; ++d)
    if (padLow[d] || padHigh[d])
      return {};
  SmallVector<int64_t> low = {0, 0, padLow[rank - 2], padLow[rank - 1]};
  SmallVector<int64_t> high = {0, 0, padHigh[rank - 2], padHigh[rank - 1]};

  // Worth it where the padding adds few pixels (to 56 x 56: 7%; 28 x 28:
  // 15%) and the product is laid out for the fusion: filters as M (not the
  // pixels: a small plane's), whole M tiles (the bias along them), K in
  // one cache block.
  int64_t f = ot.getDimSize(1), k = ft.getDimSize(1);
  int64_t hp = pad.getType().getDimSize(rank - 2),
          wp = pad.getType().getDimSize(rank - 1);
  int64_t pixels = ot.getDimSize(2) * ot.getDimSize(3);
  MatmulStrategy s = chooseMatmulStrategy(target, f, hp * wp, k, 32);
  if (hp * wp * 20 > pixels * 23 || f % s.m0 != 0 || s.kc < k ||
      pixelsAsRows(target, f, hp * wp, k))
    return {};

  // The input padded the same way, with rows added at the bottom so that
  // the product's columns (the padded pixels, flattened) can be rounded up
  // to whole N0 tiles: a partial one would be padded by a copy of the
  // whole input (the pack's padding, which the padded input's producer
  // cannot write into). Those extra columns are computed and dropped.
  int64_t cols = llvm::alignTo(hp * wp, s.n0);
  int64_t extraRows = llvm::divideCeil(cols - hp * wp, wp);
  Location loc = conv.getLoc();
  Type elt = ot.getElementType();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(conv);
  int64_t c = xt.getDimSize(1);
  auto xpType =
      RankedTensorType::get({1, c, hp + extraRows, wp}, xt.getElementType());
  SmallVector<OpFoldResult> lows = getAsIndexOpFoldResult(ctx, low),
                            highs = getAsIndexOpFoldResult(
                                ctx, {0, 0, high[2] + extraRows, high[3]});
  Value xZero = arith::ConstantOp::create(
      rewriter, loc, rewriter.getZeroAttr(xt.getElementType()));
  Value xp = tensor::PadOp::create(rewriter, loc, xpType, x,
                                   ArrayRef<OpFoldResult>(lows),
                                   ArrayRef<OpFoldResult>(highs), xZero);
  Value flat = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({c, (hp + extraRows) * wp}, xt.getElementType()),
      xp, SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  Value columns = tensor::ExtractSliceOp::create(
      rewriter, loc, flat, getAsIndexOpFoldResult(ctx, {0, 0}),
      getAsIndexOpFoldResult(ctx, {c, cols}),
      getAsIndexOpFoldResult(ctx, {1, 1}));
  Value lhs = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({f, k}, ft.getElementType()), filter,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  auto mmType = RankedTensorType::get({f, cols}, elt);
  Value acc = linalg::FillOp::create(
                  rewriter, loc, fill.getInputs()[0],
                  tensor::EmptyOp::create(rewriter, loc, mmType.getShape(), elt)
                      .getResult())
                  .getResult(0);
  auto matmul =
      linalg::MatmulOp::create(rewriter, loc, TypeRange{mmType},
                               ValueRange{lhs, columns}, ValueRange{acc});

  // The op over [F, columns]: its operands' maps with the image (size 1)
  // indexed at 0 and the channel as the rows.
  rewriter.setInsertionPoint(op);
  AffineMap toRows =
      AffineMap::get(2, 0,
                     {getAffineConstantExpr(0, ctx), getAffineDimExpr(0, ctx),
                      getAffineDimExpr(1, ctx), getAffineDimExpr(1, ctx)},
                     ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    if (operand->get() == conv->getResult(0)) {
      inputs.push_back(matmul.getResult(0));
      maps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
      continue;
    }
    inputs.push_back(operand->get());
    maps.push_back(op.getMatchingIndexingMap(operand).compose(toRows));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
  Type overElt = getElementTypeOrSelf(op.getResultTypes()[0]);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, mmType.getShape(), overElt);
  auto over = linalg::GenericOp::create(
      rewriter, loc, empty.getType(), inputs, empty, maps,
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel));
  rewriter.inlineRegionBefore(op.getRegion(), over.getRegion(),
                              over.getRegion().end());

  // The padded pixels, the border zeroed.
  rewriter.setInsertionPoint(pad);
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, over.getResult(0), getAsIndexOpFoldResult(ctx, {0, 0}),
      getAsIndexOpFoldResult(ctx, {f, hp * wp}),
      getAsIndexOpFoldResult(ctx, {1, 1}));
  auto outType = RankedTensorType::get({1, f, hp, wp}, overElt);
  result = tensor::ExpandShapeOp::create(
      rewriter, loc, outType, result,
      SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  for (int64_t d : {2, 3})
    result = fillEnds(rewriter, loc, result, zero, d, low[d], high[d]);
  result = tensor::ExpandShapeOp::create(rewriter, loc, pad.getType(), result,
                                         groups);
  rewriter.replaceOp(pad, result);
  rewriter.eraseOp(expand);
  rewriter.eraseOp(op);
  rewriter.eraseOp(conv);
  if (fill->use_empty())
    rewriter.eraseOp(fill);
  return matmul;
}
