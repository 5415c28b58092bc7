//===- CopiesToLinalg.cpp - memref.copy -> linalg.copy --------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZCOPIESTOLINALG
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {
struct CopiesToLinalgPass
    : mlir::yz::impl::YzCopiesToLinalgBase<CopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    for (memref::CopyOp op : copies) {
      OpBuilder b(op);
      linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }
  }
};
} // namespace
