//===- Epilogues.h - a matmul's consumer in its layout ----------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_EPILOGUES_H
#define YZ_CPU_EPILOGUES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::yz {

/// The elementwise op (bias, activation, residual add, ...) that reads a
/// packed product's result [M1, M0, N1, N0] (as yz-tile-and-vectorize's
/// writeUnpacked lays it out) through reshapes only, rewritten over that
/// layout: it reads the product at the identity, so it can be fused into
/// the product's register tiles. Its other operands must be the result's
/// shape (reshaped the same way) or broadcasts along rows or columns (a
/// bias). Null, and nothing changed, where it does not apply: a partial
/// last tile, a consumer padding the result (PadIntoProducer writes it
/// into the padded buffer instead), other readers of the product.
linalg::GenericOp epilogueOverProduct(RewriterBase &rewriter,
                                      linalg::LinalgOp product);

} // namespace mlir::yz

#endif // YZ_CPU_EPILOGUES_H
