/*===- runner_main.c - run a compiled model on .npy files ----------------===*
 *
 * Part of Yizhuang. The `main` yz-run links with a model object. The model's
 * descriptor is bound to `yz_runner_model` at link time (--defsym), so one
 * runner serves every model. Usage:
 *   model.exe [--quiet] [--output-dir DIR] [--compare REF.npy]...
 *             [--rtol R] [--atol A] INPUT.npy...
 * Prints the outputs, writes DIR/<output name>.npy per output, compares
 * them with the references in order. Exit status: 0 ok, 1 error, 2 bad
 * usage, 3 an output does not match its reference.
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "yz/runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const yz_model yz_runner_model;
/* Bound by yz-generate to a decoder's models (weak: yz-run leaves them
 * undefined, null); then the generation loop runs instead. */
extern const yz_model yz_generate_step __attribute__((weak));
extern const yz_model yz_generate_prefill __attribute__((weak));
int yz_generate_main(int argc, char **argv, const yz_model *step,
                     const yz_model *prefill);

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Prints "name: f32[4x16]" then the values, one row of the last dim a line. */
static void print_tensor(const char *name, const yz_tensor *t) {
  printf("%s: %s[", name, yz_dtype_name(t->dtype));
  for (int32_t i = 0; i < t->rank; ++i)
    printf(i ? "x%lld" : "%lld", (long long)t->shape[i]);
  printf("]\n");
  int64_t n = yz_tensor_num_elements(t), shown = n < 256 ? n : 256;
  int64_t row = t->rank ? t->shape[t->rank - 1] : 1;
  for (int64_t i = 0; i < shown; ++i) {
    printf("%s% .6g", i % (row ? row : 1) ? " " : "  ", yz_tensor_get(t, i));
    if ((i + 1) % (row ? row : 1) == 0 || i + 1 == shown)
      printf("\n");
  }
  if (shown < n)
    printf("  ... (%lld more)\n", (long long)(n - shown));
}

int main(int argc, char **argv) {
  if (&yz_generate_step)
    return yz_generate_main(argc, argv, &yz_generate_step,
                            &yz_generate_prefill ? &yz_generate_prefill : NULL);
  const yz_model *m = &yz_runner_model;
  const char *out_dir = NULL;
  double rtol = 1e-5, atol = 1e-6, scale_tol = 0;
  int quiet = 0, num_paths = 0, num_refs = 0;
  const char **paths = calloc((size_t)argc, sizeof(char *));
  const char **refs = calloc((size_t)argc, sizeof(char *));
  for (int i = 1; i < argc; ++i) {
    int has_value = i + 1 < argc;
    if (!strcmp(argv[i], "--output-dir") && has_value)
      out_dir = argv[++i];
    else if (!strcmp(argv[i], "--compare") && has_value)
      refs[num_refs++] = argv[++i];
    else if (!strcmp(argv[i], "--rtol") && has_value)
      rtol = atof(argv[++i]);
    else if (!strcmp(argv[i], "--atol") && has_value)
      atol = atof(argv[++i]);
    else if (!strcmp(argv[i], "--scale-tol") && has_value)
      scale_tol = atof(argv[++i]);
    else if (!strcmp(argv[i], "--quiet"))
      quiet = 1;
    else if (argv[i][0] == '-' && argv[i][1] == '-') {
      fprintf(stderr, "error: unknown or incomplete option '%s'\n", argv[i]);
      return 2;
    } else
      paths[num_paths++] = argv[i];
  }
  if (num_paths != m->num_inputs) {
    fprintf(stderr, "error: model '%s' takes %d inputs, got %d .npy files\n",
            m->name, m->num_inputs, num_paths);
    return 2;
  }
  if (num_refs > m->num_outputs) {
    fprintf(stderr, "error: model '%s' has %d outputs, got %d references\n",
            m->name, m->num_outputs, num_refs);
    return 2;
  }
  yz_tensor *inputs = calloc((size_t)m->num_inputs + 1, sizeof(yz_tensor));
  yz_tensor *outputs = calloc((size_t)m->num_outputs + 1, sizeof(yz_tensor));
  yz_status st = YZ_OK;
  for (int i = 0; i < m->num_inputs && st == YZ_OK; ++i)
    st = yz_npy_load(paths[i], &inputs[i]);
  for (int i = 0; i < m->num_outputs && st == YZ_OK; ++i)
    st = yz_tensor_alloc(&m->outputs[i], &outputs[i]);
  double start = now_ms();
  if (st == YZ_OK)
    st = yz_run(m, inputs, m->num_inputs, outputs, m->num_outputs);
  double elapsed = now_ms() - start;
  if (st != YZ_OK) {
    fprintf(stderr, "error: %s\n", yz_last_error());
    return 1;
  }
  if (!quiet)
    printf("model '%s' ran in %.3f ms\n", m->name, elapsed);
  for (int i = 0; i < m->num_outputs && st == YZ_OK; ++i) {
    if (!quiet)
      print_tensor(m->outputs[i].name, &outputs[i]);
    if (out_dir) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s.npy", out_dir, m->outputs[i].name);
      st = yz_npy_save(path, &outputs[i]);
    }
  }
  if (st != YZ_OK) {
    fprintf(stderr, "error: %s\n", yz_last_error());
    return 1;
  }
  int mismatches = 0;
  for (int i = 0; i < num_refs; ++i) {
    yz_tensor ref;
    char report[512];
    if (yz_npy_load(refs[i], &ref) != YZ_OK) {
      fprintf(stderr, "error: %s\n", yz_last_error());
      return 1;
    }
    /* --scale-tol: errors relative to the output's scale, max |want|
     * (random weights can make every element tiny). */
    double scale = 0;
    for (int64_t j = 0; scale_tol > 0 && j < yz_tensor_num_elements(&ref); ++j)
      if (fabs(yz_tensor_get(&ref, j)) > scale)
        scale = fabs(yz_tensor_get(&ref, j));
    int ok = yz_tensor_compare(&outputs[i], &ref, rtol, atol + scale_tol * scale,
                               report, sizeof report);
    printf("compare %s with %s: %s\n", m->outputs[i].name, refs[i], report);
    mismatches += !ok;
    yz_tensor_free(&ref);
  }
  for (int i = 0; i < m->num_inputs; ++i)
    yz_tensor_free(&inputs[i]);
  for (int i = 0; i < m->num_outputs; ++i)
    yz_tensor_free(&outputs[i]);
  free(inputs);
  free(outputs);
  free(paths);
  free(refs);
  return mismatches ? 3 : 0;
}
