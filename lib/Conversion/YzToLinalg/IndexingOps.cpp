//===- IndexingOps.cpp - gathers and scatters -> linalg, scf --------------===//
//
// Part of Yizhuang. Gathers are a linalg.generic over the result that reads
// the data with tensor.extract at the indices it reads. Scatters are a loop
// nest over the updates that inserts each into the result (the data, then
// each update combined with what is there), in order, as ONNX specifies.
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

/// An index read from an index tensor, as `index`, negative ones counted
/// from the end of a dimension of `size`.
Value wrapIndex(OpBuilder &b, Location l, Value raw, int64_t size) {
  Value idx = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value negative =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(
      b, l, idx, arith::ConstantIndexOp::create(b, l, size));
  return arith::SelectOp::create(b, l, negative, wrapped, idx);
}

Value indexConst(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

/// out[pre..., idx..., post...] = data[pre..., indices[idx...], post...]
struct GatherLowering : OpConversionPattern<yz::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t axis = op.getAxisAttr().getInt(), k = idxType.getRank();
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < k; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(type.getRank(), 0, idxExprs, ctx),
        AffineMap::getMultiDimIdentityMap(type.getRank(), ctx)};
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    Value data = adaptor.getData();
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, adaptor.getIndices(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < axis; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          at.push_back(wrapIndex(b, l, args[0], dataType.getDimSize(axis)));
          for (int64_t d = axis + 1; d < dataType.getRank(); ++d)
            at.push_back(linalg::IndexOp::create(b, l, d - 1 + k));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, data, at).getResult());
        });
    return success();
  }
};

/// out[..] = data[.., indices[..], ..] with the index in dimension `axis`.
struct GatherElementsLowering : OpConversionPattern<yz::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    auto dataType = loweredTensorType(op.getData().getType());
    int64_t axis = op.getAxisAttr().getInt(), rank = type.getRank();
    Value data = adaptor.getData();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, adaptor.getIndices(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(d == axis
                             ? wrapIndex(b, l, args[0], dataType.getDimSize(d))
                             : Value(linalg::IndexOp::create(b, l, d)));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, data, at).getResult());
        });
    return success();
  }
};

/// out[b..., i..., s...] = data[b..., indices[b..., i..., :], s...]: the
/// tuple read element by element from the indices.
struct GatherNDLowering : OpConversionPattern<yz::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    auto dataType = loweredTensorType(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t batch = op.getBatchDims(), q = idxType.getRank();
    int64_t k = idxType.getDimSize(q - 1), rank = type.getRank();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, ValueRange{}, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> outer, at;
          for (int64_t d = 0; d < q - 1; ++d)
            outer.push_back(linalg::IndexOp::create(b, l, d));
          for (int64_t d = 0; d < batch; ++d)
            at.push_back(outer[d]);
          for (int64_t t = 0; t < k; ++t) {
            SmallVector<Value> where(outer);
            where.push_back(indexConst(b, l, t));
            Value raw = tensor::ExtractOp::create(b, l, indices, where);
            at.push_back(wrapIndex(b, l, raw, dataType.getDimSize(batch + t)));
          }
          for (int64_t d = q - 1; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, data, at).getResult());
        });
    return success();
  }
};

/// The new element of a scatter: `update`, or combined with `old`.
Value combine(OpBuilder &b, Location l, StringRef reduction, Value old,
              Value update, bool isUnsigned) {
  if (reduction == "none")
    return update;
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, l, old, update))
                   : Value(arith::AddIOp::create(b, l, old, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, l, old, update))
                   : Value(arith::MulIOp::create(b, l, old, update));
  bool max = reduction == "max";
  if (isFloat)
    return max ? Value(arith::MaximumFOp::create(b, l, old, update))
               : Value(arith::MinimumFOp::create(b, l, old, update));
  if (isUnsigned)
    return max ? Value(arith::MaxUIOp::create(b, l, old, update))
               : Value(arith::MinUIOp::create(b, l, old, update));
  return max ? Value(arith::MaxSIOp::create(b, l, old, update))
             : Value(arith::MinSIOp::create(b, l, old, update));
}

/// A loop nest over `updates` carrying the result; `target` maps the loop
/// indices (into the updates) to the element of the result they update.
Value scatterLoops(OpBuilder &rewriter, Location loc, Value data, Value updates,
                   StringRef reduction, bool isUnsigned,
                   function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                   ValueRange)>
                       target) {
  auto ut = cast<RankedTensorType>(updates.getType());
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d = 0; d < ut.getRank(); ++d) {
    lbs.push_back(indexConst(rewriter, loc, 0));
    ubs.push_back(indexConst(rewriter, loc, ut.getDimSize(d)));
    steps.push_back(indexConst(rewriter, loc, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{data},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange acc) -> scf::ValueVector {
        Value update = tensor::ExtractOp::create(b, l, updates, ivs);
        SmallVector<Value> at = target(b, l, ivs);
        Value old = reduction == "none"
                        ? Value()
                        : Value(tensor::ExtractOp::create(b, l, acc[0], at));
        Value v = combine(b, l, reduction, old, update, isUnsigned);
        return {tensor::InsertOp::create(b, l, v, acc[0], at).getResult()};
      });
  return nest.results.front();
}

struct ScatterElementsLowering : OpConversionPattern<yz::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dataType = loweredTensorType(op.getData().getType());
    int64_t axis = op.getAxis();
    Value indices = adaptor.getIndices();
    rewriter.replaceOp(
        op, scatterLoops(rewriter, op.getLoc(), adaptor.getData(),
                         adaptor.getUpdates(), op.getReduction(),
                         yz::isUnsigned(op.getData()),
                         [&](OpBuilder &b, Location l, ValueRange ivs) {
                           SmallVector<Value> at(ivs);
                           at[axis] = wrapIndex(
                               b, l, tensor::ExtractOp::create(b, l, indices, ivs),
                               dataType.getDimSize(axis));
                           return at;
                         }));
    return success();
  }
};

struct ScatterNDLowering : OpConversionPattern<yz::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dataType = loweredTensorType(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t q = idxType.getRank(), k = idxType.getDimSize(q - 1);
    Value indices = adaptor.getIndices();
    rewriter.replaceOp(
        op, scatterLoops(rewriter, op.getLoc(), adaptor.getData(),
                         adaptor.getUpdates(), op.getReduction(),
                         yz::isUnsigned(op.getData()),
                         [&](OpBuilder &b, Location l, ValueRange ivs) {
                           // ivs: the tuple's position (q - 1), then the
                           // position in the slice.
                           SmallVector<Value> at;
                           for (int64_t t = 0; t < k; ++t) {
                             SmallVector<Value> where(ivs.take_front(q - 1));
                             where.push_back(indexConst(b, l, t));
                             at.push_back(wrapIndex(
                                 b, l, tensor::ExtractOp::create(b, l, indices, where),
                                 dataType.getDimSize(t)));
                           }
                           llvm::append_range(at, ivs.drop_front(q - 1));
                           return at;
                         }));
    return success();
  }
};

} // namespace

void mlir::yz::populateYzIndexingToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GatherLowering, GatherElementsLowering, GatherNDLowering,
               ScatterElementsLowering, ScatterNDLowering>(
      converter, patterns.getContext());
}
