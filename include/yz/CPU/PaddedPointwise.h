//===- PaddedPointwise.h - a 1x1 conv over its consumer's pad ---*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_PADDEDPOINTWISE_H
#define YZ_CPU_PADDEDPOINTWISE_H

#include "yz/CPU/CpuTarget.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::yz {

/// A 1x1 stride-1 f32 conv of one image whose result, after an elementwise
/// op (bias, activation), is only zero-padded on H and W for a depthwise
/// conv (MobileNetV2's expand convs; the x86 stencil, which reads its
/// padded input in place) computed over its input padded the same way
/// instead: the product is then the padded tensor pixel for pixel, so the
/// elementwise op reads it at the identity (yz-tile-and-vectorize applies
/// it on the register tiles) and writes the padded tensor itself, whose
/// border (the op of a zero product) is zeroed after. The input's producer
/// writes into its padded buffer (PadIntoProducer), so that costs no copy.
/// Where the padding adds few pixels and the product would be fused: returns
/// the matmul that replaces the conv; null, and nothing changed, elsewhere.
linalg::MatmulOp convOverPadding(RewriterBase &rewriter,
                                 linalg::Conv2DNchwFchwOp conv,
                                 const CpuTarget &target);

} // namespace mlir::yz

#endif // YZ_CPU_PADDEDPOINTWISE_H
