//===- CastsWithoutRtz.cpp - float-to-int casts that qemu 7.2 can run -----===//
//
// Part of Yizhuang. LLVM vectorizes float-to-int casts into RVV's
// round-toward-zero conversions (vfcvt.rtz.*, vfwcvt.rtz.*, vfncvt.rtz.*),
// and Debian 12's qemu 7.2 aborts translating any of them (qemu issue 1441,
// fixed in qemu 8). Rounding to nearest, then stepping one toward zero where
// that went past the value, is the same cast and vectorizes into vfcvt.x.f.v.
// A value already rounded (a quantization's) needs only the rounding.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZCASTSWITHOUTRTZ
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// `t` with its element type replaced by `elt` (scalars and vectors).
Type withElement(Type t, Type elt) {
  if (auto v = dyn_cast<VectorType>(t))
    return v.clone(elt);
  return elt;
}

/// trunc(x) as an i64, from r = llrint(x): r - 1 where x > 0 and r > x,
/// r + 1 where x < 0 and r < x. Exact for every x in i64's range (floats
/// of 2^23 and more are integers, which llrint returns as they are).
Value truncViaNearest(OpBuilder &b, Location loc, Value x) {
  Type xt = x.getType(), i64 = withElement(xt, b.getI64Type()),
       i1 = withElement(xt, b.getI1Type());
  Type fElt = getElementTypeOrSelf(xt);
  Value r = LLVM::LlrintOp::create(b, loc, i64, x);
  Value fr = LLVM::SIToFPOp::create(b, loc, xt, r);
  // 0.0 of x's type (a splat for vectors).
  TypedAttr zeroAttr = b.getFloatAttr(fElt, 0.0);
  if (auto v = dyn_cast<VectorType>(xt))
    zeroAttr = SplatElementsAttr::get(v, zeroAttr);
  Value zero = LLVM::ConstantOp::create(b, loc, xt, zeroAttr);
  auto cmp = [&](LLVM::FCmpPredicate p, Value l, Value r) -> Value {
    return LLVM::FCmpOp::create(b, loc, i1, p, l, r);
  };
  Value down =
      LLVM::AndOp::create(b, loc, cmp(LLVM::FCmpPredicate::ogt, x, zero),
                          cmp(LLVM::FCmpPredicate::ogt, fr, x));
  Value up =
      LLVM::AndOp::create(b, loc, cmp(LLVM::FCmpPredicate::olt, x, zero),
                          cmp(LLVM::FCmpPredicate::olt, fr, x));
  r = LLVM::SubOp::create(b, loc, r, LLVM::ZExtOp::create(b, loc, i64, down));
  return LLVM::AddOp::create(b, loc, r, LLVM::ZExtOp::create(b, loc, i64, up));
}

/// Whether `x` is known to hold whole numbers (or NaN/inf): a rounding, a
/// constant of whole numbers, or a min, max, sum or difference of such (a
/// float sum of integers rounds to an integer). int8 quantization casts
/// round(x / s) + zp, clamped: truncating it is rounding it.
bool isIntegral(Value x, unsigned depth = 0) {
  Operation *def = x.getDefiningOp();
  if (!def || depth > 8)
    return false;
  if (isa<LLVM::RoundEvenOp, LLVM::RoundOp, LLVM::FFloorOp, LLVM::FCeilOp,
          LLVM::FTruncOp, LLVM::RintOp, LLVM::NearbyintOp, LLVM::SIToFPOp,
          LLVM::UIToFPOp>(def))
    return true;
  if (isa<LLVM::MinimumOp, LLVM::MaximumOp, LLVM::MinNumOp, LLVM::MaxNumOp,
          LLVM::FAddOp, LLVM::FSubOp>(def))
    return llvm::all_of(def->getOperands(),
                        [&](Value v) { return isIntegral(v, depth + 1); });
  auto constant = dyn_cast<LLVM::ConstantOp>(def);
  if (!constant)
    return false;
  auto whole = [](const APFloat &f) { return f.isInteger(); };
  if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
    return whole(f.getValue());
  if (auto dense = dyn_cast<DenseFPElementsAttr>(constant.getValue()))
    return llvm::all_of(dense.getValues<APFloat>(), whole);
  return false;
}

struct CastsWithoutRtz : yz::impl::YzCastsWithoutRtzBase<CastsWithoutRtz> {
  void runOnOperation() override {
    SmallVector<Operation *> casts;
    getOperation()->walk([&](Operation *op) {
      if (!isa<LLVM::FPToSIOp, LLVM::FPToUIOp>(op))
        return;
      Type from = getElementTypeOrSelf(op->getOperand(0).getType());
      auto to = dyn_cast<IntegerType>(getElementTypeOrSelf(op->getResult(0)));
      // Unsigned 64-bit results reach past i64's range: left as they are.
      bool fits = to && (to.getWidth() < 64 ||
                         (to.getWidth() == 64 && isa<LLVM::FPToSIOp>(op)));
      if ((from.isF32() || from.isF64()) && fits)
        casts.push_back(op);
    });
    for (Operation *op : casts) {
      OpBuilder b(op);
      Value x = op->getOperand(0);
      Type type = op->getResult(0).getType();
      unsigned bits = getElementTypeOrSelf(type).getIntOrFloatBitWidth();
      Value r;
      if (!isIntegral(x)) {
        r = truncViaNearest(b, op->getLoc(), x);
      } else if (getElementTypeOrSelf(x.getType()).isF32() && bits <= 32) {
        // A whole number needs no step toward zero; an f32 one converts at
        // its own width (vfcvt.x.f.v), not widened to i64 and narrowed
        // back.
        r = LLVM::LrintOp::create(b, op->getLoc(),
                                  withElement(x.getType(), b.getI32Type()), x);
      } else {
        r = LLVM::LlrintOp::create(b, op->getLoc(),
                                   withElement(x.getType(), b.getI64Type()), x);
      }
      if (bits < getElementTypeOrSelf(r.getType()).getIntOrFloatBitWidth())
        r = LLVM::TruncOp::create(b, op->getLoc(), type, r);
      op->getResult(0).replaceAllUsesWith(r);
      op->erase();
      ++numRewritten;
    }
  }
};

} // namespace
