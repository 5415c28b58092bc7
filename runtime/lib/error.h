/*===- error.h - the runtime's internal error reporting ------------------===*
 *
 * Part of Yizhuang.
 *
 *===----------------------------------------------------------------------===*/

#ifndef YZ_RUNTIME_ERROR_H
#define YZ_RUNTIME_ERROR_H

#include "yz/runtime.h"

/* Records a printf-style message for yz_last_error() and returns status. */
yz_status yz_fail(yz_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* YZ_RUNTIME_ERROR_H */
