//===- Reshapes.h - looking through tensor reshapes -------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_RESHAPES_H
#define YZ_CPU_RESHAPES_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::yz {

/// `v` with any chain of tensor.collapse_shape / expand_shape producing it
/// looked through: the same elements in the same order (a conv's filter
/// made a matrix, a padded input viewed with a group dimension).
inline Value throughReshapes(Value v) {
  while (isa_and_present<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      v.getDefiningOp()))
    v = v.getDefiningOp()->getOperand(0);
  return v;
}

} // namespace mlir::yz

#endif // YZ_CPU_RESHAPES_H
