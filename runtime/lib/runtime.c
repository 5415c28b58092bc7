/*===- runtime.c - model invocation with signature checks ----------------===*
 *
 * Part of Yizhuang.
 *
 *===----------------------------------------------------------------------===*/

#include "yz/runtime.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[512];

yz_status yz_fail(yz_status status, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, args);
  va_end(args);
  return status;
}

const char *yz_last_error(void) { return last_error; }

const char *yz_status_name(yz_status status) {
  switch (status) {
  case YZ_OK: return "ok";
  case YZ_ERR_INVALID_ARGUMENT: return "invalid argument";
  case YZ_ERR_ARITY: return "wrong number of tensors";
  case YZ_ERR_DTYPE: return "dtype mismatch";
  case YZ_ERR_SHAPE: return "shape mismatch";
  case YZ_ERR_IO: return "I/O error";
  case YZ_ERR_FORMAT: return "bad file format";
  case YZ_ERR_NOMEM: return "out of memory";
  case YZ_ERR_ABI: return "ABI version mismatch";
  }
  return "unknown status";
}

const char *yz_dtype_name(yz_dtype dtype) {
  switch (dtype) {
  case YZ_DTYPE_F32: return "f32";
  case YZ_DTYPE_F64: return "f64";
  case YZ_DTYPE_F16: return "f16";
  case YZ_DTYPE_BF16: return "bf16";
  case YZ_DTYPE_I8: return "i8";
  case YZ_DTYPE_I16: return "i16";
  case YZ_DTYPE_I32: return "i32";
  case YZ_DTYPE_I64: return "i64";
  case YZ_DTYPE_U8: return "u8";
  case YZ_DTYPE_BOOL: return "bool";
  case YZ_DTYPE_U16: return "u16";
  case YZ_DTYPE_U32: return "u32";
  case YZ_DTYPE_U64: return "u64";
  case YZ_DTYPE_INVALID: break;
  }
  return "invalid";
}

size_t yz_dtype_size(yz_dtype dtype) {
  switch (dtype) {
  case YZ_DTYPE_F64: case YZ_DTYPE_I64: case YZ_DTYPE_U64: return 8;
  case YZ_DTYPE_F32: case YZ_DTYPE_I32: case YZ_DTYPE_U32: return 4;
  case YZ_DTYPE_F16: case YZ_DTYPE_BF16: case YZ_DTYPE_I16:
  case YZ_DTYPE_U16: return 2;
  case YZ_DTYPE_I8: case YZ_DTYPE_U8: case YZ_DTYPE_BOOL: return 1;
  case YZ_DTYPE_INVALID: break;
  }
  return 0;
}

int64_t yz_tensor_num_elements(const yz_tensor *tensor) {
  int64_t n = 1;
  for (int32_t i = 0; i < tensor->rank; ++i)
    n *= tensor->shape[i];
  return n;
}

const char *yz_shape_str(int32_t rank, const int64_t *shape, char *buf,
                         size_t size) {
  if (rank == 0)
    return snprintf(buf, size, "scalar"), buf;
  size_t used = 0;
  buf[0] = 0;
  for (int32_t i = 0; i < rank && used < size; ++i)
    used += (size_t)snprintf(buf + used, size - used, i ? "x%lld" : "%lld",
                             (long long)shape[i]);
  return buf;
}

static yz_status check_tensor(const char *role, int32_t index,
                              const yz_tensor_info *info,
                              const yz_tensor *tensor) {
  char want[128], got[128];
  if (!tensor->data)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "%s %d ('%s') has no data", role,
                   index, info->name);
  /* bf16 data arrive as u16 (their bits): numpy has no bfloat16. */
  int bf16_bits = info->dtype == YZ_DTYPE_BF16 && tensor->dtype == YZ_DTYPE_U16;
  if ((int32_t)tensor->dtype != info->dtype && !bf16_bits)
    return yz_fail(YZ_ERR_DTYPE, "%s %d ('%s') must be %s, got %s", role,
                   index, info->name, yz_dtype_name((yz_dtype)info->dtype),
                   yz_dtype_name(tensor->dtype));
  int same = tensor->rank == info->rank;
  for (int32_t i = 0; same && i < info->rank; ++i)
    same = tensor->shape[i] == info->shape[i];
  if (!same)
    return yz_fail(YZ_ERR_SHAPE, "%s %d ('%s') must have shape %s, got %s",
                   role, index, info->name,
                   yz_shape_str(info->rank, info->shape, want, sizeof want),
                   yz_shape_str(tensor->rank, tensor->shape, got, sizeof got));
  return YZ_OK;
}

yz_status yz_run(const yz_model *model, const yz_tensor *inputs,
                       int32_t num_inputs, yz_tensor *outputs,
                       int32_t num_outputs) {
  if (!model || (num_inputs && !inputs) || (num_outputs && !outputs))
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null model or tensor array");
  if (model->abi_version != YZ_ABI_VERSION)
    return yz_fail(YZ_ERR_ABI, "model '%s' has ABI version %d, runtime has %d",
                   model->name, model->abi_version, YZ_ABI_VERSION);
  if (num_inputs != model->num_inputs || num_outputs != model->num_outputs)
    return yz_fail(YZ_ERR_ARITY,
                   "model '%s' takes %d inputs and %d outputs, got %d and %d",
                   model->name, model->num_inputs, model->num_outputs,
                   num_inputs, num_outputs);
  void *stack_buffers[16];
  int32_t total = num_inputs + num_outputs;
  void **buffers = total <= 16 ? stack_buffers
                               : (void **)malloc(sizeof(void *) * total);
  if (!buffers)
    return yz_fail(YZ_ERR_NOMEM, "out of memory");
  yz_status status = YZ_OK;
  for (int32_t i = 0; i < num_inputs && status == YZ_OK; ++i) {
    status = check_tensor("input", i, &model->inputs[i], &inputs[i]);
    buffers[i] = inputs[i].data;
  }
  for (int32_t i = 0; i < num_outputs && status == YZ_OK; ++i) {
    status = check_tensor("output", i, &model->outputs[i], &outputs[i]);
    buffers[num_inputs + i] = outputs[i].data;
  }
  if (status == YZ_OK) {
    last_error[0] = 0;
    model->invoke(buffers);
  }
  if (buffers != stack_buffers)
    free(buffers);
  return status;
}

yz_status yz_tensor_alloc(const yz_tensor_info *info, yz_tensor *tensor) {
  if (!info || !tensor || info->rank < 0 || info->rank > YZ_MAX_RANK ||
      !yz_dtype_size((yz_dtype)info->dtype))
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "invalid tensor info");
  tensor->dtype = (yz_dtype)info->dtype;
  tensor->rank = info->rank;
  for (int32_t i = 0; i < info->rank; ++i)
    tensor->shape[i] = info->shape[i];
  size_t bytes = (size_t)yz_tensor_num_elements(tensor) *
                 yz_dtype_size(tensor->dtype);
  /* 64-byte alignment suits every vector unit we target. */
  tensor->data = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
  if (!tensor->data)
    return yz_fail(YZ_ERR_NOMEM, "cannot allocate %zu bytes", bytes);
  return YZ_OK;
}

void yz_tensor_free(yz_tensor *tensor) {
  if (!tensor)
    return;
  free(tensor->data);
  tensor->data = NULL;
}
