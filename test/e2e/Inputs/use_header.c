/* Part of Yizhuang. A C program using a compiled model through its
 * generated header, as an application would. */
#include "mlp.h"

#include <stdio.h>

int main(void) {
  float x[4][8], y[4][4];
  for (int i = 0; i < 32; ++i)
    x[i / 8][i % 8] = (float)(i % 5) - 2.0f;
  yz_tensor in = {YZ_DTYPE_F32, 2, {4, 8}, x};
  yz_tensor out = {YZ_DTYPE_F32, 2, {4, 4}, y};
  yz_status st = yz_run_mlp(&in, &out);
  printf("run: %s\n", yz_status_name(st));
  /* The same call with a wrong shape is refused, with a message. */
  in.shape[1] = 7;
  st = yz_run_mlp(&in, &out);
  printf("bad shape: %s: %s\n", yz_status_name(st), yz_last_error());
  /* The unchecked entry agrees with the checked one. */
  float y2[4][4];
  void *buffers[2] = {x, y2};
  yz_invoke_mlp(buffers);
  int same = 1;
  for (int i = 0; i < 16; ++i)
    same &= y[i / 4][i % 4] == y2[i / 4][i % 4];
  printf("invoke agrees: %d\n", same);
  return 0;
}
