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
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
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

/// The two terms of `index` if it is a sum (an arith.addi, or an
/// affine.apply of d0 + d1 or s0 + s1).
std::optional<std::pair<Value, Value>> termsOfSum(Value index) {
  if (auto add = index.getDefiningOp<arith::AddIOp>())
    return std::make_pair(add.getLhs(), add.getRhs());
  auto apply = index.getDefiningOp<affine::AffineApplyOp>();
  if (!apply || apply.getNumOperands() != 2)
    return std::nullopt;
  AffineMap map = apply.getAffineMap();
  MLIRContext *ctx = map.getContext();
  AffineExpr sum =
      map.getNumDims() == 2
          ? getAffineDimExpr(0, ctx) + getAffineDimExpr(1, ctx)
          : getAffineSymbolExpr(0, ctx) + getAffineSymbolExpr(1, ctx);
  if (map.getResult(0) != sum)
    return std::nullopt;
  return std::make_pair(apply.getOperand(0), apply.getOperand(1));
}

/// The loop of a counter from 0 by 1 with a static trip count, and that
/// count.
std::optional<std::pair<scf::ForOp, int64_t>> countingLoop(Value iv) {
  auto arg = dyn_cast<BlockArgument>(iv);
  auto loop =
      arg ? dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp()) : scf::ForOp();
  if (!loop || loop.getInductionVar() != iv ||
      !matchPattern(loop.getLowerBound(), m_Zero()) ||
      !matchPattern(loop.getStep(), m_One()))
    return std::nullopt;
  std::optional<APInt> n = loop.getStaticTripCount();
  if (!n)
    return std::nullopt;
  return std::make_pair(loop, n->getSExtValue());
}

/// Prefetches the RHS block a matmul's K loop reads next while the M tiles
/// of this one run. The K loop `loop` (kc steps, in an M-tile loop of T
/// steps) loads rows of a constant packed [N1, K, N0] RHS (a global: the
/// weights) at [n, kb + k, 0] (or
/// [n, k, 0]: K in one block). Next is block kb of panel n + 1 where n
/// counts a loop of N panels between the two (n0 + n: the panels of a
/// thread's task from n0), after its last panel block kb + kc of its first;
/// where the panel is fixed around the M loop (a thread's task), block
/// kb + kc of the same panel, or with K in one block panel n + 1. At step
/// g = t * kc + k of the T * kc, the loop prefetches line g * L / (T * kc)
/// of the next block's L lines: it arrives at a steady rate over this
/// block's tiles, instead of in a burst of misses when its first tile
/// starts, which the hardware prefetchers (they follow a stream, not the
/// jump to the next block) left to the first tile. Only weights: a RHS
/// packed at run time is in cache, and prefetching it cost ShuffleNetV2
/// and ResNet-18 on two threads 3-4%. See docs/cpu-codegen.md for the
/// figures.
void prefetchNextBlock(RewriterBase &rewriter, scf::ForOp loop) {
  auto k = countingLoop(loop.getInductionVar());
  auto parent = loop->getParentOfType<scf::ForOp>();
  auto m = countingLoop(parent ? parent.getInductionVar() : Value());
  if (!k || !m)
    return;
  auto [mLoop, tiles] = *m;
  int64_t kc = k->second;
  Value kIv = loop.getInductionVar();
  auto outside = [&](Value v) {
    return v.getParentRegion()->isAncestor(mLoop->getParentRegion());
  };
  SmallVector<vector::LoadOp> loads(loop.getBody()->getOps<vector::LoadOp>());
  for (vector::LoadOp load : loads) {
    MemRefType type = load.getMemRefType();
    if (load.getIndices().size() != 3 || !type.hasStaticShape() ||
        load.getVectorType().getNumElements() != type.getDimSize(2) ||
        !matchPattern(load.getIndices()[2], m_Zero()))
      continue;
    // Weights, packed at compile time: they come from memory. A run-time
    // pack was just written, and is still in cache.
    if (!memref::skipViewLikeOps(cast<MemrefValue>(load.getBase()))
             .getDefiningOp<memref::GetGlobalOp>())
      continue;
    // kb + k (or k), and n, n0 + n or a panel fixed around the M loop.
    Value kb;
    if (load.getIndices()[1] != kIv) {
      auto terms = termsOfSum(load.getIndices()[1]);
      if (!terms || (terms->first != kIv && terms->second != kIv))
        continue;
      kb = terms->first == kIv ? terms->second : terms->first;
      if (!outside(kb))
        continue;
    }
    Value n = load.getIndices()[0], n0;
    auto p = countingLoop(n);
    if (auto terms = termsOfSum(n); !p && terms) {
      if ((p = countingLoop(terms->second)))
        n = terms->second, n0 = terms->first;
      else if ((p = countingLoop(terms->first)))
        n = terms->first, n0 = terms->second;
    }
    if (p && (!p->first->isProperAncestor(mLoop) || (n0 && !outside(n0))))
      continue;
    if (!p && !outside(n))
      continue;

    int64_t lineElts = 64 * 8 / type.getElementTypeBitWidth();
    int64_t rowLines = llvm::divideCeil(type.getDimSize(2), lineElts);
    int64_t lines = kc * rowLines;
    Location loc = load.getLoc();
    rewriter.setInsertionPoint(load);
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value step = arith::AddIOp::create(
        rewriter, loc,
        arith::MulIOp::create(rewriter, loc, mLoop.getInductionVar(), c(kc)),
        kIv);
    Value line = arith::DivUIOp::create(
        rewriter, loc, arith::MulIOp::create(rewriter, loc, step, c(lines)),
        c(tiles * kc));
    Value nextBlock =
        kb ? arith::MinUIOp::create(
                 rewriter, loc, arith::AddIOp::create(rewriter, loc, kb, c(kc)),
                 c(type.getDimSize(1) - kc))
           : c(0);
    Value next, block;
    if (p) {
      next = arith::AddIOp::create(rewriter, loc, n, c(1));
      Value wraps = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, next, c(p->second));
      next = arith::SelectOp::create(rewriter, loc, wraps, c(0), next);
      if (n0)
        next = arith::AddIOp::create(rewriter, loc, n0, next);
      block = kb ? arith::SelectOp::create(rewriter, loc, wraps, nextBlock, kb)
                 : nextBlock;
    } else if (kb) {
      next = n, block = nextBlock;
    } else {
      next = arith::MinUIOp::create(
          rewriter, loc, arith::AddIOp::create(rewriter, loc, n, c(1)),
          c(type.getDimSize(0) - 1));
      block = nextBlock;
    }
    Value row = arith::AddIOp::create(
        rewriter, loc, block,
        arith::DivUIOp::create(rewriter, loc, line, c(rowLines)));
    Value col = arith::MulIOp::create(
        rewriter, loc, arith::RemUIOp::create(rewriter, loc, line, c(rowLines)),
        c(lineElts));
    memref::PrefetchOp::create(rewriter, loc, load.getBase(),
                               ValueRange{next, row, col}, /*isWrite=*/false,
                               /*localityHint=*/3, /*isDataCache=*/true);
  }
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

/// A small copy of rows (at most eight vectors' worth of 32-bit lanes,
/// each side's innermost dimension contiguous) as one vector read and
/// write, which the transfer lowering below unrolls into vector loads and
/// stores. As a loop (linalg copy), LLVM unrolled it into scalar moves,
/// since nothing tells it the two sides do not overlap: a pointwise conv's
/// RHS panel, packed row by row just before its product
/// (yz-tile-and-vectorize), is such copies.
struct SmallCopyAsVectors : OpRewritePattern<memref::CopyOp> {
  SmallCopyAsVectors(MLIRContext *context, int64_t lanes)
      : OpRewritePattern(context), lanes(lanes) {}

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(copy.getSource().getType());
    auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!source || !target || !source.hasStaticShape() ||
        source.getShape() != target.getShape() || source.getRank() == 0 ||
        !source.getElementType().isIntOrFloat() ||
        // An i1 is a byte in memory but a bit in a vector.
        source.getElementType().getIntOrFloatBitWidth() % 8 != 0)
      return failure();
    auto rowContiguous = [](MemRefType type) {
      auto [strides, offset] = type.getStridesAndOffset();
      return strides.back() == 1;
    };
    int64_t row = source.getShape().back();
    if (!rowContiguous(source) || !rowContiguous(target) ||
        source.getNumElements() > 8 * lanes ||
        (row % lanes != 0 && (row > lanes || !llvm::isPowerOf2_64(row))))
      return failure();
    Location loc = copy.getLoc();
    auto type = VectorType::get(source.getShape(), source.getElementType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    SmallVector<Value> indices(source.getRank(), zero);
    SmallVector<bool> inBounds(source.getRank(), true);
    Value padding = ub::PoisonOp::create(rewriter, loc, type.getElementType());
    Value vector = vector::TransferReadOp::create(
        rewriter, loc, type, copy.getSource(), indices, padding, inBounds);
    rewriter.replaceOpWithNewOp<vector::TransferWriteOp>(
        copy, vector, copy.getTarget(), indices, inBounds);
    return success();
  }

  int64_t lanes;
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

    RewritePatternSet copies(context);
    copies.add<SmallCopyAsVectors>(context,
                                   vectorLanes(target, /*eltBits=*/32));
    if (failed(applyPatternsGreedily(root, std::move(copies))))
      return signalPassFailure();

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
      if (target.prefetchPanels)
        prefetchNextBlock(rewriter, loop);
      (void)loopUnrollByFactor(loop, 2);
    }
  }
};

} // namespace
