//===- ControlOps.cpp - yz.loop and yz.yield ------------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;

LogicalResult LoopOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  for (Value v : adaptor.getInits())
    types.push_back(v.getType());
  return success();
}

LogicalResult LoopOp::verify() {
  // I64Attr's accessor is unsigned; read the attribute as signed.
  int64_t count = getCountAttr().getInt();
  if (count < 0)
    return emitOpError("count must not be negative, got ") << count;
  Block &body = getBody().front();
  auto step = RankedTensorType::get({}, IntegerType::get(getContext(), 64));
  if (body.getNumArguments() != getInits().size() + 1 ||
      body.getArgument(0).getType() != step)
    return emitOpError("the body takes the step (tensor<i64>) and one "
                       "argument per carried value");
  auto yield = cast<YieldOp>(body.getTerminator());
  for (auto [i, init] : llvm::enumerate(getInits())) {
    if (body.getArgument(i + 1).getType() != init.getType())
      return emitOpError("body argument ")
             << i + 1 << " must have the type of init " << i << ", "
             << init.getType();
  }
  if (yield.getValues().getTypes() != getInits().getTypes())
    return emitOpError("yz.yield must give one value per carried value, of "
                       "its type");
  return success();
}

#define GET_OP_CLASSES
#include "yz/Dialect/Yz/IR/YzControlOps.cpp.inc"
