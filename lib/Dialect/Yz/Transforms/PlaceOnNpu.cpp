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

  /// Why `op` stays on the CPU; empty if the NPU runs it.
  std::string whyNot(MatmulOp op) const {
    auto lhs = cast<RankedTensorType>(op.getLhs().getType());
    auto result = cast<RankedTensorType>(op.getType());
    if (lhs.getRank() != 2)
      return "batched matmul";
    if (!result.hasStaticShape() || !lhs.hasStaticShape())
      return "dynamic shape";
    Type elt = lhs.getElementType();
    if (elt.isInteger(8) || (bf16 && elt.isF32()))
      return "";
    return elt.isF32() ? "f32 (use --npu-dtype=bf16)"
                       : "element type not i8 or f32";
  }

  /// The NPU runs int8 convolutions of one group with constant weights
  /// (laid out at compile time); depthwise and grouped ones stay on the CPU.
  std::string whyNot(QConv2DOp op) const {
    auto constant = [](Value v) {
      return !v || v.getDefiningOp<ConstantOp>() != nullptr;
    };
    if (op.getGroups() != 1)
      return int64_t(op.getGroups()) == cast<RankedTensorType>(op.getInput().getType())
                                   .getDimSize(1)
                 ? "depthwise convolution"
                 : "grouped convolution";
    if (!constant(op.getFilter()) || !constant(op.getBias()))
      return "weights are not constants";
    if (!cast<RankedTensorType>(op.getInput().getType()).hasStaticShape())
      return "dynamic shape";
    return "";
  }

  void reportLine(Operation *op, StringRef where, StringRef why) {
    std::string loc;
    llvm::raw_string_ostream os(loc);
    op->getLoc().print(os);
    llvm::errs() << "placement: " << op->getName() << " "
                 << op->getResult(0).getType() << " -> " << where;
    if (!why.empty())
      llvm::errs() << " (" << why << ")";
    llvm::errs() << "  " << loc << "\n";
  }

  void runOnOperation() override {
    if (!npu::lookupTarget(getOperation())) { // everything stays on the CPU
      if (report)
        llvm::errs() << "placement: no NPU (--npu=none): everything runs on "
                        "the CPU\n";
      return;
    }
    StringAttr npuAttr = StringAttr::get(&getContext(), "npu");
    unsigned onNpu = 0, onCpu = 0;
    getOperation().walk([&](Operation *op) {
      std::string why;
      if (auto matmul = dyn_cast<MatmulOp>(op))
        why = whyNot(matmul);
      else if (auto conv = dyn_cast<QConv2DOp>(op))
        why = whyNot(conv);
      else if (auto conv = dyn_cast<Conv2DOp>(op))
        why = conv.getGroups() != 1
                  ? "grouped or depthwise convolution"
                  : "float convolution (the NPU runs int8 ones: "
                    "--quantize=int8)";
      else
        return;
      if (why.empty()) {
        op->setAttr(kPlacementAttr, npuAttr);
        ++onNpu;
      } else {
        ++onCpu;
      }
      if (report)
        reportLine(op, why.empty() ? "npu" : "cpu", why);
    });
    if (report)
      llvm::errs() << "placement: " << onNpu << " on the NPU, " << onCpu
                   << " on the CPU\n";
    numNpu += onNpu;
    numCpu += onCpu;
  }
};

} // namespace
