//===- Transposed.h - transposes, constants at compile time -*- C++ -*-----===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_TRANSPOSED_H
#define YZ_CPU_TRANSPOSED_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::yz {

/// `value` transposed by `perm` (result dim i is `value`'s dim perm[i]): a
/// linalg.transpose, or when `value` is a constant (through reshapes) the
/// transposed constant, made at compile time. That constant is dense when
/// `resource` is empty (a depthwise filter: C x KH x KW values), else a
/// dense resource of that name for larger ones (weights never go through
/// text).
Value transposed(RewriterBase &rewriter, Location loc, Value value,
                 ArrayRef<int64_t> perm, StringRef resource = {});

} // namespace mlir::yz

#endif // YZ_CPU_TRANSPOSED_H
