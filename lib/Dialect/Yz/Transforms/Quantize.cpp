//===- Quantize.cpp - f32 convolutions with calibrated ranges -> int8 -----===//
//
// Part of Yizhuang. Post-training quantization, the scheme in
// docs/quantization.md: activations per tensor, asymmetric, from the ranges
// calibration recorded on each layer; weights per output channel,
// symmetric, from their own values. Each convolution, and each linear
// layer (a 2-D matmul by constant weights, as a 1x1 convolution), becomes
// quantize -> qconv2d -> dequantize; where one quantized layer feeds
// another, the dequantize -> quantize pair between them cancels.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/Capability.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"

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

/// What yz.qconv2d needs of a float layer: a convolution as it is, a linear
/// layer [N, K] x [K, M] as a 1x1 convolution over [N, K, 1, 1].
struct FloatLayer {
  Value input;                 // f32, as the op reads it
  std::vector<float> weights;  // FCHW
  SmallVector<int64_t> shape;  // FCHW
  std::optional<std::vector<float>> bias;
  std::optional<APFloat> clampMin, clampMax;
  SmallVector<int64_t> strides{1, 1}, dilations{1, 1}, pads{0, 0, 0, 0};
  int64_t groups = 1;
  bool linear = false;
};

std::optional<FloatLayer> asLayer(Operation *op) {
  FloatLayer l;
  l.input = op->getOperand(0);
  auto inType = cast<RankedTensorType>(l.input.getType());
  if (!inType.getElementType().isF32() || !inType.hasStaticShape())
    return std::nullopt;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    std::optional<ConstantData> w = readConstant(conv.getFilter());
    if (!w || !w->type.getElementType().isF32())
      return std::nullopt;
    l.weights.assign(w->as<float>(), w->as<float>() + w->type.getNumElements());
    l.shape = llvm::to_vector(w->type.getShape());
    if (conv.getBias() && !(l.bias = readF32(conv.getBias())))
      return std::nullopt;
    l.clampMin = conv.getClampMin();
    l.clampMax = conv.getClampMax();
    l.strides = llvm::to_vector(conv.getStrides());
    l.dilations = llvm::to_vector(conv.getDilations());
    l.pads = llvm::to_vector(conv.getPads());
    l.groups = conv.getGroups();
    return l;
  }
  auto matmul = dyn_cast<MatmulOp>(op);
  if (!matmul || inType.getRank() != 2)
    return std::nullopt;
  std::optional<ConstantData> w = readConstant(matmul.getRhs());
  if (!w || w->type.getRank() != 2 || !w->type.getElementType().isF32())
    return std::nullopt;
  int64_t k = w->type.getDimSize(0), m = w->type.getDimSize(1);
  l.shape = {m, k, 1, 1};
  l.weights.resize(m * k);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < m; ++j)
      l.weights[j * k + i] = w->as<float>()[i * m + j];
  if (matmul.getBias() &&
      (!(l.bias = readF32(matmul.getBias())) || int64_t(l.bias->size()) != m))
    return std::nullopt; // only a bias per output column
  l.clampMin = matmul.getClampMin();
  l.clampMax = matmul.getClampMax();
  l.linear = true;
  return l;
}

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

/// `layer` as a yz.qconv2d on the int8 NCHW `x` (at `in`), producing int8
/// NCHW at `out`.
Value buildQConv(OpBuilder &b, Location loc, const FloatLayer &layer, Value x,
                 QuantParams in, QuantParams out, bool weightsOnGrid) {
  // Weights: symmetric per output channel, [-127, 127].
  int64_t f = layer.shape[0], per = int64_t(layer.weights.size()) / f;
  const float *w = layer.weights.data();
  std::vector<int8_t> qw(f * per);
  std::vector<int32_t> qb(f);
  SmallVector<float> multipliers(f);
  for (int64_t fi = 0; fi < f; ++fi) {
    float ws = weightScale(ArrayRef<float>(w + fi * per, per), weightsOnGrid);
    for (int64_t i = 0; i < per; ++i)
      qw[fi * per + i] = int8_t(
          std::clamp(std::nearbyint(w[fi * per + i] / ws), -127.0f, 127.0f));
    double accScale = double(in.scale) * double(ws);
    qb[fi] = layer.bias ? int32_t(std::nearbyint((*layer.bias)[fi] / accScale))
                        : 0;
    multipliers[fi] = float(accScale / double(out.scale));
  }
  auto bytes = [](const auto &v) {
    return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                          v.size() * sizeof(v[0]));
  };
  Value qFilter = makeConstant(
      b, loc, RankedTensorType::get(layer.shape, b.getI8Type()), bytes(qw),
      "qweights");
  Value qBias;
  if (layer.bias)
    qBias = makeConstant(b, loc, RankedTensorType::get({f}, b.getI32Type()),
                         bytes(qb), "qbias");
  int64_t lo = -128, hi = 127;
  if (layer.clampMin)
    lo = std::max(lo, quantizeBound(layer.clampMin->convertToFloat(), out));
  if (layer.clampMax)
    hi = std::min(hi, quantizeBound(layer.clampMax->convertToFloat(), out));
  return QConv2DOp::create(
      b, loc, x, qFilter, qBias, b.getDenseI64ArrayAttr(layer.strides),
      b.getDenseI64ArrayAttr(layer.dilations),
      b.getDenseI64ArrayAttr(layer.pads), b.getI64IntegerAttr(layer.groups),
      b.getI64IntegerAttr(in.zeroPoint), b.getDenseF32ArrayAttr(multipliers),
      b.getI64IntegerAttr(out.zeroPoint), b.getI64IntegerAttr(lo),
      b.getI64IntegerAttr(std::max(lo, hi)));
}

/// `v` reshaped to `shape`, keeping its element type.
Value reshape(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  return ReshapeOp::create(b, loc, type.clone(shape), v);
}

/// A linear layer's int8 [N, K] as the [N, K, 1, 1] a 1x1 convolution
/// reads, and its [N, M, 1, 1] result back as [N, M].
Value toNCHW(OpBuilder &b, Location loc, const FloatLayer &l, Value x) {
  if (!l.linear)
    return x;
  ArrayRef<int64_t> s = cast<RankedTensorType>(x.getType()).getShape();
  return reshape(b, loc, x, {s[0], s[1], 1, 1});
}
Value fromNCHW(OpBuilder &b, Location loc, const FloatLayer &l, Value y) {
  if (!l.linear)
    return y;
  ArrayRef<int64_t> s = cast<RankedTensorType>(y.getType()).getShape();
  return reshape(b, loc, y, {s[0], s[1]});
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

  LogicalResult calibrated(Operation *op);
  /// A matmul of two activations, both operands calibrated.
  LogicalResult activationMatmul(Operation *op);
  /// dequantize -> layer -> quantize, as an imported QDQ model has them.
  void fuseQdq(Operation *op);

  /// The NPU the layers are quantized for (the default one without any).
  ::yz::npu::Target target;

  void runOnOperation() override {
    if (npu::TargetAttr attr = npu::lookupTarget(getOperation()))
      target = npu::toTarget(attr);
    SmallVector<Operation *> layers;
    getOperation()->walk([&](EpilogueOpInterface op) {
      layers.push_back(op);
    });
    for (Operation *op : layers) {
      if (op->hasAttr(kRhsRangeAttr)) {
        if (failed(activationMatmul(op)))
          return signalPassFailure();
      } else if (op->hasAttr(kInputRangeAttr) ||
                 op->hasAttr(kOutputRangeAttr)) {
        if (failed(calibrated(op)))
          return signalPassFailure();
      } else {
        fuseQdq(op);
      }
    }
    // Max pooling commutes with dequantization ((q - zp) * scale grows
    // with q): pool the int8 values and dequantize the smaller result.
    // After a pooled layer the quantize that follows usually has the same
    // parameters (a max pool keeps the tensor's range), and cancels below.
    getOperation()->walk([&](MaxPool2DOp pool) {
      auto dq = pool.getInput().getDefiningOp<DequantizeOp>();
      if (!dq || !(dq.getScale().convertToFloat() > 0))
        return;
      OpBuilder b(pool);
      auto type = cast<RankedTensorType>(pool.getType());
      Value q = MaxPool2DOp::create(
          b, pool.getLoc(), type.clone(b.getI8Type()), dq.getInput(),
          pool.getKernel(), pool.getStrides(), pool.getDilations(),
          pool.getPads(), pool.getCeilMode());
      Value y = DequantizeOp::create(b, pool.getLoc(), type, q,
                                     dq.getScaleAttr(), dq.getZeroPointAttr());
      pool.replaceAllUsesWith(y);
      pool.erase();
      if (dq->use_empty())
        dq.erase();
      ++numPooledInt8;
    });
    // Between two quantized layers: q -> dequantize -> quantize with the
    // same parameters (the same calibrated tensor) is q.
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

LogicalResult QuantizePass::calibrated(Operation *op) {
  auto inRange = range(op, kInputRangeAttr);
  auto outRange = range(op, kOutputRangeAttr);
  if (!inRange || !outRange)
    return op->emitError("calibration ranges must be [lo, hi] on both '")
           << kInputRangeAttr << "' and '" << kOutputRangeAttr << "'";
  std::optional<FloatLayer> layer = asLayer(op);
  if (!layer)
    return op->emitError(
        "int8 quantization needs an f32 convolution, or a 2-D matmul, with "
        "constant weights and bias");
  op->removeAttr(kInputRangeAttr);
  op->removeAttr(kOutputRangeAttr);
  // Layers the NPU would not run (grouped convolutions) stay float: they are
  // faster so on the CPU.
  if (!npu::whyNotOnNpu(op, target, false, npu::Precision::Int8).empty())
    return success();

  QuantParams in = chooseQuantParams(inRange->first, inRange->second);
  QuantParams out = chooseQuantParams(outRange->first, outRange->second);
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto inType = cast<RankedTensorType>(layer->input.getType());
  Value x = QuantizeOp::create(b, loc, inType.clone(b.getI8Type()),
                               layer->input, b.getF32FloatAttr(in.scale),
                               b.getI64IntegerAttr(in.zeroPoint));
  Value q = fromNCHW(b, loc, *layer,
                     buildQConv(b, loc, *layer, toNCHW(b, loc, *layer, x), in,
                                out, /*weightsOnGrid=*/false));
  Value y = DequantizeOp::create(b, loc, op->getResult(0).getType(), q,
                                 b.getF32FloatAttr(out.scale),
                                 b.getI64IntegerAttr(out.zeroPoint));
  op->getResult(0).replaceAllUsesWith(y);
  op->erase();
  ++(layer->linear ? numLinear : numConvs);
  return success();
}

/// Symmetric int8 scale for [lo, hi]: max |x| / 127 (zero point 0, so an
/// int8 x int8 matmul needs no zero-point corrections).
static float symmetricScale(std::pair<float, float> range) {
  float m = std::max(std::fabs(range.first), std::fabs(range.second));
  return m > 0 && std::isfinite(m) ? m / 127.0f : 1.0f;
}

LogicalResult QuantizePass::activationMatmul(Operation *op) {
  auto lhsRange = range(op, kInputRangeAttr);
  auto rhsRange = range(op, kRhsRangeAttr);
  if (!lhsRange || !rhsRange)
    return op->emitError("calibration ranges must be [lo, hi] on both '")
           << kInputRangeAttr << "' and '" << kRhsRangeAttr << "'";
  if (!isActivationMatmul(op))
    return op->emitError("int8 quantization of a matmul of two activations "
                         "needs f32 operands, 2-D or with one equal batch "
                         "dimension, and no bias or clamp");
  for (StringRef attr : {kInputRangeAttr, kOutputRangeAttr, kRhsRangeAttr})
    op->removeAttr(attr);
  if (!npu::whyNotOnNpu(op, target, false, npu::Precision::Int8).empty())
    return success();
  auto matmul = cast<MatmulOp>(op);
  float sa = symmetricScale(*lhsRange), sb = symmetricScale(*rhsRange);
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto quantize = [&](Value v, float scale) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    return QuantizeOp::create(b, loc, t.clone(b.getI8Type()), v,
                              b.getF32FloatAttr(scale),
                              b.getI64IntegerAttr(0));
  };
  Value acc = MatmulOp::create(b, loc, quantize(matmul.getLhs(), sa),
                               quantize(matmul.getRhs(), sb));
  auto type = cast<RankedTensorType>(matmul.getType());
  Value y = CastOp::create(b, loc, type, acc);
  // The f32 product of the two scales, as the reference computes it.
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value scale = ConstantOp::create(
      b, loc, DenseElementsAttr::get(scalar, b.getF32FloatAttr(sa * sb)));
  y = MulOp::create(b, loc, y, scale);
  matmul.getResult().replaceAllUsesWith(y);
  op->erase();
  ++numActivationMatmuls;
  return success();
}

void QuantizePass::fuseQdq(Operation *op) {
  auto dq = op->getOperand(0).getDefiningOp<DequantizeOp>();
  if (!dq || !op->hasOneUse())
    return;
  auto q = dyn_cast<QuantizeOp>(*op->getUsers().begin());
  std::optional<FloatLayer> layer = asLayer(op);
  if (!q || !layer ||
      !npu::whyNotOnNpu(op, target, false, npu::Precision::Int8).empty())
    return;
  QuantParams in{dq.getScale().convertToFloat(), dq.getZeroPointAttr().getInt()};
  QuantParams out{q.getScale().convertToFloat(), q.getZeroPointAttr().getInt()};
  OpBuilder b(op);
  Location loc = op->getLoc();
  Value y = fromNCHW(
      b, loc, *layer,
      buildQConv(b, loc, *layer, toNCHW(b, loc, *layer, dq.getInput()), in,
                 out, /*weightsOnGrid=*/true));
  q.getResult().replaceAllUsesWith(y);
  q.erase();
  op->erase();
  ++numQdq;
}

} // namespace

/// Whether `bias` is a constant per-column bias of an [M, N] result.
static bool isColumnBias(Value bias, int64_t n) {
  auto t = cast<RankedTensorType>(bias.getType());
  if (t.getNumElements() != n || (t.getRank() > 0 && t.getShape().back() != n))
    return false;
  return readF32(bias).has_value();
}

void mlir::yz::separateRunTimeBiases(Operation *root) {
  SmallVector<MatmulOp> matmuls;
  root->walk([&](MatmulOp op) {
    if (op.getBias() && op->getParentOp() == root && readConstant(op.getRhs()))
      matmuls.push_back(op);
  });
  for (MatmulOp op : matmuls) {
    auto type = cast<RankedTensorType>(op.getType());
    if (type.getRank() != 2 || op.getClampMin() || op.getClampMax() ||
        isColumnBias(op.getBias(), type.getDimSize(1)))
      continue;
    // bias = add(column constant, rest) after the folds, or all run-time.
    Value own, rest = op.getBias();
    if (auto add = op.getBias().getDefiningOp<AddOp>())
      for (int side = 0; side < 2; ++side)
        if (isColumnBias(add->getOperand(side), type.getDimSize(1))) {
          own = add->getOperand(side);
          rest = add->getOperand(1 - side);
        }
    OpBuilder b(op);
    auto layer = MatmulOp::create(b, op.getLoc(), type, op.getLhs(),
                                  op.getRhs(), own, nullptr, nullptr);
    Value sum = AddOp::create(b, op.getLoc(), layer, rest);
    op.replaceAllUsesWith(sum);
    op.erase();
  }
}

bool mlir::yz::isActivationMatmul(Operation *op) {
  auto matmul = dyn_cast<MatmulOp>(op);
  if (!matmul || matmul.getBias() || matmul.getClampMin() ||
      matmul.getClampMax())
    return false;
  auto lhs = cast<RankedTensorType>(matmul.getLhs().getType());
  auto rhs = cast<RankedTensorType>(matmul.getRhs().getType());
  if (!lhs.getElementType().isF32() || !rhs.getElementType().isF32() ||
      !lhs.hasStaticShape() || !rhs.hasStaticShape() ||
      readConstant(matmul.getLhs()) || readConstant(matmul.getRhs()))
    return false;
  return lhs.getRank() == rhs.getRank() &&
         (lhs.getRank() == 2 ||
          (lhs.getRank() == 3 && lhs.getDimSize(0) == rhs.getDimSize(0)));
}

bool mlir::yz::isQuantizable(Operation *op) {
  return isa<Conv2DOp, MatmulOp>(op) && asLayer(op).has_value();
}
