//===- yzc.cpp - the Yizhuang compiler driver -----------------------------===//
//
// Part of Yizhuang. yzc model.mlir --target=riscv64 -o model.o writes the
// object and model.h beside it. See docs/tools.md.
//
//===----------------------------------------------------------------------===//

#include "yz/ToolOptions.h"
#include "yz/Version.h"
#include "yz/Driver/Runner.h"
#include "llvm/ADT/ScopeExit.h"
#include <unistd.h>
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "yz/Driver/Driver.h"
#include "yz/InitAll.h"
#include "yz/Importer/ONNX/ImportONNX.h"
#include "yz/npu/Target.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::yz;
namespace cl = llvm::cl;

static cl::OptionCategory category("yzc options");
static cl::opt<std::string> inputPath(cl::Positional,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(category));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("ONNX: the shape of an input, e.g. x:1x3x224x224 (repeatable; "
             "needed for dynamic dimensions)"),
    cl::value_desc("name:dims"), cl::cat(category));
static cl::opt<std::string>
    outputPath("o", cl::desc("Output file (default: <input>.o for objects, "
                             "stdout for text)"),
               cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string> targetName("target",
                                       cl::desc("riscv64 (default) or host"),
                                       cl::init("riscv64"), cl::cat(category));
static cl::opt<EmitKind> emit(
    "emit", cl::desc("What to write"), cl::init(EmitKind::Obj),
    cl::values(clEnumValN(EmitKind::MLIR, "mlir", "MLIR after the pipeline"),
               clEnumValN(EmitKind::LLVM, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::Asm, "asm", "assembly"),
               clEnumValN(EmitKind::Obj, "obj", "object file + C header"),
               clEnumValN(EmitKind::Shared, "shared",
                          "shared library (model + runtime) + C header")),
    cl::cat(category));
static cl::opt<char> optLevel("O", cl::desc("Optimization level 0-3 (-O2)"),
                              cl::value_desc("level"),
                              cl::Prefix, cl::init('2'), cl::cat(category));
static cl::opt<std::string> mcpu("mcpu", cl::desc("Target CPU"),
                                 cl::cat(category));
static cl::opt<std::string>
    mattr("mattr", cl::desc("Extra target features, e.g. +zba,+zbb"),
          cl::cat(category));
static cl::opt<unsigned> vlen("vlen",
                              cl::desc("riscv64 vector length in bits (256)"),
                              cl::init(256), cl::cat(category));
static cl::opt<std::string>
    entry("entry", cl::desc("Entry function (default: the only public one)"),
          cl::cat(category));
static cl::opt<std::string>
    modelName("model-name",
              cl::desc("C name of the model (default: the entry's name)"),
              cl::cat(category));

static cl::opt<std::string>
    npu("npu",
        cl::desc("The NPU: default, none (CPU only), or key=value,... "
                 "(dim, sp-rows, acc-rows, dma-bw, dma-latency, queue, issue)"),
        cl::init("default"), cl::cat(category));
static cl::opt<std::string>
    npuDtype("npu-dtype",
             cl::desc("int8: only int8 matmuls go to the NPU (default); "
                      "bf16: f32 matmuls too, computed in bf16"),
             cl::init("int8"), cl::cat(category));
static cl::opt<bool> npuDoubleBuffer(
    "npu-double-buffer",
    cl::desc("Double-buffer NPU blocks so DMA overlaps compute (default on)"),
    cl::init(true), cl::cat(category));

static cl::opt<bool> reportPlacement(
    "report-placement",
    cl::desc("Print where each matmul and convolution runs (NPU or CPU) "
             "and, for the CPU, why"),
    cl::init(false), cl::cat(category));

// Registered as "yz-threads", renamed in main() (claimThreadsOption).
static cl::opt<int> threads(
    "yz-threads",
    cl::desc("Threads the model runs on (default 1: single-threaded code "
             "without thread machinery); at run time YZ_THREADS or "
             "yz_set_threads() override it"),
    cl::init(1), cl::cat(category));

static cl::opt<std::string> quantize(
    "quantize",
    cl::desc("none (default) or int8: post-training quantization of the "
             "convolutions, calibrated on --calibration"),
    cl::init("none"), cl::cat(category));
static cl::opt<std::string> calibration(
    "calibration",
    cl::desc("With --quantize=int8: a directory of calibration inputs (.npy "
             "files; one subdirectory per sample for several inputs)"),
    cl::value_desc("dir"), cl::cat(category));

static cl::opt<std::string> calibrationTable(
    "calibration-table",
    cl::desc("With --quantize=int8: also write the calibrated ranges of each "
             "convolution's input and output here, as JSON"),
    cl::value_desc("path"), cl::cat(category));

static cl::opt<bool> printCpu(
    "print-cpu",
    cl::desc("Print the CPU description the code strategy uses for the "
             "target (yz-opt's cpu= pipeline option) and exit"),
    cl::init(false), cl::cat(category));

static cl::opt<std::string> cpuOverride(
    "cpu-override",
    cl::desc("Change keys of the CPU description the code strategy uses "
             "(see --print-cpu), e.g. strided-vectors=0,l2=1048576"),
    cl::value_desc("key=value,..."), cl::cat(category));

static cl::opt<bool> listOnnxOps(
    "list-onnx-ops",
    cl::desc("Print the ONNX ops the importer supports, with their opset "
             "ranges, as a Markdown table, and exit"),
    cl::init(false), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "yzc") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // libLLVM.so registers hundreds of options: show ours and the MLIR ones
  // a user of yzc needs (the rest still work, see --help-hidden).
  static cl::OptionCategory mlirCategory("MLIR options");
  auto &registered = cl::getRegisteredOptions();
  for (const char *name :
       {"mlir-timing", "mlir-timing-display", "mlir-pass-statistics",
        "mlir-print-ir-after-all", "mlir-print-ir-after-failure",
        "mlir-print-ir-before-all", "mlir-disable-threading"})
    if (auto *option = registered.lookup(name))
      option->addCategory(mlirCategory);
  claimThreadsOption(threads);
  cl::HideUnrelatedOptions({&category, &mlirCategory});
  setVersionPrinter("yzc");
  cl::ParseCommandLineOptions(argc, argv, "Yizhuang model compiler\n");

  if (listOnnxOps) {
    llvm::outs() << mlir::yz::supportedONNXOpsTable();
    return 0;
  }
  CompileOptions options;
  options.emit = emit == EmitKind::Shared ? EmitKind::Obj : emit.getValue();
  if (emit == EmitKind::Shared && outputPath.empty())
    return fail("--emit=shared needs -o <library.so>");
  options.entry = entry;
  options.modelName = modelName;
  options.target.cpu = mcpu;
  options.target.features = mattr;
  options.target.vlen = vlen;
  if (optLevel < '0' || optLevel > '3')
    return fail(llvm::Twine("-O") + llvm::Twine(optLevel.getValue()) +
                " is not an optimization level (use -O0 to -O3)");
  options.target.optLevel = optLevel - '0';
  auto arch = parseTargetArch(targetName);
  if (!arch)
    return fail(llvm::toString(arch.takeError()));
  options.target.arch = *arch;
  options.npu = npu;
  options.npuDoubleBuffer = npuDoubleBuffer;
  options.reportPlacement = reportPlacement;
  if (threads < 1 || threads > 256)
    return fail("--threads=" + llvm::Twine(threads.getValue()) +
                " is not between 1 and 256");
  options.threads = threads;
  if (npuDtype != "int8" && npuDtype != "bf16")
    return fail("--npu-dtype=" + npuDtype + " is not int8 or bf16");
  options.npuBf16 = npuDtype == "bf16";
  if (npu != "default" && npu != "none") {
    ::yz::npu::Target target;
    std::string error = target.parse(npu);
    if (!error.empty())
      return fail("--npu: " + error);
  }
  if (quantize != "none" && quantize != "int8")
    return fail("--quantize=" + quantize + " is not none or int8");
  if (quantize == "int8" && calibration.empty())
    return fail("--quantize=int8 needs --calibration <dir> with .npy inputs");
  if (quantize == "none" && !calibration.empty())
    return fail("--calibration is only used with --quantize=int8");
  if (!calibration.empty() && !llvm::sys::fs::is_directory(calibration))
    return fail("--calibration: '" + calibration + "' is not a directory");
  if (!calibrationTable.empty() && calibration.empty())
    return fail("--calibration-table needs --quantize=int8 --calibration <dir>");
  options.calibration = calibration;
  options.calibrationTable = calibrationTable;
  // Check the target options before reading the model.
  auto tm = createTargetMachine(options.target);
  if (!tm)
    return fail(llvm::toString(tm.takeError()));
  auto cpu = describeCpu(**tm, cpuOverride);
  if (!cpu)
    return fail(llvm::toString(cpu.takeError()));
  options.cpuOverrides = cpuOverride;
  if (printCpu) {
    llvm::outs() << cpu->str() << "\n";
    return 0;
  }
  if (inputPath.empty())
    return fail("no input model (expected <model.onnx|model.mlir>)");

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  DialectRegistry registry;
  mlir::yz::registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false); // one line per problem, not an IR dump
  std::string error;
  auto input = openInputFile(inputPath, &error);
  if (!input)
    return fail(error);
  ONNXImportOptions importOptions;
  for (const std::string &shape : inputShapes)
    if (std::string error = parseInputShapes(shape, importOptions);
        !error.empty())
      return fail("--input-shape: " + error);
  bool isOnnx = llvm::StringRef(inputPath).ends_with(".onnx");
  if (!isOnnx && !inputShapes.empty())
    return fail("--input-shape applies to ONNX models only");
  llvm::SourceMgr sourceMgr;
  llvm::StringRef bytes = input->getBuffer();
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  TimingScope importTimer = timing.nest("Import");
  OwningOpRef<ModuleOp> module =
      isOnnx ? importONNX(&context, bytes, inputPath, importOptions)
             : parseSourceFile<ModuleOp>(sourceMgr, &context);
  importTimer.stop();
  if (!module)
    return 1; // the importer or the parser has reported why

  auto result = compileModule(*module, options, timing, [](PassManager &pm) {
    return applyPassManagerCLOptions(pm);
  });
  if (failed(result))
    return 1;

  std::string out = outputPath;
  if (out.empty()) {
    out = "-";
    if (emit == EmitKind::Obj) {
      llvm::SmallString<128> path(llvm::sys::path::filename(inputPath));
      llvm::sys::path::replace_extension(path, ".o");
      out = std::string(path);
    }
  }
  TimingScope writeTimer = timing.nest("Write output");
  // A shared library: the object in a temporary file, linked into `out`.
  std::string objectPath = out;
  llvm::SmallString<128> tempObject;
  if (emit == EmitKind::Shared) {
    int fd;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("yzc-model", "o", fd, tempObject))
      return fail("cannot create a temporary object: " + ec.message());
    ::close(fd);
    objectPath = std::string(tempObject);
  }
  llvm::scope_exit removeTemp([&] {
    if (!tempObject.empty())
      llvm::sys::fs::remove(tempObject);
  });
  auto file = openOutputFile(objectPath, &error);
  if (!file)
    return fail("cannot write '" + objectPath + "': " + error);
  file->os().write(result->artifact.data(), result->artifact.size());
  file->keep();
  if (emit == EmitKind::Shared) {
    file.reset(); // flushed and closed before the linker reads it
    if (llvm::Error err = linkSharedModel(objectPath, out))
      return fail("--emit=shared: " + llvm::toString(std::move(err)));
  }
  if ((emit == EmitKind::Obj || emit == EmitKind::Shared) && out != "-") {
    llvm::SmallString<128> headerPath(out);
    llvm::sys::path::replace_extension(headerPath, ".h");
    auto header = openOutputFile(headerPath, &error);
    if (!header)
      return fail("cannot write '" + headerPath + "': " + error);
    header->os() << result->header;
    header->keep();
  }
  return 0;
}
