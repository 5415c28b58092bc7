//===- ConstantData.cpp - read and make yz.constant contents --------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/IR/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "yz/Dialect/Yz/IR/YzOps.h"

#include <cstring>

using namespace mlir;
using namespace mlir::yz;

std::optional<ConstantData> mlir::yz::readConstant(Value v) {
  auto constant = v ? v.getDefiningOp<yz::ConstantOp>() : nullptr;
  if (!constant)
    return std::nullopt;
  return readElements(constant.getValue());
}

std::optional<ConstantData> mlir::yz::readElements(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      (type.getElementTypeBitWidth() % 8 != 0 &&
       !type.getElementType().isInteger(1)))
    return std::nullopt;
  ConstantData data{type, {}};
  size_t width = data.width(), count = type.getNumElements();
  if (type.getElementType().isInteger(1)) { // bit-packed: one byte each
    auto dense = dyn_cast<DenseElementsAttr>(attr);
    if (!dense)
      return std::nullopt;
    for (bool v : dense.getValues<bool>())
      data.bytes.push_back(char(v));
    return data;
  }
  ArrayRef<char> raw;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    raw = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    raw = blob->getData();
  } else {
    return std::nullopt;
  }
  if (raw.size() == width && count != 1) { // a splat
    data.bytes.resize(width * count);
    for (size_t i = 0; i < count; ++i)
      std::memcpy(data.bytes.data() + i * width, raw.data(), width);
  } else if (raw.size() == width * count) {
    data.bytes.assign(raw.begin(), raw.end());
  } else {
    return std::nullopt;
  }
  return data;
}

std::optional<std::vector<float>> mlir::yz::readF32(Value v) {
  auto data = readConstant(v);
  if (!data || !data->type.getElementType().isF32())
    return std::nullopt;
  const float *p = data->as<float>();
  return std::vector<float>(p, p + data->type.getNumElements());
}

std::optional<std::vector<int64_t>> mlir::yz::readInts(Value v) {
  auto data = readConstant(v);
  if (!data)
    return std::nullopt;
  auto elt = dyn_cast<IntegerType>(data->type.getElementType());
  if (!elt)
    return std::nullopt;
  std::vector<int64_t> out(data->size());
  size_t w = data->width();
  for (int64_t i = 0; i < data->size(); ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, data->bytes.data() + i * w, w);
    unsigned bits = elt.getWidth();
    if (bits < 64 && !elt.isUnsigned() && bits > 1 && (raw >> (bits - 1)) & 1)
      raw |= ~uint64_t(0) << bits; // sign-extend
    out[i] = int64_t(raw);
  }
  return out;
}

Value mlir::yz::makeConstant(OpBuilder &b, Location loc, RankedTensorType type,
                             ArrayRef<char> bytes, StringRef name,
                             size_t align) {
  return yz::ConstantOp::create(b, loc, makeElements(type, bytes, name, align));
}

ElementsAttr mlir::yz::makeElements(RankedTensorType type,
                                    ArrayRef<char> bytes, StringRef name,
                                    size_t align) {
  ElementsAttr attr;
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> bits(bytes.begin(), bytes.end());
    return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  }
  if (type.getNumElements() <= 16) {
    bool splat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, bytes, splat))
      llvm_unreachable("constant bytes do not match their type");
    attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
  } else {
    if (!align)
      align = type.getElementTypeBitWidth() / 8;
    attr = DenseResourceElementsAttr::get(
        type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align));
  }
  return attr;
}

Value mlir::yz::makeF32Constant(OpBuilder &b, Location loc,
                                RankedTensorType type, ArrayRef<float> values) {
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  return makeConstant(b, loc, type, bytes);
}
