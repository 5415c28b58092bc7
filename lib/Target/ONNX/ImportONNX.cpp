//===- ImportONNX.cpp - ONNX model -> yz dialect --------------------------===//
//
// Part of Yizhuang. libonnx reports problems by throwing; this file is built
// with exceptions and turns each into a diagnostic. The per-op translations
// are in OpImporters.cpp.
//
//===----------------------------------------------------------------------===//

#include "yz/Target/ONNX/ImportONNX.h"

#include "ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ModelSignature.h"
#include "llvm/ADT/StringExtras.h"

#include "onnx/checker.h"

#include <set>
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

/// Opsets imported as they are; others are converted to kTargetOpset.
/// kMaxOpset is also the newest Debian's libonnx (1.12) knows: its version
/// converter crashes on newer ones, so they are refused.
constexpr int64_t kMinOpset = 11, kMaxOpset = 17, kTargetOpset = 13;

/// libonnx's messages span lines; a diagnostic is one.
std::string oneLine(const char *what) {
  std::string out;
  for (StringRef part : llvm::split(StringRef(what).trim(), '\n'))
    if (!part.trim().empty())
      out += (out.empty() ? "" : " ") + part.trim().str();
  return out;
}

int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const auto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      return import.version();
  return 0;
}

} // namespace

std::string mlir::yz::parseInputShapes(llvm::StringRef text,
                                       ONNXImportOptions &options) {
  SmallVector<StringRef> items;
  text.split(items, ',', -1, false);
  for (StringRef item : items) {
    auto [name, dims] = item.rsplit(':');
    if (name.empty() || dims.empty() || name == item)
      return ("expected name:dims (e.g. x:1x3x224x224), got '" + item + "'")
          .str();
    std::vector<int64_t> shape;
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t d;
      if (part.getAsInteger(10, d) || d < 1)
        return ("'" + item + "': dimension '" + part +
                "' is not a positive integer")
            .str();
      shape.push_back(d);
    }
    options.inputShapes.emplace_back(name.str(), shape);
  }
  return "";
}

OwningOpRef<ModuleOp> mlir::yz::importONNX(MLIRContext *context,
                                           StringRef bytes,
                                           StringRef sourceName,
                                           const ONNXImportOptions &options) {
  context->loadDialect<YzDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(context, sourceName, 0, 0);
  onnx::ModelProto model;
  if (bytes.size() > size_t(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), int(bytes.size()))) {
    emitError(fileLoc) << "not a valid ONNX model: the file does not parse "
                          "as an ONNX protobuf (truncated or corrupt?)";
    return {};
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    emitError(fileLoc) << "the ONNX checker rejects the model: "
                       << oneLine(e.what());
    return {};
  }
  int64_t opset = defaultOpset(model);
  if (opset < 1 || opset > kMaxOpset) {
    emitError(fileLoc) << "the model uses ONNX opset " << opset
                       << "; supported are 1 to " << kMaxOpset
                       << " (opsets before " << kMinOpset
                       << " are converted)";
    return {};
  }
  // The version converter also crashes on graphs whose outputs nothing
  // produces, which the checker lets through.
  {
    std::set<std::string> defined;
    for (const auto &in : model.graph().input())
      defined.insert(in.name());
    for (const auto &init : model.graph().initializer())
      defined.insert(init.name());
    for (const auto &node : model.graph().node())
      defined.insert(node.output().begin(), node.output().end());
    for (const auto &out : model.graph().output())
      if (!defined.count(out.name())) {
        emitError(fileLoc) << "graph output '" << out.name()
                           << "' is produced by no node";
        return {};
      }
  }
  if (opset < kMinOpset) {
    try {
      model = onnx::version_conversion::ConvertVersion(model, kTargetOpset);
    } catch (const std::exception &e) {
      emitError(fileLoc) << "cannot convert the model from opset " << opset
                         << " to " << kTargetOpset << ": "
                         << oneLine(e.what());
      return {};
    }
    opset = kTargetOpset;
  }

  // Shapes given on the command line replace the model's input shapes.
  onnx::GraphProto *graph = model.mutable_graph();
  for (const auto &[name, shape] : options.inputShapes) {
    onnx::ValueInfoProto *input = nullptr;
    for (auto &candidate : *graph->mutable_input())
      if (candidate.name() == name)
        input = &candidate;
    if (!input) {
      emitError(fileLoc) << "--input-shape names '" << name
                         << "', which is not an input of the model";
      return {};
    }
    auto *dims = input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (dims->dim_size() != int(shape.size())) {
      emitError(fileLoc) << "--input-shape gives '" << name << "' rank "
                         << shape.size() << ", the model says "
                         << dims->dim_size();
      return {};
    }
    for (size_t i = 0; i < shape.size(); ++i)
      dims->mutable_dim(int(i))->set_dim_value(shape[i]);
  }
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                          /*error_mode=*/1,
                                          /*data_prop=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception &e) {
    emitError(fileLoc) << "ONNX shape inference failed: "
                       << oneLine(e.what());
    return {};
  }

  GraphImporter importer(context, model.graph(), opset, sourceName);
  return importer.run();
}
