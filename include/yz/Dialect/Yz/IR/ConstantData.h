//===- ConstantData.h - read and make constant tensor contents --*- C++ -*-===//
//
// Part of Yizhuang. For everything that reads or folds constants (the
// importer, yz graph passes, CPU weight packing), whether they are inline
// `dense<>` or `dense_resource<>` weights.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_CONSTANTDATA_H
#define YZ_DIALECT_YZ_IR_CONSTANTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <vector>

namespace mlir::yz {

/// The elements of a constant tensor in row-major order, one `width`-byte
/// little-endian slot each (splats expanded); i1 elements take a byte each
/// (0 or 1).
struct ConstantData {
  RankedTensorType type;
  std::vector<char> bytes;
  size_t width() const { return (type.getElementTypeBitWidth() + 7) / 8; }
  int64_t size() const { return type.getNumElements(); }
  template <typename T> const T *as() const {
    return reinterpret_cast<const T *>(bytes.data());
  }
};

/// The contents of an attribute of static shape (dense or dense resource).
std::optional<ConstantData> readElements(ElementsAttr attr);

/// The contents of `v` if a yz.constant defines it.
std::optional<ConstantData> readConstant(Value v);

/// The f32 values of a constant, if it is one.
std::optional<std::vector<float>> readF32(Value v);

/// The values of an integer (or i1) constant as int64 (unsigned types
/// zero-extended), if `v` is one.
std::optional<std::vector<int64_t>> readInts(Value v);

/// A yz.constant holding `bytes` as `type`: inline for a few elements, a
/// dense resource named `name` otherwise (weights never go through text),
/// its blob aligned to `align` bytes (0: the element size).
Value makeConstant(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<char> bytes, StringRef name = "folded",
                   size_t align = 0);
/// The attribute makeConstant puts on its constant.
ElementsAttr makeElements(RankedTensorType type, ArrayRef<char> bytes,
                          StringRef name = "folded", size_t align = 0);
Value makeF32Constant(OpBuilder &b, Location loc, RankedTensorType type,
                      ArrayRef<float> values);

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_CONSTANTDATA_H
