//===- Passes.h - yz conversion passes --------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CONVERSION_PASSES_H
#define YZ_CONVERSION_PASSES_H

#include "yz/Conversion/LinalgToNpu/LinalgToNpu.h"
#include "yz/Conversion/NpuToLLVM/NpuToLLVM.h"
#include "yz/Conversion/YzToLinalg/YzToLinalg.h"
#include "yz/Conversion/YzToNpu/YzToNpu.h"

namespace mlir::yz {
#define GEN_PASS_REGISTRATION
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

#endif // YZ_CONVERSION_PASSES_H
