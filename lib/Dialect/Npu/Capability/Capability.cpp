//===- Capability.cpp - what the NPU can run ------------------------------===//
//
// Part of Yizhuang. See Capability.h.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Npu/Capability.h"

#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/npu/Isa.h"

using namespace mlir;
using namespace mlir::npu;

// The compiler's activation enum mirrors the encoding's (Isa.h).
static_assert(uint32_t(Activation::none) ==
                  uint32_t(::yz::npu::Activation::None) &&
              uint32_t(Activation::relu) ==
                  uint32_t(::yz::npu::Activation::Relu) &&
              uint32_t(Activation::relu6) ==
                  uint32_t(::yz::npu::Activation::Relu6),
              "npu.activation values must be isa.def's ConfigStore.Activation");

int64_t mlir::npu::maxDmaRows(const ::yz::npu::Target &target) {
  int64_t rows = int64_t(::yz::npu::field::DmaIn_Rows.mask());
  return rows / target.dim * target.dim;
}

std::optional<Activation> mlir::npu::activationFor(FloatAttr lo,
                                                   FloatAttr hi) {
  auto is = [](FloatAttr v, double x) {
    return v && v.getValueAsDouble() == x;
  };
  if (!lo && !hi)
    return Activation::none;
  if (is(lo, 0.0) && !hi)
    return Activation::relu;
  if (is(lo, 0.0) && is(hi, 6.0))
    return Activation::relu6;
  return std::nullopt;
}

namespace {

bool isConstant(Value v) { return !v || v.getDefiningOp<mlir::yz::ConstantOp>(); }

bool allStatic(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (auto shaped = dyn_cast<ShapedType>(t); !shaped || !shaped.hasStaticShape())
      return false;
  return true;
}

/// The implicit-GEMM program's needs: one group (a grouped convolution is
/// several GEMMs of a few channels each), weights laid out at compile time.
std::string convWhyNot(Operation *op, int64_t groups, Value filter,
                       Value bias) {
  if (groups != 1) {
    int64_t c = cast<RankedTensorType>(op->getOperand(0).getType()).getDimSize(1);
    return groups == c ? "depthwise convolution" : "grouped convolution";
  }
  if (!isConstant(filter) || !isConstant(bias))
    return "weights are not constants";
  if (!allStatic(op))
    return "dynamic shape";
  return "";
}

std::string matmulWhyNot(mlir::yz::MatmulOp op, bool bf16, Precision precision) {
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
  if (!allStatic(op))
    return "dynamic shape";
  if (precision == Precision::Int8)
    return lhs.getElementType().isF32() ? "" : "element type not f32";
  Type elt = lhs.getElementType();
  if (elt.isInteger(8) || (bf16 && elt.isF32()))
    return "";
  return elt.isF32() ? "f32 (use --npu-dtype=bf16)"
                     : "element type not i8 or f32";
}

} // namespace

std::string mlir::npu::whyNotOnNpu(Operation *op,
                                   const ::yz::npu::Target &target, bool bf16,
                                   Precision precision) {
  (void)target; // every size tiles; kept so that limits have one home
  if (auto matmul = dyn_cast<mlir::yz::MatmulOp>(op))
    return matmulWhyNot(matmul, bf16, precision);
  if (auto conv = dyn_cast<mlir::yz::QConv2DOp>(op))
    return convWhyNot(op, conv.getGroups(), conv.getFilter(), conv.getBias());
  auto conv = dyn_cast<mlir::yz::Conv2DOp>(op);
  if (!conv)
    return "not a matmul or convolution";
  if (conv.getGroups() != 1 || precision == Precision::Int8)
    return convWhyNot(op, conv.getGroups(), conv.getFilter(), conv.getBias());
  if (!bf16)
    return "float convolution (the NPU runs int8 ones: --quantize=int8, "
           "and bf16 ones: --npu-dtype=bf16)";
  if (std::string why = convWhyNot(op, conv.getGroups(), conv.getFilter(),
                                   conv.getBias());
      !why.empty())
    return why;
  if (!cast<RankedTensorType>(conv.getInput().getType()).getElementType().isF32())
    return "element type not f32";
  if (!activationFor(conv.getClampMinAttr(), conv.getClampMaxAttr()))
    return "a clamp other than ReLU or ReLU6";
  return "";
}
