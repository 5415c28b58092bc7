//===- ConvsToNpu.cpp - yz.qconv2d placed on the NPU -> npu.conv2d --------===//
//
// Part of Yizhuang. The NPU reads its operands row by row with strided DMA:
// an NHWC input gives, for one (kh, kw) and a run of output pixels along a
// row, DIM consecutive channels per pixel at a fixed stride (stride_w x C)
// - the A rows of an implicit GEMM, at any stride and without an im2col
// copy. So the input is padded and made NHWC here (on the CPU), the weights
// are laid out at compile time, and the result comes back as NCHW.
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/YzToNpu/YzToNpu.h"
#include "yz/Conversion/YzToLinalg/YzToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/Capability.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

#include <cstring>

namespace mlir::yz {
#define GEN_PASS_DEF_YZCONVSTONPU
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

Value transpose(OpBuilder &b, Location loc, Value x,
                ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, x, init, perm).getResult()[0];
}

/// Filter [F, C, KH, KW] as the NPU's [KH * KW * C, F]: row (kh, kw, c).
/// `x` (4-D, static) with the same elements in `shape`, as a collapse to
/// 1-D and an expand (views after bufferization).
Value reshapeTo(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  auto flat = tensor::CollapseShapeOp::create(
      b, loc, x, SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), flat,
      SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
}

template <typename T>
std::vector<T> npuWeights(const T *w, int64_t f, int64_t c, int64_t kh,
                          int64_t kw) {
  std::vector<T> out(kh * kw * c * f);
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          out[((i * kw + j) * c + ci) * f + fi] =
              w[((fi * c + ci) * kh + i) * kw + j];
  return out;
}

template <typename T> ArrayRef<char> bytesOf(const std::vector<T> &v) {
  return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                        v.size() * sizeof(T));
}

struct ConvsToNpuPass : mlir::yz::impl::YzConvsToNpuBase<ConvsToNpuPass> {
  using YzConvsToNpuBase::YzConvsToNpuBase;

  LogicalResult rewrite(QConv2DOp op);
  LogicalResult rewrite(Conv2DOp op);

  /// `op` as an npu.conv2d on the NHWC padded `x` with the NPU's weights
  /// and epilogue, its result transposed back to NCHW.
  template <typename ConvOp>
  void replaceWithNpuConv(ConvOp op, OpBuilder &b, Value x, Value weights,
                          Value epilogue, ArrayRef<int64_t> kernel,
                          IntegerAttr zeroPoint, IntegerAttr lo,
                          IntegerAttr hi, npu::Activation activation) {
    Location loc = op.getLoc();
    auto out = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> s = out.getShape();
    SmallVector<int64_t> nhwc = {s[0], s[2], s[3], s[1]};
    // A pointwise convolution (1x1, stride 1, unpadded; a linear layer is
    // one over [rows, K, 1, 1]) reads every pixel's channels contiguously:
    // as one row of N*H*W pixels, a block of A is one DMA instead of one
    // per output row.
    auto xShape = cast<RankedTensorType>(x.getType()).getShape();
    bool pointwise = kernel == ArrayRef<int64_t>{1, 1} &&
                     llvm::all_of(op.getStrides(),
                                  [](int64_t v) { return v == 1; }) &&
                     xShape[1] == nhwc[1] && xShape[2] == nhwc[2] &&
                     (nhwc[0] > 1 || nhwc[1] > 1);
    SmallVector<int64_t> convShape = nhwc;
    if (pointwise) {
      int64_t pixels = nhwc[0] * nhwc[1] * nhwc[2];
      convShape = {1, 1, pixels, nhwc[3]};
      x = reshapeTo(b, loc, x, {1, 1, pixels, xShape[3]});
    }
    Value init =
        tensor::EmptyOp::create(b, loc, convShape, out.getElementType());
    auto conv = npu::Conv2DOp::create(
        b, loc, TypeRange{init.getType()}, x, weights, epilogue, init,
        b.getDenseI64ArrayAttr(kernel), op.getStridesAttr(),
        op.getDilationsAttr(), zeroPoint, lo, hi,
        npu::ActivationAttr::get(b.getContext(), activation));
    Value y = conv.getResult()[0];
    if (pointwise)
      y = reshapeTo(b, loc, y, nhwc);
    op.replaceAllUsesWith(transpose(b, loc, y, {0, 3, 1, 2}));
    op.erase();
    ++numConvs;
  }

  void runOnOperation() override {
    SmallVector<Operation *> convs;
    getOperation().walk([&](Operation *op) {
      auto placement = op->getAttrOfType<StringAttr>(kPlacementAttr);
      if (isa<QConv2DOp, Conv2DOp>(op) && placement &&
          placement.getValue() == "npu")
        convs.push_back(op);
    });
    // (A module without a target fails later, in convert-linalg-to-npu.)
    ::yz::npu::Target target;
    if (npu::TargetAttr attr = npu::lookupTarget(getOperation()))
      target = npu::toTarget(attr);
    for (Operation *op : convs) {
      // Placement asked the same question; a hand-placed op may not fit.
      if (std::string why = npu::whyNotOnNpu(op, target, /*bf16=*/true);
          !why.empty()) {
        op->emitError("placed on the NPU, which cannot run it: ") << why;
        return signalPassFailure();
      }
      LogicalResult result = isa<QConv2DOp>(op)
                                 ? rewrite(cast<QConv2DOp>(op))
                                 : rewrite(cast<Conv2DOp>(op));
      if (failed(result))
        return signalPassFailure();
    }
  }
};

LogicalResult ConvsToNpuPass::rewrite(QConv2DOp op) {
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  std::optional<ConstantData> filter = readConstant(op.getFilter());
  std::optional<ConstantData> bias;
  if (op.getBias())
    bias = readConstant(op.getBias());
  if (!filter || (op.getBias() && !bias))
    return op.emitError("cannot read the constant weights");

  OpBuilder b(op);
  Location loc = op.getLoc();
  ArrayRef<int64_t> pads = op.getPads();
  int64_t c = inType.getDimSize(1);
  ArrayRef<int64_t> fShape = filter->type.getShape();
  int64_t f = fShape[0], kh = fShape[2], kw = fShape[3], k = kh * kw * c;
  int64_t izp = op.getInputZeroPointAttr().getInt();

  // Input: NHWC, padded with its zero point. Transposed first, so that
  // between two NPU convolutions the NHWC -> NCHW -> NHWC transposes meet
  // and cancel (linalg.transpose canonicalization).
  Value zp = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(izp));
  Value x = transpose(b, loc, op.getInput(), {0, 2, 3, 1});
  x = padHW(b, loc, x, pads, zp, /*hDim=*/1);

  // Weights: row (kh, kw, c), column f. Epilogue: scales, then biases with
  // the input zero point folded in (the NPU sums x * w, padding included).
  std::vector<int8_t> weights =
      npuWeights(filter->as<int8_t>(), f, c, kh, kw);
  std::vector<int64_t> sums(f, 0);
  for (int64_t row = 0; row < k; ++row)
    for (int64_t fi = 0; fi < f; ++fi)
      sums[fi] += weights[row * f + fi];
  ArrayRef<float> mult = op.getMultipliers();
  std::vector<int32_t> epilogue(2 * f);
  for (int64_t fi = 0; fi < f; ++fi) {
    float m = mult.size() == 1 ? mult[0] : mult[fi];
    std::memcpy(&epilogue[fi], &m, 4);
    int64_t b0 = bias ? bias->as<int32_t>()[fi] : 0;
    epilogue[f + fi] = int32_t(uint32_t(b0 - izp * sums[fi]));
  }
  Value wConst = makeConstant(
      b, loc, RankedTensorType::get({k, f}, b.getI8Type()), bytesOf(weights),
      "npu_weights");
  Value eConst = makeConstant(
      b, loc, RankedTensorType::get({2, f}, b.getI32Type()),
      bytesOf(epilogue), "npu_epilogue");

  replaceWithNpuConv(op, b, x, wConst, eConst, {kh, kw},
                     op.getOutputZeroPointAttr(), op.getClampMinAttr(),
                     op.getClampMaxAttr(), npu::Activation::none);
  return success();
}

/// An f32 convolution in bf16: the same layout (weights stored as bf16),
/// the biases as the epilogue, the fused ReLU/ReLU6 as the DMA-out
/// activation.
LogicalResult ConvsToNpuPass::rewrite(Conv2DOp op) {
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  std::optional<ConstantData> filter = readConstant(op.getFilter());
  std::optional<std::vector<float>> bias;
  if (op.getBias())
    bias = readF32(op.getBias());
  std::optional<npu::Activation> activation =
      npu::activationFor(op.getClampMinAttr(), op.getClampMaxAttr());
  if (!filter || (op.getBias() && !bias) || !activation)
    return op.emitError("cannot read the constant weights");

  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t c = inType.getDimSize(1);
  ArrayRef<int64_t> fShape = filter->type.getShape();
  int64_t f = fShape[0], kh = fShape[2], kw = fShape[3], k = kh * kw * c;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value x = transpose(b, loc, op.getInput(), {0, 2, 3, 1});
  x = padHW(b, loc, x, op.getPads(), zero, /*hDim=*/1);
  // Weights in bf16, the format the NPU loads fastest (half the bytes of
  // f32), rounded to nearest even as the DMA would round them.
  std::vector<float> wf = npuWeights(filter->as<float>(), f, c, kh, kw);
  std::vector<uint16_t> weights(wf.size());
  for (size_t i = 0; i < wf.size(); ++i) {
    llvm::APFloat v(wf[i]);
    bool lost;
    v.convert(llvm::APFloat::BFloat(), llvm::APFloat::rmNearestTiesToEven,
              &lost);
    weights[i] = uint16_t(v.bitcastToAPInt().getZExtValue());
  }
  std::vector<float> biases = bias ? *bias : std::vector<float>(f, 0.0f);
  Value wConst = makeConstant(
      b, loc, RankedTensorType::get({k, f}, b.getBF16Type()), bytesOf(weights),
      "npu_weights");
  Value eConst = makeConstant(
      b, loc, RankedTensorType::get({1, f}, b.getF32Type()), bytesOf(biases),
      "npu_epilogue");
  replaceWithNpuConv(op, b, x, wConst, eConst, {kh, kw},
                     b.getI64IntegerAttr(0), b.getI64IntegerAttr(-128),
                     b.getI64IntegerAttr(127), *activation);
  return success();
}

} // namespace
