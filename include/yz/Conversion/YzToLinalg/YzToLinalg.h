//===- YzToLinalg.h - lower yz to linalg ------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
#define YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H

#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace yz {

#define GEN_PASS_DECL_CONVERTYZTOLINALG
#include "yz/Conversion/Passes.h.inc"

/// `x` padded along H and W by `pads` ([top, left, bottom, right]) with
/// `padValue` (tensor.pad; `x` itself when the pads are all 0). H is
/// dimension `hDim` and W the next: 2 for NCHW, 1 for NHWC.
Value padHW(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
            Value padValue, unsigned hDim = 2);

/// `type` with unsigned integer elements made signless: linalg and arith
/// compute on signless integers, and the yz ops' lowerings choose signed or
/// unsigned arithmetic from their own (unlowered) types.
Type loweredType(Type type);
RankedTensorType loweredTensorType(Type type);

/// The type converter of the lowering: unsigned tensors become signless,
/// function signatures included.
void initLoweringTypeConverter(TypeConverter &converter);

/// Patterns rewriting yz ops into linalg/tensor/arith on tensors; they
/// take their operands through `converter`.
void populateYzToLinalgConversionPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
