//===- Capability.h - what the NPU can run ----------------------*- C++ -*-===//
//
// Part of Yizhuang. The one answer to "can the NPU run this op, and if not,
// why", from the target description (#npu.target, yz/npu/Target.h) and the
// encoding table (yz/npu/isa.def) alone. Placement, quantization and the
// conversions ask it; no hardware number is written anywhere else.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_CAPABILITY_H
#define YZ_DIALECT_NPU_CAPABILITY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"

#include <optional>
#include <string>

namespace mlir::npu {

/// How the op would run.
enum class Precision {
  AsIs, // its own element types: i8 operands, or f32 in bf16 when allowed
  Int8, // once quantized to int8 (yz-quantize asks before quantizing)
};

/// Why the NPU cannot run `op` (a yz contraction: matmul, conv2d, qconv2d),
/// or "" if it can. `bf16`: f32 matmuls and convolutions may run in bf16.
/// Ops that are not contractions get "not a matmul or convolution".
std::string whyNotOnNpu(Operation *op, const ::yz::npu::Target &target,
                        bool bf16, Precision precision = Precision::AsIs);

/// The DMA-out activation that applies the clamp [lo, hi] (null: unbounded)
/// to a float result, if the NPU has one (isa.def, ConfigStore.Activation).
std::optional<Activation> activationFor(FloatAttr lo, FloatAttr hi);

/// The most rows one DMA instruction moves (isa.def's Rows field), rounded
/// down to a multiple of the array size.
int64_t maxDmaRows(const ::yz::npu::Target &target);

} // namespace mlir::npu

#endif // YZ_DIALECT_NPU_CAPABILITY_H
