//===- FoldConstants.cpp - evaluate yz ops on constants at compile time ---===//
//
// Part of Yizhuang. Ops whose operands are all constants (inline or weight
// resources) are evaluated here: transposed Gemm weights, reshaped biases,
// scales computed from weights. Op folders cannot do this, as they do not see
// into dense resources and would put large results in text. The evaluation
// itself (ConstantFolding.h) is shared with the importer.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/ConstantFolding.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFOLDCONSTANTS
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

struct FoldConstantOp : RewritePattern {
  FoldConstantOp(MLIRContext *ctx, int64_t maxElements, llvm::Statistic &count)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        maxElements(maxElements), count(count) {}
  int64_t maxElements;
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    Value folded = foldToConstant(rewriter, op, maxElements);
    if (!folded)
      return failure();
    rewriter.replaceOp(op, folded);
    ++count;
    return success();
  }
};

struct FoldConstantsPass
    : mlir::yz::impl::YzFoldConstantsBase<FoldConstantsPass> {
  using YzFoldConstantsBase::YzFoldConstantsBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantOp>(&getContext(), maxElements, numFolded);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
