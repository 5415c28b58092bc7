/* Part of Yizhuang. Five models whose names are easy to get wrong (model,
 * invoke, run, main, and a file name that starts with a digit and has
 * dashes and dots) linked into one C program, each called through its own
 * generated header. */
#include "2-layer.net.v1.h"
#include "invoke.h"
#include "main.h"
#include "model.h"
#include "run.h"

#include <stdio.h>

typedef yz_status (*run_fn)(const yz_tensor *, yz_tensor *);

int main(void) {
  const run_fn runs[] = {yz_run_model, yz_run_invoke, yz_run_run, yz_run_main,
                         yz_run_2_layer_net_v1};
  const yz_model *models[] = {&yz_model_model, &yz_model_invoke,
                              &yz_model_run, &yz_model_main,
                              &yz_model_2_layer_net_v1};
  float x[2][5], y[2][5];
  for (int i = 0; i < 10; ++i)
    x[i / 5][i % 5] = 0.0f; /* y = relu(0 * w + k) = k: model m has k = m */
  for (int m = 0; m < 5; ++m) {
    yz_tensor in = {YZ_DTYPE_F32, 2, {2, 5}, x};
    yz_tensor out = {YZ_DTYPE_F32, 2, {2, 5}, y};
    yz_status st = runs[m](&in, &out);
    /* The unchecked entry of the same model gives the same numbers. */
    float y2[2][5];
    void *buffers[2] = {x, y2};
    models[m]->invoke(buffers);
    printf("%s: %s, y = %g, unchecked y = %g\n", models[m]->name,
           yz_status_name(st), y[1][4], y2[1][4]);
  }
  return 0;
}
