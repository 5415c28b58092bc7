//===- OptimizeVectors.cpp - accumulators in registers, FMAs --------------===//
//
// Part of Yizhuang. Upstream vector lowering patterns, in the order that
// leaves a register tile of FMAs in the innermost loop.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "yz/CPU/CpuTarget.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZOPTIMIZEVECTORS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// The software-pipelining schedule of a K loop: stage 0 is the RHS vector
/// loads and the index arithmetic they need, stage 1 the rest (the scalar
/// LHS loads and the FMAs). Stage 0 comes first in the kernel, so each
/// iteration loads the next step's RHS row while its FMAs use this one's.
void scheduleRhsLoadsAhead(scf::ForOp loop,
                           std::vector<std::pair<Operation *, unsigned>> &out) {
  Block *body = loop.getBody();
  llvm::SetVector<Operation *> early;
  BackwardSliceOptions inBody;
  inBody.filter = [&](Operation *op) { return op->getBlock() == body; };
  for (Operation &op : body->without_terminator()) {
    if (!isa<vector::LoadOp>(op))
      continue;
    SetVector<Operation *> slice;
    (void)getBackwardSlice(&op, &slice, inBody);
    early.insert(slice.begin(), slice.end());
    early.insert(&op);
  }
  for (unsigned stage : {0u, 1u})
    for (Operation &op : body->without_terminator())
      if (early.contains(&op) == (stage == 0))
        out.push_back({&op, stage});
}

/// The sizes of a constant mask whose set lanes are a leading box (lanes
/// [0, size) of each dimension): a vector.constant_mask, or a dense i1
/// constant of one dimension.
std::optional<SmallVector<int64_t>> prefixMaskSizes(Value mask) {
  if (auto constant = mask.getDefiningOp<vector::ConstantMaskOp>())
    return SmallVector<int64_t>(constant.getMaskDimSizes());
  DenseElementsAttr dense;
  if (!matchPattern(mask, m_Constant(&dense)) ||
      cast<VectorType>(mask.getType()).getRank() != 1)
    return std::nullopt;
  SmallVector<bool> lanes(dense.getValues<bool>());
  int64_t size = llvm::find(lanes, false) - lanes.begin();
  if (llvm::is_contained(ArrayRef(lanes).drop_front(size), true))
    return std::nullopt;
  return SmallVector<int64_t>{size};
}

/// A vector read at a stride of 2 (a stride-2 depthwise stencil's window
/// row) becomes a masked read of twice the elements at stride 1,
/// deinterleaved: masked plain loads and a permute (AVX-512 vpermt2ps)
/// instead of a gather or, for a row's masked last vector, a load per lane.
/// Lane k of the wide read is valid where lane k / 2 of the original was, but
/// for the last odd one (it would read past the row), so the mask is the
/// original's count n (all lanes, unmasked) as 2n - 1.
struct StrideTwoReadAsDeinterleave : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    VectorType vt = read.getVectorType();
    if (!type || !read.getPermutationMap().isMinorIdentity() || vt.isScalable())
      return failure();
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 2)
      return failure();
    // The valid lanes: a create_mask's counts, a constant prefix mask's (a
    // row shorter than the vector: canonicalization folds its create_mask
    // into a constant), or all (in bounds).
    Location loc = read.getLoc();
    SmallVector<Value> counts;
    if (Value mask = read.getMask()) {
      if (auto create = mask.getDefiningOp<vector::CreateMaskOp>()) {
        counts.assign(create.getOperands().begin(), create.getOperands().end());
      } else if (std::optional<SmallVector<int64_t>> sizes =
                     prefixMaskSizes(mask)) {
        for (int64_t size : *sizes)
          counts.push_back(arith::ConstantIndexOp::create(rewriter, loc, size));
      } else {
        return failure();
      }
    } else {
      if (llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
        return failure();
      for (int64_t d : vt.getShape())
        counts.push_back(arith::ConstantIndexOp::create(rewriter, loc, d));
    }
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value two = arith::ConstantIndexOp::create(rewriter, loc, 2);
    counts.back() = arith::SubIOp::create(
        rewriter, loc, arith::MulIOp::create(rewriter, loc, counts.back(), two),
        one);

    // The source at unit stride, its last dimension 2W - 1 long.
    auto meta =
        memref::ExtractStridedMetadataOp::create(rewriter, loc, read.getBase());
    SmallVector<int64_t> shape(type.getShape()), unitStrides(strides);
    if (!ShapedType::isDynamic(shape.back()))
      shape.back() = 2 * shape.back() - 1;
    unitStrides.back() = 1;
    // Static sizes and strides where the type has them, else the source's.
    auto mixed = [&](ArrayRef<int64_t> values, ValueRange dynamic) {
      SmallVector<OpFoldResult> out;
      for (auto [v, d] : llvm::zip(values, dynamic))
        out.push_back(ShapedType::isDynamic(v) ? OpFoldResult(d)
                                               : rewriter.getIndexAttr(v));
      return out;
    };
    auto viewType = MemRefType::get(
        shape, type.getElementType(),
        StridedLayoutAttr::get(rewriter.getContext(), ShapedType::kDynamic,
                               unitStrides));
    SmallVector<OpFoldResult> sizes = mixed(shape, meta.getSizes());
    if (ShapedType::isDynamic(shape.back()))
      sizes.back() = Value(arith::SubIOp::create(
          rewriter, loc,
          arith::MulIOp::create(rewriter, loc, meta.getSizes().back(), two),
          one));
    Value view = memref::ReinterpretCastOp::create(
        rewriter, loc, viewType, meta.getBaseBuffer(),
        getAsOpFoldResult(meta.getOffset()), sizes,
        mixed(unitStrides, meta.getStrides()));
    SmallVector<Value> indices(read.getIndices());
    indices.back() = arith::MulIOp::create(rewriter, loc, indices.back(), two);
    SmallVector<int64_t> wideShape(vt.getShape());
    wideShape.back() *= 2;
    auto wide = VectorType::get(wideShape, vt.getElementType());
    Value mask = vector::CreateMaskOp::create(
        rewriter, loc, VectorType::get(wideShape, rewriter.getI1Type()),
        counts);
    Value both = vector::TransferReadOp::create(
        rewriter, loc, wide, view, indices,
        AffineMapAttr::get(read.getPermutationMap()), read.getPadding(), mask,
        rewriter.getBoolArrayAttr(SmallVector<bool>(vt.getRank(), true)));
    rewriter.replaceOp(
        read, vector::DeinterleaveOp::create(rewriter, loc, both).getRes1());
    return success();
  }
};

struct OptimizeVectors : yz::impl::YzOptimizeVectorsBase<OptimizeVectors> {
  using YzOptimizeVectorsBase::YzOptimizeVectorsBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *context = &getContext();
    CpuTarget target;
    if (std::string error = target.parse(cpu); !error.empty()) {
      root->emitError("yz-optimize-vectors: ") << error;
      return signalPassFailure();
    }

    // Buffers only ever written: a product whose elementwise consumer
    // yz-tile-and-vectorize applied on its register tiles, which still
    // wrote each tile. Gone, with their writes.
    IRRewriter rewriter(context);
    memref::eraseDeadAllocAndStores(rewriter, root);

    // Without strided vector loads (x86), stride-2 reads deinterleaved.
    if (!target.stridedVectors) {
      RewritePatternSet strided(context);
      strided.add<StrideTwoReadAsDeinterleave>(context);
      if (failed(applyPatternsGreedily(root, std::move(strided))))
        return signalPassFailure();
    }

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
    vector::populateSinkVectorOpsPatterns(unitDims);
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
    // A register tile stored transposed: one shuffle of the flattened tile,
    // which LLVM lowers to rounds of two-source permutes (x86), or moved
    // lane by lane (RVV, where a vrgather costs a cycle a lane; the X60's
    // llvm-mca counts 1.7x the cycles for a pointwise conv's tiles).
    vector::populateVectorTransposeLoweringPatterns(
        patterns, target.shuffleTransposes
                      ? vector::VectorTransposeLowering::Shuffle1D
                      : vector::VectorTransposeLowering::EltWise);
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

    // The K loops (vector accumulators carried, FMAs inside). Where the
    // target asks for it (an in-order core whose vector loads take longer
    // than an FMA to issue: SpacemiT X60), each loop is software-pipelined
    // first (upstream scf::pipelineForLoop) so the next step's RHS row is
    // loaded while this step's FMAs issue. Then it runs two steps per
    // iteration, which gives the loaded-ahead row a register of its own
    // (no copy back into the one the FMAs read).
    SmallVector<scf::ForOp> kLoops;
    root->walk([&](scf::ForOp loop) {
      if (!loop.getInitArgs().empty() &&
          llvm::all_of(loop.getInitArgs().getTypes(),
                       [](Type t) { return isa<VectorType>(t); }) &&
          !loop.getBody()->getOps<vector::FMAOp>().empty())
        kLoops.push_back(loop);
    });
    for (scf::ForOp loop : kLoops) {
      if (target.loadAhead) {
        // Loop-invariant views out of the body, so they are not carried.
        moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
        scf::PipeliningOption options;
        options.getScheduleFn = scheduleRhsLoadsAhead;
        rewriter.setInsertionPoint(loop);
        FailureOr<scf::ForOp> pipelined =
            scf::pipelineForLoop(rewriter, loop, options);
        if (succeeded(pipelined))
          loop = *pipelined;
      }
      (void)loopUnrollByFactor(loop, 2);
    }
  }
};

} // namespace
