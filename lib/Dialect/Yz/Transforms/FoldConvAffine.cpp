//===- FoldConvAffine.cpp - scales and shifts into convolutions -----------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "yz/Dialect/Yz/IR/ConstantData.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFOLDCONVAFFINE
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Per-output-channel values of `v` for F channels, if it is a constant
/// shaped [1, F, 1, 1], [F, 1, 1] or a scalar.
std::optional<std::vector<float>> perChannel(Value v, int64_t f) {
  auto type = cast<RankedTensorType>(v.getType());
  ArrayRef<int64_t> shape = type.getShape();
  bool scalar = type.getNumElements() == 1 && type.getRank() <= 4;
  if (!scalar && !isPerOutputChannel(shape, f))
    return std::nullopt;
  auto values = readF32(v);
  if (!values)
    return std::nullopt;
  if (scalar)
    values->assign(f, (*values)[0]);
  return values;
}

/// Matches op(conv, constant) in either operand order.
template <typename OpT>
struct FoldIntoConv : OpRewritePattern<OpT> {
  FoldIntoConv(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern<OpT>(ctx), count(count) {}
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      auto conv = op->getOperand(side).template getDefiningOp<yz::Conv2DOp>();
      Value other = op->getOperand(1 - side);
      // A clamped result is no longer affine in the weights.
      if (!conv || !conv->hasOneUse() || conv.getType() != op.getType() ||
          conv.getClampMinAttr() || conv.getClampMaxAttr())
        continue;
      auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
      int64_t f = filterType.getDimSize(0);
      auto k = perChannel(other, f);
      auto w = readF32(conv.getFilter());
      if (!k || !w || !filterType.getElementType().isF32())
        continue;
      std::vector<float> bias(f, 0.0f);
      if (Value b = conv.getBias()) {
        auto values = readF32(b);
        if (!values)
          continue;
        bias = *values;
      }
      Value filter = conv.getFilter();
      if (std::is_same_v<OpT, yz::MulOp>) {
        size_t perFilter = w->size() / size_t(f);
        for (size_t i = 0; i < w->size(); ++i)
          (*w)[i] *= (*k)[i / perFilter];
        for (int64_t c = 0; c < f; ++c)
          bias[c] *= (*k)[c];
        filter = makeF32Constant(rewriter, op.getLoc(), filterType, *w);
      } else {
        for (int64_t c = 0; c < f; ++c)
          bias[c] += (*k)[c];
      }
      Value newBias = makeF32Constant(
          rewriter, op.getLoc(),
          RankedTensorType::get({f}, rewriter.getF32Type()), bias);
      rewriter.replaceOpWithNewOp<yz::Conv2DOp>(
          op, op.getType(), conv.getInput(), filter, newBias,
          conv.getStridesAttr(), conv.getDilationsAttr(), conv.getPadsAttr(),
          conv.getGroupsAttr(), FloatAttr(), FloatAttr());
      rewriter.eraseOp(conv);
      ++count;
      return success();
    }
    return failure();
  }
};

struct FoldConvAffinePass
    : mlir::yz::impl::YzFoldConvAffineBase<FoldConvAffinePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv<yz::MulOp>, FoldIntoConv<yz::AddOp>>(
        &getContext(), numFolded);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
