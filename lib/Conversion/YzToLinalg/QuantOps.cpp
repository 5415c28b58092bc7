//===- QuantOps.cpp - yz.qconv2d -> linalg --------------------------------===//
//
// Part of Yizhuang. The CPU form of the int8 convolution, with the same
// arithmetic as the NPU's DMA out (f32 multiply, round half to even, add the
// zero point, clamp): a model gives the same bits on the CPU and on the NPU.
// The input zero point's share of the sums is folded into the bias when the
// weights are constant.
// (quantize and dequantize are elementwise lowerings in YzToLinalg.cpp.)
//
//===----------------------------------------------------------------------===//

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

namespace {

Value f32Constant(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(float(v)));
}

} // namespace

namespace {

/// An elementwise linalg.generic over `inputs` (each with its own indexing
/// map) into a fresh tensor of `type`.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

/// bias[f] - zp * sum of filter f's weights, as a constant, when the
/// filter and the bias (if any) are constants and zp is not 0.
std::optional<Value> foldZeroPointIntoBias(OpBuilder &b, yz::QConv2DOp op,
                                           int64_t zp) {
  if (zp == 0)
    return std::nullopt;
  auto weights = readInts(op.getFilter());
  std::optional<std::vector<int64_t>> bias;
  if (op.getBias() && !(bias = readInts(op.getBias())))
    return std::nullopt;
  if (!weights)
    return std::nullopt;
  int64_t f = cast<RankedTensorType>(op.getFilter().getType()).getDimSize(0);
  int64_t per = int64_t(weights->size()) / f;
  std::vector<int32_t> folded(f);
  for (int64_t i = 0; i < f; ++i) {
    int64_t sum = 0;
    for (int64_t k = 0; k < per; ++k)
      sum += (*weights)[i * per + k];
    folded[i] = int32_t((bias ? (*bias)[i] : 0) - zp * sum);
  }
  auto type = RankedTensorType::get({f}, b.getI32Type());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(folded.data()),
                       folded.size() * sizeof(int32_t));
  return arith::ConstantOp::create(b, op.getLoc(),
                                   makeElements(type, bytes, "bias"))
      .getResult();
}

struct QConv2DLowering : OpConversionPattern<yz::QConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::QConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = loweredTensorType(op.getType());
    auto accType = type.clone(rewriter.getI32Type());
    int64_t izp = op.getInputZeroPointAttr().getInt();
    // Padding is the input's zero point: it contributes (zp - zp) * w = 0.
    Value x = padHW(rewriter, loc, adaptor.getInput(), op.getPads(),
                      arith::ConstantOp::create(
                          rewriter, loc, rewriter.getI8IntegerAttr(izp)));
    Value bias = adaptor.getBias();
    // sum (x - zp) w = sum x w - zp sum w: with constant weights (and
    // bias), the zero point's share goes into the bias at compile time and
    // the convolution needs no zero point (on the CPU strategies, a plain
    // int8 matmul).
    if (std::optional<Value> folded = foldZeroPointIntoBias(rewriter, op, izp))
      bias = *folded, izp = 0;
    Value zps[] = {arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getI32IntegerAttr(izp)),
                   arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getI32IntegerAttr(0))};
    Value acc = convolveNCHW(rewriter, loc, x, adaptor.getFilter(), accType,
                             op.getStrides(), op.getDilations(),
                             op.getGroupsAttr().getInt(), zps);

    // Requantize: (acc + bias[f]) * multipliers[f], rounded, clamped.
    MLIRContext *ctx = getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(1, ctx));
    SmallVector<Value> inputs{acc};
    SmallVector<AffineMap> maps{identity};
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(channel);
    }
    ArrayRef<float> mult = op.getMultipliers();
    bool perChannel = mult.size() > 1;
    if (perChannel) {
      auto mType = RankedTensorType::get({int64_t(mult.size())},
                                         rewriter.getF32Type());
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(mType, mult)));
      maps.push_back(channel);
    }
    int64_t zp = op.getOutputZeroPointAttr().getInt(),
            lo = op.getClampMinAttr().getInt(),
            hi = op.getClampMaxAttr().getInt();
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, type, inputs, maps,
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          Value a = args[0];
                          if (bias)
                            a = arith::AddIOp::create(b, l, a, args[1]);
                          Value m = perChannel ? args.back()
                                               : f32Constant(b, l, mult[0]);
                          Value v = arith::SIToFPOp::create(
                              b, l, b.getF32Type(), a);
                          v = arith::MulFOp::create(b, l, v, m);
                          return roundToI8(b, l, v, zp, lo, hi);
                        }));
    return success();
  }
};

} // namespace

void mlir::yz::populateYzQuantToLinalgPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<QConv2DLowering>(converter, patterns.getContext());
}
