//===- FreeAfterLastUse.cpp - free each buffer after its last use ---------===//
//
// Part of Yizhuang. The ownership-based buffer deallocation frees at the
// end of a block; this moves each plain dealloc up to the buffer's last
// use, so that a model's intermediates are reused while still in cache
// (see the pass's description).
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFREEAFTERLASTUSE
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {

/// The last op of `block` that uses `buffer` or a view of it, other than
/// `dealloc`; null if an alias escapes (see the pass's description) or a
/// use is outside `block`.
Operation *lastUse(Value buffer, Block *block, Operation *dealloc) {
  Operation *last = nullptr;
  SmallVector<Value> aliases = {buffer};
  while (!aliases.empty()) {
    Value alias = aliases.pop_back_val();
    for (Operation *user : alias.getUsers()) {
      if (user == dealloc)
        continue;
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == alias) {
        aliases.push_back(user->getResult(0));
      } else if (user->hasTrait<OpTrait::IsTerminator>() ||
                 llvm::any_of(user->getResultTypes(),
                              llvm::IsaPred<BaseMemRefType>)) {
        return nullptr;
      }
      Operation *op = block->findAncestorOpInBlock(*user);
      if (!op)
        return nullptr;
      if (!last || last->isBeforeInBlock(op))
        last = op;
    }
  }
  return last;
}

struct FreeAfterLastUsePass
    : mlir::yz::impl::YzFreeAfterLastUseBase<FreeAfterLastUsePass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation()->walk([&](memref::DeallocOp d) { deallocs.push_back(d); });
    for (memref::DeallocOp dealloc : deallocs) {
      Value buffer = dealloc.getMemref();
      auto alloc = buffer.getDefiningOp<memref::AllocOp>();
      Block *block = dealloc->getBlock();
      if (!alloc || alloc->getBlock() != block)
        continue;
      Operation *last = lastUse(buffer, block, dealloc);
      if (!last || !last->isBeforeInBlock(dealloc) ||
          last->getNextNode() == dealloc)
        continue;
      dealloc->moveAfter(last);
      ++numMoved;
    }
  }
};

} // namespace
