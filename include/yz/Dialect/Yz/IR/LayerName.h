//===- LayerName.h - the model layer an op came from ------------*- C++ -*-===//
//
// Part of Yizhuang. Profiles (the NPU's cycle report, yz-run --host-cycles)
// name their rows after the ONNX node an op was imported from: the first
// name in its location.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_LAYERNAME_H
#define YZ_DIALECT_YZ_IR_LAYERNAME_H

#include "mlir/IR/Location.h"

#include <string>

namespace mlir::yz {

/// The LLVM function attribute ("yz-layer"="<name>") on an outlined loop
/// nest; the object lists them in its yz_layers_<model> string.
constexpr llvm::StringLiteral kLayerFnAttr = "yz-layer";

/// The op's ONNX node name if its location has one (a fused location's
/// first), else "file:line", else "".
inline std::string layerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = layerName(inner); !name.empty())
        return name;
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine())).str();
  return "";
}

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_LAYERNAME_H
