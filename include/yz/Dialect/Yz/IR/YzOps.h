//===- YzOps.h - yz op declarations -----------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZOPS_H
#define YZ_DIALECT_YZ_IR_YZOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "yz/Dialect/Yz/IR/YzDialect.h"

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzOps.h.inc"

namespace mlir::yz {
/// The numpy broadcast of two shapes, or failure with a message naming the
/// first incompatible dimension.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs,
                                                std::string &why);

/// Whether a tensor of `shape` varies only along the output channels of an
/// NCHW convolution with `channels` of them: [1, F, 1, 1] or [F, 1, 1].
inline bool isPerOutputChannel(ArrayRef<int64_t> shape, int64_t channels) {
  return shape == ArrayRef<int64_t>{1, channels, 1, 1} ||
         shape == ArrayRef<int64_t>{channels, 1, 1};
}
} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_YZOPS_H
