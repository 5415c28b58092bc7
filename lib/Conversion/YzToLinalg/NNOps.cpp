//===- NNOps.cpp - convolution, pooling, reductions -> linalg -------------===//
//
// Part of Yizhuang. Convolutions and pooling map onto linalg's named NCHW
// ops (padding first, with tensor.pad); composite ops (softmax, mean, bias,
// average divisors) are rewritten into simpler yz ops, which the same
// conversion then lowers.
//
//===----------------------------------------------------------------------===//

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

Value mlir::yz::filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                             Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value mlir::yz::zeroOf(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
}

Value mlir::yz::lowestOf(OpBuilder &b, Location loc, Type type) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(f, APFloat::getInf(f.getFloatSemantics(), true)));
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, APInt::getSignedMinValue(
                                 type.getIntOrFloatBitWidth())));
}

Value mlir::yz::yzScalar(OpBuilder &b, Location loc, Type elt, double value) {
  auto type = RankedTensorType::get({}, elt);
  Attribute v = isa<FloatType>(elt)
                    ? Attribute(b.getFloatAttr(elt, value))
                    : Attribute(b.getIntegerAttr(elt, int64_t(value)));
  return yz::ConstantOp::create(b, loc, DenseElementsAttr::get(type, v));
}

Value mlir::yz::applyEpilogue(OpBuilder &b, Location loc, Value value,
                              Value bias, FloatAttr lo, FloatAttr hi) {
  Type elt = cast<RankedTensorType>(value.getType()).getElementType();
  if (bias)
    value = yz::AddOp::create(b, loc, value, bias);
  if (lo)
    value = yz::MaxOp::create(b, loc, value,
                              yzScalar(b, loc, elt, lo.getValueAsDouble()));
  if (hi)
    value = yz::MinOp::create(b, loc, value,
                              yzScalar(b, loc, elt, hi.getValueAsDouble()));
  return value;
}

Value mlir::yz::padHW(OpBuilder &b, Location loc, Value x,
                      ArrayRef<int64_t> pads, Value padValue, unsigned hDim) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[hDim] += pads[0] + pads[2];
  shape[hDim + 1] += pads[1] + pads[3];
  SmallVector<OpFoldResult> lo(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> hi(shape.size(), b.getIndexAttr(0));
  lo[hDim] = b.getIndexAttr(pads[0]);
  lo[hDim + 1] = b.getIndexAttr(pads[1]);
  hi[hDim] = b.getIndexAttr(pads[2]);
  hi[hDim + 1] = b.getIndexAttr(pads[3]);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x, lo, hi,
      padValue);
}

Value mlir::yz::convolveNCHW(OpBuilder &b, Location loc, Value x, Value filter,
                             RankedTensorType type, ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations, int64_t groups,
                             ValueRange zeroPoints) {
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  Type elt = type.getElementType();
  auto conv = [&](auto opTag, RankedTensorType t, Value in, Value f) {
    using OpT = decltype(opTag);
    SmallVector<Value> ins{in, f};
    ins.append(zeroPoints.begin(), zeroPoints.end());
    return OpT::create(b, loc, TypeRange{t}, ins,
                       ValueRange{filledTensor(b, loc, t, zeroOf(b, loc, elt))},
                       stridesAttr, dilationsAttr)
        .getResult(0);
  };
  bool quantized = !zeroPoints.empty();
  if (groups == 1)
    return quantized ? conv(linalg::Conv2DNchwFchwQOp(), type, x, filter)
                     : conv(linalg::Conv2DNchwFchwOp(), type, x, filter);
  // Grouped (and depthwise): split C and F into G groups.
  auto xt = cast<RankedTensorType>(x.getType());
  auto ft = cast<RankedTensorType>(filter.getType());
  int64_t g = groups, n = xt.getDimSize(0), c = xt.getDimSize(1),
          f = ft.getDimSize(0);
  auto x5 = RankedTensorType::get(
      {n, g, c / g, xt.getDimSize(2), xt.getDimSize(3)}, xt.getElementType());
  auto f5 = RankedTensorType::get(
      {g, f / g, ft.getDimSize(1), ft.getDimSize(2), ft.getDimSize(3)},
      ft.getElementType());
  auto o5 = RankedTensorType::get(
      {n, g, f / g, type.getDimSize(2), type.getDimSize(3)}, elt);
  SmallVector<ReassociationIndices> splitDim1 = {{0}, {1, 2}, {3}, {4}};
  SmallVector<ReassociationIndices> splitDim0 = {{0, 1}, {2}, {3}, {4}};
  Value xg = tensor::ExpandShapeOp::create(b, loc, x5, x, splitDim1);
  Value fg = tensor::ExpandShapeOp::create(b, loc, f5, filter, splitDim0);
  Value og = quantized ? conv(linalg::Conv2DNgchwGfchwQOp(), o5, xg, fg)
                       : conv(linalg::Conv2DNgchwGfchwOp(), o5, xg, fg);
  return tensor::CollapseShapeOp::create(b, loc, type, og, splitDim1);
}

namespace {

struct Conv2DLowering : OpConversionPattern<yz::Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    Type elt = type.getElementType();
    Value x = padHW(rewriter, loc, adaptor.getInput(), op.getPads(),
                      zeroOf(rewriter, loc, elt));
    Value out = convolveNCHW(rewriter, loc, x, adaptor.getFilter(), type,
                             op.getStrides(), op.getDilations(),
                             op.getGroupsAttr().getInt());
    Value b4;
    if (Value bias = adaptor.getBias())
      b4 = yz::ReshapeOp::create(
          rewriter, loc,
          RankedTensorType::get({1, type.getDimSize(1), 1, 1}, elt), bias);
    rewriter.replaceOp(op, applyEpilogue(rewriter, loc, out, b4,
                                         op.getClampMinAttr(),
                                         op.getClampMaxAttr()));
    return success();
  }
};

/// The window ops' pads with, at the end of H and W, what a last window
/// rounded up by ceil_mode needs past the explicit padding.
SmallVector<int64_t> poolPads(RankedTensorType in, RankedTensorType out,
                              ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> dilations,
                              ArrayRef<int64_t> pads) {
  SmallVector<int64_t> all(pads);
  for (int i = 0; i < 2; ++i) {
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t need = (out.getDimSize(2 + i) - 1) * strides[i] + span;
    int64_t have = in.getDimSize(2 + i) + pads[i] + pads[i + 2];
    all[i + 2] += std::max<int64_t>(need - have, 0);
  }
  return all;
}

/// Max pooling of unsigned integers: the window as a generic's reduction
/// dimensions (n, c, oh, ow, kh, kw), combined with maxui.
Value unsignedMaxPool(OpBuilder &b, Location loc, yz::MaxPool2DOp op, Value x,
                      Value window, RankedTensorType type, Value lowest) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap in = AffineMap::get(6, 0,
                                {dim(0), dim(1), dim(2) * s[0] + dim(4) * d[0],
                                 dim(3) * s[1] + dim(5) * d[1]},
                                ctx);
  AffineMap out = AffineMap::get(6, 0, {dim(0), dim(1), dim(2), dim(3)}, ctx);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  AffineMap win = AffineMap::get(6, 0, {dim(4), dim(5)}, ctx);
  SmallVector<AffineMap> maps = {in, win, out};
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{x, window},
             ValueRange{filledTensor(b, loc, type, lowest)}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l,
                   Value(arith::MaxUIOp::create(nb, l, args[0], args[2])));
             })
      .getResult(0);
}

struct MaxPoolLowering : OpConversionPattern<yz::MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    bool isUnsigned = yz::isUnsigned(op.getInput());
    // Unsigned: 0 is the lowest value; linalg's NCHW pooling is signed.
    Value lowest = isUnsigned ? zeroOf(rewriter, loc, type.getElementType())
                              : lowestOf(rewriter, loc, type.getElementType());
    SmallVector<int64_t> pads = poolPads(
        loweredTensorType(op.getInput().getType()), type, op.getKernel(),
        op.getStrides(), op.getDilations(), op.getPads());
    Value x = padHW(rewriter, loc, adaptor.getInput(), pads, lowest);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(),
                                           type.getElementType());
    if (isUnsigned) {
      rewriter.replaceOp(op, unsignedMaxPool(rewriter, loc, op, x, window, type,
                                             lowest));
      return success();
    }
    rewriter.replaceOp(
        op, linalg::PoolingNchwMaxOp::create(
                rewriter, loc, TypeRange{type}, ValueRange{x, window},
                ValueRange{filledTensor(rewriter, loc, type, lowest)},
                rewriter.getI64TensorAttr(op.getStrides()),
                rewriter.getI64TensorAttr(op.getDilations()))
                .getResult(0));
    return success();
  }
};

struct AvgPoolLowering : OpConversionPattern<yz::AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    Type elt = type.getElementType();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(),
                      p = op.getPads(), d = op.getDilations();
    auto in = loweredTensorType(op.getInput().getType());
    Value zero = zeroOf(rewriter, loc, elt);
    Value x = padHW(rewriter, loc, adaptor.getInput(),
                    poolPads(in, type, k, s, d, p), zero);
    Value window = tensor::EmptyOp::create(rewriter, loc, k, elt);
    Value sum = linalg::PoolingNchwSumOp::create(
                    rewriter, loc, TypeRange{type}, ValueRange{x, window},
                    ValueRange{filledTensor(rewriter, loc, type, zero)},
                    rewriter.getI64TensorAttr(s), rewriter.getI64TensorAttr(d))
                    .getResult(0);
    // Each window divides by the taps that land in the padded input (with
    // count_include_pad) or in the input: a constant [1, 1, OH, OW].
    bool withPad = op.getCountIncludePad();
    auto covered = [&](int64_t o, int i) {
      int64_t lo = withPad ? -p[i] : 0;
      int64_t hi = in.getDimSize(2 + i) + (withPad ? p[i + 2] : 0);
      int64_t n = 0;
      for (int64_t t = 0; t < k[i]; ++t) {
        int64_t at = o * s[i] - p[i] + t * d[i];
        n += at >= lo && at < hi;
      }
      return n;
    };
    int64_t oh = type.getDimSize(2), ow = type.getDimSize(3);
    SmallVector<APFloat> counts;
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        APFloat v(double(std::max<int64_t>(covered(i, 0) * covered(j, 1), 1)));
        bool lost;
        v.convert(cast<FloatType>(elt).getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &lost);
        counts.push_back(v);
      }
    auto ct = RankedTensorType::get({1, 1, oh, ow}, elt);
    Value divisor = yz::ConstantOp::create(rewriter, loc,
                                           DenseElementsAttr::get(ct, counts));
    rewriter.replaceOpWithNewOp<yz::DivOp>(op, sum, divisor);
    return success();
  }
};

/// Sum, product, max or min over axes: a linalg.generic whose output drops
/// them (then reshaped to keep them, with keepdims).
template <typename SourceOp>
struct ReduceLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OpAdaptor = typename SourceOp::Adaptor;
  static constexpr bool isMax = std::is_same_v<SourceOp, yz::ReduceMaxOp>;
  static constexpr bool isMin = std::is_same_v<SourceOp, yz::ReduceMinOp>;
  static constexpr bool isProd = std::is_same_v<SourceOp, yz::ReduceProdOp>;

  /// The combiner's identity: 0, 1, or the lowest / highest value.
  static Value identity(OpBuilder &b, Location loc, Type elt, bool isUnsigned) {
    if (isProd)
      return isa<FloatType>(elt)
                 ? Value(arith::ConstantOp::create(b, loc, b.getFloatAttr(elt, 1.0)))
                 : Value(arith::ConstantOp::create(b, loc, b.getIntegerAttr(elt, 1)));
    if (!isMax && !isMin)
      return zeroOf(b, loc, elt);
    if (auto f = dyn_cast<FloatType>(elt))
      return arith::ConstantOp::create(
          b, loc,
          b.getFloatAttr(f, APFloat::getInf(f.getFloatSemantics(), isMax)));
    unsigned w = elt.getIntOrFloatBitWidth();
    APInt v = isMax ? (isUnsigned ? APInt::getMinValue(w) : APInt::getSignedMinValue(w))
                    : (isUnsigned ? APInt::getMaxValue(w) : APInt::getSignedMaxValue(w));
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(elt, v));
  }

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = loweredTensorType(op.getInput().getType());
    Type elt = in.getElementType();
    // Bools (ReduceMax/Min from opset 20) compare unsigned: max is any,
    // min is all.
    bool isUnsigned = yz::isUnsigned(op.getInput()) || elt.isInteger(1);
    ArrayRef<int64_t> axes = op.getAxes();
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < in.getRank(); ++d) {
      bool reduced = llvm::is_contained(axes, d);
      iterators.push_back(reduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
      if (!reduced) {
        kept.push_back(in.getDimSize(d));
        outExprs.push_back(rewriter.getAffineDimExpr(d));
      }
    }
    auto outType = RankedTensorType::get(kept, elt);
    Value init = filledTensor(rewriter, loc, outType,
                              identity(rewriter, loc, elt, isUnsigned));
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(in.getRank()),
        AffineMap::get(in.getRank(), 0, outExprs, rewriter.getContext())};
    Value r = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{outType}, adaptor.getInput(), init,
                  maps, iterators,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    linalg::YieldOp::create(
                        b, l, combine(b, l, args[0], args[1], isUnsigned));
                  })
                  .getResult(0);
    auto type = loweredTensorType(op.getType());
    if (r.getType() != type)
      r = tensor::ReshapeOp::create(
          rewriter, loc, type, r,
          arith::ConstantOp::create(
              rewriter, loc,
              DenseIntElementsAttr::get(
                  RankedTensorType::get({type.getRank()}, rewriter.getI64Type()),
                  type.getShape())));
    rewriter.replaceOp(op, r);
    return success();
  }

  static Value combine(OpBuilder &b, Location l, Value x, Value acc,
                       bool isUnsigned) {
    bool isFloat = isa<FloatType>(x.getType());
    if (isMax)
      return isFloat ? Value(arith::MaximumFOp::create(b, l, x, acc))
             : isUnsigned ? Value(arith::MaxUIOp::create(b, l, x, acc))
                          : Value(arith::MaxSIOp::create(b, l, x, acc));
    if (isMin)
      return isFloat ? Value(arith::MinimumFOp::create(b, l, x, acc))
             : isUnsigned ? Value(arith::MinUIOp::create(b, l, x, acc))
                          : Value(arith::MinSIOp::create(b, l, x, acc));
    // Float sums may be reassociated (as framework kernels do), so LLVM
    // vectorizes them on every target.
    if (isProd)
      return isFloat ? Value(arith::MulFOp::create(b, l, x, acc))
                     : Value(arith::MulIOp::create(b, l, x, acc));
    return isFloat ? Value(arith::AddFOp::create(b, l, x, acc,
                                                 arith::FastMathFlags::reassoc))
                   : Value(arith::AddIOp::create(b, l, x, acc));
  }
};

/// argmax/argmin: one generic carrying the best value and its index.
template <typename SourceOp>
struct ArgLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OpAdaptor = typename SourceOp::Adaptor;
  static constexpr bool isMax = std::is_same_v<SourceOp, yz::ArgMaxOp>;

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = loweredTensorType(op.getInput().getType());
    Type elt = in.getElementType();
    bool isUnsigned = yz::isUnsigned(op.getInput());
    int64_t axis = op.getAxisAttr().getInt();
    bool last = op.getSelectLastIndex();
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < in.getRank(); ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d != axis) {
        kept.push_back(in.getDimSize(d));
        outExprs.push_back(rewriter.getAffineDimExpr(d));
      }
    }
    // The value starts at the other extreme, so that element 0 wins ties.
    Value start;
    if (auto f = dyn_cast<FloatType>(elt)) {
      start = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getFloatAttr(f, APFloat::getInf(f.getFloatSemantics(), isMax)));
    } else {
      unsigned w = elt.getIntOrFloatBitWidth();
      APInt v = isMax ? (isUnsigned ? APInt::getMinValue(w) : APInt::getSignedMinValue(w))
                      : (isUnsigned ? APInt::getMaxValue(w) : APInt::getSignedMaxValue(w));
      start = arith::ConstantOp::create(rewriter, loc, rewriter.getIntegerAttr(elt, v));
    }
    auto valType = RankedTensorType::get(kept, elt);
    auto idxType = RankedTensorType::get(kept, rewriter.getI64Type());
    Value vals = filledTensor(rewriter, loc, valType, start);
    Value idxs = filledTensor(rewriter, loc, idxType,
                              zeroOf(rewriter, loc, rewriter.getI64Type()));
    AffineMap outMap = AffineMap::get(in.getRank(), 0, outExprs, rewriter.getContext());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(in.getRank()),
                                   outMap, outMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, adaptor.getInput(),
        ValueRange{vals, idxs}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], v = args[1], i = args[2];
          Value pos = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isa<FloatType>(elt)) {
            auto p = isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                           : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, p, x, v);
          } else {
            using P = arith::CmpIPredicate;
            P p = isMax ? (last ? (isUnsigned ? P::uge : P::sge) : (isUnsigned ? P::ugt : P::sgt))
                        : (last ? (isUnsigned ? P::ule : P::sle) : (isUnsigned ? P::ult : P::slt));
            better = arith::CmpIOp::create(b, l, p, x, v);
          }
          linalg::YieldOp::create(
              b, l, ValueRange{arith::SelectOp::create(b, l, better, x, v),
                               arith::SelectOp::create(b, l, better, pos, i)});
        });
    Value r = generic.getResult(1);
    auto type = loweredTensorType(op.getType());
    if (r.getType() != type)
      r = tensor::ReshapeOp::create(
          rewriter, loc, type, r,
          arith::ConstantOp::create(
              rewriter, loc,
              DenseIntElementsAttr::get(
                  RankedTensorType::get({type.getRank()}, rewriter.getI64Type()),
                  type.getShape())));
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// out[.., i, ..] = sum over k of the input at k where k is in i's range:
/// a generic with k as an extra reduction dimension (the axis is short in
/// practice: positions, masks).
struct CumSumLowering : OpConversionPattern<yz::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    int64_t rank = type.getRank(), axis = op.getAxisAttr().getInt();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, inExprs, ctx),
                                   AffineMap::get(rank + 1, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Type elt = type.getElementType();
    Value init = filledTensor(rewriter, loc, type, zeroOf(rewriter, loc, elt));
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, adaptor.getInput(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value k = linalg::IndexOp::create(b, l, rank);
          using P = arith::CmpIPredicate;
          P p = reverse ? (exclusive ? P::ugt : P::uge)
                        : (exclusive ? P::ult : P::ule);
          Value in = arith::CmpIOp::create(b, l, p, k, i);
          Value x = arith::SelectOp::create(b, l, in, args[0],
                                            zeroOf(b, l, elt));
          Value sum = isa<FloatType>(elt)
                          ? Value(arith::AddFOp::create(b, l, args[1], x))
                          : Value(arith::AddIOp::create(b, l, args[1], x));
          linalg::YieldOp::create(b, l, sum);
        });
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<yz::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    int64_t axis = op.getAxisAttr().getInt(), offset = 0;
    Value acc = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
    for (Value in : adaptor.getInputs()) {
      auto t = cast<RankedTensorType>(in.getType());
      SmallVector<OpFoldResult> offsets(t.getRank(), rewriter.getIndexAttr(0)),
          sizes, strides(t.getRank(), rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      acc = tensor::InsertSliceOp::create(rewriter, loc, in, acc, offsets,
                                          sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<yz::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto attrs = [&](ArrayRef<int64_t> v) {
      return llvm::map_to_vector(v, [&](int64_t x) -> OpFoldResult {
        return rewriter.getIndexAttr(x);
      });
    };
    auto type = loweredTensorType(op.getType());
    if (type.getNumElements() == 0) { // nothing to read, maybe nowhere to
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                   type.getElementType());
      return success();
    }
    if (llvm::all_of(op.getStrides(), [](int64_t s) { return s > 0; })) {
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), attrs(op.getStarts()),
          attrs(op.getSizes()), attrs(op.getStrides()));
      return success();
    }
    // A backward walk: each element read at start + j * stride.
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(type.getRank())};
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, ValueRange{}, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            Value j = linalg::IndexOp::create(b, l, d);
            Value step = arith::ConstantIndexOp::create(b, l, op.getStrides()[d]);
            Value start = arith::ConstantIndexOp::create(b, l, op.getStarts()[d]);
            at.push_back(arith::AddIOp::create(
                b, l, start, arith::MulIOp::create(b, l, j, step)));
          }
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, at).getResult());
        });
    return success();
  }
};

/// Constant padding is a tensor.pad; edge, reflect and wrap read each
/// element at the input index its position maps to.
struct PadLowering : OpConversionPattern<yz::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    auto in = loweredTensorType(op.getInput().getType());
    Value input = adaptor.getInput();
    StringRef mode = op.getMode();
    if (mode == "constant") {
      Value v = adaptor.getValue()
                    ? Value(tensor::ExtractOp::create(rewriter, loc,
                                                      adaptor.getValue()))
                    : zeroOf(rewriter, loc, type.getElementType());
      auto attrs = [&](ArrayRef<int64_t> p) {
        return llvm::map_to_vector(p, [&](int64_t x) -> OpFoldResult {
          return rewriter.getIndexAttr(x);
        });
      };
      rewriter.replaceOpWithNewOp<tensor::PadOp>(
          op, type, input, attrs(op.getLow()), attrs(op.getHigh()), v);
      return success();
    }
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(type.getRank())};
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, ValueRange{}, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at;
          auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          for (int64_t d = 0; d < type.getRank(); ++d) {
            int64_t n = in.getDimSize(d);
            // i: the position relative to the input's first element.
            Value i = arith::SubIOp::create(b, l, linalg::IndexOp::create(b, l, d),
                                            c(op.getLow()[d]));
            auto positiveRem = [&](Value x, int64_t m) -> Value {
              Value r = arith::RemSIOp::create(b, l, x, c(m));
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, c(0));
              return arith::SelectOp::create(b, l, neg,
                                             arith::AddIOp::create(b, l, r, c(m)), r);
            };
            Value j;
            if (mode == "edge" || n == 1) {
              j = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, c(0)),
                                         c(n - 1));
            } else if (mode == "wrap") {
              j = positiveRem(i, n);
            } else { // reflect: period 2(n - 1), the second half mirrored
              Value r = positiveRem(i, 2 * (n - 1));
              Value back = arith::SubIOp::create(b, l, c(2 * (n - 1)), r);
              Value high = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, r, c(n));
              j = arith::SelectOp::create(b, l, high, back, r);
            }
            at.push_back(j);
          }
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, at).getResult());
        });
    return success();
  }
};

/// Each element read at offsets[d] + j * steps[d], both read at run time.
struct DynamicSliceLowering : OpConversionPattern<yz::DynamicSliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::DynamicSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    Value input = adaptor.getInput(), offsets = adaptor.getOffsets(),
          steps = adaptor.getSteps();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(type.getRank())};
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, ValueRange{}, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            Value dIdx = arith::ConstantIndexOp::create(b, l, d);
            auto read = [&](Value v) -> Value {
              return arith::IndexCastOp::create(
                  b, l, b.getIndexType(),
                  tensor::ExtractOp::create(b, l, v, dIdx));
            };
            Value j = linalg::IndexOp::create(b, l, d);
            at.push_back(arith::AddIOp::create(
                b, l, read(offsets), arith::MulIOp::create(b, l, j, read(steps))));
          }
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, at).getResult());
        });
    return success();
  }
};

} // namespace

void mlir::yz::populateYzNNToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, MaxPoolLowering, AvgPoolLowering,
               ReduceLowering<yz::ReduceSumOp>, ReduceLowering<yz::ReduceProdOp>,
               ReduceLowering<yz::ReduceMaxOp>, ReduceLowering<yz::ReduceMinOp>,
               ConcatLowering, SliceLowering,
               ArgLowering<yz::ArgMaxOp>, ArgLowering<yz::ArgMinOp>,
               CumSumLowering, DynamicSliceLowering,
               PadLowering>(
      converter, patterns.getContext());
}
