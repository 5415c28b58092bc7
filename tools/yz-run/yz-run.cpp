//===- yz-run.cpp - run a compiled model on .npy files --------------------===//
//
// Part of Yizhuang. Links a yzc object with the runner of its architecture
// (clang + lld), then runs it: natively for the host, under qemu-riscv64
// for riscv64. The runner itself reads and checks the inputs, prints and
// writes the outputs, and compares them with references. See docs/tools.md.
//
//===----------------------------------------------------------------------===//

#include "yz/ToolOptions.h"
#include "yz/Version.h"
#include "yz/Driver/Runner.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using llvm::StringRef;

static cl::OptionCategory category("yz-run options");
static cl::opt<std::string> objectPath(cl::Positional, cl::Required,
                                       cl::desc("<model.o>"), cl::cat(category));
static cl::list<std::string>
    inputs("input", cl::desc("Input .npy, once per model input, in order"),
           cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write <output name>.npy files here"),
              cl::value_desc("dir"), cl::cat(category));
static cl::list<std::string>
    compare("compare",
            cl::desc("Reference .npy for each output, in order; exit 3 on a "
                     "mismatch"),
            cl::value_desc("ref.npy"), cl::cat(category));
static cl::opt<double> rtolOpt("rtol", cl::desc("Relative tolerance (1e-5)"),
                            cl::init(1e-5), cl::cat(category));
static cl::opt<double> atolOpt("atol", cl::desc("Absolute tolerance (1e-6)"),
                            cl::init(1e-6), cl::cat(category));
static cl::opt<double>
    scaleTol("scale-tol",
             cl::desc("Also allow an error of this times the output's scale, "
                      "max |reference| (compare relative to scale; 0: off)"),
             cl::init(0), cl::cat(category));
static cl::opt<unsigned> vlen("vlen",
                              cl::desc("riscv64: emulated VLEN in bits (256)"),
                              cl::init(256), cl::cat(category));
// Registered as "yz-threads", renamed in main() (claimThreadsOption).
static cl::opt<unsigned>
    threads("yz-threads",
            cl::desc("Threads for a model compiled with yzc --threads (sets "
                     "YZ_THREADS; default: the model's own)"),
            cl::init(0), cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the outputs"),
                           cl::cat(category));
static cl::opt<bool>
    profile("profile",
            cl::desc("Print the NPU cycle report (totals and per layer) and "
                     "write its trace-event timeline (see --trace)"),
            cl::cat(category));
static cl::opt<std::string>
    tracePath("trace",
              cl::desc("With --profile: write the Chrome trace-event "
                       "timeline here (default: npu-trace.json in "
                       "--output-dir if given, else no timeline)"),
              cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string>
    profileJson("profile-json",
                cl::desc("Also write the NPU report as JSON to this file"),
                cl::value_desc("path"), cl::cat(category));
static cl::opt<bool> hostCycles(
    "host-cycles",
    cl::desc("riscv64: estimate the host core's cycles per layer (qemu's "
             "block counts x llvm-mca), beside the NPU's, and the whole "
             "model's latency; with --profile-json, also there"),
    cl::cat(category));
static cl::opt<std::string>
    hostCpu("host-cpu",
            cl::desc("With --host-cycles: the LLVM CPU whose scheduling "
                     "model prices the code (spacemit-x60)"),
            cl::init("spacemit-x60"), cl::cat(category));
static cl::opt<double>
    hostMHz("host-mhz", cl::desc("With --host-cycles: the host's clock (1600)"),
            cl::init(1600), cl::cat(category));
static cl::opt<double>
    npuMHz("npu-mhz", cl::desc("With --host-cycles: the NPU's clock (1000)"),
           cl::init(1000), cl::cat(category));
static cl::opt<std::string>
    keepExe("keep-exe", cl::desc("Also save the linked executable here"),
            cl::value_desc("path"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "yz-run") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::yz::claimThreadsOption(threads);
  cl::HideUnrelatedOptions(category);
  mlir::yz::setVersionPrinter("yz-run");
  cl::ParseCommandLineOptions(
      argc, argv,
      "Run a yzc-compiled model on .npy inputs\n\n"
      "Environment: YZ_CLANG, YZ_QEMU_RISCV64, YZ_RISCV64_SYSROOT,\n"
      "YZ_HOST_RUNNER_LIB, YZ_RISCV64_RUNNER_LIB, YZ_HOST_NPU_SIM_LIB and\n"
      "YZ_RISCV64_NPU_SIM, YZ_TB_COUNTS_PLUGIN and YZ_LLVM_MCA override\n"
      "the build's defaults; YZ_NPU_TARGET sets\n"
      "the simulated NPU (default: the one the model was compiled for).\n");

  mlir::yz::RunOptions options;
  options.inputs.assign(inputs.begin(), inputs.end());
  options.outputDir = outputDir;
  options.compare.assign(compare.begin(), compare.end());
  options.rtol = rtolOpt;
  options.atol = atolOpt;
  options.scaleTol = scaleTol;
  options.vlen = vlen;
  options.threads = threads;
  options.quiet = quiet;
  options.profile = profile;
  options.tracePath = tracePath;
  options.profileJson = profileJson;
  options.keepExe = keepExe;
  options.hostCycles = hostCycles;
  options.hostOptions.mcpu = hostCpu;
  options.hostOptions.hostMHz = hostMHz;
  options.hostOptions.npuMHz = npuMHz;
  if (hostMHz <= 0 || npuMHz <= 0)
    return fail("--host-mhz and --npu-mhz must be positive");
  auto status = mlir::yz::runModelObject(objectPath, options);
  if (!status)
    return fail(llvm::toString(status.takeError()));
  // The runner reports its own errors (status 1, bad input; 2, bad usage).
  if (*status == mlir::yz::RunMismatch)
    return fail("outputs do not match the references"), 3;
  if (*status == mlir::yz::RunBadInput || *status == mlir::yz::RunBadUsage)
    return 1;
  if (*status != 0)
    return fail("the model exited with status " + llvm::Twine(*status));
  return 0;
}
