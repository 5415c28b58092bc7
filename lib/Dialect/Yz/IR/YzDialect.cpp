//===- YzDialect.cpp - the yz tensor dialect ------------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

#include "yz/Dialect/Yz/IR/YzDialect.cpp.inc"
#include "yz/Dialect/Yz/IR/YzInterfaces.cpp.inc"

void YzDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzElementwiseOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzNNOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzShapeOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzQuantOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzControlOps.cpp.inc"
      >();
}

Operation *YzDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
