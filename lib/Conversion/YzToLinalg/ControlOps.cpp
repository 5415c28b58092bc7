//===- ControlOps.cpp - yz.loop -> scf.for --------------------------------===//
//
// Part of Yizhuang. The body moves into an scf.for whose induction variable
// becomes the step tensor; the body's yz ops are then lowered in place like
// any others, and yz.yield becomes scf.yield.
//
//===----------------------------------------------------------------------===//

#include "Helpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

namespace {

struct LoopLowering : OpConversionPattern<yz::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, op.getCount());
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(rewriter, loc, lb, ub, one,
                                   adaptor.getInits());
    Block *body = loop.getBody();
    // The builder adds a terminator when there is nothing to carry.
    if (!body->empty())
      rewriter.eraseOp(body->getTerminator());
    rewriter.setInsertionPointToStart(body);
    Value step = arith::IndexCastOp::create(rewriter, loc,
                                            rewriter.getI64Type(),
                                            loop.getInductionVar());
    Value stepTensor = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, rewriter.getI64Type()),
        step);
    SmallVector<Value> args = {stepTensor};
    llvm::append_range(args, loop.getRegionIterArgs());
    rewriter.mergeBlocks(&op.getBody().front(), body, args);
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct YieldLowering : OpConversionPattern<yz::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(yz::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, adaptor.getValues());
    return success();
  }
};

} // namespace

void mlir::yz::populateYzControlToLinalgPatterns(const TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<LoopLowering, YieldLowering>(converter, patterns.getContext());
}
