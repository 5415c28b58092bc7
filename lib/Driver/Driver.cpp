//===- Driver.cpp - compile a model module to an artifact -----------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Driver/Driver.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Driver/Calibrate.h"
#include "yz/Pipelines/Pipelines.h"
#include "yz/Target/ModelABI.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::yz;

static LogicalResult report(ModuleOp module, llvm::Error error) {
  if (!error)
    return success();
  emitError(module.getLoc()) << llvm::toString(std::move(error));
  return failure();
}

FailureOr<CompileResult>
mlir::yz::compileModule(ModuleOp module, const CompileOptions &options,
                        TimingScope &timing,
                        llvm::function_ref<LogicalResult(PassManager &)> configure) {
  CompileResult result;
  auto sig = getModelSignature(module, options.entry, options.modelName);
  if (failed(sig))
    return failure();
  result.signature = *sig;
  result.header = emitCHeader(*sig);
  auto entry = module.lookupSymbol<func::FuncOp>(sig->entry);
  // Quantization: calibrate the optimized float graph (before the names
  // the calibration samples use are dropped below).
  if (!options.calibration.empty()) {
    PassManager graph(module.getContext());
    buildYzGraphPipeline(graph);
    if (failed(graph.run(module)) ||
        failed(calibrate(module, entry, options.calibration, timing,
                         options.calibrationTable)))
      return failure();
  }
  // Compile the entry and what it calls: other functions become private,
  // and the pipeline's symbol DCE drops those it does not reach.
  for (auto func : module.getOps<func::FuncOp>())
    if (func != entry)
      func.setPrivate();
  // The names now live in the signature; LLVM IR has no place for them.
  for (unsigned i = 0; i < entry.getNumArguments(); ++i)
    entry.removeArgAttr(i, "yz.name");
  for (unsigned i = 0; i < entry.getNumResults(); ++i)
    entry.removeResultAttr(i, StringAttr::get(module.getContext(), "yz.name"));

  // Check the target before the (longer) MLIR pipeline runs.
  auto tm = createTargetMachine(options.target);
  if (!tm) {
    (void)report(module, tm.takeError());
    return failure();
  }

  // The NPU's description goes on the module, where every pass reads it.
  if (options.npu != "none") {
    ::yz::npu::Target target;
    std::string error = options.npu == "default" ? "" : target.parse(options.npu);
    if (!error.empty()) {
      emitError(module.getLoc()) << "--npu: " << error;
      return failure();
    }
    if (options.npu != "default" || !npu::lookupTarget(module))
      module->setAttr(npu::kTargetAttrName,
                      npu::getTargetAttr(module.getContext(), target));
  } else {
    module->removeAttr(npu::kTargetAttrName);
  }

  PassManager pm(module.getContext());
  TimingScope pipelineTimer = timing.nest("MLIR pipeline");
  pm.enableTiming(pipelineTimer);
  YzToLLVMPipelineOptions pipeline;
  pipeline.target =
      options.target.arch == TargetArch::RISCV64 ? "riscv64" : "host";
  auto cpu = describeCpu(**tm, options.cpuOverrides);
  if (!cpu)
    return module.emitError(llvm::toString(cpu.takeError()));
  pipeline.cpu = cpu->str();
  pipeline.optLevel = options.target.optLevel;
  pipeline.npuBf16 = options.npuBf16;
  pipeline.npuDoubleBuffer = options.npuDoubleBuffer;
  pipeline.reportPlacement = options.reportPlacement;
  pipeline.threads = options.threads;
  buildYzToLLVMPipeline(pm, pipeline);
  if (configure && failed(configure(pm)))
    return failure();
  if (failed(pm.run(module)))
    return failure();
  pipelineTimer.stop();

  llvm::raw_svector_ostream os(result.artifact);
  if (options.emit == EmitKind::MLIR) {
    module.print(os);
    os << "\n"; // as yz-opt prints it
    return result;
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  {
    TimingScope t = timing.nest("Translate to LLVM IR");
    llvmModule = translateModuleToLLVMIR(module, llvmContext,
                                         result.signature.name);
    if (!llvmModule) {
      emitError(module.getLoc()) << "translation to LLVM IR failed";
      return failure();
    }
    if (failed(report(module, addModelABI(*llvmModule, result.signature))))
      return failure();
  }
  {
    TimingScope t = timing.nest("LLVM optimization");
    if (failed(report(module, optimizeModule(*llvmModule, **tm,
                                             options.target.optLevel))))
      return failure();
  }
  if (options.emit == EmitKind::LLVM) {
    llvmModule->print(os, nullptr);
    return result;
  }
  TimingScope t = timing.nest("Code generation");
  auto type = options.emit == EmitKind::Asm ? llvm::CodeGenFileType::AssemblyFile
                                            : llvm::CodeGenFileType::ObjectFile;
  if (failed(report(module, emitCode(*llvmModule, **tm, type, os))))
    return failure();
  return result;
}
