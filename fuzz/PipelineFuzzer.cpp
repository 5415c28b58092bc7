//===- PipelineFuzzer.cpp - libFuzzer target for the compile pipeline -----===//
//
// Part of Yizhuang. Feeds mutated yz MLIR to the parser, the verifiers and
// the whole compile (yz-to-llvm-pipeline, LLVM code generation for the
// host, with the NPU): bad input must end in diagnostics, never a crash or
// a hang, and every pass must leave IR that verifies. Inputs are kept to
// what yzc compiles (yz ops in one func.func, static shapes, modest sizes),
// so that upstream MLIR is not fuzzed on ops it never meets here. Built
// with -DYZ_ENABLE_FUZZER=ON; run with fuzz/run.sh SECONDS pipeline.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "yz/Driver/Driver.h"
#include "FuzzContext.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

/// Every pass must leave valid IR: a pass that breaks it is a bug even
/// when the pass manager would report it as an error.
struct VerifyAfterEachPass : mlir::PassInstrumentation {
  void runAfterPass(mlir::Pass *, mlir::Operation *op) override {
    if (mlir::failed(mlir::verify(op)))
      abort();
  }
};

/// Only what yzc compiles: yz ops (and func/builtin structure), static
/// shapes of at most 2^16 elements per tensor.
bool inScope(mlir::ModuleOp module) {
  bool ok = true;
  module.walk([&](mlir::Operation *op) {
    llvm::StringRef dialect = op->getName().getDialectNamespace();
    if (dialect != "yz" && dialect != "func" && dialect != "builtin")
      ok = false;
    for (mlir::Type t : llvm::concat<mlir::Type>(op->getOperandTypes(),
                                                 op->getResultTypes()))
      if (auto shaped = llvm::dyn_cast<mlir::ShapedType>(t))
        if (!shaped.hasStaticShape() || shaped.getNumElements() > (1 << 16))
          ok = false;
  });
  return ok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzContext fuzz;
  mlir::MLIRContext &context = fuzz.context;
  // MLIR's lexer stops at a NUL: the buffer must end in one, as files
  // read through llvm::MemoryBuffer (yzc, yz-opt) do.
  std::string text(reinterpret_cast<const char *>(data), size);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  if (!module || !inScope(*module))
    return 0;
  mlir::yz::CompileOptions options;
  options.target.arch = mlir::yz::TargetArch::Host;
  options.target.optLevel = 1;
  mlir::DefaultTimingManager timing;
  mlir::TimingScope root = timing.getRootScope();
  (void)mlir::yz::compileModule(*module, options, root,
                                [](mlir::PassManager &pm) {
                                  pm.addInstrumentation(
                                      std::make_unique<VerifyAfterEachPass>());
                                  return mlir::success();
                                });
  return 0;
}
