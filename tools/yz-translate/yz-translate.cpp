//===- yz-translate.cpp - translations in and out of MLIR -----------------===//
//
// Part of Yizhuang. MLIR (LLVM dialect) -> LLVM IR, and views of the NPU
// encoding table: --npu-isa-table (Markdown for docs/npu-isa.md),
// --npu-encodings (assembly), --npu-encoding-checks (FileCheck lines).
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "yz/Target/NpuIsaDump.h"
#include "llvm/Support/raw_ostream.h"

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
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "Yizhuang translation driver\n"))
             ? 1
             : 0;
}
