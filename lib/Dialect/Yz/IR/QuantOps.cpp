//===- QuantOps.cpp - int8 quantization -----------------------------------===//
//
// Part of Yizhuang. Verifiers and the int8 convolution's inference; the
// arithmetic of quantize and dequantize is their `scalar` in YzQuantOps.td.
//
//===----------------------------------------------------------------------===//

#include "ConvInference.h"

#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yz;

LogicalResult QConv2DOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Builder b(ctx);
  return inferConvType(loc, "yz.qconv2d", adaptor, b.getI32Type(),
                       b.getI8Type(), types);
}

/// An i8 zero point or clamp bound.
static LogicalResult verifyI8(Operation *op, StringRef name, int64_t v) {
  if (v < -128 || v > 127)
    return op->emitOpError() << name << " = " << v << " is not an i8";
  return success();
}

static LogicalResult verifyScale(Operation *op, StringRef name, float s) {
  if (!(s > 0) || std::isinf(s))
    return op->emitOpError() << name << " must be positive and finite, got "
                             << s;
  return success();
}

/// yz.quantize and yz.dequantize: a usable scale, an i8 zero point.
template <typename QuantOp> static LogicalResult verifyQuantParams(QuantOp op) {
  return failure(
      failed(verifyScale(op, "scale", op.getScale().convertToFloat())) ||
      failed(verifyI8(op, "zero_point", op.getZeroPointAttr().getInt())));
}

LogicalResult QuantizeOp::verify() { return verifyQuantParams(*this); }
LogicalResult DequantizeOp::verify() { return verifyQuantParams(*this); }

LogicalResult QConv2DOp::verify() {
  // I64Attr getters are unsigned: read the attributes' signed values.
  int64_t lo = getClampMinAttr().getInt(), hi = getClampMaxAttr().getInt();
  for (auto [name, v] :
       {std::pair<StringRef, int64_t>{"input_zero_point",
                                      getInputZeroPointAttr().getInt()},
        {"output_zero_point", getOutputZeroPointAttr().getInt()},
        {"clamp_min", lo},
        {"clamp_max", hi}})
    if (failed(verifyI8(*this, name, v)))
      return failure();
  if (lo > hi)
    return emitOpError("clamp_min ") << lo << " is above clamp_max " << hi;
  int64_t f = cast<RankedTensorType>(getType()).getDimSize(1);
  ArrayRef<float> m = getMultipliers();
  if (m.size() != 1 && int64_t(m.size()) != f)
    return emitOpError("needs 1 or ")
           << f << " (one per output channel) multipliers, got " << m.size();
  for (float v : m)
    if (failed(verifyScale(*this, "every multiplier", v)))
      return failure();
  return success();
}

uint64_t QConv2DOp::getMacCount() { return convMacs(getFilter(), getResult()); }

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzQuantOps.cpp.inc"
