//===- ConvsToMatmuls.cpp - f32 convolutions as im2col + matmul -----------===//
//
// Part of Yizhuang. Rewrites convolutions as a copy into columns (im2col)
// and a plain linalg.matmul whose LHS is the filter, so that the matmul
// strategy (yz-pack-matmuls, yz-tile-and-vectorize) applies unchanged and a
// constant filter is packed at compile time.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// The columns of `x` [N, C, H, W] (already padded) for a KH x KW window:
/// col[C*KH*KW, N*OH*OW], built by one copy whose input map is affine in
/// its loops (c, kh, kw, n, oh, ow), so it stays a tileable, vectorizable
/// linalg.generic. A 1x1, stride-1 window over one image is `x` itself.
Value im2col(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> window,
             ArrayRef<int64_t> outHW, ArrayRef<int64_t> strides,
             ArrayRef<int64_t> dilations) {
  auto xt = cast<RankedTensorType>(x.getType());
  Type elt = xt.getElementType();
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1);
  int64_t kh = window[0], kw = window[1], oh = outHW[0], ow = outHW[1];
  auto colType = RankedTensorType::get({c * kh * kw, n * oh * ow}, elt);
  bool identity = kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
                  xt.getDimSize(2) == oh && xt.getDimSize(3) == ow;
  if (identity && n == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, colType, x,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});

  MLIRContext *ctx = b.getContext();
  AffineExpr dc, dkh, dkw, dn, doh, dow;
  bindDims(ctx, dc, dkh, dkw, dn, doh, dow);
  auto in = AffineMap::get(6, 0,
                           {dn, dc, doh * strides[0] + dkh * dilations[0],
                            dow * strides[1] + dkw * dilations[1]},
                           ctx);
  auto out6 = RankedTensorType::get({c, kh, kw, n, oh, ow}, elt);
  Value init = tensor::EmptyOp::create(b, loc, out6.getShape(), elt);
  Value copy =
      linalg::GenericOp::create(
          b, loc, TypeRange{out6}, ValueRange{x}, ValueRange{init},
          ArrayRef<AffineMap>{in, AffineMap::getMultiDimIdentityMap(6, ctx)},
          SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
          [](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, args[0]);
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, colType, copy,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// out[N, F, OH, OW] = conv(x, filter) as filter[F, C*KH*KW] x col.
LogicalResult rewriteConv(RewriterBase &rewriter,
                          linalg::Conv2DNchwFchwOp conv) {
  Value x = conv.getInputs()[0], filter = conv.getInputs()[1];
  auto ft = cast<RankedTensorType>(filter.getType());
  auto ot = cast<RankedTensorType>(conv.getResultTypes()[0]);
  Type elt = ot.getElementType();
  int64_t n = ot.getDimSize(0), f = ot.getDimSize(1), oh = ot.getDimSize(2),
          ow = ot.getDimSize(3);
  int64_t k = ft.getDimSize(1) * ft.getDimSize(2) * ft.getDimSize(3);
  // The result is accumulated from zero here; a conv into anything but a
  // zero fill keeps its loops.
  auto fill = conv.getOutputs()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  Value col = im2col(rewriter, loc, x, {ft.getDimSize(2), ft.getDimSize(3)},
                     {oh, ow}, strides, dilations);
  Value lhs = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({f, k}, elt), filter,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  auto mmType = RankedTensorType::get({f, n * oh * ow}, elt);
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(elt));
  Value acc = linalg::FillOp::create(
                  rewriter, loc, zero,
                  ValueRange{tensor::EmptyOp::create(
                      rewriter, loc, mmType.getShape(), elt)})
                  .getResult(0);
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

struct ConvsToMatmuls : yz::impl::YzConvsToMatmulsBase<ConvsToMatmuls> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation()->walk([&](linalg::Conv2DNchwFchwOp op) {
      if (!op->hasAttr(kPlacementAttr) && op.hasPureTensorSemantics() &&
          !op.hasDynamicShape() &&
          llvm::all_of(op->getOperandTypes(), [](Type t) {
            return getElementTypeOrSelf(t).isF32();
          }))
        convs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs)
      if (succeeded(rewriteConv(rewriter, conv)))
        ++numRewritten;
  }
};

} // namespace
