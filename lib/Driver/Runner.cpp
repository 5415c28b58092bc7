//===- Runner.cpp - link a compiled model with its runner and run it ------===//
//
// Part of Yizhuang. See Runner.h.
//
//===----------------------------------------------------------------------===//

#include "yz/Driver/Runner.h"

#include "llvm/ADT/ScopeExit.h"

#include "yz/Config.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include "llvm/TargetParser/Host.h"
#include <cstdio>
#include <cstdlib>

using llvm::StringRef;

/// A setting from the environment (YZ_CLANG, ...) or its configured default.
static std::string setting(const char *env, const char *fallback) {
  const char *value = std::getenv(env);
  return value && *value ? value : fallback;
}

/// A runtime library: from the environment, else beside an installed tool
/// (<prefix>/bin/../lib/yizhuang/<rel>, so that an install prefix can move),
/// else the build tree's.
static std::string runtimePath(const char *env, StringRef rel,
                               const char *buildPath) {
  if (const char *value = std::getenv(env); value && *value)
    return value;
  std::string exe =
      llvm::sys::fs::getMainExecutable(nullptr, (void *)&runtimePath);
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib", "yizhuang", rel);
  if (!exe.empty() && llvm::sys::fs::exists(path))
    return std::string(path);
  return buildPath;
}

/// A double printed so that the runner parses back the same value.
static std::string exactDecimal(double value) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

struct ModelObject {
  bool riscv64 = false;
  std::string qemuCpu;    // see LinkedModel::qemuCpu
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
  if (arch == llvm::Triple::riscv64) {
    model.riscv64 = true;
    // The ELF's RISC-V attributes name the extensions it was compiled for.
    // qemu 7.2 has these off by default (and spells Zfh with a capital Z);
    // it has no Zicond, which the preloaded simulator emulates, and no
    // Zvfh: vector f16 code of CPUs that have it cannot run here.
    if (auto features = obj.getFeatures()) {
      std::set<std::string> on(features->getFeatures().begin(),
                               features->getFeatures().end());
      if (on.count("+zfh") || on.count("+zfhmin"))
        model.qemuCpu += ",Zfh=true,Zfhmin=true";
      for (const char *b : {"zba", "zbb", "zbc", "zbs"})
        if (on.count(std::string("+") + b))
          model.qemuCpu += std::string(",") + b + "=true";
    } else {
      llvm::consumeError(features.takeError());
    }
  }
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
static llvm::Expected<int> run(llvm::ArrayRef<std::string> argv, StringRef what,
                               llvm::ArrayRef<std::string> extraEnv = {},
                               StringRef redirect = {}) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program)
    return llvm::createStringError("cannot find " + argv[0] + " (needed to " +
                                   what + ")");
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
  std::optional<StringRef> redirects[] = {std::nullopt, std::nullopt,
                                          std::nullopt};
  if (!redirect.empty())
    redirects[1] = redirects[2] = redirect;
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*program, args, envRef, redirects, 0,
                                         0, &error);
  if (status < 0)
    return llvm::createStringError("cannot " + what + ": " + error);
  return status;
}

/// clang + lld linking a yzc object with the runtime of its architecture
/// (and, for the host, the NPU simulator the model calls; riscv64 models
/// get it preloaded under qemu); `extra` goes before the libraries.
static std::vector<std::string> linkCommand(const ModelObject &model,
                                            llvm::ArrayRef<std::string> objects,
                                            llvm::ArrayRef<std::string> extra,
                                            StringRef outPath) {
  std::vector<std::string> link = {setting("YZ_CLANG", YZ_CLANG)};
  if (model.riscv64)
    link.insert(link.end(), {"--target=riscv64-linux-gnu", "-march=rv64gcv",
                             "-mabi=lp64d"});
  link.push_back("-fuse-ld=lld");
  link.insert(link.end(), extra.begin(), extra.end());
  link.insert(link.end(), objects.begin(), objects.end());
  link.insert(link.end(),
              {model.riscv64 ? runtimePath("YZ_RISCV64_RUNNER_LIB",
                                           "riscv64/libyz_runner.a",
                                           YZ_RISCV64_RUNNER_LIB)
                             : runtimePath("YZ_HOST_RUNNER_LIB",
                                           "host/libyz_runner.a",
                                           YZ_HOST_RUNNER_LIB)});
  if (!model.riscv64)
    link.insert(link.end(), {runtimePath("YZ_HOST_NPU_SIM_LIB",
                                         "host/libyz_npu_sim.a",
                                         YZ_HOST_NPU_SIM_LIB),
                             "-lstdc++"});
  link.insert(link.end(), {"-lm", "-o", outPath.str()});
  return link;
}

llvm::Expected<mlir::yz::LinkedModel>
mlir::yz::linkModelObject(StringRef objectPath, StringRef exePath,
                          StringRef redirectOutput) {
  auto inspected = inspect(objectPath);
  if (!inspected)
    return inspected.takeError();
  const ModelObject &model = *inspected;
  // The model's descriptor becomes the runner's yz_runner_model.
  auto linked = run(linkCommand(model, {objectPath.str()},
                                {"-Wl,--defsym=yz_runner_model=" +
                                 model.descriptor},
                                exePath),
                    "link the model", {}, redirectOutput);
  if (!linked)
    return linked.takeError();
  if (*linked != 0)
    return llvm::createStringError("linking the model failed");
  return LinkedModel{exePath.str(), objectPath.str(), model.riscv64,
                     model.qemuCpu};
}

llvm::Error mlir::yz::linkSharedModel(StringRef objectPath,
                                     StringRef libraryPath) {
  auto inspected = inspect(objectPath);
  if (!inspected)
    return inspected.takeError();
  // The C API of yz/runtime.h, which the model alone does not pull from
  // the archive (the header's yz_run_<name> calls yz_run).
  std::vector<std::string> extra = {"-shared"};
  for (const char *api :
       {"yz_run", "yz_last_error", "yz_workspace_release", "yz_status_name",
        "yz_dtype_name", "yz_dtype_size", "yz_tensor_num_elements",
        "yz_tensor_get", "yz_tensor_compare", "yz_tensor_alloc",
        "yz_tensor_free", "yz_npy_load", "yz_npy_save"})
    extra.push_back(std::string("-Wl,-u,") + api);
  auto linked = run(linkCommand(*inspected, {objectPath.str()}, extra,
                                libraryPath),
                    "link the shared library", {}, {});
  if (!linked)
    return linked.takeError();
  if (*linked != 0)
    return llvm::createStringError("linking the shared library failed");
  return llvm::Error::success();
}

/// The command that starts `model`: itself, or qemu-riscv64 with the NPU
/// simulator preloaded; `env` moves into qemu's -E options then.
static std::vector<std::string> launcher(const mlir::yz::LinkedModel &model,
                                         unsigned vlen,
                                         std::vector<std::string> &env) {
  std::vector<std::string> cmd;
  if (model.riscv64) {
    std::string sysroot = setting("YZ_RISCV64_SYSROOT", YZ_RISCV64_SYSROOT);
    cmd = {setting("YZ_QEMU_RISCV64", YZ_QEMU_RISCV64), "-L", sysroot, "-cpu",
           "rv64,v=true,vlen=" + std::to_string(vlen) + ",vext_spec=v1.0" +
               model.qemuCpu,
           "-E", "LD_PRELOAD=" + runtimePath("YZ_RISCV64_NPU_SIM", "riscv64/libyz_npu_sim.so",
                                       YZ_RISCV64_NPU_SIM)};
    if (cmd[0].empty())
      cmd[0] = "qemu-riscv64";
    for (const std::string &var : env)
      cmd.insert(cmd.end(), {"-E", var});
    env.clear(); // qemu passes them on to the guest
  }
  cmd.push_back(model.exe);
  return cmd;
}

llvm::Expected<int> mlir::yz::runLinkedModel(const LinkedModel &model,
                                             const RunOptions &o) {
  for (const std::string &path : o.inputs)
    if (!llvm::sys::fs::exists(path))
      return llvm::createStringError("input '" + path + "' does not exist");
  for (const std::string &path : o.compare)
    if (!llvm::sys::fs::exists(path))
      return llvm::createStringError("reference '" + path +
                                     "' does not exist");
  if (!o.outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(o.outputDir))
      return llvm::createStringError("cannot create '" + o.outputDir +
                                     "': " + ec.message());
  if (o.hostCycles && !model.riscv64)
    return llvm::createStringError(
        "--host-cycles estimates the cycles of the target core: compile the "
        "model with yzc --target=riscv64");
  // --host-cycles: qemu's block counts, and the NPU's report to put the
  // host's cycles beside (in a temporary file unless asked for).
  llvm::SmallString<128> counts, npuJson(o.profileJson);
  llvm::scope_exit removeTemporaries([&] {
    if (!counts.empty())
      llvm::sys::fs::remove(counts);
    if (o.profileJson.empty() && !npuJson.empty())
      llvm::sys::fs::remove(npuJson);
  });
  if (o.hostCycles) {
    if (auto ec = llvm::sys::fs::createTemporaryFile("yz-blocks", "txt", counts))
      return llvm::createStringError("cannot create a temporary file: " +
                                     ec.message());
    if (npuJson.empty()) {
      if (auto ec =
              llvm::sys::fs::createTemporaryFile("yz-npu", "json", npuJson))
        return llvm::createStringError("cannot create a temporary file: " +
                                       ec.message());
      llvm::sys::fs::remove(npuJson); // the simulator writes it if it ran
    }
  }
  std::vector<std::string> npuEnv;
  if (o.profile) {
    // The timeline can be tens of megabytes: it goes where the user asked
    // (--trace), or beside the outputs they asked for; else nowhere.
    std::string trace = o.tracePath;
    if (trace.empty() && !o.outputDir.empty())
      trace = o.outputDir + "/npu-trace.json";
    npuEnv = {"YZ_NPU_PROFILE=1"};
    if (!trace.empty())
      npuEnv.push_back("YZ_NPU_TRACE=" + trace);
  }
  if (!npuJson.empty())
    npuEnv.push_back(("YZ_NPU_JSON=" + npuJson).str());
  if (o.threads)
    npuEnv.push_back("YZ_THREADS=" + std::to_string(o.threads));

  std::vector<std::string> cmd = launcher(model, o.vlen, npuEnv);
  if (o.hostCycles)
    cmd.insert(cmd.begin() + 1,
               {"-plugin", runtimePath("YZ_TB_COUNTS_PLUGIN",
                                       "host/libyz_tb_counts.so",
                                       YZ_TB_COUNTS_PLUGIN) +
                               ",out=" + counts.str().str()});
  if (!o.outputDir.empty())
    cmd.insert(cmd.end(), {"--output-dir", o.outputDir});
  for (const std::string &ref : o.compare)
    cmd.insert(cmd.end(), {"--compare", ref});
  cmd.insert(cmd.end(), {"--rtol", exactDecimal(o.rtol), "--atol",
                         exactDecimal(o.atol)});
  if (o.scaleTol > 0)
    cmd.insert(cmd.end(), {"--scale-tol", exactDecimal(o.scaleTol)});
  if (o.quiet)
    cmd.push_back("--quiet");
  cmd.insert(cmd.end(), o.inputs.begin(), o.inputs.end());
  llvm::outs().flush();
  auto status = run(cmd, "run the model", npuEnv, o.redirectOutput);
  if (!status || *status != 0 || !o.hostCycles)
    return status;
  mlir::yz::HostCycleOptions hostOptions = o.hostOptions;
  hostOptions.llvmMca = setting("YZ_LLVM_MCA", YZ_LLVM_MCA);
  if (StringRef(hostOptions.llvmMca).ends_with("NOTFOUND")) // at configure
    hostOptions.llvmMca = "llvm-mca-22";
  if (auto err = mlir::yz::reportHostCycles(model.object, counts, npuJson,
                                            hostOptions))
    return std::move(err);
  return status;
}

llvm::Expected<int> mlir::yz::runModelObject(StringRef objectPath,
                                             const RunOptions &o) {
  llvm::SmallString<128> tmpDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("yz-run", tmpDir))
    return llvm::createStringError("cannot create a temporary directory: " +
                                   ec.message());
  std::string exe = o.keepExe.empty() ? (tmpDir + "/model.exe").str()
                                      : o.keepExe;
  auto linked = linkModelObject(objectPath, exe, o.redirectOutput);
  llvm::Expected<int> status =
      linked ? runLinkedModel(*linked, o) : llvm::Expected<int>(linked.takeError());
  llvm::sys::fs::remove_directories(tmpDir);
  return status;
}

llvm::Expected<int> mlir::yz::runDecoderObjects(StringRef stepObject,
                                                StringRef prefillObject,
                                                const GenerateOptions &o) {
  auto step = inspect(stepObject);
  if (!step)
    return step.takeError();
  std::vector<std::string> objects = {stepObject.str()};
  // The runner's main runs the generation loop when yz_generate_step is
  // bound (runtime/lib/generate_main.c).
  // The loop reads the NPU simulator's counters through a weak reference,
  // which under qemu the preloaded simulator must be able to bind.
  std::vector<std::string> symbols = {
      "-Wl,--defsym=yz_runner_model=" + step->descriptor,
      "-Wl,--defsym=yz_generate_step=" + step->descriptor,
      "-Wl,-z,dynamic-undefined-weak"};
  if (!prefillObject.empty()) {
    auto prefill = inspect(prefillObject);
    if (!prefill)
      return prefill.takeError();
    if (prefill->riscv64 != step->riscv64)
      return llvm::createStringError(
          "the prefill and step objects are for different targets");
    if (prefill->descriptor == step->descriptor)
      return llvm::createStringError(
          "the prefill and step models have the same name ('" +
          step->descriptor.substr(9) + "'): compile them with different "
          "--model-name");
    objects.push_back(prefillObject.str());
    symbols.push_back("-Wl,--defsym=yz_generate_prefill=" + prefill->descriptor);
    // Both models' extensions ("" or ",name=true,...").
    llvm::SmallVector<StringRef> props;
    StringRef(prefill->qemuCpu).split(props, ',', -1, false);
    for (StringRef prop : props)
      if (!StringRef(step->qemuCpu + ",").contains(("," + prop + ",").str()))
        step->qemuCpu += ("," + prop).str();
  }
  llvm::SmallString<128> tmpDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("yz-generate", tmpDir))
    return llvm::createStringError("cannot create a temporary directory: " +
                                   ec.message());
  std::string exe = (tmpDir + "/decoder.exe").str();
  llvm::scope_exit cleanup(
      [&] { llvm::sys::fs::remove_directories(tmpDir); });
  auto linked = run(linkCommand(*step, objects, symbols, exe),
                    "link the decoder", {}, o.redirectOutput);
  if (!linked)
    return linked.takeError();
  if (*linked != 0)
    return llvm::createStringError("linking the decoder failed");
  LinkedModel model{exe, stepObject.str(), step->riscv64, step->qemuCpu};
  std::vector<std::string> env;
  if (!o.profileJson.empty())
    env.push_back("YZ_NPU_JSON=" + o.profileJson);
  std::vector<std::string> cmd = launcher(model, o.vlen, env);
  cmd.insert(cmd.end(), {"--prompt", o.prompt, "--tokens",
                         std::to_string(o.tokens), "--top-k",
                         std::to_string(o.topK), "--temperature",
                         exactDecimal(o.temperature), "--seed",
                         std::to_string(o.seed)});
  if (!o.logitsOut.empty())
    cmd.insert(cmd.end(), {"--logits-out", o.logitsOut});
  if (o.profile)
    cmd.push_back("--profile");
  llvm::outs().flush();
  return run(cmd, "run the decoder", env, o.redirectOutput);
}
