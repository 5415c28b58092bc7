/* Part of Yizhuang. A C program that links an f16 model itself (the C API,
 * docs/runtime.md): on riscv64 without Zfh its conversions call the
 * helpers libyz_runner.a provides. */
#include "affine.h"

#include <stdio.h>

int main(void) {
  _Float16 x[4] = {0.5f, -1.25f, 3.0f, 1000.0f}, y[4];
  yz_tensor in = {YZ_DTYPE_F16, 1, {4}, x}, out = {YZ_DTYPE_F16, 1, {4}, y};
  yz_status st = yz_run_affine(&in, &out);
  printf("run: %s\n", yz_status_name(st));
  for (int i = 0; i < 4; ++i)
    printf("y[%d] = %g (want %g)\n", i, (double)y[i], (double)(x[i] * 2 + 1));
  return st != YZ_OK;
}
