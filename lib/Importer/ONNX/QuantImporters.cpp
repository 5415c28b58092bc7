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

/// The scales (input 1) and zero points (input 2, 0 if absent) of
/// QuantizeLinear / DequantizeLinear: one each, or one per slice of `axis`,
/// or one per block. The zero points are int8 (activations), or with
/// `dataType`, constants of that type (dequantized constant data).
struct QdqParams {
  std::vector<float> scales;
  SmallVector<int64_t> scaleShape;
  std::vector<int64_t> zeroPoints;
};

FailureOr<QdqParams> qdqParams(NodeContext &ctx, bool needZeroPoint,
                               Type dataType = {}) {
  QdqParams p;
  auto scale = ctx.constant(1);
  if (!scale || !scale->type.getElementType().isF32() || !scale->size())
    return ctx.fail("the scale must be an f32 constant");
  p.scales.assign(scale->as<float>(), scale->as<float>() + scale->size());
  p.scaleShape.assign(scale->type.getShape().begin(),
                      scale->type.getShape().end());
  if (Value zp = ctx.input(2)) {
    auto data = ctx.constantInts(2);
    Type zt = typeOf(zp).getElementType();
    if (dataType && (!data || zt != dataType))
      return ctx.fail("the zero point must be a constant of the input's "
                      "type");
    if (!dataType && (!data || !zt.isSignlessInteger(8)))
      return ctx.fail("the zero point must be an int8 constant (uint8 QDQ "
                      "models are not supported: quantize activations to "
                      "int8)");
    p.zeroPoints = *data;
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

/// ONNX's INT8 element type (output_dtype's value for int8).
constexpr int64_t kOnnxInt8 = 3;

LogicalResult quantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  // Opset 21: output_dtype gives the type when the zero point is absent.
  int64_t dtype = ctx.intAttr("output_dtype", 0);
  if (dtype != 0 && dtype != kOnnxInt8)
    return ctx.fail("output_dtype " + std::to_string(dtype) +
                    " is not supported (activations are quantized to int8)");
  auto p = qdqParams(ctx, /*needZeroPoint=*/dtype != kOnnxInt8);
  if (failed(p))
    return failure();
  (void)ctx.intAttr("axis", 1); // a single scale applies to every axis
  (void)ctx.intAttr("block_size", 0); // likewise
  ctx.ignoreAttr("saturate", "it only applies to float8 outputs");
  if (int64_t precision = ctx.intAttr("precision", 0);
      precision != 0 && precision != 1)
    return ctx.fail("precision must be float (the division is in f32)");
  if (p->scales.size() != 1)
    return ctx.fail("per-axis or blocked QuantizeLinear is not supported "
                    "(activations are quantized per tensor)");
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

/// Which scale each element of `shape` uses: one for all (a scale of one
/// element), one per slice of `axis` (a 1-D scale), or (opset 21) one per
/// block of `block` consecutive elements along `axis` (a scale of the
/// input's rank).
FailureOr<std::vector<int64_t>> scaleIndices(NodeContext &ctx,
                                             ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> scaleShape,
                                             int64_t axis, int64_t block) {
  int64_t rank = shape.size(), n = 1, scales = 1;
  for (int64_t d : shape)
    n *= d;
  for (int64_t d : scaleShape)
    scales *= d;
  std::vector<int64_t> index(n, 0);
  if (block == 0 && scales == 1 && scaleShape.size() <= 1)
    return index;
  int64_t given = axis;
  if (!normalizeAxis(axis, rank))
    return ctx.fail("axis " + std::to_string(given) + " is out of range");
  if (block == 0) {
    if (scaleShape.size() != 1 || scaleShape[0] != shape[axis])
      return ctx.fail("per-axis scales must be 1-D of the size of dimension " +
                      std::to_string(given) + " (" +
                      std::to_string(shape[axis]) + ")");
  } else {
    if (block < 0)
      return ctx.fail("block_size must be positive");
    bool fits = int64_t(scaleShape.size()) == rank;
    for (int64_t d = 0; fits && d < rank; ++d)
      fits = scaleShape[d] == (d == axis ? (shape[d] + block - 1) / block
                                         : shape[d]);
    if (!fits)
      return ctx.fail("blocked scales must have the input's shape with "
                      "dimension " + std::to_string(given) +
                      " divided into blocks of " + std::to_string(block));
  }
  for (int64_t i = 0; i < n; ++i) {
    // The element's index, with its block's along `axis`, in the scale.
    int64_t rest = i, at = 0, stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t coord = rest % shape[d];
      rest /= shape[d];
      if (block == 0) {
        if (d == axis)
          at = coord;
        continue;
      }
      at += (d == axis ? coord / block : coord) * stride;
      stride *= scaleShape[d];
    }
    index[i] = at;
  }
  return index;
}

/// DequantizeLinear: of an int8 activation, yz.dequantize; of constant
/// integer data (weights and biases, per tensor, per axis or, opset 21,
/// per block; int4 weights arrive widened to 8 bits), the f32 values,
/// computed here as ONNX defines them ((q - zero point) x scale in f32) -
/// yz-quantize fuses QDQ convolutions and recovers the weights' int8 grid.
LogicalResult dequantizeLinear(NodeContext &ctx) {
  Value x = ctx.input(0);
  RankedTensorType type = typeOf(x);
  int64_t axis = ctx.intAttr("axis", 1);
  int64_t block = ctx.intAttr("block_size", 0);
  Type elt = type.getElementType();
  std::optional<std::vector<int64_t>> data =
      isa<IntegerType>(elt) && !elt.isInteger(1) ? ctx.constantInts(0)
                                                 : std::nullopt;
  if (!data) {
    auto p = qdqParams(ctx, /*needZeroPoint=*/false);
    if (failed(p))
      return failure();
    if (!elt.isSignlessInteger(8))
      return ctx.fail("needs an int8 input (or constant integer data)");
    if (p->scales.size() != 1 || block != 0)
      return ctx.fail("per-axis or blocked DequantizeLinear needs constant "
                      "data");
    auto y = ctx.createTyped<yz::DequantizeOp>(
        type.clone(ctx.b.getF32Type()), x, ctx.b.getF32FloatAttr(p->scales[0]),
        ctx.b.getI64IntegerAttr(p->zeroPoints[0]));
    if (failed(y))
      return failure();
    ctx.setOutput(0, *y);
    return success();
  }
  auto p = qdqParams(ctx, /*needZeroPoint=*/false, elt);
  if (failed(p))
    return failure();
  auto index = scaleIndices(ctx, type.getShape(), p->scaleShape, axis, block);
  if (failed(index))
    return failure();
  std::vector<float> values(data->size());
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t c = (*index)[i];
    values[i] = (float((*data)[i]) - float(p->zeroPoints[c])) * p->scales[c];
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
  r.op("QuantizeLinear", 19, quantizeLinear, {{2, 3, 1, 1, "axis:i saturate:i"}});
  r.op("QuantizeLinear", 21, quantizeLinear,
       {{2, 3, 1, 1, "axis:i block_size:i output_dtype:i saturate:i"}});
  r.op("QuantizeLinear", 23, quantizeLinear,
       {{2, 3, 1, 1,
         "axis:i block_size:i output_dtype:i precision:i saturate:i"}});
  r.op("DequantizeLinear", 10, dequantizeLinear);
  r.op("DequantizeLinear", 21, dequantizeLinear,
       {{2, 3, 1, 1, "axis:i block_size:i"}});
}
