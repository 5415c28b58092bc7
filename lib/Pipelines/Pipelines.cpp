//===- Pipelines.cpp - yz pass pipelines ----------------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "yz/CPU/CpuTarget.h"
#include "yz/CPU/Passes.h"
#include "yz/Conversion/Passes.h"
#include "yz/Dialect/Npu/Transforms/Passes.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

using namespace mlir;

void mlir::yz::buildYzGraphPipeline(OpPassManager &pm) {
  // Identities first so the folds below see producers directly; constants
  // before the BN fold so its scales are constants; the BN fold before the
  // epilogue fusion, which would otherwise take BN's shift as a bias and
  // block the scale from folding.
  pm.addPass(createSymbolDCEPass());
  pm.addPass(createYzRemoveIdentities());
  pm.addPass(createYzFoldConstants());
  pm.addPass(createYzFoldConvAffine());
  pm.addPass(createYzFuseBiasActivation());
  pm.addPass(createYzFlattenMatmuls()); // after the biases have fused
  pm.addPass(createYzFoldConstants()); // the fused biases added together
  pm.addPass(createYzDeadCodeElimination());
}

void mlir::yz::buildYzToLLVMPipeline(OpPassManager &pm,
                                     const YzToLLVMPipelineOptions &options) {
  // Tensor level: graph optimizations, int8 quantization, place ops on the
  // NPU, lower yz, then fuse elementwise chains.
  buildYzGraphPipeline(pm);
  pm.addPass(createYzQuantize()); // the convolutions calibration annotated
  YzPlaceOnNpuOptions place;
  place.bf16 = options.npuBf16;
  place.report = options.reportPlacement;
  pm.addPass(createYzPlaceOnNpu(place));
  pm.addPass(createYzConvsToNpu());
  pm.addPass(createConvertYzToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  bool vectorize = options.optLevel > 0;
  if (vectorize) {
    // The CPU strategy: matmuls packed, tiled for the caches and registers,
    // vectorized into outer products; convolutions become matmuls first.
    CpuTarget cpu;
    (void)cpu.parse(options.cpu); // yz-pack-matmuls reports a bad one
    YzConvsToMatmulsOptions convs;
    convs.int8 = cpu.ime; // int8 matmuls have a strategy there
    convs.cpu = options.cpu;
    pm.addPass(createYzConvsToMatmuls(convs));
    YzPackMatmulsOptions pack;
    pack.cpu = options.cpu;
    pm.addPass(createYzPackMatmuls(pack));
    YzTileAndVectorizeOptions tiles;
    tiles.parallel = options.threads > 1; // matmul blocks as scf.forall
    tiles.threads = options.threads;
    tiles.cpu = options.cpu;
    pm.addPass(createYzTileAndVectorize(tiles));
    pm.addPass(createYzCollapseInnerLoops());
    pm.addPass(createCanonicalizerPass());
  }

  // Buffers: the entry's results become caller-provided out-parameters so
  // the C ABI is "one pointer per tensor"; intermediates are freed.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // A recurrence (yz.loop) may carry a state computed afresh each step.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createYzDistinctResults()); // before results become parameters
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocating what a loop carried may need a run-time helper taking
  // dynamic memrefs, which the bare-pointer convention cannot pass: inline it.
  pm.addPass(createInlinerPass());
  pm.addPass(createYzFreeAfterLastUse()); // not at the end of the function

  // NPU programs for the ops placed there; loops for the rest.
  ConvertLinalgToNpuOptions toNpu;
  toNpu.doubleBuffer = options.npuDoubleBuffer;
  pm.addPass(createConvertLinalgToNpu(toNpu));
  YzLowerNpuConvsOptions convsToNpu;
  convsToNpu.doubleBuffer = options.npuDoubleBuffer;
  pm.addPass(createYzLowerNpuConvs(convsToNpu));
  if (vectorize) {
    pm.addPass(createYzImeMatmuls()); // before the vectors are lowered
    YzOptimizeVectorsOptions optimize;
    optimize.cpu = options.cpu;
    pm.addPass(createYzOptimizeVectors(optimize));
    pm.addPass(createYzApproximateMath()); // libm's scalar calls don't vectorize
  }
  pm.addPass(createYzCopiesToLinalg());
  pm.addPass(createYzFlattenGlobals());
  // With threads, the parallel dimensions of linalg ops (and the matmuls'
  // blocks) become scf.parallel loops that yz-parallelize-nests hands to
  // the runtime's threads; else plain loops.
  if (options.threads > 1) {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createForallToParallelLoopPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  }
  pm.addPass(createLowerAffinePass());
  pm.addPass(createYzOutlineLoopNests()); // LLVM's time linear in model size
  YzParallelizeNestsOptions parallel;
  parallel.threads = options.threads;
  pm.addPass(createYzParallelizeNests(parallel));
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // npu ops need their memrefs' descriptors: lower them before memrefs.
  ConvertNpuToLLVMOptions npuToLLVM;
  npuToLLVM.target = options.target;
  pm.addPass(createConvertNpuToLLVM(npuToLLVM));
  pm.addPass(createConvertVectorToLLVMPass());
  // Integer powers (math.ipowi) become a loop in a helper function.
  pm.addPass(createConvertMathToFuncs());
  // Buffers come from the runtime's workspace (runtime/lib/workspace.c),
  // which keeps large ones between calls.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass()); // erf, tanh, pow: LLVM has no op

  pm.addPass(createUBToLLVMConversionPass()); // the vectorizer's padding
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (options.target == "riscv64")
    pm.addPass(createYzCastsWithoutRtz()); // for qemu 7.2; see the pass
  pm.addPass(createCanonicalizerPass());
}

void mlir::yz::registerYzPipelines() {
  PassPipelineRegistration<>(
      "yz-graph-opt",
      "The graph passes yzc runs on imported models, before lowering",
      buildYzGraphPipeline);
  PassPipelineRegistration<YzToLLVMPipelineOptions>(
      "yz-to-llvm-pipeline",
      "Lower yz to the LLVM dialect (CPU loops and NPU programs), as yzc does",
      buildYzToLLVMPipeline);
}
