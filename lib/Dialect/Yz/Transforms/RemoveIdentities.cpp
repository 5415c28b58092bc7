//===- RemoveIdentities.cpp - drop ops that do not change their input -----===//
//
// Part of Yizhuang. yz.identity (ONNX Identity, inference Dropout), and
// reshapes, transposes, broadcasts and casts that are no-ops.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZREMOVEIDENTITIES
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

bool isNoOp(Operation *op) {
  if (isa<IdentityOp>(op))
    return true;
  if (!isa<ReshapeOp, BroadcastToOp, CastOp, TransposeOp>(op) ||
      op->getOperand(0).getType() != op->getResult(0).getType())
    return false;
  if (auto transpose = dyn_cast<TransposeOp>(op))
    for (auto [i, p] : llvm::enumerate(transpose.getPerm()))
      if (int64_t(i) != p)
        return false;
  return true;
}

struct RemoveIdentitiesPass
    : mlir::yz::impl::YzRemoveIdentitiesBase<RemoveIdentitiesPass> {
  void runOnOperation() override {
    getOperation()->walk([&](Operation *op) {
      if (!isNoOp(op))
        return;
      op->getResult(0).replaceAllUsesWith(op->getOperand(0));
      op->erase();
      ++numRemoved;
    });
  }
};

} // namespace
