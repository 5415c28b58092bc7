//===- PlaceOnNpu.cpp - decide which ops run on the NPU -------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZPLACEONNPU
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

struct PlaceOnNpuPass : mlir::yz::impl::YzPlaceOnNpuBase<PlaceOnNpuPass> {
  using YzPlaceOnNpuBase::YzPlaceOnNpuBase;

  bool fitsNpu(MatmulOp op) const {
    auto lhs = cast<RankedTensorType>(op.getLhs().getType());
    auto result = cast<RankedTensorType>(op.getType());
    if (lhs.getRank() != 2 || !result.hasStaticShape() ||
        !lhs.hasStaticShape())
      return false;
    Type elt = lhs.getElementType();
    return elt.isInteger(8) || (bf16 && elt.isF32());
  }

  /// The NPU runs int8 convolutions of one group with constant weights
  /// (laid out at compile time); depthwise and grouped ones stay on the CPU.
  bool fitsNpu(QConv2DOp op) const {
    auto constant = [](Value v) {
      return !v || v.getDefiningOp<ConstantOp>() != nullptr;
    };
    return op.getGroups() == 1 && constant(op.getFilter()) &&
           constant(op.getBias()) &&
           cast<RankedTensorType>(op.getInput().getType()).hasStaticShape();
  }

  void runOnOperation() override {
    if (!npu::lookupTarget(getOperation()))
      return; // no NPU: everything stays on the CPU
    StringAttr npuAttr = StringAttr::get(&getContext(), "npu");
    getOperation().walk([&](Operation *op) {
      bool fits;
      if (auto matmul = dyn_cast<MatmulOp>(op))
        fits = fitsNpu(matmul);
      else if (auto conv = dyn_cast<QConv2DOp>(op))
        fits = fitsNpu(conv);
      else
        return;
      if (fits) {
        op->setAttr(kPlacementAttr, npuAttr);
        ++numNpu;
      } else {
        ++numCpu;
      }
    });
  }
};

} // namespace
