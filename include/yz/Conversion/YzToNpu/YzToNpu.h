//===- YzToNpu.h - int8 convolutions to npu.conv2d --------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_YZTONPU_YZTONPU_H
#define YZ_CONVERSION_YZTONPU_YZTONPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace npu {
class NpuDialect;
} // namespace npu
namespace yz {

#define GEN_PASS_DECL_YZCONVSTONPU
#include "yz/Conversion/Passes.h.inc"

} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_YZTONPU_YZTONPU_H
