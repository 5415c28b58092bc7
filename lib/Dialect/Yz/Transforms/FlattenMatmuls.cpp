//===- FlattenMatmuls.cpp - matmuls in the shapes the NPU runs ------------===//
//
// Part of Yizhuang. Transformers' matmuls come in batches: a linear layer
// over [B, T, D] activations, attention over [B, heads, T, d]. The NPU (and
// int8 quantization) run 2-D matmuls and batches over one dimension, so:
// - [..., M, K] x [K, N] becomes one [prod(...) * M, K] x [K, N] matmul;
// - [b..., M, K] x [b..., K, N] with the same batch dimensions on both sides
//   becomes a batch over one dimension of prod(b...).
// The reshapes around them are free views.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFLATTENMATMULS
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

Value reshape(PatternRewriter &r, Location loc, Value v,
              ArrayRef<int64_t> shape) {
  return ReshapeOp::create(
      r, loc, cast<RankedTensorType>(v.getType()).clone(shape), v);
}

/// The bias of the flattened [rows, N] matmul: a per-column one (it
/// broadcasts along every dimension but the last) as 1-D, one of the full
/// result shape (a residual the epilogue took in) as [rows, N]; none if it
/// broadcasts otherwise.
std::optional<Value> flatBias(PatternRewriter &r, Location loc, Value bias,
                              RankedTensorType result, int64_t rows) {
  if (!bias)
    return Value();
  auto t = cast<RankedTensorType>(bias.getType());
  if (t.getShape() == result.getShape()) {
    // A sum of a per-column bias and a residual stays such a sum (int8
    // quantization takes the two apart again).
    if (auto add = bias.getDefiningOp<AddOp>()) {
      auto lhs = flatBias(r, loc, add.getLhs(), result, rows);
      auto rhs = flatBias(r, loc, add.getRhs(), result, rows);
      if (lhs && rhs)
        return AddOp::create(r, loc, *lhs, *rhs).getResult();
    }
    return reshape(r, loc, bias, {rows, result.getShape().back()});
  }
  if (t.getRank() == 0)
    return reshape(r, loc, bias, {1});
  if (llvm::any_of(t.getShape().drop_back(), [](int64_t d) { return d != 1; }))
    return std::nullopt;
  return reshape(r, loc, bias, {t.getShape().back()});
}

struct FlattenMatmul : OpRewritePattern<MatmulOp> {
  FlattenMatmul(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern(ctx), count(count) {}
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &r) const override {
    auto lhs = cast<RankedTensorType>(op.getLhs().getType());
    auto rhs = cast<RankedTensorType>(op.getRhs().getType());
    auto result = cast<RankedTensorType>(op.getType());
    if (!lhs.hasStaticShape() || !rhs.hasStaticShape())
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> out = result.getShape();
    int64_t m = out[out.size() - 2], n = out.back();
    int64_t k = lhs.getShape().back();
    if (rhs.getRank() == 2 && lhs.getRank() > 2) {
      int64_t rows = lhs.getNumElements() / k;
      std::optional<Value> bias = flatBias(r, loc, op.getBias(), result, rows);
      if (!bias)
        return failure();
      auto flat = MatmulOp::create(
          r, loc, RankedTensorType::get({rows, n}, result.getElementType()),
          reshape(r, loc, op.getLhs(), {rows, k}), op.getRhs(), *bias,
          op.getClampMinAttr(), op.getClampMaxAttr());
      r.replaceOp(op, reshape(r, loc, flat, out));
      ++count;
      return success();
    }
    if (lhs.getRank() > 3 && lhs.getRank() == rhs.getRank() &&
        lhs.getShape().drop_back(2) == rhs.getShape().drop_back(2) &&
        !op.getBias()) {
      int64_t batch = lhs.getNumElements() / (m * k);
      auto flat = MatmulOp::create(
          r, loc,
          RankedTensorType::get({batch, m, n}, result.getElementType()),
          reshape(r, loc, op.getLhs(), {batch, m, k}),
          reshape(r, loc, op.getRhs(), {batch, k, n}), Value(),
          op.getClampMinAttr(), op.getClampMaxAttr());
      r.replaceOp(op, reshape(r, loc, flat, out));
      ++count;
      return success();
    }
    return failure();
  }
};

struct FlattenMatmulsPass
    : mlir::yz::impl::YzFlattenMatmulsBase<FlattenMatmulsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FlattenMatmul>(&getContext(), numFlattened);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
