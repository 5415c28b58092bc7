//===- FuseBiasActivation.cpp - epilogues into conv2d and matmul ----------===//
//
// Part of Yizhuang. add(P, bias), relu(P), max(P, lo) and min(P, hi) after a
// convolution or matmul P become P's epilogue, so that later stages (the
// CPU tiler, the NPU's DMA-out) apply them while the result is still hot.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/ConstantData.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFUSEBIASACTIVATION
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// The producer side of a fusion: a contraction with an epilogue and one
/// user.
struct Producer {
  EpilogueOpInterface op;
  Value bias;
  FloatAttr lo, hi;

  static Producer of(Value v) {
    auto def = v.getDefiningOp<EpilogueOpInterface>();
    // A calibrated layer's epilogue is what calibration measured: fixed.
    if (!def || !def->hasOneUse() || def->hasAttr(kInputRangeAttr))
      return {};
    return {def, def.getBias(), def.getClampMinAttr(), def.getClampMaxAttr()};
  }

  /// Replaces `user` by this producer rebuilt with the given epilogue.
  void rebuild(PatternRewriter &rewriter, Operation *user, Value newBias,
               FloatAttr newLo, FloatAttr newHi) const {
    rewriter.setInsertionPoint(user);
    Operation *fused = EpilogueOpInterface(op).cloneWithEpilogue(
        rewriter, newBias, newLo, newHi);
    rewriter.moveOpBefore(fused, user);
    rewriter.replaceOp(user, fused->getResults());
    rewriter.eraseOp(op);
  }
};

bool isFloat(Value v) {
  return isa<FloatType>(getElementTypeOrSelf(v.getType()));
}

/// add(P, b) or add(b, P): b becomes (or is added to) P's bias.
struct FuseBias : OpRewritePattern<AddOp> {
  FuseBias(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern(ctx), count(count) {}
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Producer p = Producer::of(add->getOperand(side));
      Value b = add->getOperand(1 - side);
      // A clamp must come after the bias: not fusible once set.
      if (!p.op || p.lo || p.hi ||
          add.getType() != p.op->getResult(0).getType())
        continue;
      auto bType = cast<RankedTensorType>(b.getType());
      if (!p.op.acceptsBias(bType))
        continue;
      SmallVector<int64_t> shape = p.op.biasShape(bType);
      if (bType.getShape() != ArrayRef<int64_t>(shape)) {
        rewriter.setInsertionPoint(add);
        b = ReshapeOp::create(rewriter, add.getLoc(), bType.clone(shape), b);
      }
      rewriter.setInsertionPoint(add);
      if (p.bias)
        b = AddOp::create(rewriter, add.getLoc(), p.bias, b);
      p.rebuild(rewriter, add, b, {}, {});
      ++count;
      return success();
    }
    return failure();
  }
};

/// The f32 value of a one-element constant.
std::optional<float> scalarConstant(Value v) {
  auto values = readF32(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// relu(P), max(P, lo), min(P, hi) (either operand order): a clamp bound.
template <typename OpT>
struct FuseClamp : OpRewritePattern<OpT> {
  FuseClamp(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern<OpT>(ctx), count(count) {}
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    for (unsigned side = 0; side < op->getNumOperands(); ++side) {
      Producer p = Producer::of(op->getOperand(side));
      if (!p.op || !isFloat(op->getOperand(side)) ||
          op->getResult(0).getType() != p.op->getResult(0).getType())
        continue;
      float bound = 0.0f;
      if (op->getNumOperands() == 2) {
        auto value = scalarConstant(op->getOperand(1 - side));
        if (!value)
          continue;
        bound = *value;
      }
      FloatAttr lo = p.lo, hi = p.hi;
      FloatAttr attr = rewriter.getF32FloatAttr(bound);
      if (std::is_same_v<OpT, MinOp>) {
        // min after an upper bound: the lower of the two.
        if (hi && hi.getValueAsDouble() <= bound)
          attr = hi;
        if (lo && lo.getValueAsDouble() > attr.getValueAsDouble())
          continue; // clamp_min > clamp_max: leave it to the CPU ops
        hi = attr;
      } else {
        // max after an upper bound does not commute with the clamp.
        if (hi)
          continue;
        if (lo && lo.getValueAsDouble() >= bound)
          attr = lo;
        lo = attr;
      }
      p.rebuild(rewriter, op, p.bias, lo, hi);
      ++count;
      return success();
    }
    return failure();
  }
};

struct FuseBiasActivationPass
    : mlir::yz::impl::YzFuseBiasActivationBase<FuseBiasActivationPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FuseBias>(ctx, numBias);
    patterns.add<FuseClamp<ReluOp>, FuseClamp<MaxOp>, FuseClamp<MinOp>>(
        ctx, numActivation);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
