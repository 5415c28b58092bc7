/*===- yz/runtime.h - the Yizhuang C runtime ------------------------------===*
 *
 * Part of Yizhuang. The ABI between compiled models and their callers:
 * tensors, model descriptors, status codes, and .npy file I/O. Nothing here
 * aborts: every failure is a status code plus a message (yz_last_error()).
 *
 *===----------------------------------------------------------------------===*/

#ifndef YZ_RUNTIME_H
#define YZ_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped when yz_model's layout changes; the compiler writes it. */
#define YZ_ABI_VERSION 1
#define YZ_MAX_RANK 8

typedef enum yz_status {
  YZ_OK = 0,
  YZ_ERR_INVALID_ARGUMENT = 1, /* null pointer, bad rank, bad dtype value */
  YZ_ERR_ARITY = 2,            /* wrong number of inputs or outputs */
  YZ_ERR_DTYPE = 3,            /* a tensor's element type does not match */
  YZ_ERR_SHAPE = 4,            /* a tensor's shape does not match */
  YZ_ERR_IO = 5,               /* a file could not be read or written */
  YZ_ERR_FORMAT = 6,           /* a file is not a .npy this runtime reads */
  YZ_ERR_NOMEM = 7,
  YZ_ERR_ABI = 8               /* model compiled for another runtime ABI */
} yz_status;

/* Element types. The compiler's model descriptors use these values. */
typedef enum yz_dtype {
  YZ_DTYPE_INVALID = 0,
  YZ_DTYPE_F32 = 1,
  YZ_DTYPE_F64 = 2,
  YZ_DTYPE_F16 = 3,
  YZ_DTYPE_BF16 = 4,
  YZ_DTYPE_I8 = 5,
  YZ_DTYPE_I16 = 6,
  YZ_DTYPE_I32 = 7,
  YZ_DTYPE_I64 = 8,
  YZ_DTYPE_U8 = 9,
  YZ_DTYPE_BOOL = 10,
  YZ_DTYPE_U16 = 11,
  YZ_DTYPE_U32 = 12,
  YZ_DTYPE_U64 = 13
} yz_dtype;

/* A dense, row-major tensor the caller owns. */
typedef struct yz_tensor {
  yz_dtype dtype;
  int32_t rank;
  int64_t shape[YZ_MAX_RANK];
  void *data;
} yz_tensor;

/* What a compiled model expects of one of its inputs or outputs. */
typedef struct yz_tensor_info {
  const char *name;
  int32_t dtype; /* a yz_dtype */
  int32_t rank;
  const int64_t *shape;
} yz_tensor_info;

/* The descriptor yzc emits for every model, as `yz_model_<name>`, beside its
 * unchecked entry `yz_invoke_<name>` and, in the generated header, the
 * checked `yz_run_<name>`. Those three prefixes belong to models: no runtime
 * name starts with them, so any model name links (docs/runtime.md). */
typedef struct yz_model {
  int32_t abi_version;
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const yz_tensor_info *inputs;
  const yz_tensor_info *outputs;
  /* Unchecked entry: buffers holds the inputs' then the outputs' data. */
  void (*invoke)(void **buffers);
} yz_model;

/* Checks every tensor against the model's signature, then runs it. The
 * outputs' data must be allocated by the caller (yz_tensor_alloc helps).
 * numpy has no bfloat16, so a u16 tensor is accepted where the model has a
 * bf16 one: its elements are the raw bf16 bits. */
yz_status yz_run(const yz_model *model, const yz_tensor *inputs,
                       int32_t num_inputs, yz_tensor *outputs,
                       int32_t num_outputs);

/* The message of the last failure on this thread ("" after success). */
const char *yz_last_error(void);

/* Compiled models keep their large intermediate buffers between calls (so a
 * call does not fault in fresh pages); this frees the ones kept. */
void yz_workspace_release(void);

/* Threads of models compiled with yzc --threads=N (runtime/lib/threads.c):
 * N unless overridden, first by yz_set_threads(n > 0), else by the
 * environment variable YZ_THREADS. yz_set_threads(0) removes the override.
 * The pool persists between calls; models compiled for one thread never
 * use it. Returns the previous override (0: none). */
int32_t yz_set_threads(int32_t threads);
/* The threads a model compiled for `compiled` threads runs on now. */
int32_t yz_threads_for(int32_t compiled);
/* What compiled models call: task(ctx, i) for every i in [0, n), split
 * into one contiguous range per thread, the caller taking the first. */
void yz_parallel_for(int32_t compiled, int64_t n,
                     void (*task)(void *ctx, int64_t i), void *ctx);
const char *yz_status_name(yz_status status);

const char *yz_dtype_name(yz_dtype dtype);
size_t yz_dtype_size(yz_dtype dtype); /* 0 for an invalid dtype */
int64_t yz_tensor_num_elements(const yz_tensor *tensor);

/* Element i (row-major) as a double (f16 and bf16 converted exactly). */
double yz_tensor_get(const yz_tensor *tensor, int64_t i);

/* Compares `got` with `want`: same dtype and shape, then float values within
 * atol + rtol * |want| (NaN matches NaN) and integers exactly. A u16 `want`
 * holds the bits of a bf16 `got` (numpy has no bfloat16). Returns 1 if they
 * match; writes a one-line summary (worst element) into `report`. */
int yz_tensor_compare(const yz_tensor *got, const yz_tensor *want, double rtol,
                      double atol, char *report, size_t report_size);

/* Allocates data for a tensor of the given info's dtype and shape. */
yz_status yz_tensor_alloc(const yz_tensor_info *info, yz_tensor *tensor);
void yz_tensor_free(yz_tensor *tensor);

/* .npy files (format versions 1-3, little-endian, C order). A bf16 tensor
 * is saved as '<u2' (its raw bits), the way numpy users store bfloat16. */
yz_status yz_npy_load(const char *path, yz_tensor *tensor);
yz_status yz_npy_save(const char *path, const yz_tensor *tensor);

#ifdef __cplusplus
}
#endif

#endif /* YZ_RUNTIME_H */
