//===- YzDialect.h - the yz tensor dialect ----------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZDIALECT_H
#define YZ_DIALECT_YZ_IR_YZDIALECT_H

#include "mlir/IR/Dialect.h"

#include "yz/Dialect/Yz/IR/YzDialect.h.inc"

#endif // YZ_DIALECT_YZ_IR_YZDIALECT_H
