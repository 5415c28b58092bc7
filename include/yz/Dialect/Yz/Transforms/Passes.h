//===- Passes.h - yz transformation passes ----------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_TRANSFORMS_PASSES_H
#define YZ_DIALECT_YZ_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::yz {

/// The attribute placement passes set; "npu" or "cpu".
constexpr llvm::StringLiteral kPlacementAttr = "yz.placement";

#define GEN_PASS_DECL
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_TRANSFORMS_PASSES_H
