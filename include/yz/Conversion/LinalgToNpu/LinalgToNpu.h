//===- LinalgToNpu.h - offload matmuls to the NPU ---------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H
#define YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H

#include "mlir/Pass/Pass.h"

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


} // namespace yz
} // namespace mlir

#endif // YZ_CONVERSION_LINALGTONPU_LINALGTONPU_H
