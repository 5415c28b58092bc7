//===- PaddedShifted.h - a shifted-columns product into its pad -*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_PADDEDSHIFTED_H
#define YZ_CPU_PADDEDSHIFTED_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::yz {

/// An elementwise op (bias, activation, residual add) on a conv computed by
/// shifted columns (a product [F, P] whose column p is output pixel
/// (p / WQ, p % WQ), junk where p % WQ >= OW), whose result is padded on H
/// and W to rows of WQ pixels as well (the next 3 x 3 conv's input): pixel
/// (oh, ow) of the padded tensor is then element p + o of its flattened
/// channel, o = LH * WQ + LW, the junk landing on the border. So the op
/// runs over the product's columns, at the identity (yz-tile-and-vectorize
/// applies it on the register tiles), writing the padded buffer at offset
/// o, whose border is filled after. A residual must be in such a padded
/// buffer too (read at the same offset); the op's other readers read the
/// interior. Returns whether it rewrote `op`.
bool shiftedIntoPadding(RewriterBase &rewriter, linalg::GenericOp op);

} // namespace mlir::yz

#endif // YZ_CPU_PADDEDSHIFTED_H
