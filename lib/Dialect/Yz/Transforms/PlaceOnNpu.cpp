//===- PlaceOnNpu.cpp - decide which ops run on the NPU -------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/Capability.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Yz/IR/LayerName.h"
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

  void markLayer(Operation *op, bool onCpu, unsigned index) {
    std::string name = layerName(op->getLoc());
    if (name.empty())
      name = (op->getName().getStringRef() + "#" + Twine(index)).str();
    OpBuilder b(op);
    npu::LayerOp::create(b, op->getLoc(), name,
                         cast<ContractionOpInterface>(op).getMacCount(), onCpu);
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
    ::yz::npu::Target target = npu::toTarget(npu::lookupTarget(getOperation()));
    StringAttr npuAttr = StringAttr::get(&getContext(), "npu");
    unsigned onNpu = 0, onCpu = 0;
    SmallVector<std::pair<Operation *, bool>> layers; // (op, on the CPU?)
    getOperation().walk([&](ContractionOpInterface op) {
      std::string why = npu::whyNotOnNpu(op, target, bf16);
      layers.push_back({op, !why.empty()});
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
    // Profile markers, unless the model does not use the NPU at all (it
    // then runs without the simulator).
    if (onNpu)
      for (auto [i, layer] : llvm::enumerate(layers))
        markLayer(layer.first, layer.second, i);
    numNpu += onNpu;
    numCpu += onCpu;
  }
};

} // namespace
