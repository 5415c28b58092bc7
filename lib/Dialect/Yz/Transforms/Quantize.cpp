//===- Quantize.cpp - f32 convolutions with calibrated ranges -> int8 -----===//
//
// Part of Yizhuang. Post-training quantization, the scheme in
// docs/quantization.md: activations per tensor, asymmetric, from the ranges
// calibration recorded on each convolution; weights per output channel,
// symmetric, from their own values. Each convolution becomes
// quantize -> qconv2d -> dequantize; where one quantized convolution feeds
// another, the dequantize -> quantize pair between them cancels.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/ConstantData.h"

#include <algorithm>
#include <cmath>

namespace mlir::yz {
#define GEN_PASS_DEF_YZQUANTIZE
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

QuantParams mlir::yz::chooseQuantParams(float lo, float hi) {
  // The range must hold 0 exactly (zero padding, ReLU's floor).
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  float scale = (hi - lo) / 255.0f;
  if (!(scale > 0) || std::isinf(scale))
    scale = 1.0f; // a constant-zero tensor: any scale represents it
  float zp = std::nearbyint(-128.0f - lo / scale);
  return {scale, int64_t(std::clamp(zp, -128.0f, 127.0f))};
}

namespace {

/// The int8 value of a float bound `v` at `p`, saturated.
int64_t quantizeBound(float v, QuantParams p) {
  float q = std::nearbyint(v / p.scale) + float(p.zeroPoint);
  return int64_t(std::clamp(q, -128.0f, 127.0f));
}

/// The scale of one output channel's weights `w`: max |w| / 127, or, with
/// `onGrid`, the scale of the int8 grid the weights already lie on (weights
/// of an imported QDQ model, dequantized at import, may not reach 127).
float weightScale(ArrayRef<float> w, bool onGrid) {
  float maxAbs = 0;
  for (float v : w)
    maxAbs = std::max(maxAbs, std::fabs(v));
  if (maxAbs == 0)
    return 1.0f;
  if (onGrid)
    for (int qmax = 127; qmax >= 1; --qmax) {
      float s = maxAbs / float(qmax);
      if (llvm::all_of(w, [&](float v) {
            return std::fabs(v / s - std::nearbyint(v / s)) < 1e-3f;
          }))
        return s;
    }
  return maxAbs / 127.0f;
}

struct QuantizePass : mlir::yz::impl::YzQuantizeBase<QuantizePass> {
  using YzQuantizeBase::YzQuantizeBase;

  /// The calibrated range `name` on `op`: [lo, hi].
  static std::optional<std::pair<float, float>> range(Operation *op,
                                                      StringRef name) {
    auto attr = op->getAttrOfType<DenseF32ArrayAttr>(name);
    if (!attr || attr.size() != 2 || !(attr[0] <= attr[1]))
      return std::nullopt;
    return std::make_pair(attr[0], attr[1]);
  }

  /// `op` as a yz.qconv2d reading the int8 `x` (at `in`) and producing int8
  /// at `out`; null (with an error) if its weights are not constants.
  Value quantizeConv(Conv2DOp op, Value x, QuantParams in, QuantParams out,
                     bool weightsOnGrid);
  LogicalResult calibrated(Conv2DOp op);
  /// dequantize -> conv2d -> quantize, as an imported QDQ model has them.
  void fuseQdq(Conv2DOp op);

  void runOnOperation() override {
    SmallVector<Conv2DOp> convs;
    getOperation()->walk([&](Conv2DOp op) { convs.push_back(op); });
    for (Conv2DOp op : convs) {
      if (op->hasAttr(kInputRangeAttr) || op->hasAttr(kOutputRangeAttr)) {
        if (failed(calibrated(op)))
          return signalPassFailure();
      } else {
        fuseQdq(op);
      }
    }
    // Between two quantized convolutions: q -> dequantize -> quantize with
    // the same parameters (the same calibrated tensor) is q.
    getOperation()->walk([&](QuantizeOp q) {
      auto dq = q.getInput().getDefiningOp<DequantizeOp>();
      if (dq && dq.getScale() == q.getScale() &&
          dq.getZeroPointAttr().getInt() == q.getZeroPointAttr().getInt()) {
        q.replaceAllUsesWith(dq.getInput());
        q.erase();
        ++numCancelled;
      }
    });
  }
};

Value QuantizePass::quantizeConv(Conv2DOp op, Value x, QuantParams in,
                                 QuantParams out, bool weightsOnGrid) {
  std::optional<ConstantData> filter = readConstant(op.getFilter());
  std::optional<std::vector<float>> bias;
  if (op.getBias())
    bias = readF32(op.getBias());
  if (!filter || !filter->type.getElementType().isF32() ||
      (op.getBias() && !bias)) {
    op.emitError("int8 quantization needs an f32 convolution with constant "
                 "weights and bias");
    return {};
  }

  // Weights: symmetric per output channel, [-127, 127].
  RankedTensorType fType = filter->type;
  int64_t f = fType.getDimSize(0), per = fType.getNumElements() / f;
  const float *w = filter->as<float>();
  std::vector<int8_t> qw(f * per);
  std::vector<int32_t> qb(f);
  SmallVector<float> multipliers(f);
  for (int64_t fi = 0; fi < f; ++fi) {
    float ws = weightScale(ArrayRef<float>(w + fi * per, per), weightsOnGrid);
    for (int64_t i = 0; i < per; ++i)
      qw[fi * per + i] = int8_t(
          std::clamp(std::nearbyint(w[fi * per + i] / ws), -127.0f, 127.0f));
    double accScale = double(in.scale) * double(ws);
    qb[fi] = bias ? int32_t(std::nearbyint((*bias)[fi] / accScale)) : 0;
    multipliers[fi] = float(accScale / double(out.scale));
  }

  OpBuilder b(op);
  Location loc = op.getLoc();
  auto bytes = [](const auto &v) {
    return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                          v.size() * sizeof(v[0]));
  };
  Value qFilter = makeConstant(
      b, loc, RankedTensorType::get(fType.getShape(), b.getI8Type()),
      bytes(qw), "qweights");
  Value qBias;
  if (bias)
    qBias = makeConstant(b, loc, RankedTensorType::get({f}, b.getI32Type()),
                         bytes(qb), "qbias");
  int64_t lo = -128, hi = 127;
  if (auto c = op.getClampMin())
    lo = std::max(lo, quantizeBound(c->convertToFloat(), out));
  if (auto c = op.getClampMax())
    hi = std::min(hi, quantizeBound(c->convertToFloat(), out));
  ++numConvs;
  return QConv2DOp::create(
      b, loc, x, qFilter, qBias, op.getStridesAttr(), op.getDilationsAttr(),
      op.getPadsAttr(), op.getGroupsAttr(), b.getI64IntegerAttr(in.zeroPoint),
      b.getDenseF32ArrayAttr(multipliers), b.getI64IntegerAttr(out.zeroPoint),
      b.getI64IntegerAttr(lo), b.getI64IntegerAttr(std::max(lo, hi)));
}

LogicalResult QuantizePass::calibrated(Conv2DOp op) {
  auto inRange = range(op, kInputRangeAttr);
  auto outRange = range(op, kOutputRangeAttr);
  if (!inRange || !outRange)
    return op.emitError("calibration ranges must be [lo, hi] on both '")
           << kInputRangeAttr << "' and '" << kOutputRangeAttr << "'";
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  if (!inType.getElementType().isF32())
    return op.emitError("int8 quantization needs an f32 convolution with "
                        "constant weights and bias");
  op->removeAttr(kInputRangeAttr);
  op->removeAttr(kOutputRangeAttr);
  if (op.getGroups() != 1) // the NPU runs none; float is faster on the CPU
    return success();

  QuantParams in = chooseQuantParams(inRange->first, inRange->second);
  QuantParams out = chooseQuantParams(outRange->first, outRange->second);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = QuantizeOp::create(
      b, loc, RankedTensorType::get(inType.getShape(), b.getI8Type()),
      op.getInput(), b.getF32FloatAttr(in.scale),
      b.getI64IntegerAttr(in.zeroPoint));
  Value conv = quantizeConv(op, x, in, out, /*weightsOnGrid=*/false);
  if (!conv)
    return failure();
  Value y = DequantizeOp::create(b, loc, op.getType(), conv,
                                 b.getF32FloatAttr(out.scale),
                                 b.getI64IntegerAttr(out.zeroPoint));
  op.replaceAllUsesWith(y);
  op.erase();
  return success();
}

void QuantizePass::fuseQdq(Conv2DOp op) {
  auto dq = op.getInput().getDefiningOp<DequantizeOp>();
  if (!dq || !op->hasOneUse() || op.getGroups() != 1 ||
      !readConstant(op.getFilter()) ||
      (op.getBias() && !readConstant(op.getBias())))
    return;
  auto q = dyn_cast<QuantizeOp>(*op->getUsers().begin());
  if (!q)
    return;
  QuantParams in{dq.getScale().convertToFloat(), dq.getZeroPointAttr().getInt()};
  QuantParams out{q.getScale().convertToFloat(), q.getZeroPointAttr().getInt()};
  Value conv = quantizeConv(op, dq.getInput(), in, out, /*weightsOnGrid=*/true);
  if (!conv)
    return;
  q.getResult().replaceAllUsesWith(conv);
  q.erase();
  op.erase();
  ++numQdq;
}

} // namespace
