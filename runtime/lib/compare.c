/*===- compare.c - element access and tolerance comparison ---------------===*
 *
 * Part of Yizhuang.
 *
 *===----------------------------------------------------------------------===*/

#include "yz/runtime.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* IEEE half and bfloat16 bits as a double (every value is exact). */
static double half_value(uint16_t h) {
  int exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  double v = exp == 0    ? ldexp(frac, -24)
             : exp == 31 ? (frac ? NAN : INFINITY)
                         : ldexp(frac | 0x400, exp - 25);
  return h & 0x8000 ? -v : v;
}

static double bf16_value(uint16_t b) {
  uint32_t bits = (uint32_t)b << 16;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

double yz_tensor_get(const yz_tensor *t, int64_t i) {
  switch (t->dtype) {
  case YZ_DTYPE_F16: return half_value(((const uint16_t *)t->data)[i]);
  case YZ_DTYPE_BF16: return bf16_value(((const uint16_t *)t->data)[i]);
  case YZ_DTYPE_U16: return ((const uint16_t *)t->data)[i];
  case YZ_DTYPE_U32: return ((const uint32_t *)t->data)[i];
  case YZ_DTYPE_U64: return (double)((const uint64_t *)t->data)[i];
  case YZ_DTYPE_F32: return ((const float *)t->data)[i];
  case YZ_DTYPE_F64: return ((const double *)t->data)[i];
  case YZ_DTYPE_I8: return ((const int8_t *)t->data)[i];
  case YZ_DTYPE_I16: return ((const int16_t *)t->data)[i];
  case YZ_DTYPE_I32: return ((const int32_t *)t->data)[i];
  case YZ_DTYPE_I64: return (double)((const int64_t *)t->data)[i];
  case YZ_DTYPE_U8: case YZ_DTYPE_BOOL: return ((const uint8_t *)t->data)[i];
  default: return 0;
  }
}

/* Element i of two tensors of one dtype has the same bytes. */
static int same_bits(const yz_tensor *a, const yz_tensor *b, int64_t i) {
  size_t w = yz_dtype_size(a->dtype);
  return memcmp((const char *)a->data + i * w, (const char *)b->data + i * w,
                w) == 0;
}

int yz_tensor_compare(const yz_tensor *got, const yz_tensor *want, double rtol,
                      double atol, char *report, size_t size) {
  yz_tensor bits; /* a u16 reference holds a bf16 output's bits */
  if (got->dtype == YZ_DTYPE_BF16 && want->dtype == YZ_DTYPE_U16) {
    bits = *want;
    bits.dtype = YZ_DTYPE_BF16;
    want = &bits;
  }
  if (got->dtype != want->dtype) {
    snprintf(report, size, "dtype %s, reference has %s",
             yz_dtype_name(got->dtype), yz_dtype_name(want->dtype));
    return 0;
  }
  int same = got->rank == want->rank;
  for (int32_t i = 0; same && i < got->rank; ++i)
    same = got->shape[i] == want->shape[i];
  if (!same) {
    snprintf(report, size, "shape differs from the reference's");
    return 0;
  }
  int exact = got->dtype != YZ_DTYPE_F32 && got->dtype != YZ_DTYPE_F64 &&
              got->dtype != YZ_DTYPE_F16 && got->dtype != YZ_DTYPE_BF16;
  if (exact)
    rtol = atol = 0;
  int64_t n = yz_tensor_num_elements(got), worst = -1, bad = 0;
  double worst_excess = 0, max_abs = 0;
  for (int64_t i = 0; i < n; ++i) {
    double g = yz_tensor_get(got, i), w = yz_tensor_get(want, i);
    if (exact) { /* 64-bit integers exceed a double's 53 bits */
      if (same_bits(got, want, i))
        continue;
      if (g == w) /* equal as doubles, but not as integers */
        g = nextafter(g, INFINITY);
    }
    if (isnan(g) && isnan(w))
      continue;
    double err = fabs(g - w);
    if (isnan(err))
      err = INFINITY;
    if (err > max_abs)
      max_abs = err;
    double excess = err - (atol + rtol * fabs(w));
    if (excess > 0) {
      ++bad;
      if (worst < 0 || excess > worst_excess)
        worst = i, worst_excess = excess;
    }
  }
  if (!bad) {
    snprintf(report, size, "match: %lld elements, max abs error %.3g",
             (long long)n, max_abs);
    return 1;
  }
  snprintf(report, size,
           "MISMATCH: %lld of %lld elements differ; worst at flat index %lld: "
           "got %.9g, want %.9g (%s)",
           (long long)bad, (long long)n, (long long)worst,
           yz_tensor_get(got, worst), yz_tensor_get(want, worst),
           exact ? "exact comparison" : "outside atol + rtol*|want|");
  return 0;
}
