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

/// `x` [N, C, H, W] padded by `pads` ([top, left, bottom, right]) with
/// `padValue` (tensor.pad; `x` itself when the pads are all 0).
Value padNCHW(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
              Value padValue);

/// Patterns rewriting yz ops into linalg/tensor/arith on tensors.
void populateYzToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
