//===- Window.h - the window attributes of convolutions and poolings -*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Importer/ONNX: how Conv, the poolings
// (WindowImporters.cpp) and DeformConv (SamplingImporters.cpp) read their
// kernel, strides, dilations and pads.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_IMPORTER_ONNX_WINDOW_H
#define YZ_LIB_IMPORTER_ONNX_WINDOW_H

#include "Importer.h"

namespace mlir::yz::onnx_import {

/// A window over the spatial dimensions: kernel, strides and dilations per
/// dimension; pads as ONNX orders them, all begins, then all ends.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
  size_t rank() const { return kernel.size(); }
  int64_t begin(size_t i) const { return pads[i]; }
  int64_t end(size_t i) const { return pads[rank() + i]; }
};

/// The window of a convolution or pooling node over `xt` with `kernel`:
/// strides, dilations, and pads from `pads` or `auto_pad`.
FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType xt,
                             ArrayRef<int64_t> kernel);

} // namespace mlir::yz::onnx_import

#endif // YZ_LIB_IMPORTER_ONNX_WINDOW_H
