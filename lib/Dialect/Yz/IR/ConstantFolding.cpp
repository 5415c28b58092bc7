//===- ConstantFolding.cpp - evaluate yz ops on constants -----------------===//
//
// Part of Yizhuang. See ConstantFolding.h.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/ConstantFolding.h"

#include "ScalarEvaluator.h"

#include "yz/Dialect/Yz/IR/YzOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstring>

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Row-major strides of `shape` as seen from `resultShape` under numpy
/// broadcasting: a stretched dimension (or a missing one) has stride 0.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> resultShape) {
  SmallVector<int64_t> strides(resultShape.size(), 0);
  int64_t stride = 1;
  for (int64_t j = int64_t(shape.size()) - 1; j >= 0; --j) {
    size_t i = j + resultShape.size() - shape.size();
    strides[i] = shape[j] == 1 ? 0 : stride;
    stride *= shape[j];
  }
  return strides;
}

/// Row-major strides of `shape`.
SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// For each result element (row-major), the element index it reads from an
/// operand: offset + sum(index[d] * strides[d]).
std::vector<int64_t> sourceIndices(ArrayRef<int64_t> resultShape,
                                   ArrayRef<int64_t> strides,
                                   int64_t offset = 0) {
  int64_t count = 1;
  for (int64_t d : resultShape)
    count *= d;
  std::vector<int64_t> out(count);
  SmallVector<int64_t> index(resultShape.size(), 0);
  int64_t src = offset;
  for (int64_t i = 0; i < count; ++i) {
    out[i] = src;
    // Odometer increment, keeping `src` in step.
    for (int64_t d = int64_t(resultShape.size()) - 1; d >= 0; --d) {
      src += strides[d];
      if (++index[d] < resultShape[d])
        break;
      src -= strides[d] * resultShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/// The elements of `in` at `indices`, as a tensor of `type`.
ConstantData gatherBytes(const ConstantData &in, ArrayRef<int64_t> indices,
                         RankedTensorType type) {
  size_t w = in.width();
  ConstantData out{type, std::vector<char>(indices.size() * w)};
  for (size_t i = 0; i < indices.size(); ++i)
    std::memcpy(out.bytes.data() + i * w, in.bytes.data() + indices[i] * w, w);
  return out;
}

Type signless(Type t) {
  if (auto i = dyn_cast<IntegerType>(t))
    return IntegerType::get(t.getContext(), i.getWidth());
  return t;
}

std::optional<ConstantData> foldElementwise(ElementwiseOpInterface op,
                                            ArrayRef<ConstantData> in,
                                            RankedTensorType result) {
  Block body;
  Location loc = op.getLoc();
  SmallVector<Type> types;
  for (const ConstantData &d : in) {
    types.push_back(d.type.getElementType());
    body.addArgument(signless(types.back()), loc);
  }
  OpBuilder b(op.getContext());
  b.setInsertionPointToEnd(&body);
  Value value = op.buildScalar(b, loc, body.getArguments());
  auto evaluator = ScalarEvaluator::compile(body, value);
  if (!evaluator)
    return std::nullopt;
  SmallVector<std::vector<int64_t>> sources;
  for (const ConstantData &d : in)
    sources.push_back(sourceIndices(
        result.getShape(),
        broadcastStrides(d.type.getShape(), result.getShape())));
  Type elt = result.getElementType();
  ConstantData out{result, {}};
  size_t w = out.width();
  out.bytes.resize(result.getNumElements() * w);
  SmallVector<Scalar> args(in.size());
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
    for (size_t k = 0; k < in.size(); ++k)
      args[k] = loadScalar(types[k],
                           in[k].bytes.data() + sources[k][i] * in[k].width());
    std::optional<Scalar> v = evaluator->run(args);
    if (!v)
      return std::nullopt;
    storeScalar(elt, *v, out.bytes.data() + i * w);
  }
  return out;
}

std::optional<ConstantData> foldTranspose(TransposeOp op, const ConstantData &in,
                                          RankedTensorType result) {
  return transposeData(in, op.getPerm());
}

std::optional<ConstantData> foldSlice(SliceOp op, const ConstantData &in,
                                      RankedTensorType result) {
  SmallVector<int64_t> inStrides = rowMajorStrides(in.type.getShape()), strides;
  int64_t offset = 0;
  for (auto [d, s] : llvm::enumerate(inStrides)) {
    offset += op.getStarts()[d] * s;
    strides.push_back(op.getStrides()[d] * s);
  }
  return gatherBytes(in, sourceIndices(result.getShape(), strides, offset),
                     result);
}

std::optional<ConstantData> foldGather(GatherOp op, const ConstantData &data,
                                       const ConstantData &indices,
                                       RankedTensorType result) {
  int64_t axis = op.getAxisAttr().getInt();
  ArrayRef<int64_t> shape = data.type.getShape();
  int64_t outer = 1, inner = 1, dim = shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < int64_t(shape.size()); ++d)
    inner *= shape[d];
  auto idxType = cast<IntegerType>(indices.type.getElementType());
  std::vector<int64_t> src;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t p = 0; p < indices.size(); ++p) {
      int64_t k = 0;
      std::memcpy(&k, indices.bytes.data() + p * indices.width(),
                  indices.width());
      if (idxType.getWidth() == 32)
        k = int32_t(k);
      if (k < 0)
        k += dim;
      if (k < 0 || k >= dim)
        return std::nullopt; // out of range: left to the run time
      for (int64_t q = 0; q < inner; ++q)
        src.push_back((o * dim + k) * inner + q);
    }
  return gatherBytes(data, src, result);
}

std::optional<ConstantData> foldConcat(ConcatOp op,
                                       ArrayRef<ConstantData> in,
                                       RankedTensorType result) {
  int64_t axis = op.getAxisAttr().getInt(), outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= result.getDimSize(d);
  ConstantData out{result, {}};
  for (int64_t o = 0; o < outer; ++o)
    for (const ConstantData &d : in) {
      size_t chunk = d.bytes.size() / std::max<int64_t>(outer, 1);
      out.bytes.insert(out.bytes.end(), d.bytes.begin() + o * chunk,
                       d.bytes.begin() + (o + 1) * chunk);
    }
  return out;
}

} // namespace

ConstantData mlir::yz::transposeData(const ConstantData &in,
                                     ArrayRef<int64_t> perm) {
  // Result dim i walks input dim perm[i].
  SmallVector<int64_t> inStrides = rowMajorStrides(in.type.getShape()), strides;
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    strides.push_back(inStrides[p]);
    shape.push_back(in.type.getDimSize(p));
  }
  auto result = in.type.clone(shape);
  return gatherBytes(in, sourceIndices(result.getShape(), strides), result);
}

std::optional<ConstantData> mlir::yz::foldOp(Operation *op,
                                             ArrayRef<ConstantData> in) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!result || !result.hasStaticShape())
    return std::nullopt;
  if (auto e = dyn_cast<ElementwiseOpInterface>(op))
    return foldElementwise(e, in, result);
  return llvm::TypeSwitch<Operation *, std::optional<ConstantData>>(op)
      .Case<IdentityOp, ReshapeOp>([&](auto) {
        return ConstantData{result, in[0].bytes};
      })
      .Case([&](TransposeOp t) { return foldTranspose(t, in[0], result); })
      .Case([&](SliceOp s) { return foldSlice(s, in[0], result); })
      .Case([&](GatherOp g) { return foldGather(g, in[0], in[1], result); })
      .Case([&](ConcatOp c) { return foldConcat(c, in, result); })
      .Default([](Operation *) { return std::nullopt; });
}

Value mlir::yz::foldToConstant(OpBuilder &b, Operation *op,
                               int64_t maxElements) {
  if (!isa<YzDialect>(op->getDialect()) || isa<ConstantOp>(op) ||
      op->getNumResults() != 1 || op->getNumOperands() == 0)
    return {};
  auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!result || !result.hasStaticShape() ||
      result.getNumElements() > maxElements)
    return {};
  SmallVector<ConstantData> in;
  for (Value operand : op->getOperands()) {
    auto data = readConstant(operand);
    if (!data)
      return {};
    in.push_back(std::move(*data));
  }
  auto folded = foldOp(op, in);
  if (!folded)
    return {};
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  return makeConstant(b, op->getLoc(), result, folded->bytes);
}
