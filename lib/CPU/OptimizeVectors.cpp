//===- OptimizeVectors.cpp - accumulators in registers, FMAs --------------===//
//
// Part of Yizhuang. Upstream vector lowering patterns, in the order that
// leaves a register tile of FMAs in the innermost loop.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZOPTIMIZEVECTORS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

struct OptimizeVectors : yz::impl::YzOptimizeVectorsBase<OptimizeVectors> {
  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *context = &getContext();
    // The packed layout's unit dimensions (the batch and outer tile
    // indices, K0 = 1) dropped from transfers and contractions: a 1 x 1 x M0
    // x 1 panel read becomes a vector<M0>.
    RewritePatternSet unitDims(context);
    vector::populateVectorTransferPermutationMapLoweringPatterns(unitDims);
    vector::populateVectorReductionToContractPatterns(unitDims);
    vector::populateDropInnerMostUnitDimsXferOpPatterns(unitDims);
    vector::populateCastAwayVectorLeadingOneDimPatterns(unitDims);
    vector::populateVectorTransferDropUnitDimsPatterns(unitDims);
    vector::populateDropUnitDimWithShapeCastPatterns(unitDims);
    vector::ShapeCastOp::getCanonicalizationPatterns(unitDims, context);
    if (failed(applyPatternsGreedily(root, std::move(unitDims))))
      return signalPassFailure();

    // Contractions to outer products to FMAs of a broadcast scalar by a
    // vector, one per accumulator row.
    RewritePatternSet patterns(context);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(root, std::move(patterns))))
      return signalPassFailure();

    // N-D transfers into unrolled 1-D ones, then plain loads and stores.
    // An LHS element taken out of a vector read becomes a scalar load, which
    // feeds the FMA directly (RVV vfmacc.vf, x86 broadcast operand) rather
    // than a vector load and a gather per row.
    RewritePatternSet transfers(context);
    vector::populateScalarVectorTransferLoweringPatterns(
        transfers, /*benefit=*/2, /*allowMultipleUses=*/true);
    populateVectorToSCFConversionPatterns(
        transfers, VectorTransferToSCFOptions().enableFullUnroll());
    vector::populateVectorTransferLoweringPatterns(transfers,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorShapeCastLoweringPatterns(transfers);
    if (failed(applyPatternsGreedily(root, std::move(transfers))))
      return signalPassFailure();

    // The K loops (vector accumulators carried, FMAs inside) run two steps
    // per iteration: an in-order core (SpacemiT X60) can then load the next
    // step's operands while this step's FMAs issue.
    SmallVector<scf::ForOp> kLoops;
    root->walk([&](scf::ForOp loop) {
      if (!loop.getInitArgs().empty() &&
          llvm::all_of(loop.getInitArgs().getTypes(),
                       [](Type t) { return isa<VectorType>(t); }) &&
          !loop.getBody()->getOps<vector::FMAOp>().empty())
        kLoops.push_back(loop);
    });
    for (scf::ForOp loop : kLoops)
      (void)loopUnrollByFactor(loop, 2);
  }
};

} // namespace
