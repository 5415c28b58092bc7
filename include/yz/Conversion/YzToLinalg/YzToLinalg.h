//===- YzToLinalg.h - lower yz to linalg ------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
#define YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace yz {

#define GEN_PASS_DECL_CONVERTYZTOLINALG
#include "yz/Conversion/Passes.h.inc"

/// Patterns rewriting yz ops into linalg/tensor/arith on tensors.
void populateYzToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_YZTOLINALG_YZTOLINALG_H
