//===- ApproximateMath.cpp - f32 transcendental functions as polynomials --===//
//
// Part of Yizhuang. libm's expf and friends are scalar calls, so a loop
// applying them stays scalar; upstream MLIR's polynomial approximations are
// arithmetic that vectorizes, accurate to a few ulp over f32's range.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include <cmath>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZAPPROXIMATEMATH
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {

// The functions the yz dialect's ops apply (activations, softmax, log). Not
// log1p: upstream's returns 0 for inputs below f32's epsilon.
constexpr llvm::StringLiteral kApproximated[] = {"math.exp", "math.tanh",
                                                  "math.erf", "math.log"};

/// The approximation of log takes subnormal inputs for the smallest normal
/// (log(1e-38) would be off by 0.2): scale them by 2^23 into the normal
/// range, and take 23 ln 2 off the result.
void keepSubnormalsInLog(math::LogOp log) {
  Type t = log.getType();
  if (!getElementTypeOrSelf(t).isF32())
    return;
  OpBuilder b(log);
  Location loc = log.getLoc();
  auto cst = [&](float v) -> Value {
    TypedAttr a = b.getF32FloatAttr(v);
    if (auto vt = dyn_cast<VectorType>(t))
      a = SplatElementsAttr::get(vt, a);
    return arith::ConstantOp::create(b, loc, t, a);
  };
  Value x = log.getOperand();
  Value sub = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                    cst(0x1p-126f));
  Value scaled = arith::MulFOp::create(b, loc, x, cst(0x1p23f));
  log.getOperandMutable().assign(
      arith::SelectOp::create(b, loc, sub, scaled, x));
  b.setInsertionPointAfter(log);
  auto shifted = arith::SubFOp::create(b, loc, log, cst(23 * M_LN2));
  auto r = arith::SelectOp::create(b, loc, sub, shifted, log);
  log.getResult().replaceAllUsesExcept(
      r, SmallPtrSet<Operation *, 2>{shifted, r});
}

struct ApproximateMath
    : yz::impl::YzApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    auto approximated = [](StringRef name) {
      return llvm::is_contained(kApproximated, name);
    };
    getOperation()->walk(keepSubnormalsInLog);
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
