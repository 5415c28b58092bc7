//===- yz-translate.cpp - translations in and out of MLIR -----------------===//
//
// Part of Yizhuang. For now: MLIR (LLVM dialect) -> LLVM IR. The ONNX
// importer and the NPU encoding dump are registered here as they land.
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerToLLVMIRTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "Yizhuang translation driver\n"))
             ? 1
             : 0;
}
