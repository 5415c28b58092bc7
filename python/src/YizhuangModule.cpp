//===- YizhuangModule.cpp - the yizhuang._core Python extension -----------===//
//
// Part of Yizhuang. The compiler's C++ API for Python (pybind11): compile an
// ONNX model or yz MLIR held in memory to an object, and link-and-run an
// object on .npy files. Diagnostics become yizhuang.CompileError; nothing in
// here may abort the interpreter.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/Timing.h"
#include "yz/Driver/Driver.h"
#include "yz/Driver/Runner.h"
#include "yz/InitAll.h"
#include "yz/Importer/ONNX/ImportONNX.h"
#include "yz/npu/Target.h"
#include "llvm/Support/FileSystem.h"
#include "yz/runtime.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlir;
using namespace mlir::yz;

namespace {

/// Raised with every diagnostic the compiler reported, one per line.
struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Collects error diagnostics as "location: message" lines.
struct DiagnosticCollector {
  DiagnosticCollector(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          if (diag.getSeverity() != DiagnosticSeverity::Error)
            return success();
          std::string line;
          llvm::raw_string_ostream os(line);
          if (auto file = dyn_cast<FileLineColLoc>(diag.getLocation()))
            os << file.getFilename().getValue() << ": ";
          else if (auto name = dyn_cast<NameLoc>(diag.getLocation()))
            os << name.getName().getValue() << ": ";
          os << diag.str();
          for (Diagnostic &note : diag.getNotes())
            os << "\n  note: " << note.str();
          lines.push_back(line);
          return success();
        }) {}
  std::string text() const {
    std::string out;
    for (const std::string &line : lines)
      out += (out.empty() ? "" : "\n") + line;
    return out.empty() ? "compilation failed" : out;
  }
  ScopedDiagnosticHandler handler;
  std::vector<std::string> lines;
};

const char *dtypeName(int32_t dtype) {
  return yz_dtype_name(static_cast<yz_dtype>(dtype));
}

py::list tensorSpecs(const std::vector<TensorSpec> &specs) {
  py::list out;
  for (const TensorSpec &t : specs)
    out.append(py::make_tuple(t.name, dtypeName(t.dtype),
                              std::vector<int64_t>(t.shape.begin(),
                                                   t.shape.end())));
  return out;
}

py::dict compile(py::bytes model, const std::string &format,
                 const std::string &sourceName, const std::string &target,
                 const std::string &npu, const std::string &npuDtype,
                 bool npuDoubleBuffer,
                 const std::vector<std::pair<std::string, std::vector<int64_t>>>
                     &inputShapes,
                 unsigned vlen, unsigned optLevel,
                 const std::string &calibration, int threads) {
  CompileOptions options;
  options.calibration = calibration;
  if (threads < 1 || threads > 256)
    throw py::value_error("threads must be 1 to 256, got " +
                          std::to_string(threads));
  options.threads = threads;
  auto arch = parseTargetArch(target);
  if (!arch)
    throw py::value_error(llvm::toString(arch.takeError()));
  options.target.arch = *arch;
  options.target.vlen = vlen;
  if (optLevel > 3)
    throw py::value_error("opt_level must be 0 to 3, got " +
                          std::to_string(optLevel));
  options.target.optLevel = optLevel;
  if (npuDtype != "int8" && npuDtype != "bf16")
    throw py::value_error("npu_dtype must be 'int8' or 'bf16', got '" +
                          npuDtype + "'");
  options.npu = npu;
  options.npuBf16 = npuDtype == "bf16";
  options.npuDoubleBuffer = npuDoubleBuffer;
  if (npu != "default" && npu != "none") {
    ::yz::npu::Target parsed;
    if (std::string error = parsed.parse(npu); !error.empty())
      throw py::value_error("npu: " + error);
  }
  if (auto tm = createTargetMachine(options.target); !tm)
    throw py::value_error(llvm::toString(tm.takeError()));
  if (!calibration.empty() && !llvm::sys::fs::is_directory(calibration))
    throw py::value_error("calibration: '" + calibration +
                          "' is not a directory");
  if (format != "onnx" && format != "mlir")
    throw py::value_error("format must be 'onnx' or 'mlir'");
  if (format != "onnx" && !inputShapes.empty())
    throw py::value_error("input_shapes apply to ONNX models only");

  std::string bytes = model; // copied: the GIL is released below
  py::gil_scoped_release release;
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  DiagnosticCollector diagnostics(context);
  OwningOpRef<ModuleOp> module;
  if (format == "onnx") {
    ONNXImportOptions importOptions;
    importOptions.inputShapes = inputShapes;
    module = importONNX(&context, bytes, sourceName, importOptions);
  } else {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(bytes, sourceName), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  if (!module)
    throw CompileError(diagnostics.text());
  DefaultTimingManager timingManager;
  TimingScope timing = timingManager.getRootScope();
  auto result = compileModule(*module, options, timing);
  if (failed(result))
    throw CompileError(diagnostics.text());

  py::gil_scoped_acquire acquire;
  py::dict out;
  out["object"] = py::bytes(result->artifact.data(), result->artifact.size());
  out["header"] = result->header;
  out["name"] = result->signature.name;
  out["inputs"] = tensorSpecs(result->signature.inputs);
  out["outputs"] = tensorSpecs(result->signature.outputs);
  return out;
}

/// Links and runs an object; returns the runner's exit status.
int run(const std::string &objectPath,
              const std::vector<std::string> &inputs,
              const std::string &outputDir, const std::string &profileJson,
              const std::string &tracePath, const std::string &logPath,
              unsigned vlen, bool hostCycles) {
  RunOptions options;
  options.hostCycles = hostCycles;
  options.hostOptions.print = false; // the numbers go to profileJson
  options.inputs = inputs;
  options.outputDir = outputDir;
  options.quiet = true;
  options.vlen = vlen;
  options.profileJson = profileJson;
  options.profile = !tracePath.empty();
  options.tracePath = tracePath;
  options.redirectOutput = logPath;
  llvm::Expected<int> status = [&] {
    py::gil_scoped_release release;
    return runModelObject(objectPath, options);
  }();
  if (!status)
    throw std::runtime_error(llvm::toString(status.takeError()));
  return *status;
}

/// Runs a decoder's generation loop (yz-generate's); returns its exit
/// status, its output in `logPath`.
int generate(const std::string &stepObject, const std::string &prefillObject,
             const std::string &prompt, int64_t tokens, int topK,
             double temperature, uint64_t seed, const std::string &logitsOut,
             const std::string &logPath, unsigned vlen) {
  GenerateOptions options;
  options.prompt = prompt;
  options.tokens = tokens;
  options.topK = topK;
  options.temperature = temperature;
  options.seed = seed;
  options.logitsOut = logitsOut;
  options.redirectOutput = logPath;
  options.vlen = vlen;
  llvm::Expected<int> status = [&] {
    py::gil_scoped_release release;
    return runDecoderObjects(stepObject, prefillObject, options);
  }();
  if (!status)
    throw std::runtime_error(llvm::toString(status.takeError()));
  return *status;
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Yizhuang compiler core (pybind11 over the C++ driver)";
  py::register_exception<CompileError>(m, "CompileError", PyExc_RuntimeError);
  m.def("compile", &compile, py::arg("model"), py::arg("format"),
        py::arg("source_name"), py::arg("target"), py::arg("npu"),
        py::arg("npu_dtype"), py::arg("npu_double_buffer"),
        py::arg("input_shapes"), py::arg("vlen"), py::arg("opt_level"),
        py::arg("calibration") = "", py::arg("threads") = 1,
        "Compiles an ONNX model or yz MLIR (bytes) to an object; returns a "
        "dict with object, header, name, inputs and outputs.");
  m.def("run", &run, py::arg("object_path"), py::arg("inputs"),
        py::arg("output_dir"), py::arg("profile_json"), py::arg("trace_path"),
        py::arg("log_path"), py::arg("vlen"), py::arg("host_cycles") = false,
        "Links an object with its runner and runs it on .npy inputs.");
  m.def("generate", &generate, py::arg("step_object"),
        py::arg("prefill_object"), py::arg("prompt"), py::arg("tokens"),
        py::arg("top_k"), py::arg("temperature"), py::arg("seed"),
        py::arg("logits_out"), py::arg("log_path"), py::arg("vlen"),
        "Links a decoder's objects with the runner and runs its generation "
        "loop.");
  m.def("supported_onnx_ops", &supportedONNXOps);
}
