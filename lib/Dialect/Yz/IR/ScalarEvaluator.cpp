//===- ScalarEvaluator.cpp - run arith/math scalar code -------------------===//
//
// Part of Yizhuang. See ScalarEvaluator.h. Floats are computed in double
// and rounded to their type after every op, which for +, -, *, / and sqrt
// gives the correctly rounded f32/f16/bf16 result; libm functions may
// differ from the target's by an ulp.
//
//===----------------------------------------------------------------------===//

#include "ScalarEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::yz;

namespace {

unsigned widthOf(Type t) { return t.getIntOrFloatBitWidth(); }

uint64_t mask(uint64_t v, unsigned w) {
  return w >= 64 ? v : v & ((uint64_t(1) << w) - 1);
}

int64_t sext(uint64_t v, unsigned w) {
  if (w >= 64)
    return int64_t(v);
  if (w == 0)
    return 0;
  uint64_t sign = uint64_t(1) << (w - 1);
  return int64_t((mask(v, w) ^ sign) - sign);
}

/// `x` rounded to float type `t` (nearest, ties to even).
double roundTo(Type t, double x) {
  if (t.isF64())
    return x;
  if (t.isF32())
    return double(float(x));
  auto ft = cast<FloatType>(t);
  llvm::APFloat v(x);
  bool lost;
  v.convert(ft.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
  v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  return v.convertToDouble();
}

Scalar intScalar(uint64_t v, Type t) { return {mask(v, widthOf(t)), 0}; }
Scalar floatScalar(double v, Type t) { return {0, roundTo(t, v)}; }

double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  if (a == 0 && b == 0)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  if (a == 0 && b == 0)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

bool compareF(arith::CmpFPredicate p, double a, double b) {
  bool unordered = std::isnan(a) || std::isnan(b);
  using P = arith::CmpFPredicate;
  switch (p) {
  case P::AlwaysFalse: return false;
  case P::OEQ: return !unordered && a == b;
  case P::OGT: return !unordered && a > b;
  case P::OGE: return !unordered && a >= b;
  case P::OLT: return !unordered && a < b;
  case P::OLE: return !unordered && a <= b;
  case P::ONE: return !unordered && a != b;
  case P::ORD: return !unordered;
  case P::UEQ: return unordered || a == b;
  case P::UGT: return unordered || a > b;
  case P::UGE: return unordered || a >= b;
  case P::ULT: return unordered || a < b;
  case P::ULE: return unordered || a <= b;
  case P::UNE: return unordered || a != b;
  case P::UNO: return unordered;
  case P::AlwaysTrue: return true;
  }
  return false;
}

bool compareI(arith::CmpIPredicate p, uint64_t a, uint64_t b, unsigned w) {
  int64_t sa = sext(a, w), sb = sext(b, w);
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::eq: return a == b;
  case P::ne: return a != b;
  case P::slt: return sa < sb;
  case P::sle: return sa <= sb;
  case P::sgt: return sa > sb;
  case P::sge: return sa >= sb;
  case P::ult: return a < b;
  case P::ule: return a <= b;
  case P::ugt: return a > b;
  case P::uge: return a >= b;
  }
  return false;
}

/// Whether `f` truncated toward zero fits integer type `t` (as signed or
/// unsigned); out of range the conversion is poison.
bool fitsInt(double f, unsigned w, bool isSigned) {
  if (std::isnan(f))
    return false;
  double t = std::trunc(f);
  if (isSigned)
    return t >= -std::ldexp(1.0, int(w) - 1) && t < std::ldexp(1.0, int(w) - 1);
  return t >= 0 && t < std::ldexp(1.0, int(w));
}

/// Integer power by squaring (math.ipowi: negative exponents give 0,
/// except for bases 1 and -1; 0^negative is poison).
std::optional<int64_t> ipow(int64_t base, int64_t exp) {
  if (exp < 0) {
    if (base == 0)
      return std::nullopt;
    if (base == 1)
      return 1;
    if (base == -1)
      return exp % 2 ? -1 : 1;
    return 0;
  }
  uint64_t result = 1, b = uint64_t(base);
  for (uint64_t e = uint64_t(exp); e; e >>= 1, b *= b)
    if (e & 1)
      result *= b;
  return int64_t(result);
}

using UnaryF = double (*)(double);

} // namespace

std::optional<ScalarEvaluator> ScalarEvaluator::compile(Block &body,
                                                        Value result) {
  ScalarEvaluator e;
  DenseMap<Value, unsigned> slotOf;
  auto addSlot = [&](Value v) {
    slotOf[v] = e.types.size();
    e.types.push_back(v.getType());
    e.slots.emplace_back();
    return e.types.size() - 1;
  };
  for (BlockArgument arg : body.getArguments())
    addSlot(arg);
  e.numArgs = body.getNumArguments();
  for (Operation &op : body) {
    if (op.getNumResults() != 1)
      return std::nullopt;
    Step step{&op, {}, 0};
    for (Value v : op.getOperands()) {
      auto it = slotOf.find(v);
      if (it == slotOf.end())
        return std::nullopt; // defined outside the body
      step.operands.push_back(it->second);
    }
    step.result = addSlot(op.getResult(0));
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      Type t = c.getType();
      if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
        e.slots[step.result] = intScalar(i.getValue().getZExtValue(), t);
      else if (auto f = dyn_cast<FloatAttr>(c.getValue()))
        e.slots[step.result] = floatScalar(f.getValueAsDouble(), t);
      else
        return std::nullopt;
      continue; // evaluated once, here
    }
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()))
      return std::nullopt;
    e.steps.push_back(step);
  }
  auto it = slotOf.find(result);
  if (it == slotOf.end())
    return std::nullopt;
  e.resultSlot = it->second;
  return e;
}

std::optional<Scalar> ScalarEvaluator::run(ArrayRef<Scalar> args) {
  for (unsigned i = 0; i < numArgs; ++i)
    slots[i] = args[i];
  for (const Step &s : steps) {
    Operation *op = s.op;
    Type t = types[s.result];
    auto in = [&](unsigned i) -> const Scalar & {
      return slots[s.operands[i]];
    };
    auto inType = [&](unsigned i) { return types[s.operands[i]]; };
    double a = s.operands.empty() ? 0 : in(0).f;
    double bb = s.operands.size() > 1 ? in(1).f : 0;
    uint64_t x = s.operands.empty() ? 0 : in(0).bits;
    uint64_t y = s.operands.size() > 1 ? in(1).bits : 0;
    unsigned w = isa<IntegerType, FloatType>(t) ? widthOf(t) : 64;
    unsigned wi = s.operands.empty() ? 0
                  : isa<IntegerType, FloatType>(inType(0))
                      ? widthOf(inType(0))
                      : 64;
    std::optional<Scalar> r;
    auto F = [&](double v) { r = floatScalar(v, t); };
    auto I = [&](uint64_t v) { r = intScalar(v, t); };
    auto unaryF = [&](UnaryF f) { F(f(a)); };
    bool known = true;
    llvm::TypeSwitch<Operation *>(op)
        // Float arithmetic.
        .Case([&](arith::AddFOp) { F(a + bb); })
        .Case([&](arith::SubFOp) { F(a - bb); })
        .Case([&](arith::MulFOp) { F(a * bb); })
        .Case([&](arith::DivFOp) { F(a / bb); })
        .Case([&](arith::RemFOp) { F(std::fmod(a, bb)); })
        .Case([&](arith::NegFOp) { F(-a); })
        .Case([&](arith::MaximumFOp) { F(maximum(a, bb)); })
        .Case([&](arith::MinimumFOp) { F(minimum(a, bb)); })
        .Case([&](arith::MaxNumFOp) { F(std::fmax(a, bb)); })
        .Case([&](arith::MinNumFOp) { F(std::fmin(a, bb)); })
        .Case([&](arith::CmpFOp c) { I(compareF(c.getPredicate(), a, bb)); })
        // Integer arithmetic.
        .Case([&](arith::AddIOp) { I(x + y); })
        .Case([&](arith::SubIOp) { I(x - y); })
        .Case([&](arith::MulIOp) { I(x * y); })
        .Case([&](arith::DivSIOp) {
          int64_t p = sext(x, w), q = sext(y, w);
          if (q != 0 && !(q == -1 && p == sext(uint64_t(1) << (w - 1), w)))
            I(uint64_t(p / q));
        })
        .Case([&](arith::DivUIOp) {
          if (mask(y, w))
            I(mask(x, w) / mask(y, w));
        })
        .Case([&](arith::RemSIOp) {
          int64_t p = sext(x, w), q = sext(y, w);
          if (q != 0 && !(q == -1 && p == sext(uint64_t(1) << (w - 1), w)))
            I(uint64_t(p % q));
        })
        .Case([&](arith::RemUIOp) {
          if (mask(y, w))
            I(mask(x, w) % mask(y, w));
        })
        .Case([&](arith::FloorDivSIOp) {
          int64_t p = sext(x, w), q = sext(y, w);
          if (q != 0 && !(q == -1 && p == sext(uint64_t(1) << (w - 1), w))) {
            int64_t d = p / q;
            if ((p % q != 0) && ((p < 0) != (q < 0)))
              --d;
            I(uint64_t(d));
          }
        })
        .Case([&](arith::MaxSIOp) { I(sext(x, w) > sext(y, w) ? x : y); })
        .Case([&](arith::MinSIOp) { I(sext(x, w) < sext(y, w) ? x : y); })
        .Case([&](arith::MaxUIOp) { I(x > y ? x : y); })
        .Case([&](arith::MinUIOp) { I(x < y ? x : y); })
        .Case([&](arith::AndIOp) { I(x & y); })
        .Case([&](arith::OrIOp) { I(x | y); })
        .Case([&](arith::XOrIOp) { I(x ^ y); })
        .Case([&](arith::ShLIOp) {
          if (y < w)
            I(x << y);
        })
        .Case([&](arith::ShRUIOp) {
          if (y < w)
            I(mask(x, w) >> y);
        })
        .Case([&](arith::ShRSIOp) {
          if (y < w)
            I(uint64_t(sext(x, w) >> y));
        })
        .Case([&](arith::CmpIOp c) { I(compareI(c.getPredicate(), x, y, wi)); })
        .Case([&](arith::SelectOp) {
          r = (in(0).bits & 1) ? in(1) : in(2);
        })
        // Conversions.
        .Case([&](arith::ExtFOp) { F(a); })
        .Case([&](arith::TruncFOp) { F(a); })
        .Case([&](arith::SIToFPOp) { F(double(sext(x, wi))); })
        .Case([&](arith::UIToFPOp) { F(double(mask(x, wi))); })
        .Case([&](arith::FPToSIOp) {
          if (fitsInt(a, w, true))
            I(uint64_t(int64_t(std::trunc(a))));
        })
        .Case([&](arith::FPToUIOp) {
          if (fitsInt(a, w, false))
            I(uint64_t(std::trunc(a)));
        })
        .Case([&](arith::ExtSIOp) { I(uint64_t(sext(x, wi))); })
        .Case([&](arith::ExtUIOp) { I(mask(x, wi)); })
        .Case([&](arith::TruncIOp) { I(x); })
        .Case([&](arith::BitcastOp) {
          if (isa<FloatType>(t) && t.isF32()) {
            uint32_t v = uint32_t(x);
            float f;
            std::memcpy(&f, &v, 4);
            F(f);
          } else if (isa<IntegerType>(t) && inType(0).isF32()) {
            float f = float(a);
            uint32_t v;
            std::memcpy(&v, &f, 4);
            I(v);
          }
        })
        // Math.
        .Case([&](math::AbsFOp) { unaryF(std::fabs); })
        .Case([&](math::AbsIOp) {
          int64_t v = sext(x, w);
          I(uint64_t(v < 0 ? -v : v));
        })
        .Case([&](math::ExpOp) { unaryF(std::exp); })
        .Case([&](math::Exp2Op) { unaryF(std::exp2); })
        .Case([&](math::ExpM1Op) { unaryF(std::expm1); })
        .Case([&](math::LogOp) { unaryF(std::log); })
        .Case([&](math::Log2Op) { unaryF(std::log2); })
        .Case([&](math::Log10Op) { unaryF(std::log10); })
        .Case([&](math::Log1pOp) { unaryF(std::log1p); })
        .Case([&](math::SqrtOp) { unaryF(std::sqrt); })
        .Case([&](math::RsqrtOp) { F(1.0 / std::sqrt(a)); })
        .Case([&](math::CbrtOp) { unaryF(std::cbrt); })
        .Case([&](math::TanhOp) { unaryF(std::tanh); })
        .Case([&](math::TanOp) { unaryF(std::tan); })
        .Case([&](math::SinOp) { unaryF(std::sin); })
        .Case([&](math::CosOp) { unaryF(std::cos); })
        .Case([&](math::AsinOp) { unaryF(std::asin); })
        .Case([&](math::AcosOp) { unaryF(std::acos); })
        .Case([&](math::AtanOp) { unaryF(std::atan); })
        .Case([&](math::Atan2Op) { F(std::atan2(a, bb)); })
        .Case([&](math::SinhOp) { unaryF(std::sinh); })
        .Case([&](math::CoshOp) { unaryF(std::cosh); })
        .Case([&](math::AsinhOp) { unaryF(std::asinh); })
        .Case([&](math::AcoshOp) { unaryF(std::acosh); })
        .Case([&](math::AtanhOp) { unaryF(std::atanh); })
        .Case([&](math::ErfOp) { unaryF(std::erf); })
        .Case([&](math::FloorOp) { unaryF(std::floor); })
        .Case([&](math::CeilOp) { unaryF(std::ceil); })
        .Case([&](math::RoundOp) { unaryF(std::round); })
        .Case([&](math::RoundEvenOp) { unaryF(std::nearbyint); })
        .Case([&](math::TruncOp) { unaryF(std::trunc); })
        .Case([&](math::CopySignOp) { F(std::copysign(a, bb)); })
        .Case([&](math::PowFOp) { F(std::pow(a, bb)); })
        .Case([&](math::FPowIOp) {
          F(std::pow(a, double(sext(y, widthOf(inType(1))))));
        })
        .Case([&](math::IPowIOp) {
          if (auto v = ipow(sext(x, w), sext(y, w)))
            I(uint64_t(*v));
        })
        .Case([&](math::IsNaNOp) { I(std::isnan(a)); })
        .Case([&](math::IsInfOp) { I(std::isinf(a)); })
        .Case([&](math::IsFiniteOp) { I(std::isfinite(a)); })
        .Default([&](Operation *) { known = false; });
    if (!known || !r)
      return std::nullopt;
    slots[s.result] = *r;
  }
  return slots[resultSlot];
}

Scalar mlir::yz::loadScalar(Type t, const char *bytes) {
  Scalar s;
  if (auto ft = dyn_cast<FloatType>(t)) {
    unsigned w = ft.getWidth();
    uint64_t raw = 0;
    std::memcpy(&raw, bytes, w / 8);
    if (ft.isF64()) {
      std::memcpy(&s.f, bytes, 8);
    } else if (ft.isF32()) {
      float f;
      std::memcpy(&f, bytes, 4);
      s.f = f;
    } else {
      llvm::APFloat v(ft.getFloatSemantics(), llvm::APInt(w, raw));
      bool lost;
      v.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &lost);
      s.f = v.convertToDouble();
    }
    return s;
  }
  unsigned w = t.getIntOrFloatBitWidth();
  std::memcpy(&s.bits, bytes, (w + 7) / 8);
  s.bits = mask(s.bits, w);
  return s;
}

void mlir::yz::storeScalar(Type t, Scalar v, char *bytes) {
  if (auto ft = dyn_cast<FloatType>(t)) {
    if (ft.isF64()) {
      std::memcpy(bytes, &v.f, 8);
    } else if (ft.isF32()) {
      float f = float(v.f);
      std::memcpy(bytes, &f, 4);
    } else {
      llvm::APFloat a(v.f);
      bool lost;
      a.convert(ft.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      uint64_t raw = a.bitcastToAPInt().getZExtValue();
      std::memcpy(bytes, &raw, ft.getWidth() / 8);
    }
    return;
  }
  unsigned w = t.getIntOrFloatBitWidth();
  uint64_t bits = mask(v.bits, w);
  std::memcpy(bytes, &bits, (w + 7) / 8);
}
