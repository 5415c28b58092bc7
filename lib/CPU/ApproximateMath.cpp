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
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
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

/// The f32 `v` as a constant of type `t` (a scalar or a vector splat).
Value f32Constant(OpBuilder &b, Location loc, Type t, double v) {
  return createScalarOrSplatConstant(b, loc, t, APFloat(static_cast<float>(v)));
}

/// The approximation of log takes subnormal inputs for the smallest normal
/// (log(1e-38) would be off by 0.2): scale them by 2^23 into the normal
/// range, and take 23 ln 2 off the result.
void keepSubnormalsInLog(math::LogOp log) {
  Type t = log.getType();
  if (!getElementTypeOrSelf(t).isF32())
    return;
  OpBuilder b(log);
  Location loc = log.getLoc();
  auto cst = [&](double v) { return f32Constant(b, loc, t, v); };
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

/// Whether `v` is the constant 0.5 (a scalar or a splat).
bool isHalf(Value v) {
  APFloat f(0.0f);
  return matchPattern(v, m_ConstantFloat(&f)) && f.isExactlyValue(0.5);
}

/// yz.sigmoid's body, 0.5 + 0.5 * tanh(x / 2) (`fma(tanh(x * 0.5), 0.5,
/// 0.5)`), as one rational function of x: upstream's approximation of tanh
/// is y * P(y^2) / Q(y^2) with y clamped to [-c, c] (Eigen's
/// generic_fast_tanh_float), so the sigmoid is 0.5 + x * P'(x^2) / Q'(x^2)
/// with P'(s) = P(s / 4) and Q'(s) = 4 Q(s / 4), x clamped to [-2c, 2c].
/// The coefficients differ by powers of 2, so each step of the evaluation
/// is the original's scaled exactly: the same results (but for |x| below
/// 0.0008, where tanh's approximation returns y itself and this the
/// rational, both 0.5 after rounding), from 4 fewer operations a vector
/// (x / 2, and the small-input test: an abs, a compare and a select).
void sigmoidAsRational(math::FmaOp fma) {
  auto tanh = fma.getA().getDefiningOp<math::TanhOp>();
  Type t = fma.getType();
  if (!tanh || !tanh->hasOneUse() || !getElementTypeOrSelf(t).isF32() ||
      !isHalf(fma.getB()) || !isHalf(fma.getC()))
    return;
  // x * 0.5 or 0.5 * x.
  auto half = tanh.getOperand().getDefiningOp<arith::MulFOp>();
  if (!half || !(isHalf(half.getRhs()) || isHalf(half.getLhs())))
    return;
  Value input = isHalf(half.getRhs()) ? half.getLhs() : half.getRhs();
  OpBuilder b(fma);
  Location loc = fma.getLoc();
  auto cst = [&](double v) { return f32Constant(b, loc, t, v); };
  // Clamped as upstream clamps tanh's input: a NaN stays NaN.
  auto bound = [&](Value v, arith::CmpFPredicate keep, double c) -> Value {
    Value cv = cst(c);
    Value k = arith::CmpFOp::create(b, loc, keep, v, cv);
    return arith::SelectOp::create(b, loc, k, v, cv);
  };
  constexpr double kClamp = 2 * 7.99881172180175781;
  Value x = bound(bound(input, arith::CmpFPredicate::ULE, kClamp),
                  arith::CmpFPredicate::UGE, -kClamp);
  Value s = arith::MulFOp::create(b, loc, x, x);
  auto horner = [&](ArrayRef<double> coefficients, double scale) -> Value {
    // Highest power first; coefficient k (of s^k) divided by 4^k.
    size_t n = coefficients.size();
    Value r = cst(coefficients[0] * scale / std::ldexp(1.0, 2 * (n - 1)));
    for (size_t i = 1; i < n; ++i)
      r = math::FmaOp::create(
          b, loc, r, s,
          cst(coefficients[i] * scale / std::ldexp(1.0, 2 * (n - 1 - i))));
    return r;
  };
  // tanh's numerator (odd: alpha13 ... alpha1) and denominator (beta6 ...
  // beta0), as upstream's TanhApproximation has them.
  Value p =
      horner({-2.76076847742355e-16, 2.00018790482477e-13,
              -8.60467152213735e-11, 5.12229709037114e-08, 1.48572235717979e-05,
              6.37261928875436e-04, 4.89352455891786e-03},
             1.0);
  Value q = horner({1.19825839466702e-06, 1.18534705686654e-04,
                    2.26843463243900e-03, 4.89352518554385e-03},
                   4.0);
  Value ratio =
      arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, x, p), q);
  fma.getResult().replaceAllUsesWith(
      arith::AddFOp::create(b, loc, ratio, cst(0.5)));
  fma.erase();
  tanh.erase();
  if (half->use_empty())
    half.erase();
}

struct ApproximateMath
    : yz::impl::YzApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    auto approximated = [](StringRef name) {
      return llvm::is_contained(kApproximated, name);
    };
    getOperation()->walk(keepSubnormalsInLog);
    SmallVector<math::FmaOp> fmas;
    getOperation()->walk([&](math::FmaOp f) { fmas.push_back(f); });
    for (math::FmaOp f : fmas)
      sigmoidAsRational(f);
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
