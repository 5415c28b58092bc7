//===- QuantImporters.cpp - ONNX QuantizeLinear/DequantizeLinear -> yz ----===//
//
// Part of Yizhuang. QDQ models: int8, per-tensor activations, constant
// parameters; constant weights and biases are dequantized here, and
// yz-quantize fuses dequantize -> conv -> quantize (docs/quantization.md).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ModelSignature.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// The scales (input 1) and the int8 zero points (input 2, 0 if absent) of
/// QuantizeLinear / DequantizeLinear: one each, or one per slice of `axis`.
struct QdqParams {
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
};

FailureOr<QdqParams> qdqParams(NodeContext &ctx, bool needZeroPoint) {
  QdqParams p;
  auto scale = ctx.constant(1);
  if (!scale || !scale->type.getElementType().isF32() || !scale->size())
    return ctx.fail("the scale must be an f32 constant");
  p.scales.assign(scale->as<float>(), scale->as<float>() + scale->size());
  if (Value zp = ctx.input(2)) {
    auto data = ctx.constant(2);
    if (!typeOf(zp).getElementType().isSignlessInteger(8) || !data)
      return ctx.fail("the zero point must be an int8 constant (uint8 QDQ "
                      "models are not supported: quantize activations to "
                      "int8)");
    for (int64_t i = 0; i < data->size(); ++i)
      p.zeroPoints.push_back(data->as<int8_t>()[i]);
  } else if (needZeroPoint) {
    return ctx.fail("needs an int8 zero point (without one the output is "
                    "uint8, which is not supported)");
  } else {
    p.zeroPoints.assign(p.scales.size(), 0);
  }
  if (p.zeroPoints.size() != p.scales.size())
    return ctx.fail("scale and zero point differ in size");
  for (float scale : p.scales)
    if (!(scale > 0) || std::isinf(scale))
      return ctx.fail("scales must be positive and finite");
  return p;
}

LogicalResult quantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto p = qdqParams(ctx, /*needZeroPoint=*/true);
  if (failed(p))
    return failure();
  (void)ctx.intAttr("axis", 1); // a single scale applies to every axis
  if (p->scales.size() != 1)
    return ctx.fail("per-axis QuantizeLinear is not supported (activations "
                    "are quantized per tensor)");
  if (!typeOf(x).getElementType().isF32())
    return ctx.fail("needs an f32 input");
  auto y = ctx.createTyped<yz::QuantizeOp>(
      typeOf(x).clone(ctx.b.getI8Type()), x,
      ctx.b.getF32FloatAttr(p->scales[0]),
      ctx.b.getI64IntegerAttr(p->zeroPoints[0]));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// DequantizeLinear: of an int8 activation, yz.dequantize; of constant
/// int8 weights or int32 biases (per tensor or per axis), the f32 values,
/// computed here as ONNX defines them ((q - zero point) x scale in f32) -
/// yz-quantize fuses QDQ convolutions and recovers the weights' int8 grid.
LogicalResult dequantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  RankedTensorType type = typeOf(x);
  auto p = qdqParams(ctx, /*needZeroPoint=*/false);
  if (failed(p))
    return failure();
  int64_t axis = ctx.intAttr("axis", 1);
  std::optional<ConstantData> data = ctx.constant(0);
  Type elt = type.getElementType();
  bool i8 = elt.isSignlessInteger(8), i32 = elt.isSignlessInteger(32);
  if (!data || !(i8 || i32)) {
    if (!i8)
      return ctx.fail("needs an int8 input (or constant int8 or int32 data)");
    if (p->scales.size() != 1)
      return ctx.fail("per-axis DequantizeLinear needs constant data");
    auto y = ctx.createTyped<yz::DequantizeOp>(
        type.clone(ctx.b.getF32Type()), x, ctx.b.getF32FloatAttr(p->scales[0]),
        ctx.b.getI64IntegerAttr(p->zeroPoints[0]));
    if (failed(y))
      return failure();
    ctx.setOutput(0, *y);
    return success();
  }
  int64_t rank = type.getRank(), n = type.getNumElements(), inner = 1, dim = 1;
  if (p->scales.size() > 1) {
    int64_t given = axis;
    if (!normalizeAxis(axis, rank) ||
        type.getDimSize(axis) != int64_t(p->scales.size()))
      return ctx.fail("per-axis scales must match the size of dimension " +
                      std::to_string(given));
    dim = type.getDimSize(axis);
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= type.getDimSize(d);
  }
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i) {
    size_t c = p->scales.size() > 1 ? size_t((i / inner) % dim) : 0;
    int64_t q = i8 ? int64_t(data->as<int8_t>()[i])
                   : int64_t(data->as<int32_t>()[i]);
    values[i] = (float(q) - float(p->zeroPoints[c])) * p->scales[c];
  }
  ctx.setOutput(0, makeConstant(
                       ctx.b, ctx.loc, type.clone(ctx.b.getF32Type()),
                       ArrayRef<char>(reinterpret_cast<char *>(values.data()),
                                      values.size() * 4),
                       sanitizeIdentifier(ctx.node.input(0) + "_dequantized")));
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerQuantImporters(Registry &r) {
  r.op("QuantizeLinear", 10, quantizeLinear);
  r.op("DequantizeLinear", 10, dequantizeLinear);
}
