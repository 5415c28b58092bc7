//===- Passes.h - npu dialect transformations -------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_TRANSFORMS_PASSES_H
#define YZ_DIALECT_NPU_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"

namespace mlir::yz {

#define GEN_PASS_DECL
#include "yz/Dialect/Npu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "yz/Dialect/Npu/Transforms/Passes.h.inc"

} // namespace mlir::yz

#endif // YZ_DIALECT_NPU_TRANSFORMS_PASSES_H
