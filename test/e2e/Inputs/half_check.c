/* Part of Yizhuang. The runtime's half-precision helpers (runtime/lib/
 * half.c) against the Zfh instructions qemu executes: every f16 value
 * widened, and f32 and f64 values over every exponent narrowed. Built
 * with -march=rv64gcv_zfh, run with qemu's Zfh on. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Float16 __truncsfhf2(float);
float __extendhfsf2(_Float16);
_Float16 __truncdfhf2(double);
double __extendhfdf2(_Float16);

static uint16_t bits16(_Float16 h) { uint16_t u; memcpy(&u, &h, 2); return u; }

int main(void) {
  unsigned bad = 0, checked = 0;
  for (uint32_t i = 0; i < 65536; ++i, ++checked) {
    uint16_t u = (uint16_t)i;
    _Float16 h;
    memcpy(&h, &u, 2);
    volatile _Float16 hv = h;
    float want = (float)hv, got = __extendhfsf2(h); /* fcvt.s.h */
    double wantd = (double)hv, gotd = __extendhfdf2(h);
    if (memcmp(&want, &got, 4) && !(want != want && got != got)) ++bad;
    if (memcmp(&wantd, &gotd, 8) && !(wantd != wantd && gotd != gotd)) ++bad;
  }
  uint64_t x = 88172645463325252ull; /* xorshift: f32 and f64 bit patterns */
  for (int i = 0; i < 2000000; ++i, ++checked) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    uint32_t fb = (uint32_t)x;
    /* Bias exponents toward f16's range so that rounding is exercised. */
    if (i & 1) fb = (fb & 0x807fffff) | ((uint32_t)(100 + (x >> 40) % 40) << 23);
    float f;
    memcpy(&f, &fb, 4);
    volatile float fv = f;
    _Float16 want = (_Float16)fv; /* fcvt.h.s */
    if (bits16(want) != bits16(__truncsfhf2(f)) && !(f != f)) ++bad;
    uint64_t db = x;
    if (i & 1) db = (db & 0x800fffffffffffffull) | ((uint64_t)(1000 + (x >> 40) % 48) << 52);
    double d;
    memcpy(&d, &db, 8);
    volatile double dv = d;
    _Float16 wantd = (_Float16)dv; /* fcvt.h.d */
    if (bits16(wantd) != bits16(__truncdfhf2(d)) && !(d != d)) ++bad;
  }
  printf("half helpers: %u checked, %u differ\n", checked, bad);
  return bad != 0;
}
