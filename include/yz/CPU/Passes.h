//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_PASSES_H
#define YZ_CPU_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace yz {

/// The attribute yz-pack-matmuls leaves on packed contractions:
/// [M0, N0, kc, nc] (see MatmulStrategy).
constexpr llvm::StringLiteral kMatmulStrategyAttr = "yz.matmul_strategy";
/// On a linalg.depthwise_conv_2d_nhwc_hwc: its register tile [OW0, C0]
/// (yz-convs-to-matmuls, for yz-tile-and-vectorize).
constexpr llvm::StringLiteral kDepthwiseTileAttr = "yz.depthwise_tile";
/// On an all-parallel linalg.generic (an x86 depthwise stencil, marked by
/// yz-convs-to-matmuls; an elementwise op writing rows into a padded
/// input): the vector length yz-tile-and-vectorize computes its innermost
/// loop in, the last vector of a row masked.
constexpr llvm::StringLiteral kRowVectorAttr = "yz.row_vector";
/// Rows this long or longer yz-collapse-inner-loops leaves as they are where
/// they are a slice (merging would copy them); shorter ones LLVM would
/// unroll whole and then vectorize across, with gathers.
constexpr int64_t kLongRow = 56;
/// The attribute yz-pack-matmuls leaves on int8 contractions packed for
/// SpacemiT's IME: [R, C] (see ImeTile), for yz-ime-matmuls.
constexpr llvm::StringLiteral kImeTileAttr = "yz.ime_tile";
/// yz-outline-loop-nests marks the functions it makes with this (unit).
constexpr llvm::StringLiteral kNestAttr = "yz.nest";

#define GEN_PASS_DECL
#include "yz/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "yz/CPU/Passes.h.inc"

} // namespace yz
} // namespace mlir

#endif // YZ_CPU_PASSES_H
