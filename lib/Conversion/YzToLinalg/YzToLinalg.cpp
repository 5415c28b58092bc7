//===- YzToLinalg.cpp - lower yz ops to linalg on tensors -----------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/YzToLinalg/YzToLinalg.h"

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "yz/Dialect/Yz/IR/ElementwiseBuilders.h"
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

/// Widens `v` (float-, sign- or zero-extends) to `type` inside a body.
Value widen(OpBuilder &b, Location loc, Value v, Type type, bool isUnsigned) {
  if (v.getType() == type)
    return v;
  if (isa<FloatType>(type))
    return arith::ExtFOp::create(b, loc, type, v);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, type, v);
  return arith::ExtSIOp::create(b, loc, type, v);
}

/// A constant's value with signless elements (the same bytes).
TypedAttr signless(ElementsAttr value) {
  auto type = loweredTensorType(value.getType());
  if (type == value.getType())
    return cast<TypedAttr>(value);
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.bitcast(type.getElementType());
  auto resource = cast<DenseResourceElementsAttr>(value);
  return DenseResourceElementsAttr::get(type, resource.getRawHandle());
}

struct ConstantLowering : OpConversionPattern<yz::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, signless(op.getValue()));
    return success();
  }
};

struct MatmulLowering : OpConversionPattern<yz::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = loweredTensorType(op.getType());
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
    auto resultType = loweredTensorType(op.getType());
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
          bool u = isUnsigned(op.getLhs());
          Value a = widen(b, l, args[0], acc, u),
                c = widen(b, l, args[1], acc, u);
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

/// Every elementwise op: a linalg.generic over the broadcast result space
/// whose body is the op's own buildScalar.
struct ElementwiseLowering
    : OpInterfaceConversionPattern<ElementwiseOpInterface> {
  using OpInterfaceConversionPattern::OpInterfaceConversionPattern;

  LogicalResult
  matchAndRewrite(ElementwiseOpInterface op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = loweredTensorType(op->getResult(0).getType());
    MLIRContext *ctx = op->getContext();
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
        op, resultType, operands, init, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc,
                                  op.buildScalar(b, loc, args.drop_back()));
        });
    return success();
  }
};

/// Composite ops become the simpler yz ops they stand for, which the same
/// conversion then lowers.
struct DecomposableLowering
    : OpInterfaceConversionPattern<DecomposableOpInterface> {
  DecomposableLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpInterfaceConversionPattern(converter, ctx) {
    // A composite may decompose into composites (layer norm into means).
    setHasBoundedRewriteRecursion();
  }

  LogicalResult
  matchAndRewrite(DecomposableOpInterface op, ArrayRef<Value>,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.decompose(rewriter));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<yz::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = loweredTensorType(op.getType());
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
    auto type = loweredTensorType(op.getType());
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

struct IdentityLowering : OpConversionPattern<yz::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
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

    TypeConverter converter;
    initLoweringTypeConverter(converter);
    ConversionTarget target(getContext());
    target.addIllegalDialect<YzDialect>();
    // Everything else is legal once no unsigned tensor is left in it.
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (auto func = dyn_cast<FunctionOpInterface>(op))
        return converter.isSignatureLegal(
            cast<FunctionType>(func.getFunctionType()));
      return converter.isLegal(op);
    });
    RewritePatternSet patterns(&getContext());
    populateYzToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

Type mlir::yz::loweredType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(loweredType(shaped.getElementType()));
  if (auto i = dyn_cast<IntegerType>(type); i && !i.isSignless())
    return IntegerType::get(type.getContext(), i.getWidth());
  return type;
}

RankedTensorType mlir::yz::loweredTensorType(Type type) {
  return cast<RankedTensorType>(loweredType(type));
}

void mlir::yz::initLoweringTypeConverter(TypeConverter &converter) {
  converter.addConversion([](Type type) { return loweredType(type); });
  // Values crossing a not-yet-converted boundary keep their bits.
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs,
                 Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs)
        .getResult(0);
  };
  converter.addSourceMaterialization(cast);
  converter.addTargetMaterialization(cast);
}

void mlir::yz::populateYzToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  populateYzNNToLinalgPatterns(converter, patterns);
  populateYzQuantToLinalgPatterns(converter, patterns);
  populateYzSelectionToLinalgPatterns(converter, patterns);
  populateYzIndexingToLinalgPatterns(converter, patterns);
  populateYzControlToLinalgPatterns(converter, patterns);
  patterns.add<ElementwiseLowering, DecomposableLowering>(converter, ctx);
  patterns.add<ConstantLowering, MatmulLowering, TransposeLowering,
               ReshapeLowering, IdentityLowering>(converter, ctx);
}
