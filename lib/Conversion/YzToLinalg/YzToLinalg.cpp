//===- YzToLinalg.cpp - lower yz ops to linalg on tensors -----------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/YzToLinalg/YzToLinalg.h"

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_CONVERTYZTOLINALG
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// The indexing map that reads an operand of `shape` while iterating over
/// the `resultShape` space (plus `extraDims` trailing loop dimensions, which
/// the operand does not index): numpy broadcasting, aligned at the right, a
/// size-1 dimension against a larger one reads index 0.
AffineMap broadcastMap(ArrayRef<int64_t> shape, ArrayRef<int64_t> resultShape,
                       unsigned extraDims, MLIRContext *ctx) {
  unsigned rank = resultShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [j, size] : llvm::enumerate(shape)) {
    unsigned i = j + rank - shape.size();
    exprs.push_back(size == 1 && resultShape[i] != 1
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(i, ctx));
  }
  return AffineMap::get(rank + extraDims, 0, exprs, ctx);
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type, zeroOf(b, loc, type.getElementType()));
}

/// Converts a scalar between element types with ONNX Cast semantics:
/// floats truncate toward zero into integers, i1 is boolean (0/1).
Value convertElement(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromInt = dyn_cast<IntegerType>(from), toInt = dyn_cast<IntegerType>(to);
  if (toInt && toInt.getWidth() == 1) {
    if (fromInt)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                   arith::ConstantOp::create(
                                       b, loc, b.getZeroAttr(from)));
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                 arith::ConstantOp::create(
                                     b, loc, b.getZeroAttr(from)));
  }
  bool boolean = fromInt && fromInt.getWidth() == 1;
  if (fromInt && toInt) {
    if (toInt.getWidth() < fromInt.getWidth())
      return arith::TruncIOp::create(b, loc, to, v);
    if (boolean)
      return arith::ExtUIOp::create(b, loc, to, v);
    return arith::ExtSIOp::create(b, loc, to, v);
  }
  if (fromInt) // to float
    return boolean ? Value(arith::UIToFPOp::create(b, loc, to, v))
                   : Value(arith::SIToFPOp::create(b, loc, to, v));
  if (toInt) // from float
    return arith::FPToSIOp::create(b, loc, to, v);
  if (to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// Widens (sign-extends or float-extends) `v` to `type` inside a body.
Value widen(OpBuilder &b, Location loc, Value v, Type type) {
  if (v.getType() == type)
    return v;
  if (isa<FloatType>(type))
    return arith::ExtFOp::create(b, loc, type, v);
  return arith::ExtSIOp::create(b, loc, type, v);
}

struct ConstantLowering : OpConversionPattern<yz::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getValue());
    return success();
  }
};

struct MatmulLowering : OpConversionPattern<yz::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value init = zeroFilled(rewriter, loc, resultType);
    SmallVector<Value> ins = {adaptor.getLhs(), adaptor.getRhs()};

    Value product = multiply(rewriter, op, ins, init);
    rewriter.replaceOp(op, applyEpilogue(rewriter, loc, product,
                                         adaptor.getBias(),
                                         op.getClampMinAttr(),
                                         op.getClampMaxAttr()));
    return success();
  }

  Value multiply(ConversionPatternRewriter &rewriter, yz::MatmulOp op,
                 ValueRange ins, Value init) const {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    if (resultType.getRank() == 2) {
      auto matmul =
          linalg::MatmulOp::create(rewriter, loc, resultType, ins, init);
      // Placement decisions travel with the op through bufferization.
      if (Attribute placement = op->getAttr(kPlacementAttr))
        matmul->setAttr(kPlacementAttr, placement);
      return matmul.getResult(0);
    }
    if (resultType.getRank() == 3 && lhsType.getRank() == 3 &&
        rhsType.getRank() == 3 &&
        lhsType.getShape()[0] == rhsType.getShape()[0]) {
      auto matmul = linalg::BatchMatmulOp::create(rewriter, loc, resultType,
                                                  ins, init);
      if (Attribute placement = op->getAttr(kPlacementAttr))
        matmul->setAttr(kPlacementAttr, placement);
      return matmul.getResult(0);
    }

    // Broadcast batch dimensions: a generic over (batch..., m, n, k).
    MLIRContext *ctx = getContext();
    unsigned rank = resultType.getRank(), batch = rank - 2;
    ArrayRef<int64_t> batchShape = resultType.getShape().take_front(batch);
    AffineExpr m = getAffineDimExpr(batch, ctx),
               n = getAffineDimExpr(batch + 1, ctx),
               k = getAffineDimExpr(batch + 2, ctx);
    auto operandMap = [&](RankedTensorType type, AffineExpr row,
                          AffineExpr col) {
      AffineMap map = broadcastMap(type.getShape().drop_back(2), batchShape,
                                   3, ctx);
      SmallVector<AffineExpr> exprs(map.getResults());
      exprs.push_back(row);
      exprs.push_back(col);
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (unsigned i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps = {operandMap(lhsType, m, k),
                                   operandMap(rhsType, k, n),
                                   AffineMap::get(rank + 1, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Type acc = resultType.getElementType();
    return linalg::GenericOp::create(
        rewriter, loc, resultType, ins, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value a = widen(b, l, args[0], acc), c = widen(b, l, args[1], acc);
          Value sum;
          if (isa<FloatType>(acc))
            sum = arith::AddFOp::create(
                b, l, args[2], arith::MulFOp::create(b, l, a, c));
          else
            sum = arith::AddIOp::create(
                b, l, args[2], arith::MulIOp::create(b, l, a, c));
          linalg::YieldOp::create(b, l, sum);
        })
        .getResult(0);
  }
};

/// An elementwise op over the broadcast result space; `build` computes one
/// result element from the operand elements.
template <typename SourceOp>
struct ElementwiseLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OpAdaptor = typename SourceOp::Adaptor;

  virtual Value build(OpBuilder &b, Location loc, ValueRange args) const {
    llvm_unreachable("elementwise lowering without a body");
  }
  /// Ops whose body depends on the result element type override this one.
  virtual Value build(OpBuilder &b, Location loc, ValueRange args,
                      Type resultElement) const {
    return build(b, loc, args);
  }
  /// Ops whose body reads their attributes override this one.
  virtual Value build(SourceOp op, OpBuilder &b, Location loc, ValueRange args,
                      Type resultElement) const {
    return build(b, loc, args, resultElement);
  }

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = op.getContext();
    SmallVector<AffineMap> maps;
    for (Value operand : op->getOperands())
      maps.push_back(broadcastMap(
          cast<RankedTensorType>(operand.getType()).getShape(),
          resultType.getShape(), 0, ctx));
    maps.push_back(
        AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         resultType.getShape(),
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                               utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, resultType, adaptor.getOperands(), init, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc,
                                  build(op, b, loc, args.drop_back(),
                                        args.back().getType()));
        });
    return success();
  }
};

template <typename SourceOp, typename FloatOp, typename IntOp>
struct BinaryLowering : ElementwiseLowering<SourceOp> {
  using ElementwiseLowering<SourceOp>::ElementwiseLowering;
  Value build(OpBuilder &b, Location loc, ValueRange args) const override {
    if (isa<FloatType>(args[0].getType()))
      return FloatOp::create(b, loc, args[0], args[1]);
    return IntOp::create(b, loc, args[0], args[1]);
  }
};

/// A float op whose body is one function of its element.
template <typename SourceOp>
struct UnaryFloatLowering : ElementwiseLowering<SourceOp> {
  using BodyFn = Value (*)(OpBuilder &, Location, Value);
  UnaryFloatLowering(MLIRContext *ctx, BodyFn body)
      : ElementwiseLowering<SourceOp>(ctx), body(body) {}
  BodyFn body;
  Value build(OpBuilder &b, Location loc, ValueRange args) const override {
    return body(b, loc, args[0]);
  }
};

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

struct TransposeLowering : OpConversionPattern<yz::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         type.getShape(), type.getElementType());
    rewriter.replaceOpWithNewOp<linalg::TransposeOp>(
        op, adaptor.getInput(), init, op.getPerm());
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<yz::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto shapeType =
        RankedTensorType::get({type.getRank()}, rewriter.getI64Type());
    Value shape = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        DenseIntElementsAttr::get(shapeType, type.getShape()));
    rewriter.replaceOpWithNewOp<tensor::ReshapeOp>(op, type,
                                                   adaptor.getInput(), shape);
    return success();
  }
};

struct ReluLowering : ElementwiseLowering<yz::ReluOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value build(OpBuilder &b, Location loc, ValueRange args) const override {
    Type type = args[0].getType();
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
    if (isa<FloatType>(type))
      return arith::MaximumFOp::create(b, loc, args[0], zero);
    return arith::MaxSIOp::create(b, loc, args[0], zero);
  }
};

struct IdentityLowering : OpConversionPattern<yz::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// The broadcast is all in the indexing map; the body copies.
struct BroadcastToLowering : ElementwiseLowering<yz::BroadcastToOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value build(OpBuilder &, Location, ValueRange args) const override {
    return args[0];
  }
};

struct CastLowering : ElementwiseLowering<yz::CastOp> {
  using ElementwiseLowering::ElementwiseLowering;
  using ElementwiseLowering::build;
  Value build(OpBuilder &b, Location loc, ValueRange args,
              Type resultElement) const override {
    return convertElement(b, loc, args[0], resultElement);
  }
};

/// f32 -> i8 as ONNX QuantizeLinear: x / scale, then roundToI8.
struct QuantizeLowering : ElementwiseLowering<yz::QuantizeOp> {
  using ElementwiseLowering::ElementwiseLowering;
  using ElementwiseLowering::build;
  Value build(yz::QuantizeOp op, OpBuilder &b, Location loc, ValueRange args,
              Type) const override {
    Value x = args[0];
    if (!x.getType().isF32())
      x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    Value scale = floatConstant(b, loc, b.getF32Type(),
                                op.getScale().convertToFloat());
    Value v = arith::DivFOp::create(b, loc, x, scale);
    return roundToI8(b, loc, v, op.getZeroPointAttr().getInt(), -128, 127);
  }
};

/// i8 -> float: (q - zero_point) * scale, in f32.
struct DequantizeLowering : ElementwiseLowering<yz::DequantizeOp> {
  using ElementwiseLowering::ElementwiseLowering;
  using ElementwiseLowering::build;
  Value build(yz::DequantizeOp op, OpBuilder &b, Location loc, ValueRange args,
              Type resultElement) const override {
    Type f32 = b.getF32Type();
    Value q = arith::SIToFPOp::create(b, loc, f32, args[0]);
    q = arith::SubFOp::create(
        b, loc, q,
        floatConstant(b, loc, f32, double(op.getZeroPointAttr().getInt())));
    Value v = arith::MulFOp::create(
        b, loc, q, floatConstant(b, loc, f32, op.getScale().convertToFloat()));
    if (resultElement != f32)
      v = arith::TruncFOp::create(b, loc, resultElement, v);
    return v;
  }
};

struct SelectLowering : ElementwiseLowering<yz::SelectOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value build(OpBuilder &b, Location loc, ValueRange args) const override {
    return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
  }
};

template <typename SourceOp, arith::CmpFPredicate F, arith::CmpIPredicate I>
struct CompareLowering : ElementwiseLowering<SourceOp> {
  using ElementwiseLowering<SourceOp>::ElementwiseLowering;
  Value build(OpBuilder &b, Location loc, ValueRange args) const override {
    if (isa<FloatType>(args[0].getType()))
      return arith::CmpFOp::create(b, loc, F, args[0], args[1]);
    return arith::CmpIOp::create(b, loc, I, args[0], args[1]);
  }
};

struct ConvertYzToLinalgPass
    : yz::impl::ConvertYzToLinalgBase<ConvertYzToLinalgPass> {
  void runOnOperation() override {
    // Name every dynamic shape up front: the lowering needs static ones.
    bool dynamic = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<YzDialect>(op->getDialect()))
        return;
      if (auto pow = dyn_cast<yz::PowOp>(op);
          pow && !isa<FloatType>(getElementTypeOrSelf(pow.getType()))) {
        pow.emitError("yz.pow is lowered for floats only");
        dynamic = true;
      }
      for (Type type : op->getResultTypes())
        if (auto shaped = dyn_cast<ShapedType>(type);
            shaped && !shaped.hasStaticShape()) {
          op->emitError("cannot lower '")
              << op->getName() << "' with dynamic shape " << type
              << ": give static input shapes";
          dynamic = true;
        }
    });
    if (dynamic)
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<YzDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateYzToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::yz::populateYzToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  populateYzNNToLinalgPatterns(patterns);
  populateYzQuantToLinalgPatterns(patterns);
  patterns.add<ConstantLowering, MatmulLowering, ReluLowering,
               TransposeLowering, ReshapeLowering, IdentityLowering,
               QuantizeLowering, DequantizeLowering,
               BroadcastToLowering, CastLowering, SelectLowering,
               CompareLowering<yz::EqualOp, arith::CmpFPredicate::OEQ,
                               arith::CmpIPredicate::eq>,
               CompareLowering<yz::LessOp, arith::CmpFPredicate::OLT,
                               arith::CmpIPredicate::slt>,
               CompareLowering<yz::LessEqualOp, arith::CmpFPredicate::OLE,
                               arith::CmpIPredicate::sle>,
               CompareLowering<yz::GreaterOp, arith::CmpFPredicate::OGT,
                               arith::CmpIPredicate::sgt>,
               CompareLowering<yz::GreaterEqualOp, arith::CmpFPredicate::OGE,
                               arith::CmpIPredicate::sge>,
               BinaryLowering<yz::AddOp, arith::AddFOp, arith::AddIOp>,
               BinaryLowering<yz::SubOp, arith::SubFOp, arith::SubIOp>,
               BinaryLowering<yz::MulOp, arith::MulFOp, arith::MulIOp>,
               BinaryLowering<yz::DivOp, arith::DivFOp, arith::DivSIOp>,
               BinaryLowering<yz::PowOp, math::PowFOp, arith::MulIOp>,
               BinaryLowering<yz::MaxOp, arith::MaximumFOp, arith::MaxSIOp>,
               BinaryLowering<yz::MinOp, arith::MinimumFOp, arith::MinSIOp>>(
      ctx);
  using B = OpBuilder &;
  using L = Location;
  patterns.add<UnaryFloatLowering<yz::TanhOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::TanhOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::ErfOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::ErfOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::ExpOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::ExpOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::LogOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::LogOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::SqrtOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::SqrtOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::AbsOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return math::AbsFOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::NegOp>>(
      ctx, +[](B b, L l, Value x) -> Value { return arith::NegFOp::create(b, l, x); });
  patterns.add<UnaryFloatLowering<yz::ReciprocalOp>>(
      ctx, +[](B b, L l, Value x) -> Value {
        return arith::DivFOp::create(b, l, floatConstant(b, l, x.getType(), 1.0), x);
      });
  patterns.add<UnaryFloatLowering<yz::SigmoidOp>>(
      ctx, +[](B b, L l, Value x) -> Value {
        Value one = floatConstant(b, l, x.getType(), 1.0);
        Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
        return arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, e));
      });
}
