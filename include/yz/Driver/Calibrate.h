//===- Calibrate.h - activation ranges for int8 quantization ----*- C++ -*-===//
//
// Part of Yizhuang. See docs/quantization.md.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DRIVER_CALIBRATE_H
#define YZ_DRIVER_CALIBRATE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"

namespace mlir::yz {

/// Runs the float model `entry` of `module` on the host over the samples in
/// `dir` and sets on each layer yz-quantize can take (isQuantizable: f32
/// convolutions and linear layers with constant weights) the range of its
/// input and of its result (yz.input_range, yz.output_range). The module
/// should have been through the graph pipeline, so that the layers are
/// those that will be quantized. If `tablePath` is set, the ranges are also
/// written there as JSON: one {"layer", "input", "output"} per layer, in
/// program order.
LogicalResult calibrate(ModuleOp module, func::FuncOp entry, StringRef dir,
                        TimingScope &timing, StringRef tablePath = {});

} // namespace mlir::yz

#endif // YZ_DRIVER_CALIBRATE_H
