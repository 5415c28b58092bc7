//===- ImportONNX.cpp - ONNX model -> yz dialect --------------------------===//
//
// Part of Yizhuang. libonnx reports problems by throwing; this file is built
// with exceptions and turns each into a diagnostic. The per-op translations
// are in OpImporters.cpp.
//
//===----------------------------------------------------------------------===//

#include "yz/Importer/ONNX/ImportONNX.h"

#include "Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ModelSignature.h"
#include "llvm/ADT/StringExtras.h"

#include "onnx/checker.h"

#include <cerrno>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

/// Opsets from kMinOpset on are imported as they are; older ones are
/// converted to kTargetOpset. Past kLibOnnxOpset (the newest Debian's
/// libonnx knows) the importer reads the model without libonnx.
constexpr int64_t kMinOpset = 11, kTargetOpset = 13;

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

namespace {

/// What libonnx made of a model (runLibOnnx).
struct LibOnnxResult {
  enum Stage { Checker, Conversion, Inference, Done } failedAt = Done;
  std::string message;           // libonnx's, for a failed stage
  bool crashed = false;          // the failed stage crashed (a libonnx bug)
  onnx::ModelProto model;        // with conversion and inferred shapes
};

/// Runs libonnx's checker, opset conversion (from `opset` to kTargetOpset
/// when below kMinOpset) and shape inference on `model`, in that order, in
/// a child process: libonnx crashes on some models its checker accepts
/// (a Conv whose input and weight ranks differ, say), and a crash there
/// must become a diagnostic, not take the compiler down. The child reports
/// each stage it passes, then the converted and inferred model.
LibOnnxResult runLibOnnx(const onnx::ModelProto &model, int64_t opset) {
  LibOnnxResult result;
  result.model = model;
  int fds[2];
  if (pipe(fds) != 0) {
    result.failedAt = LibOnnxResult::Checker;
    result.message = "cannot create a pipe";
    return result;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto send = [&](char tag, const std::string &payload) {
      std::string out(1, tag);
      uint64_t n = payload.size();
      out.append(reinterpret_cast<const char *>(&n), sizeof n);
      out += payload;
      for (size_t at = 0; at < out.size();) {
        ssize_t w = write(fds[1], out.data() + at, out.size() - at);
        if (w <= 0)
          _exit(1);
        at += size_t(w);
      }
    };
    onnx::ModelProto m = model;
    char stage = 'c';
    try {
      onnx::checker::check_model(m);
      send('c', "");
      stage = 'v';
      if (opset < kMinOpset)
        m = onnx::version_conversion::ConvertVersion(m, kTargetOpset);
      send('v', "");
      stage = 's';
      onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                            /*error_mode=*/1,
                                            /*data_prop=*/true);
      onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(),
                                         inference);
      send('o', m.SerializeAsString());
    } catch (const std::exception &e) {
      send(char(stage - 'a' + 'A'), e.what());
    }
    _exit(0);
  }
  close(fds[1]);
  std::string data;
  char buf[1 << 16];
  for (ssize_t r; (r = read(fds[0], buf, sizeof buf)) != 0;) {
    if (r < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    data.append(buf, size_t(r));
  }
  close(fds[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0)
    status = -1;
  // Records: tag, 8-byte length, payload.
  LibOnnxResult::Stage reached = LibOnnxResult::Checker;
  for (size_t at = 0; at + 9 <= data.size();) {
    char tag = data[at];
    uint64_t n;
    memcpy(&n, data.data() + at + 1, sizeof n);
    if (at + 9 + n > data.size())
      break;
    std::string payload = data.substr(at + 9, n);
    at += 9 + n;
    switch (tag) {
    case 'c': reached = LibOnnxResult::Conversion; break;
    case 'v': reached = LibOnnxResult::Inference; break;
    case 'o':
      if (result.model.ParseFromString(payload))
        return result;
      break;
    default: // 'C', 'V', 'S': libonnx threw at that stage
      result.failedAt = reached;
      result.message = oneLine(payload.c_str());
      return result;
    }
  }
  result.failedAt = reached;
  result.crashed = true;
  result.message = WIFSIGNALED(status)
                       ? "signal " + std::to_string(WTERMSIG(status))
                       : "exit status " + std::to_string(WEXITSTATUS(status));
  return result;
}

/// Runs libonnx on `model` (an opset it knows) and reports what it finds;
/// on success `model` is the converted and shape-inferred one.
LogicalResult checkWithLibOnnx(onnx::ModelProto &model, int64_t opset,
                               Location fileLoc) {
  LibOnnxResult checked = runLibOnnx(model, opset);
  switch (checked.failedAt) {
  case LibOnnxResult::Checker:
    emitError(fileLoc) << "the ONNX checker "
                       << (checked.crashed ? "crashed on" : "rejects")
                       << " the model: " << checked.message;
    return failure();
  case LibOnnxResult::Conversion:
    emitError(fileLoc) << "cannot convert the model from opset " << opset
                       << " to " << kTargetOpset << ": "
                       << (checked.crashed ? "the version converter crashed ("
                                           : "")
                       << checked.message << (checked.crashed ? ")" : "");
    return failure();
  case LibOnnxResult::Inference:
    if (!checked.crashed) {
      emitError(fileLoc) << "ONNX shape inference failed: "
                         << checked.message;
      return failure();
    }
    // libonnx's bug, not the model's: the importer checks what it builds.
    emitWarning(fileLoc) << "ONNX shape inference crashed on this model ("
                         << checked.message
                         << "); importing with the importer's own checks";
    if (opset < kMinOpset) {
      emitError(fileLoc) << "cannot convert the model's opset " << opset
                         << " without ONNX shape inference";
      return failure();
    }
    break;
  case LibOnnxResult::Done:
    model = std::move(checked.model);
    break;
  }
  return success();
}

} // namespace

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
  int64_t opset = defaultOpset(model);
  if (opset == 0) {
    std::string domains;
    for (const auto &import : model.opset_import())
      domains += (domains.empty() ? "" : ", ") + import.domain();
    emitError(fileLoc) << "the model imports no version of the default ONNX "
                          "domain, only "
                       << (domains.empty() ? "nothing" : domains)
                       << ", which the importer does not support";
    return {};
  }
  if (opset < 1 || opset > kMaxOpset) {
    emitError(fileLoc) << "the model uses ONNX opset " << opset
                       << "; the newest the importer supports is "
                       << kMaxOpset << " (supported are 1 to " << kMaxOpset
                       << "; opsets before " << kMinOpset
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

  // libonnx cannot check a newer opset: the importer checks each node
  // (checkSignature) and infers every shape itself.
  if (opset <= kLibOnnxOpset &&
      failed(checkWithLibOnnx(model, opset, fileLoc)))
    return {};
  if (opset < kMinOpset)
    opset = kTargetOpset;

  GraphImporter importer(context, model.graph(), opset, sourceName);
  return importer.run();
}
