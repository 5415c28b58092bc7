/*===- half.c - f16 and bf16 conversions for riscv64 without Zfh ---------===*
 *
 * Part of Yizhuang. LLVM compiles half-precision conversions (and f16
 * arithmetic, which it does in f32) on a RISC-V target without Zfh/Zfhmin
 * into calls to compiler-rt's builtins: __extendhfsf2, __truncsfhf2, and
 * their f64 and bf16 siblings. Debian's riscv64 libgcc (GCC 12) has none of
 * them and clang's riscv64 compiler-rt is not packaged, so the runtime
 * provides them: every program that links a model through yz-run or the C
 * API (libyz_runner.a) gets them. Targets with Zfh use the instructions and
 * never call these. Conversions round to nearest even, as the hardware
 * does; NaNs stay NaNs.
 *
 * The psABI passes _Float16 and __bf16 in floating-point registers, so the
 * functions are declared with those types; the work is done on the bits.
 *
 *===----------------------------------------------------------------------===*/

#if defined(__riscv)

#include <stdint.h>
#include <string.h>

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static float f32_from(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* f32 bits -> f16 bits, rounding to nearest even. */
static uint16_t f32_to_f16(uint32_t x) {
  uint32_t sign = (x >> 16) & 0x8000, abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) /* inf, or NaN (kept quiet) */
    return (uint16_t)(sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
  if (abs >= 0x477ff000) /* rounds to 65520 or more: inf */
    return (uint16_t)(sign | 0x7c00);
  if (abs < 0x38800000) { /* f16 subnormal or zero */
    if (abs < 0x33000000) /* below half the smallest subnormal: 0 */
      return (uint16_t)sign;
    uint32_t mant = (abs & 0x7fffff) | 0x800000;
    int shift = 126 - (int)(abs >> 23); /* 14..24 */
    uint32_t half = mant >> shift, rest = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rest > mid || (rest == mid && (half & 1)))
      ++half;
    return (uint16_t)(sign | half);
  }
  uint32_t half = ((abs - 0x38000000) >> 13), rest = abs & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half; /* may carry into the exponent: still right */
  return (uint16_t)(sign | half);
}

static uint32_t f16_to_f32(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f,
           mant = h & 0x3ff;
  if (exp == 0x1f)
    return sign | 0x7f800000 | (mant << 13);
  if (exp == 0) {
    if (!mant)
      return sign;
    /* Subnormal: normalize. */
    int e = -1;
    do {
      mant <<= 1;
      ++e;
    } while (!(mant & 0x400));
    return sign | ((uint32_t)(112 - e) << 23) | ((mant & 0x3ff) << 13);
  }
  return sign | ((exp + 112) << 23) | (mant << 13);
}

/* f32 bits -> bf16 bits, rounding to nearest even. */
static uint16_t f32_to_bf16(uint32_t x) {
  if ((x & 0x7fffffff) > 0x7f800000) /* NaN: quiet, keep the sign */
    return (uint16_t)((x >> 16) | 0x40);
  return (uint16_t)((x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

static _Float16 f16_from(uint16_t u) {
  _Float16 h;
  memcpy(&h, &u, 2);
  return h;
}

static uint16_t f16_bits(_Float16 h) {
  uint16_t u;
  memcpy(&u, &h, 2);
  return u;
}

static __bf16 bf16_from(uint16_t u) {
  __bf16 h;
  memcpy(&h, &u, 2);
  return h;
}

/* f64 -> f16 or bf16 through f32 would round twice. Rounding to f32 toward
 * zero with a sticky last bit ("round to odd") keeps every bit the second
 * rounding needs, f32 having more than twice f16's and bf16's precision. */
static uint32_t f64_to_f32_odd(double d) {
  float f = (float)d;
  uint32_t u = f32_bits(f);
  double back = (double)f;
  if (back == d || d != d)
    return u;
  if ((back < 0 ? -back : back) > (d < 0 ? -d : d))
    --u; /* rounded away from zero: step back toward it */
  return u | 1;
}

_Float16 __truncsfhf2(float f) { return f16_from(f32_to_f16(f32_bits(f))); }
float __extendhfsf2(_Float16 h) { return f32_from(f16_to_f32(f16_bits(h))); }
_Float16 __truncdfhf2(double d) {
  return f16_from(f32_to_f16(f64_to_f32_odd(d)));
}
double __extendhfdf2(_Float16 h) { return (double)__extendhfsf2(h); }
__bf16 __truncsfbf2(float f) { return bf16_from(f32_to_bf16(f32_bits(f))); }
__bf16 __truncdfbf2(double d) {
  return bf16_from(f32_to_bf16(f64_to_f32_odd(d)));
}

#endif /* __riscv */
