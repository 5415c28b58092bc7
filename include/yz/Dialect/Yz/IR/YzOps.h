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
} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_YZOPS_H
