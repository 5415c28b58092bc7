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
#include "FuzzContext.h"
#include "yz/Importer/ONNX/ImportONNX.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzContext fuzz;
  mlir::MLIRContext &context = fuzz.context;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = mlir::yz::importONNX(&context, bytes, "fuzz.onnx", {});
  if (module && mlir::failed(mlir::verify(*module)))
    abort(); // the importer built invalid IR
  return 0;
}
