/*===- error.h - the runtime's internal error reporting ------------------===*
 *
 * Part of Yizhuang. Shared by the runtime's files, not part of its API.
 *
 *===----------------------------------------------------------------------===*/

#ifndef YZ_RUNTIME_ERROR_H
#define YZ_RUNTIME_ERROR_H

#include "yz/runtime.h"

/* Records a printf-style message for yz_last_error() and returns status. */
yz_status yz_fail(yz_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats a shape as "4x8" ("scalar" for rank 0) into buf. */
const char *yz_shape_str(int32_t rank, const int64_t *shape, char *buf,
                         size_t size);

#endif /* YZ_RUNTIME_ERROR_H */
