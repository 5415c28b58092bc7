//===- SelectionOps.cpp - top_k -> linalg ---------------------------------===//
//
// Part of Yizhuang. yz.top_k picks its k results in k rounds (an scf.for):
// round j is one linalg reduction along the axis that finds the best
// element ranked after round j - 1's pick (read back from the results), in
// the order (value, then lower position first). O(k x n) per row, with no
// sort and no scratch mask; k is small where TopK is used (classes,
// detections).
//
//===----------------------------------------------------------------------===//

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

namespace {

struct TopKLowering : OpConversionPattern<yz::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(yz::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = loweredTensorType(op.getInput().getType());
    Type elt = in.getElementType();
    bool isFloat = isa<FloatType>(elt);
    bool isUns = yz::isUnsigned(op.getInput());
    bool largest = op.getLargest();
    int64_t axis = op.getAxis(), rank = in.getRank(), k = op.getK();
    MLIRContext *ctx = rewriter.getContext();
    Type i64 = rewriter.getI64Type();

    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> keptExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d != axis) {
        kept.push_back(in.getDimSize(d));
        keptExprs.push_back(getAffineDimExpr(d, ctx));
      }
    }
    auto rowVals = RankedTensorType::get(kept, elt);
    auto rowIdxs = RankedTensorType::get(kept, i64);
    AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, ctx);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   keptMap, keptMap, keptMap, keptMap};

    // "a ranks before b": a better value, or an equal one at a lower position.
    auto ranksBefore = [&](OpBuilder &b, Location l, Value av, Value ai,
                           Value bv, Value bi) -> Value {
      Value better, equal;
      if (isFloat) {
        better = arith::CmpFOp::create(
            b, l, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
            av, bv);
        equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, av, bv);
      } else {
        using P = arith::CmpIPredicate;
        P p = largest ? (isUns ? P::ugt : P::sgt) : (isUns ? P::ult : P::slt);
        better = arith::CmpIOp::create(b, l, p, av, bv);
        equal = arith::CmpIOp::create(b, l, P::eq, av, bv);
      }
      Value lower = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, ai, bi);
      return arith::OrIOp::create(b, l, better,
                                  arith::AndIOp::create(b, l, equal, lower));
    };

    Value minusOne = arith::ConstantOp::create(rewriter, loc,
                                               rewriter.getIntegerAttr(i64, -1));
    Value anyV = zeroOf(rewriter, loc, elt);
    auto outVals = loweredTensorType(op.getValues().getType());
    auto outIdxs = loweredTensorType(op.getIndices().getType());
    Value vals0 = tensor::EmptyOp::create(rewriter, loc, outVals.getShape(), elt);
    Value idxs0 = tensor::EmptyOp::create(rewriter, loc, outIdxs.getShape(), i64);

    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value ck = arith::ConstantIndexOp::create(rewriter, loc, k);
    Value input = adaptor.getInput();
    // The row at position `at` along the axis of a [.., k, ..] tensor.
    auto rowAt = [&](OpBuilder &b, Location l, Value at) {
      SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(b.getIndexAttr(d == axis ? 1 : in.getDimSize(d)));
      offsets[axis] = at;
      return std::make_tuple(offsets, sizes, strides);
    };
    auto loop = scf::ForOp::create(
        rewriter, loc, c0, ck, c1, ValueRange{vals0, idxs0},
        [&](OpBuilder &b, Location l, Value j, ValueRange iter) {
          // The previous pick, read back from the results (row 0, unused,
          // in round 0).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                              j, c0);
          Value prev = arith::SelectOp::create(
              b, l, first, c0, arith::SubIOp::create(b, l, j, c1));
          auto [po, ps, pst] = rowAt(b, l, prev);
          Value lastV = tensor::ExtractSliceOp::create(b, l, rowVals, iter[0],
                                                       po, ps, pst);
          Value lastI = tensor::ExtractSliceOp::create(b, l, rowIdxs, iter[1],
                                                       po, ps, pst);
          Value bestV0 = filledTensor(b, l, rowVals, anyV);
          Value bestI0 = filledTensor(b, l, rowIdxs, minusOne);
          auto round = linalg::GenericOp::create(
              b, l, TypeRange{rowVals, rowIdxs}, ValueRange{input, lastV, lastI},
              ValueRange{bestV0, bestI0}, maps, iterators,
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value x = args[0], lv = args[1], li = args[2], bv = args[3],
                      bi = args[4];
                Value pos = arith::IndexCastOp::create(
                    nb, nl, i64, linalg::IndexOp::create(nb, nl, axis));
                // Eligible: ranked after the previous pick (all, in round 0).
                Value after = ranksBefore(nb, nl, lv, li, x, pos);
                Value eligible = arith::OrIOp::create(nb, nl, first, after);
                Value none = arith::CmpIOp::create(
                    nb, nl, arith::CmpIPredicate::eq, bi, minusOne);
                Value beats = arith::OrIOp::create(
                    nb, nl, none, ranksBefore(nb, nl, x, pos, bv, bi));
                Value take = arith::AndIOp::create(nb, nl, eligible, beats);
                linalg::YieldOp::create(
                    nb, nl,
                    ValueRange{arith::SelectOp::create(nb, nl, take, x, bv),
                               arith::SelectOp::create(nb, nl, take, pos, bi)});
              });
          auto [o, sz, st] = rowAt(b, l, j);
          Value vals = tensor::InsertSliceOp::create(b, l, round.getResult(0),
                                                     iter[0], o, sz, st);
          Value idxs = tensor::InsertSliceOp::create(b, l, round.getResult(1),
                                                     iter[1], o, sz, st);
          scf::YieldOp::create(b, l, ValueRange{vals, idxs});
        });
    rewriter.replaceOp(op, {loop.getResult(0), loop.getResult(1)});
    return success();
  }
};

} // namespace

void mlir::yz::populateYzSelectionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TopKLowering>(converter, patterns.getContext());
}
