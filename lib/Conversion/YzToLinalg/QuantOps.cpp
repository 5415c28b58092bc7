//===- QuantOps.cpp - yz.qconv2d -> linalg --------------------------------===//
//
// Part of Yizhuang. The CPU form of the int8 convolution, with the same
// arithmetic as the NPU's DMA out (f32 multiply, round half to even, add the
// zero point, clamp): a model gives the same bits on the CPU and on the NPU.
// (quantize and dequantize are elementwise lowerings in YzToLinalg.cpp.)
//
//===----------------------------------------------------------------------===//

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
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
    Value bias = adaptor.getBias();
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
