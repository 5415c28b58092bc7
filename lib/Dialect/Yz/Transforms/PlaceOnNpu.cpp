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

int mlir::yz::npuActivation(std::optional<APFloat> lo,
                            std::optional<APFloat> hi) {
  auto is = [](const std::optional<APFloat> &v, float x) {
    return v && v->convertToFloat() == x;
  };
  if (!lo && !hi)
    return 0;
  if (is(lo, 0.0f) && !hi)
    return 1;
  if (is(lo, 0.0f) && is(hi, 6.0f))
    return 2;
  return -1;
}

namespace {

struct PlaceOnNpuPass : mlir::yz::impl::YzPlaceOnNpuBase<PlaceOnNpuPass> {
  using YzPlaceOnNpuBase::YzPlaceOnNpuBase;

  /// Why `op` stays on the CPU; empty if the NPU runs it.
  std::string whyNot(MatmulOp op) const {
    auto lhs = cast<RankedTensorType>(op.getLhs().getType());
    auto rhs = cast<RankedTensorType>(op.getRhs().getType());
    auto result = cast<RankedTensorType>(op.getType());
    // 2-D, or a batch of them with the same batch on both sides (a loop of
    // 2-D programs); broadcast or deeper batches stay on the CPU.
    if (result.getRank() > 3 ||
        (result.getRank() == 3 &&
         (lhs.getRank() != 3 || rhs.getRank() != 3 ||
          lhs.getDimSize(0) != rhs.getDimSize(0))))
      return "batched matmul with broadcast or several batch dimensions";
    if (!result.hasStaticShape() || !lhs.hasStaticShape() ||
        !rhs.hasStaticShape())
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

  /// The layer's name in the profile: its ONNX node name if it has one.
  static std::string layerName(Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc))
      return name.getName().str();
    if (auto fused = dyn_cast<FusedLoc>(loc))
      for (Location inner : fused.getLocations())
        if (std::string name = layerName(inner); !name.empty())
          return name;
    if (auto file = dyn_cast<FileLineColLoc>(loc))
      return (file.getFilename().getValue() + ":" + Twine(file.getLine()))
          .str();
    return "";
  }

  /// The multiply-accumulates of a matmul or convolution.
  static uint64_t macsOf(Operation *op) {
    auto result = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t perOutput;
    if (auto matmul = dyn_cast<MatmulOp>(op)) {
      auto lhs = cast<RankedTensorType>(matmul.getLhs().getType());
      perOutput = lhs.getDimSize(lhs.getRank() - 1);
    } else {
      auto filter = cast<RankedTensorType>(op->getOperand(1).getType());
      perOutput = filter.getNumElements() / filter.getDimSize(0);
    }
    return result.hasStaticShape() && perOutput >= 0
               ? uint64_t(result.getNumElements() * perOutput)
               : 0;
  }

  void markLayer(Operation *op, bool onCpu, unsigned index) {
    std::string name = layerName(op->getLoc());
    if (name.empty())
      name = (op->getName().getStringRef() + "#" + Twine(index)).str();
    OpBuilder b(op);
    npu::LayerOp::create(b, op->getLoc(), name, macsOf(op), onCpu);
  }

  /// bf16 float convolutions: as the int8 ones, and an activation the
  /// NPU's DMA out applies.
  std::string whyNot(Conv2DOp op) const {
    if (op.getGroups() != 1)
      return "grouped or depthwise convolution";
    if (!bf16)
      return "float convolution (the NPU runs int8 ones: --quantize=int8, "
             "and bf16 ones: --npu-dtype=bf16)";
    auto in = cast<RankedTensorType>(op.getInput().getType());
    if (!in.getElementType().isF32())
      return "element type not f32";
    if (!op.getFilter().getDefiningOp<ConstantOp>() ||
        (op.getBias() && !op.getBias().getDefiningOp<ConstantOp>()))
      return "weights are not constants";
    if (!in.hasStaticShape())
      return "dynamic shape";
    if (npuActivation(op.getClampMin(), op.getClampMax()) < 0)
      return "a clamp other than ReLU or ReLU6";
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
    SmallVector<std::pair<Operation *, bool>> layers; // (op, on the CPU?)
    getOperation().walk([&](Operation *op) {
      std::string why;
      if (auto matmul = dyn_cast<MatmulOp>(op))
        why = whyNot(matmul);
      else if (auto conv = dyn_cast<QConv2DOp>(op))
        why = whyNot(conv);
      else if (auto conv = dyn_cast<Conv2DOp>(op))
        why = whyNot(conv);
      else
        return;
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
