//===- ImportONNXFuzzer.cpp - libFuzzer target for the ONNX importer ------===//
//
// Part of Yizhuang. Feeds arbitrary bytes to importONNX: it must report
// errors as diagnostics and never crash, hang or leak; whatever it imports
// must verify. Built with -DYZ_ENABLE_FUZZER=ON; run with fuzz/run.sh.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "yz/InitAll.h"
#include "yz/Importer/ONNX/ImportONNX.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    mlir::yz::registerAllDialects(*r);
    return r;
  }();
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &) {
    return mlir::success(); // errors are expected: only crashes count
  });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = mlir::yz::importONNX(&context, bytes, "fuzz.onnx", {});
  if (module && mlir::failed(mlir::verify(*module)))
    abort(); // the importer built invalid IR
  return 0;
}
