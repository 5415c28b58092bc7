//===- ImportONNX.h - ONNX model -> yz dialect ------------------*- C++ -*-===//
//
// Part of Yizhuang. Loads a model with Debian's libonnx: parse, check,
// convert to a supported opset, run shape inference, then emit the yz
// dialect with the weights as dense resources.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_IMPORTER_ONNX_IMPORTONNX_H
#define YZ_IMPORTER_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include <string>
#include <utility>
#include <vector>

namespace mlir::yz {

struct ONNXImportOptions {
  /// Shapes for graph inputs, overriding the model's (e.g. a dynamic batch).
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
};

/// Parses "x:1x3x224x224[,y:...]" into `options`; returns an error message
/// or "".
std::string parseInputShapes(llvm::StringRef text, ONNXImportOptions &options);

/// Imports the serialized model in `bytes`. Problems (a corrupt file, a
/// failed check, every unsupported op, an unresolved dynamic dimension) are
/// reported as diagnostics located at `sourceName` and its nodes.
OwningOpRef<ModuleOp> importONNX(MLIRContext *context, llvm::StringRef bytes,
                                 llvm::StringRef sourceName,
                                 const ONNXImportOptions &options);

/// The ONNX op types the importer knows, for messages and docs.
std::vector<std::string> supportedONNXOps();

/// The same as a Markdown table: each op, the opsets it imports at, and
/// the versions whose forms the importer reads (yzc --list-onnx-ops,
/// docs/onnx-ops.md).
std::string supportedONNXOpsTable();

} // namespace mlir::yz

#endif // YZ_IMPORTER_ONNX_IMPORTONNX_H
