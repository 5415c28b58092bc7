/* Part of Yizhuang. Runs the model yz_add_model compiled (mlp.h) on an
 * input .npy and compares the output with an expected .npy, through the
 * installed runtime's C API (yz/runtime.h, docs/runtime.md).
 *
 *   embed INPUT.npy EXPECTED.npy
 */
#include "mlp.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.npy EXPECTED.npy\n", argv[0]);
    return 2;
  }
  yz_tensor x, want, y;
  if (yz_npy_load(argv[1], &x) != YZ_OK ||
      yz_npy_load(argv[2], &want) != YZ_OK) {
    fprintf(stderr, "embed: %s\n", yz_last_error());
    return 1;
  }
  if (yz_tensor_alloc(&yz_model_mlp.outputs[0], &y) != YZ_OK ||
      yz_run_mlp(&x, &y) != YZ_OK) {
    fprintf(stderr, "embed: %s\n", yz_last_error());
    return 1;
  }
  printf("model '%s': %s[", yz_model_mlp.name, yz_model_mlp.outputs[0].name);
  for (int64_t i = 0; i < yz_tensor_num_elements(&y); ++i)
    printf("%s%.4g", i ? " " : "", yz_tensor_get(&y, i));
  printf("]\n");
  /* The matmuls ran in bf16 on the NPU: 2% of the expected values. */
  char report[256];
  int ok = yz_tensor_compare(&y, &want, 2e-2, 2e-2, report, sizeof report);
  printf("%s\n", report); /* "match: ..." or "MISMATCH: ..." */
  yz_tensor_free(&x);
  yz_tensor_free(&want);
  yz_tensor_free(&y);
  return ok ? 0 : 3;
}
