//===- YzOps.h - yz op declarations -----------------------------*- C++ -*-===//
//
// Part of Yizhuang. Every yz op family and the interfaces passes ask of them.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZOPS_H
#define YZ_DIALECT_YZ_IR_YZOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "yz/Dialect/Yz/IR/YzDialect.h"

namespace mlir::yz {

/// The numpy broadcast of two shapes, or failure with a message naming the
/// first incompatible dimension.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs,
                                                std::string &why);

/// The elementwise family's inference: the numpy broadcast of all operands;
/// operands from `firstValue` on must share an element type, which the
/// result has (i1 with `boolResult`).
LogicalResult inferBroadcast(StringRef opName, std::optional<Location> loc,
                             ValueRange operands, unsigned firstValue,
                             bool boolResult, SmallVectorImpl<Type> &types);

/// The reductions' inference: `axes` (sorted, unique, in range) dropped, or
/// kept as 1 with `keepdims`.
LogicalResult inferReduce(StringRef opName, std::optional<Location> loc,
                          Value input, ArrayRef<int64_t> axes, bool keepdims,
                          SmallVectorImpl<Type> &types);

/// EpilogueOpInterface's cloneWithEpilogue for ops laid out (a, b, bias?)
/// with clamp_min/clamp_max attributes.
Operation *cloneWithEpilogue(Operation *op, OpBuilder &b, Value bias,
                             FloatAttr lo, FloatAttr hi);

/// Whether a tensor of `shape` varies only along the output channels of an
/// NCHW convolution with `channels` of them: [1, F, 1, 1] or [F, 1, 1].
inline bool isPerOutputChannel(ArrayRef<int64_t> shape, int64_t channels) {
  return shape == ArrayRef<int64_t>{1, channels, 1, 1} ||
         shape == ArrayRef<int64_t>{channels, 1, 1};
}

} // namespace mlir::yz

#include "yz/Dialect/Yz/IR/YzInterfaces.h.inc"

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzNNOps.h.inc"
#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzShapeOps.h.inc"
#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzQuantOps.h.inc"
#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzControlOps.h.inc"

#endif // YZ_DIALECT_YZ_IR_YZOPS_H
