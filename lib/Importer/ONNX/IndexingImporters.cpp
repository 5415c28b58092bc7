//===- IndexingImporters.cpp - ONNX gathers and scatters -> yz ------------===//
//
// Part of Yizhuang. Gather, GatherElements, GatherND, ScatterElements (and
// the older Scatter) and ScatterND. Constant indices are checked against
// the data here; run-time ones are the model's promise.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

LogicalResult checkIndexType(NodeContext &ctx, Value indices) {
  Type it = typeOf(indices).getElementType();
  if (!it.isInteger(32) && !it.isInteger(64))
    return ctx.fail("indices must be int32 or int64");
  return success();
}

LogicalResult gather(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(data).getRank()))
    return ctx.fail("axis is out of range");
  if (failed(checkIndexType(ctx, indices)))
    return failure();
  // Constant indices are checked here; others are the model's promise.
  if (auto idx = ctx.constantInts(1)) {
    int64_t dim = typeOf(data).getDimSize(axis);
    for (int64_t i : *idx)
      if (i < -dim || i >= dim)
        return ctx.fail("index " + std::to_string(i) + " is out of range for "
                        "a dimension of " + std::to_string(dim));
  }
  auto y = ctx.create<yz::GatherOp>(data, indices, axis);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult gatherElements(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1);
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(data).getRank()))
    return ctx.fail("axis is out of range");
  if (failed(checkIndexType(ctx, indices)))
    return failure();
  auto y = ctx.create<yz::GatherElementsOp>(data, indices, axis);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult gatherND(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1);
  if (failed(checkIndexType(ctx, indices)))
    return failure();
  auto y = ctx.create<yz::GatherNDOp>(data, indices,
                                      ctx.intAttr("batch_dims", 0));
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// The reduction attribute (opset 16 on; before, none).
FailureOr<std::string> scatterReduction(NodeContext &ctx) {
  std::string r = ctx.stringAttr("reduction", "none");
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return ctx.fail("reduction must be none, add, mul, max or min, got " + r);
  return r;
}

LogicalResult scatterElements(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1), updates = ctx.input(2);
  if (failed(checkIndexType(ctx, indices)))
    return failure();
  int64_t axis = ctx.intAttr("axis", 0);
  if (!normalizeAxis(axis, typeOf(data).getRank()))
    return ctx.fail("axis is out of range");
  auto reduction = scatterReduction(ctx);
  if (failed(reduction))
    return failure();
  auto y = ctx.createTyped<yz::ScatterElementsOp>(typeOf(data), data, indices,
                                                  updates, axis, *reduction);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

LogicalResult scatterND(NodeContext &ctx) {
  Value data = ctx.input(0), indices = ctx.input(1), updates = ctx.input(2);
  if (failed(checkIndexType(ctx, indices)))
    return failure();
  auto reduction = scatterReduction(ctx);
  if (failed(reduction))
    return failure();
  auto y = ctx.createTyped<yz::ScatterNDOp>(typeOf(data), data, indices,
                                            updates, *reduction);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerIndexingImporters(Registry &r) {
  r.op("Gather", 1, gather);
  r.op("GatherElements", 11, gatherElements);
  r.op("GatherND", 11, gatherND);
  r.op("Scatter", 9, scatterElements);
  r.op("ScatterElements", 11, scatterElements);
  r.op("ScatterND", 11, scatterND);
}
