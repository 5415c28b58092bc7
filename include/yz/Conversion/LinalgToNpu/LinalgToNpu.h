//===- LinalgToNpu.h - offload matmuls to the NPU ---------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H
#define YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H

#include "mlir/Pass/Pass.h"
#include "yz/npu/Target.h"

namespace mlir {
namespace npu {
class NpuDialect;
} // namespace npu
namespace scf {
class SCFDialect;
} // namespace scf
namespace yz {

#define GEN_PASS_DECL_CONVERTLINALGTONPU
#include "yz/Conversion/Passes.h.inc"

/// Block sizes of an M x N x K matmul on the NPU: the strategy, in one place.
struct MatmulBlocks {
  int64_t m, n, k;           // multiples of DIM
  int64_t spHalf, accHalf;   // rows per buffer
};

/// Chooses blocks that fit half the scratchpad (A: m x k, B: k x n) and half
/// the accumulator (C: m x n) - the halves double buffering alternates -
/// maximizing the MACs per byte loaded (m * n / (m + n)), then splitting K
/// evenly. Single buffering uses the same blocks, in the lower halves.
/// `extraAccRowsPerStrip` accumulator rows per DIM columns of C are kept
/// free in each half (a convolution's scale and bias rows).
MatmulBlocks chooseMatmulBlocks(const ::yz::npu::Target &target, int64_t m,
                                int64_t n, int64_t k, bool doubleBuffer,
                                int64_t extraAccRowsPerStrip = 0);


} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H
