//===- DistinctResults.cpp - one buffer per returned value ----------------===//
//
// Part of Yizhuang. Runs between bufferization and
// buffer-results-to-out-params: a buffer returned twice (a model whose two
// outputs are the same tensor) would become two out-parameters sharing it,
// which that upstream pass cannot express (it crashes; found by
// fuzz/random_models.py, seed 3665). Each repeat returns a copy.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZDISTINCTRESULTS
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {

struct DistinctResultsPass
    : mlir::yz::impl::YzDistinctResultsBase<DistinctResultsPass> {
  void runOnOperation() override {
    getOperation()->walk([&](func::ReturnOp ret) {
      OpBuilder b(ret);
      llvm::SmallPtrSet<Value, 4> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<MemRefType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        if (!type.hasStaticShape()) {
          ret.emitError("a buffer of dynamic shape is returned twice");
          return signalPassFailure();
        }
        auto copyType = MemRefType::get(type.getShape(), type.getElementType());
        Value copy = memref::AllocOp::create(b, ret.getLoc(), copyType);
        memref::CopyOp::create(b, ret.getLoc(), v, copy);
        if (copyType != type)
          copy = memref::CastOp::create(b, ret.getLoc(), type, copy);
        operand.set(copy);
        ++numCopies;
      }
    });
  }
};

} // namespace
