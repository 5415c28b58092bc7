//===- NpuDialect.h - the npu dialect ---------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_IR_NPUDIALECT_H
#define YZ_DIALECT_NPU_IR_NPUDIALECT_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dialect.h"

#include "yz/Dialect/Npu/IR/NpuOpsDialect.h.inc"

#endif // YZ_DIALECT_NPU_IR_NPUDIALECT_H
