//===- Runner.h - link a compiled model with its runner and run it -*- C++ -*-===//
//
// Part of Yizhuang. yz-run and the Python package both run models this way:
// the yzc object is linked (clang + lld) with the runner of its architecture
// and run natively for the host, under qemu-riscv64 with the NPU simulator
// preloaded for riscv64. The runner reads the .npy inputs, checks them
// against the model's signature, writes and compares the outputs.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DRIVER_RUNNER_H
#define YZ_DRIVER_RUNNER_H

#include "yz/Driver/HostCycles.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::yz {

struct RunOptions {
  std::vector<std::string> inputs;  // .npy, one per model input, in order
  std::string outputDir;            // write <output name>.npy here if set
  std::vector<std::string> compare; // reference .npy per output
  double rtol = 1e-5, atol = 1e-6;
  double scaleTol = 0; // adds scaleTol x max |reference| to atol
  unsigned vlen = 256; // riscv64: emulated VLEN in bits
  unsigned threads = 0; // YZ_THREADS for the run; 0: the model's own
  bool quiet = false;  // do not print the outputs
  bool profile = false;
  std::string tracePath;   // with profile: Chrome trace-event file
  std::string profileJson; // NPU report as JSON, if set
  std::string keepExe;     // also save the linked executable here
  bool hostCycles = false; // riscv64: estimate the host's cycles per layer
  HostCycleOptions hostOptions;
  /// Capture the runner's stdout and stderr here instead of inheriting them.
  std::string redirectOutput;
};

/// Runner exit statuses.
enum RunStatus { RunOk = 0, RunBadInput = 1, RunBadUsage = 2, RunMismatch = 3 };

/// A model linked with its runner.
struct LinkedModel {
  std::string exe;
  std::string object; // the yzc object it was linked from
  bool riscv64 = false;
  /// qemu-riscv64 CPU properties the object's extensions need (Zfh, the
  /// B extensions), e.g. ",zba=true,zbb=true".
  std::string qemuCpu;
};

/// Links the yzc object `objectPath` with the runner of its architecture
/// into `exePath`; the linker's output goes to `redirectOutput` if set.
llvm::Expected<LinkedModel> linkModelObject(llvm::StringRef objectPath,
                                            llvm::StringRef exePath,
                                            llvm::StringRef redirectOutput = {});

/// Links the yzc object `objectPath` with the runtime of its architecture
/// (not the runner's main) into the shared library `libraryPath`: its C
/// entry points are those of the model's header, for dlopen and ctypes.
/// Host models carry the NPU simulator; riscv64 ones run where the NPU is
/// (or with the simulator preloaded under qemu).
llvm::Error linkSharedModel(llvm::StringRef objectPath,
                            llvm::StringRef libraryPath);

/// Runs a linked model (natively, or under qemu with the NPU simulator) on
/// `options.inputs`; returns the runner's exit status.
llvm::Expected<int> runLinkedModel(const LinkedModel &model,
                                   const RunOptions &options);

/// Links and runs `objectPath`; returns the runner's exit status, or an
/// error when the object is not a yzc model or cannot be linked or started.
llvm::Expected<int> runModelObject(llvm::StringRef objectPath,
                                   const RunOptions &options);

/// What yz-generate asks of a decoder (docs/decoding.md).
struct GenerateOptions {
  std::string prompt; // comma-separated token ids
  int64_t tokens = 16;
  int topK = 0; // 0 or 1: greedy
  double temperature = 1.0;
  uint64_t seed = 0;
  std::string logitsOut; // .npy of each generated token's logits, if set
  std::string profileJson; // the NPU report (all calls) as JSON, if set
  bool profile = false;    // the NPU's work per token (a line each)
  unsigned vlen = 256;
  std::string redirectOutput;
};

/// Links a decoder's step model (and its prefill model, if given) with the
/// runner of their architecture, whose main then runs the generation loop
/// (runtime/lib/generate_main.c), and runs it; returns its exit status.
llvm::Expected<int> runDecoderObjects(llvm::StringRef stepObject,
                                      llvm::StringRef prefillObject,
                                      const GenerateOptions &options);

} // namespace mlir::yz

#endif // YZ_DRIVER_RUNNER_H
