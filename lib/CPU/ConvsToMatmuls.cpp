//===- ConvsToMatmuls.cpp - f32 convolutions as im2col + matmul -----------===//
//
// Part of Yizhuang. Rewrites convolutions as a copy into columns (im2col)
// and a plain linalg.matmul whose LHS is the filter, so that the matmul
// strategy (yz-pack-matmuls, yz-tile-and-vectorize) applies unchanged and a
// constant filter is packed at compile time. Grouped convolutions become a
// batch of such matmuls, one per group. For one image, the columns are
// read from the input at shifted offsets instead (convByShiftedColumns),
// which yz-pack-matmuls packs without an im2col copy. int8 convolutions (with
// `int8`) become int8 matmuls whose accumulator starts at the input zero
// point's share.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "yz/CPU/CpuTarget.h"
#include "yz/CPU/PaddedPointwise.h"
#include "yz/CPU/PaddedShifted.h"
#include "yz/CPU/Reshapes.h"
#include "yz/CPU/Transposed.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Matchers.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZCONVSTOMATMULS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// A tensor of `shape` holding `x` moved by one all-parallel
/// linalg.generic copy: at each point of its loops, the element of `x` at
/// `in` goes to `out` (identity: the loops are the result's dimensions).
Value copyGeneric(OpBuilder &b, Location loc, Value x, AffineMap in,
                  ArrayRef<int64_t> shape, AffineMap out = {}) {
  Type elt = cast<RankedTensorType>(x.getType()).getElementType();
  auto type = RankedTensorType::get(shape, elt);
  Value init = tensor::EmptyOp::create(b, loc, shape, elt);
  if (!out)
    out = AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{x}, ValueRange{init},
             ArrayRef<AffineMap>{in, out},
             SmallVector<utils::IteratorType>(in.getNumDims(),
                                              utils::IteratorType::parallel),
             [](OpBuilder &b, Location loc, ValueRange args) {
               linalg::YieldOp::create(b, loc, args[0]);
             })
      .getResult(0);
}

/// A zero-filled tensor of `type`: a product's accumulator.
Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  Type elt = type.getElementType();
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elt));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), elt);
  return linalg::FillOp::create(b, loc, zero, ValueRange{empty}).getResult(0);
}

/// The columns of `x` [N, C, H, W] (already padded) for a KH x KW window:
/// col[C*KH*KW, N*OH*OW], built by one copy whose input map is affine in
/// its loops (c, kh, kw, n, oh, ow), so it stays a tileable, vectorizable
/// linalg.generic. A 1x1, stride-1 window over one image is `x` itself.
/// With `rows`, the columns as rows, col[N*OH*OW, C*KH*KW] (loops (n, oh,
/// ow, c, kh, kw)), for a product with the pixels as M.
Value im2col(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> window,
             ArrayRef<int64_t> outHW, ArrayRef<int64_t> strides,
             ArrayRef<int64_t> dilations, bool rows = false) {
  auto xt = cast<RankedTensorType>(x.getType());
  Type elt = xt.getElementType();
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t kh = window[0], kw = window[1], oh = outHW[0], ow = outHW[1];
  auto colType = RankedTensorType::get({c * kh * kw, n * oh * ow}, elt);
  bool identity = kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
                  xt.getDimSize(2) == oh && xt.getDimSize(3) == ow;
  if (identity && n == 1 && !rows)
    return tensor::CollapseShapeOp::create(
        b, loc, colType, x,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});

  // The copy's loops in the result's order: (c, kh, kw, n, oh, ow), or
  // (n, oh, ow, c, kh, kw) for rows.
  MLIRContext *ctx = b.getContext();
  unsigned window0 = rows ? 3 : 0, pixel0 = rows ? 0 : 3;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineExpr dc = dim(window0), dkh = dim(window0 + 1), dkw = dim(window0 + 2),
             dn = dim(pixel0), doh = dim(pixel0 + 1), dow = dim(pixel0 + 2);
  SmallVector<int64_t> shape = {c, kh, kw, n, oh, ow};
  if (rows)
    shape = {n, oh, ow, c, kh, kw};
  auto in = AffineMap::get(6, 0,
                           {dn, dc, doh * strides[0] + dkh * dilations[0],
                            dow * strides[1] + dkw * dilations[1]},
                           ctx);
  Value copy = copyGeneric(b, loc, x, in, shape);
  return tensor::CollapseShapeOp::create(
      b, loc,
      rows ? RankedTensorType::get({n * oh * ow, c * kh * kw}, elt) : colType,
      copy, SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// acc[F, P] = -zp * sum_k lhs[f, k] (i32): the share of an int8 input's
/// zero point in sum_k lhs[f, k] * (col[k, p] - zp).
Value zeroPointShare(OpBuilder &b, Location loc, Value lhs, Value zp,
                     RankedTensorType type) {
  MLIRContext *ctx = b.getContext();
  Type i32 = b.getI32Type();
  int64_t f = type.getDimSize(0);
  AffineExpr d0, d1;
  bindDims(ctx, d0, d1);
  auto rowMap = AffineMap::get(2, 0, {d0}, ctx);
  auto identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value sums = linalg::FillOp::create(
                   b, loc, zero,
                   ValueRange{tensor::EmptyOp::create(b, loc, {f}, i32)})
                   .getResult(0);
  sums = linalg::GenericOp::create(
             b, loc, TypeRange{sums.getType()}, ValueRange{lhs},
             ValueRange{sums}, ArrayRef<AffineMap>{identity, rowMap},
             {utils::IteratorType::parallel, utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value w = arith::ExtSIOp::create(nb, l, i32, args[0]);
               linalg::YieldOp::create(
                   nb, l, Value(arith::AddIOp::create(nb, l, args[1], w)));
             })
             .getResult(0);
  Value negZp = arith::SubIOp::create(b, loc, zero, zp);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{sums},
             ValueRange{tensor::EmptyOp::create(b, loc, type.getShape(), i32)},
             ArrayRef<AffineMap>{rowMap, identity},
             {utils::IteratorType::parallel, utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l, Value(arith::MulIOp::create(nb, l, args[0], negZp)));
             })
      .getResult(0);
}

/// `x` (its last two dimensions H and W) padded at the bottom and right to
/// `h` x `w`. The values added are never used (only junk pixels read
/// them): where `x` is a constant pad already, it is one pad of the same
/// source, so that the rows cost no copy of their own.
Value padBottomRight(RewriterBase &rewriter, Location loc, Value x, int64_t h,
                     int64_t w) {
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t rank = xt.getRank();
  SmallVector<int64_t> shape(xt.getShape());
  int64_t addH = h - shape[rank - 2], addW = w - shape[rank - 1];
  if (addH == 0 && addW == 0)
    return x;
  shape[rank - 2] = h;
  shape[rank - 1] = w;
  MLIRContext *ctx = rewriter.getContext();
  Value source = x, value;
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  high[rank - 2] = addH;
  high[rank - 1] = addW;
  auto pad = x.getDefiningOp<tensor::PadOp>();
  if (pad && (value = pad.getConstantPaddingValue()) &&
      !ShapedType::isDynamicShape(pad.getStaticLow()) &&
      !ShapedType::isDynamicShape(pad.getStaticHigh())) {
    source = pad.getSource();
    low.assign(pad.getStaticLow().begin(), pad.getStaticLow().end());
    for (int64_t d = 0; d < rank; ++d)
      high[d] += pad.getStaticHigh()[d];
  } else {
    value = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(xt.getElementType()));
  }
  return tensor::PadOp::create(
      rewriter, loc, RankedTensorType::get(shape, xt.getElementType()), source,
      getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
      value);
}

/// The sh x sw phases of `x` [N, C, H, W]: P[n, c, a, b, i, j] =
/// x[n, c, i*sh + a, j*sw + b], by one copy whose loops (n, c, a, i, b, j)
/// write each phase's rows in order. H and W are padded up to multiples of
/// the strides first where they are not (a convolution never reads those).
Value phasesOf(RewriterBase &rewriter, Location loc, Value x, int64_t sh,
               int64_t sw) {
  auto xt = cast<RankedTensorType>(x.getType());
  Type elt = xt.getElementType();
  MLIRContext *ctx = rewriter.getContext();
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t h = xt.getDimSize(2), w = xt.getDimSize(3);
  int64_t hq = llvm::divideCeil(h, sh), wq = llvm::divideCeil(w, sw);
  x = padBottomRight(rewriter, loc, x, hq * sh, wq * sw);
  x = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({n, c, hq, sh, wq, sw}, elt), x,
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
  auto dims = [&](ArrayRef<unsigned> ds) {
    SmallVector<AffineExpr> es;
    for (unsigned i : ds)
      es.push_back(getAffineDimExpr(i, ctx));
    return AffineMap::get(6, 0, es, ctx);
  };
  return copyGeneric(rewriter, loc, x, dims({0, 1, 3, 2, 5, 4}),
                     {n, c, sh, sw, hq, wq}, dims({0, 1, 2, 4, 3, 5}));
}

/// A convolution of one image by a product whose columns are read in place
/// rather than gathered by im2col ("shifted columns"). With the input
/// split into its stride phases (stride 1: the input itself) and each
/// phase's rows flattened (width WQ), tap (r, q) = (kh*dh, kw*dw) of the
/// output pixel p = oh*WQ + ow is element (r/sh)*WQ + q/sw + p of phase
/// (r%sh, q%sw): column (c, kh, kw) is one contiguous run of a flattened
/// phase. The product runs over every p < P (OH*WQ rounded up to the
/// register tile's N0, the phases padded with rows enough for that), so it
/// computes WQ - OW junk pixels per output row, dropped afterwards. The
/// columns are a copy that yz-pack-matmuls folds into the RHS pack: the
/// packed panels are read from the input, with no im2col pass between.
///
/// `x5` is [1, G, Cg, H, W] (padded), `lhs` the filter as [G, Fg, K] (a
/// batch of products) or [F, K] (G = 1). Returns [G, Fg, OH, OW] or
/// [F, OH, OW], or failure where im2col is better: junk pixels cost Fg
/// FMAs and a packed column each, while a column element that im2col
/// copies and the pack copies again cost about 25 FMAs' time on an AVX-512
/// host (RegNetX's grouped convolutions; im2col about half of it). So
/// shifted columns are chosen where (WQ - OW) * (Fg + 12) <= 12 * OW: at
/// 56 and 28 pixels a row, or with few filters a group, not for ResNet's
/// 14 x 14 and 7 x 7 layers of 256 and 512 filters.
FailureOr<Value>
convByShiftedColumns(RewriterBase &rewriter, Location loc, Value x5, Value lhs,
                     ArrayRef<int64_t> window, ArrayRef<int64_t> outHW,
                     ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                     const CpuTarget &target) {
  auto xt = cast<RankedTensorType>(x5.getType());
  auto lt = cast<RankedTensorType>(lhs.getType());
  Type elt = xt.getElementType();
  bool batched = lt.getRank() == 3;
  int64_t g = xt.getDimSize(1), c = xt.getDimSize(2), h = xt.getDimSize(3),
          w = xt.getDimSize(4);
  int64_t kh = window[0], kw = window[1], oh = outHW[0], ow = outHW[1];
  int64_t sh = strides[0], sw = strides[1], k = c * kh * kw;
  int64_t fg = lt.getDimSize(lt.getRank() - 2);
  int64_t wq = llvm::divideCeil(w, sw);
  if (xt.getDimSize(0) != 1 || (kh == 1 && kw == 1) ||
      (wq - ow) * (fg + 12) > 12 * ow)
    return failure();
  int64_t n0 =
      chooseMatmulStrategy(target, fg, oh * wq, k, elt.getIntOrFloatBitWidth())
          .n0;
  int64_t p = llvm::alignTo(oh * wq, n0);
  int64_t rMax = (kh - 1) * dilations[0], qMax = (kw - 1) * dilations[1];
  // Phase rows enough for the last column's run to end inside its phase.
  int64_t hq = std::max(llvm::divideCeil(h, sh),
                        llvm::divideCeil((rMax / sh) * wq + qMax / sw + p, wq));
  int64_t len = hq * wq;

  MLIRContext *ctx = rewriter.getContext();
  // The input with those rows, [1, G*Cg, HQ*sh, WQ*sw]; a plain conv's
  // input is seen through the reshape that gave it a group dimension.
  auto x4Type = RankedTensorType::get({1, g * c, h, w}, elt);
  Value x4 = throughReshapes(x5);
  if (x4.getType() != x4Type)
    x4 = x5;
  x4 = padBottomRight(rewriter, loc, x4, hq * sh, wq * sw);
  if (cast<RankedTensorType>(x4.getType()).getRank() == 5)
    x4 = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, g * c, hq * sh, wq * sw}, elt),
        x4, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
  // [G, Cg, sh, sw, HQ*WQ]: the flattened phases of each channel.
  Value flat;
  if (sh == 1 && sw == 1) {
    flat = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({g * c, len}, elt), x4,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
    flat = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({g, c, 1, 1, len}, elt), flat,
        SmallVector<ReassociationIndices>{{0, 1, 2, 3}, {4}});
  } else {
    flat = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({g * c, sh, sw, len}, elt),
        phasesOf(rewriter, loc, x4, sh, sw),
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4, 5}});
    flat = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({g, c, sh, sw, len}, elt), flat,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
  }
  AffineExpr dg, dc, dkh, dkw, dp;
  bindDims(ctx, dg, dc, dkh, dkw, dp);
  AffineExpr r = dkh * dilations[0], q = dkw * dilations[1];
  auto in = AffineMap::get(
      5, 0, {dg, dc, r % sh, q % sw, r.floorDiv(sh) * wq + q.floorDiv(sw) + dp},
      ctx);
  Value cols = copyGeneric(rewriter, loc, flat, in, {g, c, kh, kw, p});

  // The product [G, Fg, P] (or [F, P]), then its valid pixels.
  SmallVector<int64_t> mmShape(lt.getShape().drop_back());
  mmShape.push_back(p);
  auto mmType = RankedTensorType::get(mmShape, elt);
  Value acc = zeroFilled(rewriter, loc, mmType), mm;
  if (batched) {
    cols = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({g, k, p}, elt), cols,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}});
    mm = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{mmType},
                                       ValueRange{lhs, cols}, ValueRange{acc})
             .getResult(0);
  } else {
    cols = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({k, p}, elt), cols,
        SmallVector<ReassociationIndices>{{0, 1, 2, 3}, {4}});
    mm = linalg::MatmulOp::create(rewriter, loc, TypeRange{mmType},
                                  ValueRange{lhs, cols}, ValueRange{acc})
             .getResult(0);
  }
  int64_t rank = mmShape.size();
  auto slice = [&](Value v, ArrayRef<int64_t> sizes) {
    SmallVector<int64_t> zeros(sizes.size(), 0), ones(sizes.size(), 1);
    return tensor::ExtractSliceOp::create(rewriter, loc,
                                          RankedTensorType::get(sizes, elt), v,
                                          getAsIndexOpFoldResult(ctx, zeros),
                                          getAsIndexOpFoldResult(ctx, sizes),
                                          getAsIndexOpFoldResult(ctx, ones))
        .getResult();
  };
  SmallVector<int64_t> sizes(mmShape);
  sizes.back() = oh * wq;
  Value valid = p == oh * wq ? mm : slice(mm, sizes);
  sizes.back() = oh;
  sizes.push_back(wq);
  SmallVector<ReassociationIndices> split;
  for (int64_t d = 0; d + 1 < rank; ++d)
    split.push_back({d});
  split.push_back({rank - 1, rank});
  valid = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get(sizes, elt), valid, split);
  sizes.back() = ow;
  return wq == ow ? valid : slice(valid, sizes);
}

/// out[N, F, OH, OW] = conv(x, filter) as filter[F, C*KH*KW] x col. For an
/// int8 conv, `inputZp` is the input's zero point (i32); the weights'
/// must be 0.
LogicalResult rewriteConv(RewriterBase &rewriter, linalg::LinalgOp conv,
                          DenseIntElementsAttr stridesAttr,
                          DenseIntElementsAttr dilationsAttr, Value inputZp,
                          const CpuTarget &target) {
  Value x = conv.getDpsInputs()[0], filter = conv.getDpsInputs()[1];
  auto ft = cast<RankedTensorType>(filter.getType());
  auto ot = cast<RankedTensorType>(conv->getResultTypes()[0]);
  Type elt = ot.getElementType(), inElt = ft.getElementType();
  int64_t n = ot.getDimSize(0), f = ot.getDimSize(1), oh = ot.getDimSize(2),
          ow = ot.getDimSize(3);
  int64_t k = ft.getDimSize(1) * ft.getDimSize(2) * ft.getDimSize(3);
  // The result is accumulated from zero here; a conv into anything but a
  // zero fill keeps its loops.
  auto fill = conv.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || !(matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
                 matchPattern(fill.getInputs()[0], m_Zero())))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  SmallVector<int64_t> strides(stridesAttr.getValues<int64_t>());
  SmallVector<int64_t> dilations(dilationsAttr.getValues<int64_t>());
  Value lhs = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({f, k}, inElt), filter,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  if (!inputZp) {
    auto xt = cast<RankedTensorType>(x.getType());
    Value x5 = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({xt.getDimSize(0), 1, xt.getDimSize(1),
                               xt.getDimSize(2), xt.getDimSize(3)},
                              inElt),
        x, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    FailureOr<Value> shifted = convByShiftedColumns(
        rewriter, loc, x5, lhs, {ft.getDimSize(2), ft.getDimSize(3)}, {oh, ow},
        strides, dilations, target);
    if (x5.use_empty())
      rewriter.eraseOp(x5.getDefiningOp());
    if (succeeded(shifted)) {
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          conv, ot, *shifted,
          SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
      return success();
    }
  }
  bool freeColumns = ft.getDimSize(2) == 1 && ft.getDimSize(3) == 1 &&
                     strides[0] == 1 && strides[1] == 1 && n == 1;
  if (!inputZp && pixelsAsRows(target, f, n * oh * ow, k)) {
    // out^T[N*OH*OW, F] = col^T x filter^T (at compile time when constant),
    // then back to NCHW. A 1x1 conv's rows are its input transposed, which
    // yz-pack-matmuls folds into the LHS pack.
    Value rows;
    if (freeColumns) {
      Value cols = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({k, oh * ow}, elt), x,
          SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
      rows = transposed(rewriter, loc, cols, {1, 0});
    } else {
      rows = im2col(rewriter, loc, x, {ft.getDimSize(2), ft.getDimSize(3)},
                    {oh, ow}, strides, dilations, /*rows=*/true);
    }
    Value rhs = transposed(rewriter, loc, lhs, {1, 0}, "transposed");
    auto type = RankedTensorType::get({n * oh * ow, f}, elt);
    Value mm = linalg::MatmulOp::create(
                   rewriter, loc, TypeRange{type}, ValueRange{rows, rhs},
                   ValueRange{zeroFilled(rewriter, loc, type)})
                   .getResult(0);
    // One image: [F, OH*OW] is the result reshaped, so the transpose is
    // of the product itself, which yz-pack-matmuls folds into its unpack
    // (one pass from the packed tiles to NCHW, not an unpack to rows and
    // a transpose of those).
    if (n == 1) {
      Value fp = transposed(rewriter, loc, mm, {1, 0});
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          conv, ot, fp, SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
      return success();
    }
    Value nhwf = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({n, oh, ow, f}, elt), mm,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    Value init = tensor::EmptyOp::create(rewriter, loc, ot.getShape(), elt);
    rewriter.replaceOp(
        conv, linalg::TransposeOp::create(rewriter, loc, nhwf, init,
                                          ArrayRef<int64_t>{0, 3, 1, 2})
                  .getResult()[0]);
    return success();
  }
  Value col = im2col(rewriter, loc, x, {ft.getDimSize(2), ft.getDimSize(3)},
                     {oh, ow}, strides, dilations);
  auto mmType = RankedTensorType::get({f, n * oh * ow}, elt);
  Value acc;
  if (inputZp && !matchPattern(inputZp, m_Zero())) {
    acc = zeroPointShare(rewriter, loc, lhs, inputZp, mmType);
  } else {
    acc = zeroFilled(rewriter, loc, mmType);
  }
  Value mm = linalg::MatmulOp::create(rewriter, loc, TypeRange{mmType},
                                      ValueRange{lhs, col}, ValueRange{acc})
                 .getResult(0);
  // [F, N*OH*OW] -> [N, F, OH, OW]: a reshape for one image, else a
  // transpose of the image dimension outward.
  Value result;
  if (n == 1) {
    result = tensor::ExpandShapeOp::create(
        rewriter, loc, ot, mm,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  } else {
    Value fnp = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({f, n, oh, ow}, elt), mm,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    Value init = tensor::EmptyOp::create(rewriter, loc, ot.getShape(), elt);
    result = linalg::TransposeOp::create(rewriter, loc, fnp, init,
                                         ArrayRef<int64_t>{1, 0, 2, 3})
                 .getResult()[0];
  }
  rewriter.replaceOp(conv, result);
  return success();
}

/// The columns of each group of `x5` [N, G, Cg, H, W] (padded):
/// col[G, Cg*KH*KW, N*OH*OW], one copy over (g, c, kh, kw, n, oh, ow).
Value groupedIm2col(OpBuilder &b, Location loc, Value x5,
                    ArrayRef<int64_t> window, ArrayRef<int64_t> outHW,
                    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  auto xt = cast<RankedTensorType>(x5.getType());
  Type elt = xt.getElementType();
  int64_t n = xt.getDimSize(0), g = xt.getDimSize(1), c = xt.getDimSize(2);
  int64_t kh = window[0], kw = window[1], oh = outHW[0], ow = outHW[1];
  MLIRContext *ctx = b.getContext();
  AffineExpr dg, dc, dkh, dkw, dn, doh, dow;
  bindDims(ctx, dg, dc, dkh, dkw, dn, doh, dow);
  auto in = AffineMap::get(7, 0,
                           {dn, dg, dc, doh * strides[0] + dkh * dilations[0],
                            dow * strides[1] + dkw * dilations[1]},
                           ctx);
  Value copy = copyGeneric(b, loc, x5, in, {g, c, kh, kw, n, oh, ow});
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({g, c * kh * kw, n * oh * ow}, elt), copy,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5, 6}});
}

/// out5[N, G, Fg, OH, OW] of a grouped f32 convolution as a batch (over
/// the groups) of filter[g][Fg, Cg*KH*KW] x col[g]: the matmul strategy
/// packs and vectorizes each group's product. Not for depthwise ones (one
/// channel per group: a 1 x KH*KW by KH*KW x P product, no reuse for a
/// matmul tile): see rewriteDepthwiseConv.
LogicalResult rewriteGroupedConv(RewriterBase &rewriter,
                                 linalg::Conv2DNgchwGfchwOp conv,
                                 const CpuTarget &target) {
  Value x = conv.getInputs()[0], filter = conv.getInputs()[1];
  auto ft = cast<RankedTensorType>(filter.getType());
  auto ot = cast<RankedTensorType>(conv.getResultTypes()[0]);
  Type elt = ot.getElementType();
  int64_t g = ft.getDimSize(0), fg = ft.getDimSize(1), cg = ft.getDimSize(2);
  int64_t n = ot.getDimSize(0), oh = ot.getDimSize(3), ow = ot.getDimSize(4);
  int64_t k = cg * ft.getDimSize(3) * ft.getDimSize(4), p = n * oh * ow;
  auto fill = conv.getOutputs()[0].getDefiningOp<linalg::FillOp>();
  if ((fg == 1 && cg == 1) || !fill ||
      !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  Value lhs = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({g, fg, k}, elt), filter,
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}});
  FailureOr<Value> shifted = convByShiftedColumns(
      rewriter, loc, x, lhs, {ft.getDimSize(3), ft.getDimSize(4)}, {oh, ow},
      strides, dilations, target);
  if (succeeded(shifted)) {
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        conv, ot, *shifted,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    return success();
  }
  Value col =
      groupedIm2col(rewriter, loc, x, {ft.getDimSize(3), ft.getDimSize(4)},
                    {oh, ow}, strides, dilations);
  auto mmType = RankedTensorType::get({g, fg, p}, elt);
  Value acc = zeroFilled(rewriter, loc, mmType);
  Value mm = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{mmType},
                                           ValueRange{lhs, col},
                                           ValueRange{acc})
                 .getResult(0);
  // [G, Fg, N*OH*OW] -> [N, G, Fg, OH, OW].
  Value result;
  if (n == 1) {
    result = tensor::ExpandShapeOp::create(
        rewriter, loc, ot, mm,
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3, 4}});
  } else {
    Value split = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({g, fg, n, oh, ow}, elt), mm,
        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}});
    Value init = tensor::EmptyOp::create(rewriter, loc, ot.getShape(), elt);
    result = linalg::TransposeOp::create(rewriter, loc, split, init,
                                         ArrayRef<int64_t>{2, 0, 1, 3, 4})
                 .getResult()[0];
  }
  rewriter.replaceOp(conv, result);
  return success();
}

/// A depthwise convolution's operands and sizes: one channel in and out
/// per group, accumulating into zeros.
struct Depthwise {
  Value x, filter; // [N, C, 1, H, W] (padded), [C, 1, 1, KH, KW]
  RankedTensorType xt, ot;
  Type elt;
  int64_t c, kh, kw, n, oh, ow;
  SmallVector<int64_t> strides, dilations;
  linalg::FillOp fill;
};

std::optional<Depthwise> matchDepthwise(linalg::Conv2DNgchwGfchwOp conv) {
  Depthwise d;
  d.x = conv.getInputs()[0];
  d.filter = conv.getInputs()[1];
  d.xt = cast<RankedTensorType>(d.x.getType());
  auto ft = cast<RankedTensorType>(d.filter.getType());
  d.ot = cast<RankedTensorType>(conv.getResultTypes()[0]);
  d.elt = d.ot.getElementType();
  d.c = ft.getDimSize(0), d.kh = ft.getDimSize(3), d.kw = ft.getDimSize(4);
  d.n = d.ot.getDimSize(0), d.oh = d.ot.getDimSize(3);
  d.ow = d.ot.getDimSize(4);
  d.fill = conv.getOutputs()[0].getDefiningOp<linalg::FillOp>();
  if (ft.getDimSize(1) != 1 || ft.getDimSize(2) != 1 || !d.fill ||
      !matchPattern(d.fill.getInputs()[0], m_AnyZeroFloat()))
    return std::nullopt;
  d.strides = SmallVector<int64_t>(conv.getStrides().getValues<int64_t>());
  d.dilations = SmallVector<int64_t>(conv.getDilations().getValues<int64_t>());
  return d;
}

/// A depthwise f32 convolution (one channel in and out per group) in NHWC,
/// vectorized over channels: the input [N, C, H, W] (padded) and the result
/// are transposed, the filter [C, KH, KW] becomes [KH, KW, C] (at compile
/// time when constant), and the convolution a
/// linalg.depthwise_conv_2d_nhwc_hwc marked with its register tile
/// (`yz.depthwise_tile = [OW0, C0]`) for yz-tile-and-vectorize.
LogicalResult rewriteDepthwiseConv(RewriterBase &rewriter,
                                   linalg::Conv2DNgchwGfchwOp conv,
                                   const CpuTarget &cpu) {
  std::optional<Depthwise> d = matchDepthwise(conv);
  if (!d)
    return failure();
  auto [x, filter, xt, ot, elt, c, kh, kw, n, oh, ow, strides, dilations,
        fill] = *d;

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}, {3}, {4}};
  // The input transposed, then padded (a pad of H and W in NCHW moves past
  // the transpose): yz-tile-and-vectorize makes the transpose write into
  // the padded tensor's interior, so there is one copy, not two.
  auto expand = x.getDefiningOp<tensor::ExpandShapeOp>();
  auto pad = expand ? expand.getSrc().getDefiningOp<tensor::PadOp>()
                    : tensor::PadOp();
  SmallVector<int64_t> lo, hi;
  if (pad && pad.getConstantPaddingValue()) {
    lo = SmallVector<int64_t>(pad.getStaticLow());
    hi = SmallVector<int64_t>(pad.getStaticHigh());
  }
  bool movePad = lo.size() == 4 && !ShapedType::isDynamicShape(lo) &&
                 !ShapedType::isDynamicShape(hi) && lo[0] == 0 && lo[1] == 0 &&
                 hi[0] == 0 && hi[1] == 0;
  Value nhwc;
  if (movePad) {
    Value t = transposed(rewriter, loc, pad.getSource(), {0, 2, 3, 1});
    auto tt = cast<RankedTensorType>(t.getType());
    SmallVector<OpFoldResult> low, high;
    SmallVector<int64_t> shape(tt.getShape());
    for (auto [i, from] : llvm::enumerate(ArrayRef<int64_t>{0, 2, 3, 1})) {
      low.push_back(rewriter.getIndexAttr(lo[from]));
      high.push_back(rewriter.getIndexAttr(hi[from]));
      shape[i] += lo[from] + hi[from];
    }
    nhwc = tensor::PadOp::create(rewriter, loc,
                                 RankedTensorType::get(shape, elt), t, low,
                                 high, pad.getConstantPaddingValue());
  } else {
    Value x4 = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({n, c, xt.getDimSize(3), xt.getDimSize(4)},
                              elt),
        x, groups);
    nhwc = transposed(rewriter, loc, x4, {0, 2, 3, 1});
  }
  Value f3 = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({c, kh, kw}, elt), filter,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}, {4}});
  Value hwc = transposed(rewriter, loc, f3, {1, 2, 0});
  auto outType = RankedTensorType::get({n, oh, ow, c}, elt);
  Value acc = zeroFilled(rewriter, loc, outType);
  auto dw = linalg::DepthwiseConv2DNhwcHwcOp::create(
      rewriter, loc, TypeRange{outType}, ValueRange{nhwc, hwc},
      ValueRange{acc}, conv.getStrides(), conv.getDilations());
  DepthwiseTile tile =
      chooseDepthwiseTile(cpu, ow, c, kw, strides[1], dilations[1]);
  dw->setAttr(kDepthwiseTileAttr,
              rewriter.getDenseI64ArrayAttr({tile.ow0, tile.c0}));
  // Back to NCHW by a copy that iterates in NHWC order: the innermost loop
  // reads channels contiguously and stores at a stride (one strided vector
  // store on RVV), rather than loading at a stride for each output row.
  MLIRContext *ctx = rewriter.getContext();
  AffineExpr dn, dh, dw_, dc;
  bindDims(ctx, dn, dh, dw_, dc);
  Value nchw = copyGeneric(rewriter, loc, dw.getResult(0),
                           AffineMap::getMultiDimIdentityMap(4, ctx),
                           {n, c, oh, ow},
                           AffineMap::get(4, 0, {dn, dc, dh, dw_}, ctx));
  rewriter.replaceOp(conv, tensor::ExpandShapeOp::create(rewriter, loc, ot,
                                                         nchw, groups)
                               .getResult());
  return success();
}

/// The KH x KW windows [N, C, OH, OW] of the padded input `x4` [N, C, H, W]
/// that a stencil's taps read, tap (i, j) at index i * KW + j. Sets
/// `rowVectors` when the rows can be vectorized.
///
/// With a stride over W above 2, the input is split into its sh x sw
/// phases first: P[n, c, a, b, i, j] = x[n, c, i*sh + a, j*sw + b], one
/// copy, so that every window is a unit-stride slice of one phase (tap row
/// r = i*dh reads phase r % sh from row r / sh) and the output rows load
/// as plain vectors. Reading the windows at the stride instead made each
/// of the KH x KW loads a gather (MobileNetV3-Small's 5x5 stride-2 layers
/// ran at a tenth of onnxruntime's speed). A stride of 2 reads its rows
/// as twice the elements deinterleaved (yz-optimize-vectors), which costs
/// less than the copy (MobileNetV3-Small's four stride-2 layers 0.28 ->
/// 0.18 ms; ShuffleNetV2 4.65 -> 4.44 ms a run); a stride over H alone
/// only moves the rows.
/// Only for inputs that fit in half of L2: on a larger one the copy's pass
/// over memory cost more than the strided loads save (MobileNetV2's first
/// stride-2 layer, 5 MB: 0.38 -> 0.81 ms; MobileNetV3-Small's second,
/// 0.97 MB: 0.07 -> 0.13 ms). Wider strides on larger inputs are left to
/// LLVM (a vector read would be a gather).
SmallVector<Value> tapWindows(RewriterBase &rewriter, Location loc, Value x4,
                              int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                              ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> dilations,
                              const CpuTarget &target, bool &rowVectors) {
  auto xt = cast<RankedTensorType>(x4.getType());
  Type elt = xt.getElementType();
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t sh = strides[0], sw = strides[1];
  bool split =
      sw > 2 && xt.getNumElements() * elt.getIntOrFloatBitWidth() / 8 <=
                    target.l2Bytes / 2;
  rowVectors = split || sw <= 2;
  Value phases = split ? phasesOf(rewriter, loc, x4, sh, sw) : x4;
  MLIRContext *ctx = rewriter.getContext();
  auto window = RankedTensorType::get({n, c, oh, ow}, elt);
  SmallVector<Value> windows;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      int64_t r = i * dilations[0], q = j * dilations[1];
      // Tap (i, j): a strided window of the input, or a unit-stride slice
      // of one of its phases.
      SmallVector<int64_t> offsets = {0, 0, r, q}, sizes = {n, c, oh, ow},
                           steps = {1, 1, sh, sw};
      if (split) {
        offsets = {0, 0, r % sh, q % sw, r / sh, q / sw};
        sizes = {n, c, 1, 1, oh, ow};
        steps.assign(6, 1);
      }
      windows.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, window, phases, getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, sizes),
          getAsIndexOpFoldResult(ctx, steps)));
    }
  return windows;
}

/// An elementwise generic over [N, C, OH, OW] of the taps' windows (and
/// `extra` inputs, read by `extraMap`) with the body `combine`; its rows in
/// vectors (`yz.row_vector`, for yz-tile-and-vectorize) when `rowVectors`.
linalg::GenericOp
stencilGeneric(RewriterBase &rewriter, Location loc, ArrayRef<Value> windows,
               ArrayRef<Value> extra, AffineMap extraMap, bool rowVectors,
               const CpuTarget &target,
               function_ref<Value(OpBuilder &, Location, ValueRange)> combine) {
  auto window = cast<RankedTensorType>(windows.front().getType());
  MLIRContext *ctx = rewriter.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<AffineMap> maps(windows.size(), identity);
  maps.append(extra.size(), extraMap);
  maps.push_back(identity);
  SmallVector<Value> inputs(windows);
  inputs.append(extra.begin(), extra.end());
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{window}, inputs,
      ValueRange{tensor::EmptyOp::create(rewriter, loc, window.getShape(),
                                         window.getElementType())},
      maps, SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, combine(b, l, args));
      });
  if (rowVectors)
    generic->setAttr(kRowVectorAttr, rewriter.getI64IntegerAttr(chooseRowVector(
                                         target, window.getDimSize(3),
                                         window.getElementTypeBitWidth())));
  return generic;
}

/// A depthwise f32 convolution (one channel in and out per group) in NCHW
/// as one elementwise generic over the output [N, C, OH, OW] that reads
/// KH x KW shifted windows of the padded input (see tapWindows), each times
/// its tap's per-channel weight: sum(x_i * w_i) by FMAs. For a CPU without
/// strided vector loads (x86): the rows over OW are vectorized with plain
/// loads, no transpose to NHWC and back, the accumulator lives in
/// registers (no zero-filled buffer read and written per tap), and the
/// bias and activation after it fuse into the same loop (see
/// runOnOperation). Returns the generic.
FailureOr<linalg::GenericOp>
rewriteDepthwiseTaps(RewriterBase &rewriter, linalg::Conv2DNgchwGfchwOp conv,
                     const CpuTarget &target) {
  std::optional<Depthwise> d = matchDepthwise(conv);
  if (!d)
    return failure();
  Type elt = d->elt;
  int64_t c = d->c, kh = d->kh, kw = d->kw, n = d->n;
  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}, {3}, {4}};
  Value x4 = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({n, c, d->xt.getDimSize(3), d->xt.getDimSize(4)},
                            elt),
      d->x, groups);
  // [KH, KW, C] (at compile time when constant): each tap's weights are
  // one contiguous row.
  Value f3 = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({c, kh, kw}, elt), d->filter,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}, {4}});
  Value hwc = transposed(rewriter, loc, f3, {1, 2, 0});
  MLIRContext *ctx = rewriter.getContext();
  auto row = RankedTensorType::get({c}, elt);
  bool rowVectors;
  SmallVector<Value> windows =
      tapWindows(rewriter, loc, x4, kh, kw, d->oh, d->ow, d->strides,
                 d->dilations, target, rowVectors);
  SmallVector<Value> weights;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j)
      weights.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, row, hwc, getAsIndexOpFoldResult(ctx, {i, j, 0}),
          getAsIndexOpFoldResult(ctx, {1, 1, c}),
          getAsIndexOpFoldResult(ctx, {1, 1, 1})));
  int64_t taps = windows.size();
  linalg::GenericOp generic = stencilGeneric(
      rewriter, loc, windows, weights,
      AffineMap::get(4, 0, getAffineDimExpr(1, ctx)), rowVectors, target,
      [taps](OpBuilder &b, Location loc, ValueRange args) {
        Value acc = arith::MulFOp::create(b, loc, args[0], args[taps]);
        for (int64_t i = 1; i < taps; ++i)
          acc = math::FmaOp::create(b, loc, args[i], args[taps + i], acc);
        return acc;
      });
  rewriter.replaceOp(conv,
                     tensor::ExpandShapeOp::create(rewriter, loc, d->ot,
                                                   generic.getResult(0), groups)
                         .getResult());
  if (d->fill->use_empty())
    rewriter.eraseOp(d->fill);
  return generic;
}

/// Max and sum pooling in NCHW (linalg.pooling_nchw_max/sum into a fill)
/// as the same stencil: one elementwise generic over the output that
/// combines the KH x KW windows of the padded input, its rows in vectors
/// (the stride-2 ones deinterleaved), the accumulator in registers instead
/// of a filled buffer read and written per tap. The fill's value is
/// combined too unless it is the identity (-inf, or the lowest integer, for
/// max; zero for sum). Windows of more than 64 taps are left as they are.
/// Returns the generic.
FailureOr<linalg::GenericOp> rewritePoolingTaps(RewriterBase &rewriter,
                                                linalg::LinalgOp pool,
                                                const CpuTarget &target) {
  bool isMax = isa<linalg::PoolingNchwMaxOp>(pool);
  if (!isMax && !isa<linalg::PoolingNchwSumOp>(pool))
    return failure();
  Value x = pool.getDpsInputs()[0];
  auto xt = cast<RankedTensorType>(x.getType());
  auto ot = cast<RankedTensorType>(pool->getResultTypes()[0]);
  auto kt = cast<RankedTensorType>(pool.getDpsInputs()[1].getType());
  Type elt = ot.getElementType();
  auto fill = pool.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || xt.getElementType() != elt || !elt.isIntOrFloat() ||
      kt.getNumElements() > 64)
    return failure();
  bool isFloat = isa<FloatType>(elt);
  Value init = fill.getInputs()[0];
  std::optional<int64_t> integer = getConstantIntValue(init);
  bool identity =
      isFloat ? matchPattern(init, isMax ? m_NegInfFloat() : m_AnyZeroFloat())
              : integer && *integer == (isMax ? APInt::getSignedMinValue(
                                                    elt.getIntOrFloatBitWidth())
                                                    .getSExtValue()
                                              : 0);
  auto window = [](auto named) {
    return std::pair(
        SmallVector<int64_t>(named.getStrides().template getValues<int64_t>()),
        SmallVector<int64_t>(
            named.getDilations().template getValues<int64_t>()));
  };
  auto [strides, dilations] =
      isMax ? window(cast<linalg::PoolingNchwMaxOp>(*pool))
            : window(cast<linalg::PoolingNchwSumOp>(*pool));
  Location loc = pool.getLoc();
  rewriter.setInsertionPoint(pool);
  bool rowVectors;
  SmallVector<Value> windows = tapWindows(
      rewriter, loc, x, kt.getDimSize(0), kt.getDimSize(1), ot.getDimSize(2),
      ot.getDimSize(3), strides, dilations, target, rowVectors);
  auto combine = [&](OpBuilder &b, Location l, Value a, Value c) -> Value {
    // No signed zeros: which zero max(-0, +0) returns is all that gives up
    // (NaNs still propagate), and it halves the max's instructions on x86.
    if (isMax)
      return isFloat ? Value(arith::MaximumFOp::create(
                           b, l, a, c, arith::FastMathFlags::nsz))
                     : Value(arith::MaxSIOp::create(b, l, a, c));
    return isFloat ? Value(arith::AddFOp::create(b, l, a, c))
                   : Value(arith::AddIOp::create(b, l, a, c));
  };
  linalg::GenericOp generic =
      stencilGeneric(rewriter, loc, windows, {}, AffineMap(), rowVectors,
                     target, [&](OpBuilder &b, Location l, ValueRange args) {
                       // In the named op's order: the fill, then the taps row
                       // by row.
                       Value acc =
                           identity ? args[0] : combine(b, l, init, args[0]);
                       for (Value tap : args.drop_front().drop_back())
                         acc = combine(b, l, acc, tap);
                       return acc;
                     });
  rewriter.replaceOp(pool, generic.getResult(0));
  if (fill->use_empty())
    rewriter.eraseOp(fill);
  return generic;
}

struct ConvsToMatmuls : yz::impl::YzConvsToMatmulsBase<ConvsToMatmuls> {
  using Base::Base;

  void runOnOperation() override {
    auto candidate = [](linalg::LinalgOp op) {
      return !op->hasAttr(kPlacementAttr) && op.hasPureTensorSemantics() &&
             !op.hasDynamicShape();
    };
    SmallVector<linalg::LinalgOp> convs, pools;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!candidate(op))
        return;
      if (isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNgchwGfchwOp>(op) &&
          llvm::all_of(op->getOperandTypes(), [](Type t) {
            return getElementTypeOrSelf(t).isF32();
          }))
        convs.push_back(op);
      // int8 x int8 -> i32 with the weights' zero point 0.
      if (int8 && isa<linalg::Conv2DNchwFchwQOp>(op) &&
          getElementTypeOrSelf(op->getOperand(0)).isInteger(8) &&
          getElementTypeOrSelf(op->getOperand(1)).isInteger(8) &&
          getElementTypeOrSelf(op->getResult(0)).isInteger(32) &&
          matchPattern(op.getDpsInputs()[3], m_Zero()))
        convs.push_back(op);
      if (isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op))
        pools.push_back(op);
    });
    CpuTarget target;
    if (std::string error = target.parse(cpu); !error.empty()) {
      getOperation()->emitError("yz-convs-to-matmuls: bad cpu option: ")
          << error;
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    llvm::SmallPtrSet<Operation *, 8> stencils;
    if (!target.stridedVectors)
      for (linalg::LinalgOp pool : pools)
        if (auto taps = rewritePoolingTaps(rewriter, pool, target);
            succeeded(taps))
          stencils.insert(*taps);
    for (linalg::LinalgOp conv : convs) {
      LogicalResult rewritten = failure();
      if (auto f = dyn_cast<linalg::Conv2DNchwFchwOp>(*conv))
        rewritten = convOverPadding(rewriter, f, target)
                        ? success()
                        : rewriteConv(rewriter, conv, f.getStrides(),
                                      f.getDilations(), Value(), target);
      else if (auto grouped = dyn_cast<linalg::Conv2DNgchwGfchwOp>(*conv)) {
        if (succeeded(rewriteGroupedConv(rewriter, grouped, target)))
          rewritten = success();
        else if (target.stridedVectors)
          rewritten = rewriteDepthwiseConv(rewriter, grouped, target);
        else if (auto taps = rewriteDepthwiseTaps(rewriter, grouped, target);
                 succeeded(taps)) {
          stencils.insert(*taps);
          rewritten = success();
        }
      } else if (auto q = dyn_cast<linalg::Conv2DNchwFchwQOp>(*conv))
        rewritten = rewriteConv(rewriter, conv, q.getStrides(),
                                q.getDilations(), q.getDpsInputs()[2], target);
      if (succeeded(rewritten))
        ++numRewritten;
    }
    for (Operation *stencil : stencils)
      fuseIntoConsumer(rewriter, cast<linalg::GenericOp>(stencil));
    // Shifted-columns products written into the next conv's padding, once
    // every conv is rewritten (the pads have their rows for the next
    // products), in order (a residual is the block before's result).
    SmallVector<linalg::GenericOp> epilogues;
    getOperation()->walk(
        [&](linalg::GenericOp op) { epilogues.push_back(op); });
    for (linalg::GenericOp op : epilogues)
      if (shiftedIntoPadding(rewriter, op))
        ++numPaddedShifted;
  }

  /// The depthwise stencil's bias and activation (an elementwise generic
  /// on its result, seen through the 5-D reshape) computed in its loop.
  static void fuseIntoConsumer(RewriterBase &rewriter,
                               linalg::GenericOp stencil) {
    Value result = stencil.getResult(0);
    for (Operation *user : llvm::make_early_inc_range(result.getUsers())) {
      auto expand = dyn_cast<tensor::ExpandShapeOp>(user);
      if (!expand)
        continue;
      for (Operation *reader :
           llvm::make_early_inc_range(expand->getResult(0).getUsers()))
        if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(reader);
            collapse && collapse.getType() == result.getType())
          rewriter.replaceOp(collapse, result);
      if (expand->use_empty())
        rewriter.eraseOp(expand);
    }
    if (!result.hasOneUse())
      return;
    OpOperand &use = *result.getUses().begin();
    if (!isa<linalg::GenericOp>(use.getOwner()) ||
        !linalg::areElementwiseOpsFusable(&use))
      return;
    Operation *consumer = use.getOwner();
    rewriter.setInsertionPoint(consumer); // after the consumer's operands
    auto fused = linalg::fuseElementwiseOps(rewriter, &use);
    if (failed(fused))
      return;
    if (Attribute v = stencil->getAttr(kRowVectorAttr))
      fused->fusedOp->setAttr(kRowVectorAttr, v);
    for (auto [from, to] : fused->replacements)
      rewriter.replaceAllUsesExcept(from, to, fused->fusedOp);
    rewriter.eraseOp(consumer);
    if (stencil->use_empty())
      rewriter.eraseOp(stencil);
  }
};

} // namespace
