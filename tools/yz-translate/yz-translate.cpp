//===- yz-translate.cpp - translations in and out of MLIR -----------------===//
//
// Part of Yizhuang. ONNX -> yz (--import-onnx, with --input-shape),
// MLIR (LLVM dialect) -> LLVM IR, and views of the NPU
// encoding table: --npu-isa-table (Markdown for docs/npu-isa.md),
// --npu-encodings (assembly), --npu-encoding-checks (FileCheck lines).
//
//===----------------------------------------------------------------------===//

#include "yz/Version.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "yz/InitAll.h"
#include "yz/Target/NpuIsaDump.h"
#include "yz/Importer/ONNX/ImportONNX.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("--import-onnx: the shape of an input, e.g. x:1x3x224x224"),
    llvm::cl::value_desc("name:dims"));

static void registerImportONNX() {
  mlir::TranslateToMLIRRegistration(
      "import-onnx", "ONNX model -> yz dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        mlir::yz::ONNXImportOptions options;
        for (const std::string &shape : inputShapes)
          if (std::string error = mlir::yz::parseInputShapes(shape, options);
              !error.empty()) {
            mlir::emitError(mlir::UnknownLoc::get(context))
                << "--input-shape: " << error;
            return {};
          }
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        return mlir::yz::importONNX(context, buffer->getBuffer(),
                                    buffer->getBufferIdentifier(), options);
      },
      [](mlir::DialectRegistry &registry) {
        mlir::yz::registerAllDialects(registry);
      });
}

int main(int argc, char **argv) {
  // The table views take no input: answer them before MLIR's driver.
  if (argc == 2) {
    llvm::StringRef flag = argv[1];
    if (flag == "--npu-isa-table")
      return mlir::yz::printNpuIsaTable(llvm::outs()), 0;
    if (flag == "--npu-encodings" || flag == "--npu-encoding-checks")
      return mlir::yz::printNpuEncodings(llvm::outs(),
                                         flag == "--npu-encoding-checks"),
             0;
  }
  mlir::registerToLLVMIRTranslation();
  registerImportONNX();
  mlir::yz::setVersionPrinter("yz-translate");
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "Yizhuang translation driver\n"))
             ? 1
             : 0;
}
