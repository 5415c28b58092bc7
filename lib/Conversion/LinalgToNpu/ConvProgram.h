//===- ConvProgram.h - npu.conv2d -> NPU instructions -----------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Conversion/LinalgToNpu.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_CONVERSION_LINALGTONPU_CONVPROGRAM_H
#define YZ_LIB_CONVERSION_LINALGTONPU_CONVPROGRAM_H

#include "mlir/Support/LLVM.h"
#include "yz/npu/Target.h"

namespace mlir {
namespace npu {
class Conv2DOp;
} // namespace npu
namespace yz {

/// Replaces the memref form of `op` with its NPU program.
LogicalResult emitConvProgram(npu::Conv2DOp op,
                              const ::yz::npu::Target &target,
                              bool doubleBuffer);

} // namespace yz
} // namespace mlir

#endif // YZ_LIB_CONVERSION_LINALGTONPU_CONVPROGRAM_H
