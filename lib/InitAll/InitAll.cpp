//===- InitAll.cpp - register everything the yz tools use -----------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "yz/CPU/Passes.h"
#include "yz/Conversion/Passes.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Npu/Transforms/Passes.h"
#include "yz/Dialect/Yz/IR/YzDialect.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"
#include "yz/Pipelines/Pipelines.h"

void mlir::yz::registerAllDialects(DialectRegistry &registry) {
  registry.insert<YzDialect, npu::NpuDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  npu::registerBufferizableOpInterfaceExternalModels(registry);
}

void mlir::yz::registerAllPasses() {
  mlir::registerAllPasses();
  registerYzConversionPasses();
  registerYzTransformsPasses();
  registerNpuTransformsPasses();
  registerYzCPUPasses();
  registerYzPipelines();
}
