/*===- npy.c - read and write numpy .npy files ----------------------------===*
 *
 * Part of Yizhuang. Only what numpy writes for dense little-endian arrays in
 * C order; anything else is a YZ_ERR_FORMAT with a message saying why.
 *
 *===----------------------------------------------------------------------===*/

#include "error.h"
#include "yz/runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *descr;
  yz_dtype dtype;
} descrs[] = {
    {"f4", YZ_DTYPE_F32}, {"f8", YZ_DTYPE_F64}, {"f2", YZ_DTYPE_F16},
    {"i1", YZ_DTYPE_I8},  {"i2", YZ_DTYPE_I16}, {"i4", YZ_DTYPE_I32},
    {"i8", YZ_DTYPE_I64}, {"u1", YZ_DTYPE_U8},  {"b1", YZ_DTYPE_BOOL},
    {"u2", YZ_DTYPE_U16}, {"u4", YZ_DTYPE_U32}, {"u8", YZ_DTYPE_U64},
    {"u2", YZ_DTYPE_BF16}, /* saved as its raw bits; loads as u16 */
};

/* Finds the value after 'key': in a header dict, or NULL. */
static const char *dict_value(const char *header, const char *key) {
  char quoted[32];
  snprintf(quoted, sizeof quoted, "'%s'", key);
  const char *at = strstr(header, quoted);
  if (!at)
    return NULL;
  at = strchr(at + strlen(quoted), ':');
  if (!at)
    return NULL;
  for (++at; *at == ' '; ++at)
    ;
  return at;
}

static yz_status parse_header(const char *path, const char *header,
                              yz_tensor *t) {
  const char *descr = dict_value(header, "descr");
  if (!descr || descr[0] != '\'')
    return yz_fail(YZ_ERR_FORMAT, "%s: .npy header has no 'descr'", path);
  char order = descr[1];
  if (order == '>')
    return yz_fail(YZ_ERR_FORMAT, "%s: big-endian arrays are not supported",
                   path);
  t->dtype = YZ_DTYPE_INVALID;
  for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; ++i)
    if (strncmp(descr + 2, descrs[i].descr, 2) == 0 && descr[4] == '\'') {
      t->dtype = descrs[i].dtype;
      break;
    }
  if (t->dtype == YZ_DTYPE_INVALID || !strchr("<|=", order)) {
    const char *end = strchr(descr + 1, '\'');
    return yz_fail(YZ_ERR_FORMAT, "%s: unsupported dtype %.*s", path,
                   end ? (int)(end - descr - 1) : 8, descr + 1);
  }
  const char *fortran = dict_value(header, "fortran_order");
  if (!fortran || strncmp(fortran, "False", 5) != 0)
    return yz_fail(YZ_ERR_FORMAT,
                   "%s: only C-order arrays are supported (fortran_order)",
                   path);
  const char *shape = dict_value(header, "shape");
  if (!shape || *shape != '(')
    return yz_fail(YZ_ERR_FORMAT, "%s: .npy header has no 'shape'", path);
  t->rank = 0;
  for (const char *p = shape + 1; *p != ')';) {
    if (*p == ' ' || *p == ',') {
      ++p;
      continue;
    }
    char *end;
    errno = 0;
    long long dim = strtoll(p, &end, 10);
    if (end == p || errno || dim < 0)
      return yz_fail(YZ_ERR_FORMAT, "%s: malformed shape in .npy header", path);
    if (t->rank == YZ_MAX_RANK)
      return yz_fail(YZ_ERR_FORMAT, "%s: rank above %d is not supported", path,
                     YZ_MAX_RANK);
    t->shape[t->rank++] = dim;
    p = end;
  }
  return YZ_OK;
}

yz_status yz_npy_load(const char *path, yz_tensor *t) {
  if (!path || !t)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null path or tensor");
  t->data = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return yz_fail(YZ_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  unsigned char pre[12];
  yz_status status = YZ_OK;
  char *header = NULL;
  size_t prefix = fread(pre, 1, 10, f);
  if (prefix < 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
    status = yz_fail(YZ_ERR_FORMAT, "%s: not a .npy file", path);
    goto done;
  }
  size_t header_len = pre[8] | (size_t)pre[9] << 8;
  if (pre[6] >= 2) { /* versions 2 and 3 have a 4-byte header length */
    if (fread(pre + 10, 1, 2, f) != 2) {
      status = yz_fail(YZ_ERR_FORMAT, "%s: truncated .npy header", path);
      goto done;
    }
    header_len |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
  }
  if (pre[6] < 1 || pre[6] > 3 || header_len > (1u << 20)) {
    status = yz_fail(YZ_ERR_FORMAT, "%s: unsupported .npy version %d.%d", path,
                     pre[6], pre[7]);
    goto done;
  }
  header = (char *)malloc(header_len + 1);
  if (!header || fread(header, 1, header_len, f) != header_len) {
    status = yz_fail(YZ_ERR_FORMAT, "%s: truncated .npy header", path);
    goto done;
  }
  header[header_len] = 0;
  if ((status = parse_header(path, header, t)) != YZ_OK)
    goto done;
  size_t bytes = (size_t)yz_tensor_num_elements(t) * yz_dtype_size(t->dtype);
  t->data = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
  if (!t->data) {
    status = yz_fail(YZ_ERR_NOMEM, "%s: cannot allocate %zu bytes", path, bytes);
    goto done;
  }
  size_t got = fread(t->data, 1, bytes, f);
  if (got != bytes) {
    status = yz_fail(YZ_ERR_FORMAT, "%s: has %zu bytes of data, expected %zu",
                     path, got, bytes);
    free(t->data);
    t->data = NULL;
  }
done:
  free(header);
  fclose(f);
  return status;
}

yz_status yz_npy_save(const char *path, const yz_tensor *t) {
  if (!path || !t || !t->data || t->rank < 0 || t->rank > YZ_MAX_RANK)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "invalid tensor to save");
  const char *descr = NULL;
  for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; ++i)
    if (descrs[i].dtype == t->dtype)
      descr = descrs[i].descr;
  if (!descr)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT,
                   "%s: dtype %s has no .npy equivalent", path,
                   yz_dtype_name(t->dtype));
  char dict[512];
  int n = snprintf(dict, sizeof dict, "{'descr': '%c%s', 'fortran_order': "
                                      "False, 'shape': (",
                   yz_dtype_size(t->dtype) == 1 ? '|' : '<', descr);
  for (int32_t i = 0; i < t->rank; ++i)
    n += snprintf(dict + n, sizeof dict - n, "%lld,%s", (long long)t->shape[i],
                  i + 1 < t->rank ? " " : "");
  if (t->rank > 1) /* numpy writes (4, 8), and (5,) for rank 1 */
    --n;
  n += snprintf(dict + n, sizeof dict - n, "), }");
  /* Pad with spaces so that the data starts on a 64-byte boundary. */
  int total = (10 + n + 1 + 63) / 64 * 64;
  int pad = total - 10 - n - 1;
  FILE *f = fopen(path, "wb");
  if (!f)
    return yz_fail(YZ_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
  unsigned header_len = (unsigned)(total - 10);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                           (unsigned char)(header_len & 0xff),
                           (unsigned char)(header_len >> 8)};
  size_t bytes = (size_t)yz_tensor_num_elements(t) * yz_dtype_size(t->dtype);
  int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(dict, 1, n, f) == (size_t)n &&
           fprintf(f, "%*s\n", pad, "") == pad + 1 &&
           fwrite(t->data, 1, bytes, f) == bytes;
  if (fclose(f) != 0 || !ok)
    return yz_fail(YZ_ERR_IO, "%s: write failed", path);
  return YZ_OK;
}
