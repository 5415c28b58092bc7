//===- yz-generate.cpp - run a compiled decoder's generation loop ---------===//
//
// Part of Yizhuang. Links a decoder's step model (and its prefill model)
// with the runner of their architecture, whose main then runs the
// generation loop with a runtime-owned KV cache (yz/decoder.h), natively
// or under qemu-riscv64 with the NPU simulator. See docs/decoding.md.
//
//===----------------------------------------------------------------------===//

#include "yz/Driver/Runner.h"
#include "yz/Version.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

namespace cl = llvm::cl;

static cl::OptionCategory category("yz-generate options");
static cl::opt<std::string> stepPath(cl::Positional, cl::Required,
                                     cl::desc("<step.o>"), cl::cat(category));
static cl::opt<std::string>
    prefillPath("prefill",
                cl::desc("The decoder's prefill model (prompt chunks); "
                         "without it the prompt runs through the step model "
                         "a token at a time"),
                cl::value_desc("prefill.o"), cl::cat(category));
static cl::opt<std::string>
    prompt("prompt", cl::Required,
           cl::desc("The prompt's token ids, comma-separated"),
           cl::value_desc("id,id,..."), cl::cat(category));
static cl::opt<int64_t> tokens("tokens",
                               cl::desc("How many tokens to generate (16)"),
                               cl::init(16), cl::cat(category));
static cl::opt<int> topK("top-k",
                         cl::desc("Sample among the k most likely tokens (0 "
                                  "or 1: greedy, the default)"),
                         cl::init(0), cl::cat(category));
static cl::opt<double>
    temperature("temperature",
                cl::desc("With --top-k: divide the logits by this (1.0)"),
                cl::init(1.0), cl::cat(category));
static cl::opt<uint64_t> seed("seed",
                              cl::desc("With --top-k: the sampler's seed (0)"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string>
    logitsOut("logits-out",
              cl::desc("Write each generated token's logits here (.npy, "
                       "[tokens, vocabulary])"),
              cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<std::string>
    profileJson("profile-json",
                cl::desc("Write the NPU cycle report of the whole run "
                         "(prefill and steps) here, as JSON"),
                cl::value_desc("file.json"), cl::cat(category));
static cl::opt<bool>
    profile("profile",
            cl::desc("Print the NPU's work (cycle model) for the prefill and "
                     "each decode step: cycles, bytes, MACs, utilization, "
                     "and the DMA-bandwidth bound of those bytes"),
            cl::cat(category));
static cl::opt<unsigned> vlen("vlen",
                              cl::desc("riscv64: emulated VLEN in bits (256)"),
                              cl::init(256), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  mlir::yz::setVersionPrinter("yz-generate");
  cl::ParseCommandLineOptions(
      argc, argv,
      "Generate tokens with a yzc-compiled decoder (step and prefill models "
      "sharing a runtime-owned KV cache)\n");
  auto fail = [](const llvm::Twine &message) {
    llvm::WithColor::error(llvm::errs(), "yz-generate") << message << "\n";
    return 1;
  };
  if (tokens < 0)
    return fail("--tokens must not be negative");
  if (topK < 0)
    return fail("--top-k must not be negative");
  if (topK > 1 && !(temperature > 0))
    return fail("--temperature must be positive");
  mlir::yz::GenerateOptions options;
  options.prompt = prompt;
  options.tokens = tokens;
  options.topK = topK;
  options.temperature = temperature;
  options.seed = seed;
  options.logitsOut = logitsOut;
  options.profileJson = profileJson;
  options.profile = profile;
  options.vlen = vlen;
  auto status = mlir::yz::runDecoderObjects(stepPath, prefillPath, options);
  if (!status)
    return fail(llvm::toString(status.takeError()));
  // The loop reports its own errors (status 1: the decoder; 2: usage).
  return *status == 0 ? 0 : 1;
}
