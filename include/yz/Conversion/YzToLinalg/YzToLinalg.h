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
namespace yz {

#define GEN_PASS_DECL_CONVERTYZTOLINALG
#include "yz/Conversion/Passes.h.inc"

/// `x` padded along H and W by `pads` ([top, left, bottom, right]) with
/// `padValue` (tensor.pad; `x` itself when the pads are all 0). H is
/// dimension `hDim` and W the next: 2 for NCHW, 1 for NHWC.
Value padHW(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
            Value padValue, unsigned hDim = 2);

/// Patterns rewriting yz ops into linalg/tensor/arith on tensors.
void populateYzToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
