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
/// On an x86 depthwise stencil (a linalg.generic over [N, C, OH, OW]): the
/// vector length its output rows are computed in, the last vector of a row
/// masked (yz-convs-to-matmuls, for yz-tile-and-vectorize).
constexpr llvm::StringLiteral kStencilVectorAttr = "yz.stencil_vector";
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
