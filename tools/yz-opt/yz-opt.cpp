//===- yz-opt.cpp - the yz MLIR pass driver -------------------------------===//
//
// Part of Yizhuang. mlir-opt plus the yz dialects, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "yz/Version.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "yz/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::yz::registerAllDialects(registry);
  mlir::yz::registerAllPasses();
  mlir::yz::setVersionPrinter("yz-opt");
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Yizhuang pass driver\n", registry));
}
