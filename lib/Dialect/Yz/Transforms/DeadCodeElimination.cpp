//===- DeadCodeElimination.cpp - erase unused side-effect-free ops --------===//
//
// Part of Yizhuang. Imported graphs carry nodes whose outputs nothing reads
// (shape computations, unused branches); they go before lowering so no pass
// spends time on them.
//
//===----------------------------------------------------------------------===//

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZDEADCODEELIMINATION
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {

struct DeadCodeEliminationPass
    : mlir::yz::impl::YzDeadCodeEliminationBase<DeadCodeEliminationPass> {
  void runOnOperation() override {
    // Users come after their operands within a block: walking each block
    // backwards frees a whole dead chain in one sweep.
    getOperation()->walk([&](Block *block) {
      for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*block)))
        if (isOpTriviallyDead(&op)) {
          op.erase();
          ++numErased;
        }
    });
  }
};

} // namespace
