//===- Helpers.h - shared pieces of the yz -> linalg patterns ---*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Conversion/YzToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_CONVERSION_YZTOLINALG_HELPERS_H
#define YZ_LIB_CONVERSION_YZTOLINALG_HELPERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "yz/Conversion/YzToLinalg/YzToLinalg.h"

namespace mlir {
class RewritePatternSet;
namespace yz {

/// tensor.empty of `type` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);
/// The zero, or the lowest value (-inf, INT_MIN), of a scalar type.
Value zeroOf(OpBuilder &b, Location loc, Type type);
Value lowestOf(OpBuilder &b, Location loc, Type type);
/// A rank-0 yz.constant (it broadcasts against anything).
Value yzScalar(OpBuilder &b, Location loc, Type elementType, double value);

/// The fused epilogue of yz.matmul and yz.conv2d as yz ops (lowered in
/// turn): `value` + `bias` (broadcast), then clamped to [lo, hi] if set.
Value applyEpilogue(OpBuilder &b, Location loc, Value value, Value bias,
                    FloatAttr lo, FloatAttr hi);

/// linalg's NCHW x FCHW convolution (grouped ones split into groups), into a
/// zero-filled `type`; with `zeroPoints` (input, filter), the quantized form.
Value convolveNCHW(OpBuilder &b, Location loc, Value x, Value filter,
                   RankedTensorType type, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations, int64_t groups,
                   ValueRange zeroPoints = {});

/// The int8 convolution.
void populateYzQuantToLinalgPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns);

/// Convolution, pooling, reductions, concat, slices and pads.
void populateYzNNToLinalgPatterns(const TypeConverter &converter,
                                  RewritePatternSet &patterns);

/// Gathers and scatters.
void populateYzIndexingToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);

/// yz.loop and yz.yield.
void populateYzControlToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);

/// top_k.
void populateYzSelectionToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);

} // namespace yz
} // namespace mlir

#endif // YZ_LIB_CONVERSION_YZTOLINALG_HELPERS_H
