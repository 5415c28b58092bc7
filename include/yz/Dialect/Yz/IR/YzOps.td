//===- YzOps.td - every yz op family, for the dialect's docs -*- tablegen -*-===//
//
// Part of Yizhuang. The families are generated one by one (CMakeLists.txt);
// this file only gathers them for the op documentation.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZOPS_TD
#define YZ_DIALECT_YZ_IR_YZOPS_TD

include "yz/Dialect/Yz/IR/YzElementwiseOps.td"
include "yz/Dialect/Yz/IR/YzNNOps.td"
include "yz/Dialect/Yz/IR/YzShapeOps.td"
include "yz/Dialect/Yz/IR/YzQuantOps.td"
include "yz/Dialect/Yz/IR/YzControlOps.td"

#endif // YZ_DIALECT_YZ_IR_YZOPS_TD
