//===- yz-run.cpp - run a compiled model on .npy files --------------------===//
//
// Part of Yizhuang. Links a yzc object with the runner of its architecture
// (clang + lld), then runs it: natively for the host, under qemu-riscv64
// for riscv64. The runner itself reads and checks the inputs, prints and
// writes the outputs, and compares them with references. See docs/tools.md.
//
//===----------------------------------------------------------------------===//

#include "yz/Config.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include <cstdio>
#include <cstdlib>

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
static cl::opt<unsigned> vlen("vlen",
                              cl::desc("riscv64: emulated VLEN in bits (256)"),
                              cl::init(256), cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the outputs"),
                           cl::cat(category));
static cl::opt<bool>
    profile("profile",
            cl::desc("Print the NPU cycle report and write its trace-event "
                     "timeline (see --trace)"),
            cl::cat(category));
static cl::opt<std::string>
    tracePath("trace",
              cl::desc("With --profile: the Chrome trace-event file "
                       "(default: npu-trace.json in --output-dir, or here)"),
              cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string>
    profileJson("profile-json",
                cl::desc("Also write the NPU report as JSON to this file"),
                cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string>
    keepExe("keep-exe", cl::desc("Also save the linked executable here"),
            cl::value_desc("path"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "yz-run") << message << "\n";
  return 1;
}

/// A setting from the environment (YZ_CLANG, ...) or its configured default.
static std::string setting(const char *env, const char *fallback) {
  const char *value = std::getenv(env);
  return value && *value ? value : fallback;
}

/// A double printed so that the runner parses back the same value.
static std::string exactDecimal(double value) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

struct ModelObject {
  bool riscv64 = false;
  std::string descriptor; // yz_model_<name>
};

static llvm::Expected<ModelObject> inspect(StringRef path) {
  auto binary = llvm::object::ObjectFile::createObjectFile(path);
  if (!binary)
    return llvm::createStringError(
        "'%s' is not an object file compiled by yzc: %s", path.str().c_str(),
        llvm::toString(binary.takeError()).c_str());
  llvm::object::ObjectFile &obj = *binary->getBinary();
  ModelObject model;
  auto arch = obj.getArch();
  if (arch == llvm::Triple::riscv64)
    model.riscv64 = true;
  else if (arch != llvm::Triple(llvm::sys::getProcessTriple()).getArch())
    return llvm::createStringError("'%s' is for %s, which yz-run cannot run",
                                   path.str().c_str(),
                                   llvm::Triple::getArchTypeName(arch).data());
  for (const llvm::object::SymbolRef &sym : obj.symbols()) {
    auto name = sym.getName();
    auto flags = sym.getFlags();
    if (!name || !flags)
      return llvm::createStringError("'%s': unreadable symbol table",
                                     path.str().c_str());
    if (!name->starts_with("yz_model_") ||
        (*flags & llvm::object::SymbolRef::SF_Undefined) ||
        !(*flags & llvm::object::SymbolRef::SF_Global))
      continue;
    if (!model.descriptor.empty())
      return llvm::createStringError("'%s' defines several models", path.str().c_str());
    model.descriptor = name->str();
  }
  if (model.descriptor.empty())
    return llvm::createStringError(
        "'%s' is not a model compiled by yzc (no yz_model_* symbol)",
        path.str().c_str());
  return model;
}

extern char **environ;

/// Runs argv; `extraEnv` ("NAME=value") is added to this process's own.
static int run(llvm::ArrayRef<std::string> argv, StringRef what,
               llvm::ArrayRef<std::string> extraEnv = {}) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program)
    return fail("cannot find " + argv[0] + " (needed to " + what + ")");
  llvm::SmallVector<StringRef> args(argv.begin(), argv.end());
  std::optional<llvm::SmallVector<StringRef>> env;
  if (!extraEnv.empty()) {
    env.emplace();
    for (char **e = environ; *e; ++e)
      env->push_back(*e);
    env->append(extraEnv.begin(), extraEnv.end());
  }
  std::optional<llvm::ArrayRef<StringRef>> envRef;
  if (env)
    envRef = *env;
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*program, args, envRef, {}, 0, 0,
                                         &error);
  if (status < 0)
    return fail("cannot " + what + ": " + error);
  return status;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Run a yzc-compiled model on .npy inputs\n\n"
      "Environment: YZ_CLANG, YZ_QEMU_RISCV64, YZ_RISCV64_SYSROOT,\n"
      "YZ_HOST_RUNNER_LIB, YZ_RISCV64_RUNNER_LIB, YZ_HOST_NPU_SIM_LIB and\n"
      "YZ_RISCV64_NPU_SIM override the build's defaults; YZ_NPU_TARGET sets\n"
      "the simulated NPU (default: the one the model was compiled for).\n");

  auto model = inspect(objectPath);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  for (const std::string &path : inputs)
    if (!llvm::sys::fs::exists(path))
      return fail("input '" + path + "' does not exist");
  for (const std::string &path : compare)
    if (!llvm::sys::fs::exists(path))
      return fail("reference '" + path + "' does not exist");
  if (!outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create '" + outputDir + "': " + ec.message());

  llvm::SmallString<128> tmpDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("yz-run", tmpDir))
    return fail("cannot create a temporary directory: " + ec.message());
  std::string exe = keepExe.empty() ? (tmpDir + "/model.exe").str()
                                    : std::string(keepExe);

  // Link: the model's descriptor becomes the runner's yz_runner_model.
  std::vector<std::string> link = {setting("YZ_CLANG", YZ_CLANG)};
  if (model->riscv64)
    link.insert(link.end(), {"--target=riscv64-linux-gnu", "-march=rv64gcv",
                             "-mabi=lp64d"});
  link.insert(link.end(),
              {"-fuse-ld=lld", objectPath,
               model->riscv64
                   ? setting("YZ_RISCV64_RUNNER_LIB", YZ_RISCV64_RUNNER_LIB)
                   : setting("YZ_HOST_RUNNER_LIB", YZ_HOST_RUNNER_LIB),
               "-Wl,--defsym=yz_runner_model=" + model->descriptor});
  // Host models call the NPU simulator; riscv64 ones get it preloaded.
  if (!model->riscv64)
    link.insert(link.end(),
                {setting("YZ_HOST_NPU_SIM_LIB", YZ_HOST_NPU_SIM_LIB), "-lstdc++"});
  link.insert(link.end(), {"-lm", "-o", exe});
  int status = run(link, "link the model");
  if (status != 0) {
    llvm::sys::fs::remove_directories(tmpDir);
    return status > 0 ? fail("linking the model failed") : 1;
  }

  std::vector<std::string> npuEnv;
  if (profile) {
    std::string trace = tracePath;
    if (trace.empty())
      trace = outputDir.empty() ? "npu-trace.json" : outputDir + "/npu-trace.json";
    npuEnv = {"YZ_NPU_PROFILE=1", "YZ_NPU_TRACE=" + trace};
  }
  if (!profileJson.empty())
    npuEnv.push_back("YZ_NPU_JSON=" + profileJson);

  std::vector<std::string> cmd;
  if (model->riscv64) {
    std::string sysroot = setting("YZ_RISCV64_SYSROOT", YZ_RISCV64_SYSROOT);
    cmd = {setting("YZ_QEMU_RISCV64", YZ_QEMU_RISCV64), "-L", sysroot, "-cpu",
           "rv64,v=true,vlen=" + std::to_string(vlen) + ",vext_spec=v1.0",
           "-E", "LD_PRELOAD=" + setting("YZ_RISCV64_NPU_SIM", YZ_RISCV64_NPU_SIM)};
    if (cmd[0].empty())
      cmd[0] = "qemu-riscv64";
    for (const std::string &var : npuEnv)
      cmd.insert(cmd.end(), {"-E", var});
    npuEnv.clear(); // qemu passes them on to the guest
  }
  cmd.push_back(exe);
  if (!outputDir.empty())
    cmd.insert(cmd.end(), {"--output-dir", outputDir});
  for (const std::string &ref : compare)
    cmd.insert(cmd.end(), {"--compare", ref});
  cmd.insert(cmd.end(), {"--rtol", exactDecimal(rtolOpt), "--atol",
                         exactDecimal(atolOpt)});
  if (quiet)
    cmd.push_back("--quiet");
  cmd.insert(cmd.end(), inputs.begin(), inputs.end());
  llvm::outs().flush();
  status = run(cmd, "run the model", npuEnv);
  llvm::sys::fs::remove_directories(tmpDir);
  // The runner reports its own errors (status 1, bad input; 2, bad usage).
  if (status == 3)
    return fail("outputs do not match the references"), 3;
  if (status == 1 || status == 2 || status < 0)
    return 1;
  if (status != 0)
    return fail("the model exited with status " + llvm::Twine(status));
  return 0;
}
