//===- YzDialect.cpp - the yz tensor dialect ------------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzDialect.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

#include "yz/Dialect/Yz/IR/YzOpsDialect.cpp.inc"

void YzDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "yz/Dialect/Yz/IR/YzOps.cpp.inc"
      >();
}

Operation *YzDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
