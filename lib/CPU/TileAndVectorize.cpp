//===- TileAndVectorize.cpp - cache and register tiling, vectorization ----===//
//
// Part of Yizhuang. Two levels of upstream TilingInterface tiling on each
// packed matmul (the strategy's numbers are on the op), then the linalg
// vectorizer on the register tile.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "yz/CPU/CpuTarget.h"
#include "yz/CPU/Epilogues.h"
#include "yz/CPU/FillSlab.h"
#include "yz/CPU/Reshapes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZTILEANDVECTORIZE
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Tiles `op` by `sizes` (0: untiled) and replaces it; returns the tiling
/// (its loops and tile). `forall`: the loops are one scf.forall
/// (independent iterations).
FailureOr<scf::SCFTilingResult> tileLoops(RewriterBase &rewriter, Operation *op,
                                          ArrayRef<int64_t> sizes, bool forall,
                                          ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setInterchange(interchange);
  if (forall)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  rewriter.setInsertionPoint(op);
  auto tiled = scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

/// tileLoops' tile; its loops into `loops` when given.
FailureOr<Operation *> tile(RewriterBase &rewriter, Operation *op,
                            ArrayRef<int64_t> sizes, bool forall = false,
                            SmallVectorImpl<LoopLikeOpInterface> *loops = {},
                            ArrayRef<int64_t> interchange = {}) {
  auto tiled = tileLoops(rewriter, op, sizes, forall, interchange);
  if (failed(tiled))
    return failure();
  if (loops)
    loops->assign(tiled->loops);
  return tiled->tiledOps.back();
}

/// The op that packs `op`'s RHS at run time, looking through a
/// collapse_shape: a linalg.pack, or the copy yz-pack-matmuls folded one
/// into (FoldCopyIntoPack). Null for a constant RHS (packed at compile time).
Operation *runTimeRhsPack(linalg::LinalgOp op) {
  Value rhs = op.getDpsInputs()[1];
  if (auto collapse = rhs.getDefiningOp<tensor::CollapseShapeOp>())
    rhs = collapse.getSrc();
  Operation *producer = rhs.getDefiningOp();
  if (isa_and_present<linalg::PackOp>(producer))
    return producer;
  auto copy = dyn_cast_if_present<linalg::GenericOp>(producer);
  if (copy && copy.getNumDpsInputs() == 1 &&
      isa<linalg::YieldOp>(copy.getBody()->front()) &&
      copy.getBody()->front().getOperand(0) == copy.getBody()->getArgument(0))
    return producer;
  return nullptr;
}

/// Whether `pack`'s tiles pad its source (a dimension its tile does not
/// divide).
bool padsSource(linalg::PackOp pack) {
  ArrayRef<int64_t> shape = pack.getSourceType().getShape();
  for (auto [pos, tile] :
       llvm::zip(pack.getInnerDimsPos(), pack.getStaticInnerTiles()))
    if (ShapedType::isDynamic(shape[pos]) || ShapedType::isDynamic(tile) ||
        shape[pos] % tile != 0)
      return true;
  return false;
}

/// A run-time RHS pack to compute inside the cache blocks that read it,
/// and whether by N panels rather than by blocks.
struct RhsPackFusion {
  Operation *pack = nullptr;
  bool byPanels = false;
};

/// The run-time pack of `op`'s RHS worth packing block by block inside the
/// cache blocks that read it: one whose result would not fit in L2. Null
/// for smaller ones, where the per-block packs only cost loop overhead
/// (MobileNetV2's pointwise convs: 4% slower). From an eighth of L2 where
/// the blocks are a batched product's batches (a grouped conv's groups:
/// each group's columns packed just before its product, not all groups'
/// first) or tasks on threads (each block packed on the core that reads
/// it): on an AVX-512 host,
/// RegNetX-400MF 7.10 -> 6.90 ms a run on one thread, 4.25 -> 4.17 on
/// two; ResNet-18 on two 12.4 -> 12.2, the other models within 2%.
/// Below the bound, on one thread with the N panels outside the M panels
/// (`panelsOutside`), a pointwise conv's activations (a linalg.pack) are
/// packed by N panels: each panel (N0 pixels of every channel, in L1)
/// just before the M panels read it, rather than all of them first into
/// a buffer that spills out of L1. Not where the panels pad the pixels
/// (14 x 14, 28 x 28): each panel's pack would then be a pad of its own,
/// and the pad of the whole goes into the producer (PadIntoProducer).
/// One thread on the Xeon VM, MobileNetV2's 144 -> 24 pointwise conv at
/// 56 x 56: 265 -> 154 us.
RhsPackFusion rhsPackToFuse(linalg::LinalgOp op, const CpuTarget &target,
                            bool parallel, bool panelsOutside) {
  auto packed = cast<ShapedType>(op.getDpsInputs()[1].getType());
  int64_t bytes = packed.getNumElements() *
                  packed.getElementType().getIntOrFloatBitWidth() / 8;
  bool batched = packed.getRank() > 4; // [B, N1, K1, N0, K0]
  int64_t limit = parallel || batched ? target.l2Bytes / 8 : target.l2Bytes;
  if (bytes > limit)
    return {runTimeRhsPack(op), false};
  auto pack = dyn_cast_if_present<linalg::PackOp>(runTimeRhsPack(op));
  if (!parallel && panelsOutside && pack && !padsSource(pack))
    return {pack, true};
  return {};
}

/// Whether every operand of `op` reads its innermost loop last, or not at
/// all (a broadcast: a bias [1, C, 1, 1] read at (0, c, 0, 0)), so a
/// vector along that loop is contiguous in each (vectorizeRows).
bool readsRowsLast(linalg::GenericOp op) {
  AffineExpr last = getAffineDimExpr(op.getNumLoops() - 1, op.getContext());
  return llvm::all_of(op.getIndexingMapsArray(), [&](AffineMap m) {
    if (!m.isProjectedPermutation(/*allowZeroInResults=*/true))
      return false;
    std::optional<unsigned> pos = m.getResultPosition(last);
    return !pos || *pos == m.getNumResults() - 1;
  });
}

/// Lowers a (tiled) pack into a pad, reshape and transpose, the transpose
/// as a generic without its unit loops, marked to be vectorized along its
/// innermost loop where both sides read it contiguously (vectorizeRows).
void markPackRows(RewriterBase &rewriter, linalg::PackOp pack,
                  const CpuTarget &target) {
  rewriter.setInsertionPoint(pack);
  auto lowered = linalg::lowerPack(rewriter, pack);
  if (failed(lowered) || !lowered->transposeOp)
    return;
  rewriter.setInsertionPoint(lowered->transposeOp);
  auto generic = linalg::generalizeNamedOp(
      rewriter, cast<linalg::LinalgOp>(lowered->transposeOp.getOperation()));
  if (failed(generic))
    return;
  linalg::ControlDropUnitDims control;
  control.rankReductionStrategy =
      linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
  rewriter.setInsertionPoint(*generic);
  auto reduced = linalg::dropUnitDims(rewriter, *generic, control);
  if (failed(reduced))
    return;
  rewriter.replaceOp(*generic, reduced->replacements);
  auto rows = cast<linalg::GenericOp>(reduced->resultOp.getOperation());
  if (!readsRowsLast(rows))
    return;
  rows->setAttr(kRowVectorAttr,
                rewriter.getI64IntegerAttr(chooseRowVector(
                    target, rows.getStaticLoopRanges().back(),
                    getElementTypeOrSelf(rows.getResultTypes()[0])
                        .getIntOrFloatBitWidth())));
}

/// Tiles `op` into its cache blocks (`sizes`; `forall`: independent ones,
/// one scf.forall) with its RHS packed inside them (`pack`, from
/// rhsPackToFuse): each block packs the RHS panels it reads just before it
/// reads them (upstream's fusion of the pack, through a collapse_shape by
/// bubbling the block's slice above it), so the packed block, which the
/// strategy sized for half of L2, is written and read there, rather than
/// the whole packed RHS going out to L3 and back. Where L3 is slow, that
/// was most of a large conv's time (ResNet-18's 56 x 56 layers on a Xeon
/// with 2 MiB of L2: the packed copy took as long as the FMAs). Returns
/// the tiled op, and its loops in `loops`.
FailureOr<Operation *>
tileWithRhsPacked(RewriterBase &rewriter, linalg::LinalgOp op,
                  ArrayRef<int64_t> sizes, Operation *pack, bool forall,
                  const CpuTarget &target, llvm::Statistic &packedInBlocks,
                  SmallVectorImpl<LoopLikeOpInterface> &loops) {
  auto tiled = tileLoops(rewriter, op, sizes, forall);
  if (failed(tiled))
    return failure();
  loops.assign(tiled->loops);
  auto block = cast<linalg::LinalgOp>(tiled->tiledOps.back());
  // The block's RHS, a slice of the collapsed pack: sliced before the
  // collapse instead (upstream's bubble-up), it is a slice of the pack.
  Value rhs = block.getDpsInputs()[1];
  if (auto slice = rhs.getDefiningOp<tensor::ExtractSliceOp>();
      slice && slice.getSource().getDefiningOp<tensor::CollapseShapeOp>()) {
    RewritePatternSet bubble(op->getContext());
    tensor::populateBubbleUpExtractSliceOpPatterns(bubble);
    (void)applyOpPatternsGreedily({slice.getOperation()}, std::move(bubble));
    rhs = block.getDpsInputs()[1];
    if (auto collapse = rhs.getDefiningOp<tensor::CollapseShapeOp>())
      rhs = collapse.getSrc();
  }
  auto slice = rhs.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || slice.getSource().getDefiningOp() != pack)
    return block.getOperation();
  auto fused = scf::tileAndFuseProducerOfSlice(rewriter, slice, tiled->loops);
  if (!fused)
    return block.getOperation();
  ++packedInBlocks;
  // Each block packed into a buffer of its own, the size of the block
  // (upstream's fold of a slice of tensor.empty), not into its slice of
  // one as large as the whole packed RHS: the same memory for every block
  // (a task's own, with threads). Into slices of the whole, every block
  // wrote fresh lines, which the cache fetched first: ResNet-18 on one
  // thread 48.3 ms against 40.1.
  RewritePatternSet empty(op->getContext());
  tensor::populateFoldTensorEmptyPatterns(empty);
  SmallVector<Operation *> inits;
  for (Operation *tiledOp : fused->tiledOps)
    for (Value init : cast<DestinationStyleOpInterface>(tiledOp).getDpsInits())
      if (Operation *def = init.getDefiningOp())
        inits.push_back(def);
  (void)applyOpPatternsGreedily(inits, std::move(empty));
  // A block's pack of a pointwise conv's activations copies rows of N0
  // pixels: lowered here, its transpose's unit dimensions dropped, it is
  // a copy of [K, N0] rows that vectorizeRows takes (marked). Left to
  // LLVM, a panel's copy was fully unrolled into scalar moves.
  for (Operation *tiledOp : fused->tiledOps)
    if (auto tiledPack = dyn_cast<linalg::PackOp>(tiledOp))
      markPackRows(rewriter, tiledPack, target);
  return block.getOperation();
}

/// The loops of a packed contraction: [batch...,] M1, N1, K1..., M0, N0,
/// K0. An mmt4d has one K1 and K0 = 1; a product reading its columns in
/// place (yz-pack-matmuls' readColumnsInPlace) has the K dimensions but the
/// channel as K1s (KH, KW) and the channel as K0.
struct PackedLoops {
  size_t loops, batch, kOuter;
  bool innerK; // K0 > 1: it is tiled by 1 too
};
PackedLoops packedLoops(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  PackedLoops p;
  p.loops = iterators.size();
  p.batch = llvm::find(iterators, utils::IteratorType::reduction) -
            iterators.begin() - 2;
  p.kOuter = p.loops - p.batch - 5;
  p.innerK = op.getStaticLoopRanges().back() > 1;
  return p;
}

/// Whether the product's K runs in blocks of the strategy's kc (an
/// mmt4d's; one reading in place has K in one). Not where K is one block:
/// a slice at the block loop's index would hide that it starts at 0 (and
/// keep the RHS pack out of the block).
bool kInBlocks(linalg::LinalgOp op) {
  PackedLoops p = packedLoops(op);
  int64_t kc =
      op->getAttrOfType<DenseI64ArrayAttr>(kMatmulStrategyAttr).asArrayRef()[2];
  return p.kOuter == 1 && !p.innerK &&
         kc < op.getStaticLoopRanges()[p.batch + 2];
}

/// A packed contraction whose only use is an unpack writes the unpacked
/// result itself: [.., M, N] is [.., M1, M0, N1, N0] expanded, the mmt4d's
/// (.., M1, N1, M0, N0) with two dimensions swapped, so a generic with that
/// output map writes each register tile's rows in place. That saves the
/// unpack's pass over the result, which costs as much as a short-K matmul
/// (a pointwise conv). Where the last tile is partial, the result is a
/// slice of the whole tiles. An unpack transposed to [N, M] (pixels as
/// rows, back to NCHW) takes the same, each tile stored transposed.
/// Returns the generic, or `op` when it does not apply.
linalg::LinalgOp writeUnpacked(RewriterBase &rewriter, linalg::LinalgOp op) {
  Value packed = op->getResult(0);
  auto unpack = dyn_cast<linalg::UnPackOp>(
      packed.hasOneUse() ? *packed.getUsers().begin() : nullptr);
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  auto packedType = cast<RankedTensorType>(packed.getType());
  int64_t b = packedType.getRank() - 4; // batch dimensions
  if (!unpack || !fill || unpack.getSource() != packed)
    return op;
  // Transposed only for one image, and not with K in blocks: each block
  // would read and write the tile transposed (ResNet-18's 14 x 14 and
  // 7 x 7 layers, 12% slower a run).
  bool transposed = b == 0 && !kInBlocks(op) &&
                    unpack.getOuterDimsPerm() == ArrayRef<int64_t>{1, 0} &&
                    unpack.getInnerDimsPos() == ArrayRef<int64_t>{1, 0};
  if (!transposed && (!unpack.getOuterDimsPerm().empty() ||
                      unpack.getInnerDimsPos() != ArrayRef<int64_t>{b, b + 1}))
    return op;
  ArrayRef<int64_t> p = packedType.getShape();
  RankedTensorType dest = unpack.getDestType();
  // The tiles cover the result, maybe with a partial last one (which the
  // unpack drops): written whole, then sliced (shifted columns round the
  // pixels up to N0, and the unpack into their slice had been folded).
  int64_t rows = dest.getDimSize(b + transposed),
          cols = dest.getDimSize(b + !transposed);
  if (!dest.hasStaticShape() || rows > p[b] * p[b + 2] ||
      cols > p[b + 1] * p[b + 3])
    return op;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  // [batch.., M1, M0, N1, N0], or [N1, N0, M1, M0] transposed.
  SmallVector<int64_t> order = {b, b + 2, b + 1, b + 3};
  if (transposed)
    order = {1, 3, 0, 2};
  SmallVector<int64_t> shape(p.take_front(b));
  for (int64_t d : order)
    shape.push_back(p[d]);
  Value init = linalg::FillOp::create(
                   rewriter, loc, fill.getInputs()[0],
                   tensor::EmptyOp::create(rewriter, loc, shape,
                                           packedType.getElementType())
                       .getResult())
                   .getResult(0);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  ArrayRef<AffineExpr> r = maps.back().getResults();
  SmallVector<AffineExpr> out(r.take_front(b));
  for (int64_t d : order)
    out.push_back(r[d]);
  maps.back() = AffineMap::get(maps.back().getNumDims(), 0, out,
                               rewriter.getContext());
  auto generic = linalg::GenericOp::create(rewriter, loc, init.getType(),
                                           op.getDpsInputs(), init, maps,
                                           op.getIteratorTypesArray());
  // The same multiply-accumulate: the mmt4d's body moves over.
  rewriter.inlineRegionBefore(op->getRegion(0), generic.getRegion(),
                              generic.getRegion().end());
  generic->setAttr(kMatmulStrategyAttr, op->getAttr(kMatmulStrategyAttr));
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < b; ++i)
    groups.push_back({i});
  groups.push_back({b, b + 1});
  groups.push_back({b + 2, b + 3});
  rewriter.setInsertionPoint(unpack);
  SmallVector<int64_t> whole(p.take_front(b));
  whole.append({shape[b] * shape[b + 1], shape[b + 2] * shape[b + 3]});
  Value result = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get(whole, dest.getElementType()),
      generic.getResult(0), groups);
  if (ArrayRef<int64_t>(whole) != dest.getShape()) {
    SmallVector<int64_t> zeros(whole.size(), 0), ones(whole.size(), 1);
    MLIRContext *ctx = rewriter.getContext();
    result = tensor::ExtractSliceOp::create(
        rewriter, loc, dest, result, getAsIndexOpFoldResult(ctx, zeros),
        getAsIndexOpFoldResult(ctx, dest.getShape()),
        getAsIndexOpFoldResult(ctx, ones));
  }
  rewriter.replaceOp(unpack, result);
  rewriter.eraseOp(op);
  if (fill->use_empty())
    rewriter.eraseOp(fill);
  return generic;
}

/// `op`'s tile of a dropped-unit-dims generic (all of them but, per
/// `keep`, the last), vectorized; returns the vectorized op's replacement.
FailureOr<Operation *> dropUnitDimsAndVectorize(RewriterBase &rewriter,
                                                linalg::GenericOp op,
                                                bool keepLast) {
  linalg::ControlDropUnitDims control;
  control.rankReductionStrategy =
      linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
  if (keepLast)
    control.controlFn = [](Operation *op) {
      auto loops = cast<linalg::LinalgOp>(op).getNumLoops();
      return llvm::to_vector(llvm::seq<unsigned>(0, loops - 1));
    };
  rewriter.setInsertionPoint(op);
  auto reduced = linalg::dropUnitDims(rewriter, op, control);
  if (failed(reduced))
    return failure();
  rewriter.replaceOp(op, reduced->replacements);
  Operation *outer = reduced->resultOp;
  rewriter.setInsertionPoint(outer);
  auto vectorized = linalg::vectorize(rewriter, outer);
  if (failed(vectorized))
    return failure();
  rewriter.replaceOp(outer, vectorized->replacements);
  return vectorized->replacements.front().getDefiningOp();
}

/// Whether the product's RHS is a constant (weights packed at compile
/// time), seen through reshapes: it comes from memory (or a
/// shared L3) on every run, where a RHS packed at run time was just
/// written and is in cache.
static bool hasConstantRhs(linalg::LinalgOp op) {
  return matchPattern(throughReshapes(op.getDpsInputs()[1]), m_Constant());
}

/// Returns the innermost loop, over K (K0 where it is tiled, else K1).
FailureOr<LoopLikeOpInterface>
tileAndVectorizeMatmul(RewriterBase &rewriter, linalg::LinalgOp op,
                       const CpuTarget &target, bool parallel, int64_t threads,
                       llvm::Statistic &packedInBlocks,
                       llvm::Statistic &fusedEpilogues) {
  ArrayRef<int64_t> s =
      op->getAttrOfType<DenseI64ArrayAttr>(kMatmulStrategyAttr).asArrayRef();
  int64_t kc = s[2], nc = s[3];
  PackedLoops p = packedLoops(op);
  size_t loops = p.loops, batch = p.batch;
  bool kBlocks = kInBlocks(op);
  // The N panel loop outside the M panel loop (BLIS's order) where the
  // RHS panel of a K block fits in half of L1: it then stays there for
  // every LHS panel, and the LHS panels (M0 scalars a step, a quarter of
  // the RHS panel's N0 on AVX-512) stream from L2. M panels outside
  // stream every RHS panel from L2 once per LHS panel. One thread, on an
  // AVX-512 host: EfficientNet-B0 17.6 -> 15.9 ms a run, MobileNetV2 10.7
  // -> 10.3, ShuffleNetV2 4.06 -> 3.95, RegNetX-400MF 12.8 -> 12.6;
  // ResNet-18's 7 x 7 layers (K in blocks of kc sized for this) 1.70 ->
  // 1.47 ms, its 14 x 14 1.47 -> 1.38 ms. Up to all of L1 measured the
  // same but for EfficientNet-B0 (16.2 ms).
  // The same order where the RHS is constant (pixels-as-rows convs, whose
  // weights are the RHS, and Gemm) and the LHS of a K block fits in a
  // quarter of L2: the weights then stream from memory once, a panel
  // at a time spread over the whole product, each panel serving every
  // LHS panel, and the LHS stays in L2. With M panels outside, the first
  // LHS panel read all the weights (640 KB for RegNetX-400MF's 7 x 7
  // pointwise convs) in a burst at a seventh of the product's FMAs,
  // waiting on memory. One thread on the Xeon VM, alternating runs:
  // RegNetX-400MF 6.80 -> 6.47 ms, MobileNetV2 5.91 -> 5.74, a Gemm of
  // 128 x 768 by 768 x 3072 weights 3.05 -> 2.97; the other CNNs and two
  // threads (whose tasks are N blocks already) within 1%.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t k = 1; // all of K (with K in blocks, K0 is 1)
  for (auto [range, iterator] : llvm::zip(ranges, op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::reduction)
      k *= range;
  // An RHS panel (N0 columns) of `steps` steps of K, in bytes.
  int64_t rhsEltBytes = getElementTypeOrSelf(op.getDpsInputs()[1].getType())
                            .getIntOrFloatBitWidth() /
                        8;
  auto rhsPanelBytes = [&](int64_t steps) {
    return steps * ranges[loops - 2] * rhsEltBytes;
  };
  SmallVector<int64_t> order;
  int64_t kBlock = kBlocks ? kc : k;
  int64_t lhsBytes = ranges[batch] * ranges[loops - 3] * kBlock *
                     getElementTypeOrSelf(op.getDpsInputs()[0].getType())
                         .getIntOrFloatBitWidth() /
                     8;
  if (2 * rhsPanelBytes(kBlock) <= int64_t(target.l1Bytes) ||
      (hasConstantRhs(op) && 4 * lhsBytes <= int64_t(target.l2Bytes))) {
    order = llvm::to_vector(llvm::seq<int64_t>(0, loops));
    std::swap(order[batch], order[batch + 1]);
  }
  // With K in one block, each register tile is whole after its K loop: an
  // elementwise consumer is applied there, on the accumulators, fused into
  // every level of loops below (upstream's consumer fusion), rather than
  // in a pass of its own over the result.
  Operation *epilogue =
      kBlocks ? nullptr : epilogueOverProduct(rewriter, op).getOperation();
  auto fuseEpilogue = [&](MutableArrayRef<LoopLikeOpInterface> loops) {
    if (!epilogue || loops.empty())
      return;
    // Its other operands (slices, where fused a level up) defined above
    // the loops, as the fusion needs.
    SmallVector<Value> others;
    for (Value operand : epilogue->getOperands())
      if (operand.getDefiningOp() != loops.front())
        others.push_back(operand);
    (void)moveValueDefinitions(rewriter, others, loops.front());
    auto fused = scf::tileAndFuseConsumer(rewriter, epilogue, loops);
    epilogue = succeeded(fused) ? fused->tiledOps.front() : nullptr;
  };
  SmallVector<LoopLikeOpInterface> tileLoops;
  // Cache blocks: nc RHS panels by kc steps of K (M1 stays whole, so the
  // RHS block is reused across all the LHS panels). In parallel, the batch
  // and N blocks (and, with few N blocks, the LHS panels) first, as one
  // scf.forall: each task a block of the result, the blocks balanced for
  // `threads`.
  SmallVector<int64_t> cache(loops, 0);
  std::fill_n(cache.begin(), batch, 1);
  cache[batch + 1] = nc;
  FailureOr<Operation *> block = op.getOperation();
  auto [pack, packByPanels] =
      rhsPackToFuse(op, target, parallel, /*panelsOutside=*/!order.empty());
  if (parallel) {
    // Where there are enough N blocks for the threads, a task per N block,
    // not also per LHS panel: each RHS block is then read (and, packed by
    // blocks, packed) by one task, not once per panel on whichever core
    // runs it (ResNet-18's 7 x 7 layers stream 9.4 MB of weights each;
    // two threads 20.1 -> 17.0 ms a run on an AVX-512 host).
    int64_t nTiles = ranges[batch + 1];
    // Blocks of fewer panels cost no reuse (each still serves all the LHS
    // panels, which are re-read once per block): where N has enough panels,
    // enough blocks to be the tasks. ResNet-18's 7 x 7 layers (K in blocks)
    // had one block of 16 panels, so 7 tasks of an LHS panel each, 4 and 3
    // for two threads. A pointwise conv on a large plane (K one block) had
    // two blocks, so tasks of an LHS panel by a block, each thread reading
    // both RHS blocks from L3 and the other core's L2: at two threads its
    // CPU time was twice one thread's (MobileNetV2's 56 x 56 and 112 x 112
    // layers). Two threads, alternating runs on an AVX-512 host:
    // EfficientNet-B0 7.13 -> 6.44 ms, RegNetX-400MF 5.43 -> 4.85,
    // MobileNetV2 4.38 -> 4.19, MobileNetV3-Small 1.45 -> 1.37,
    // ShuffleNetV2 2.66 -> 2.53, ResNet-18 13.4 -> 13.2.
    if (nTiles / nc < 8 && nTiles >= 8) {
      for (nc = nTiles / 8; nTiles % nc; --nc)
        ;
      cache[batch + 1] = nc;
    }
    bool nBlockTasks = nTiles / nc >= 8;
    // An expanding product with the channels as M (a pointwise conv with
    // at least twice the filters of its input channels) whose RHS fits in
    // half of L2, K one block: tasks of LHS panels, N whole, so each thread
    // writes whole channels, as the depthwise conv or elementwise op after it
    // splits them. Split by pixels, half of what each thread's next op
    // read came from the other core's cache (the RHS, re-read whole by
    // each task, is a fraction of the result). Not where the result is
    // written transposed (the pixels as M: its N is the channels).
    // Two threads, alternating runs on an AVX-512 host: MobileNetV2 4.12
    // -> 3.71 ms, EfficientNet-B0 6.27 -> 6.13, MobileNetV3-Small 1.33 ->
    // 1.29; ResNet-18, RegNetX-400MF and ShuffleNetV2 unchanged.
    int64_t mTiles = ranges[batch], m = mTiles * ranges[loops - 3];
    bool transposedResult = op.getIndexingMapsArray().back().getResult(batch) !=
                            getAffineDimExpr(batch, op.getContext());
    if (!kBlocks && !transposedResult && m >= 2 * k && mTiles >= 4 * threads &&
        2 * nTiles * rhsPanelBytes(k) <= int64_t(target.l2Bytes)) {
      nBlockTasks = false;
      cache[batch + 1] = 0;
    }
    if (!nBlockTasks)
      pack = nullptr;
    cache[batch] = nBlockTasks ? 0 : 1;
    // Then blocks the threads share evenly: the largest block (a divisor
    // of the panels, up to nc) of the fewest idle threads at the end. A
    // smaller block costs nothing in reuse (each N panel re-reads the LHS
    // panel whatever the block). ResNet-18's 56 x 56 layers had 17 blocks.
    auto idle = [&](int64_t size) {
      int64_t blocks = nTiles / size;
      return llvm::divideCeil(blocks, threads) * threads - blocks;
    };
    if (nBlockTasks && threads > 1)
      for (int64_t size = nc - 1; size >= 1; --size)
        if (nTiles % size == 0 && idle(size) * size < idle(nc) * nc)
          cache[batch + 1] = nc = size;
    block = pack ? tileWithRhsPacked(rewriter, op, cache, pack, true, target,
                                     packedInBlocks, tileLoops)
                 : tile(rewriter, op, cache, /*forall=*/true, &tileLoops);
    if (failed(block))
      return failure();
    fuseEpilogue(tileLoops);
    cache.assign(loops, 0);
    pack = nullptr;
  }
  if (packByPanels)
    cache[batch + 1] = 1;
  if (kBlocks)
    cache[batch + 2] = kc;
  if (llvm::any_of(cache, [](int64_t size) { return size != 0; })) {
    block = pack ? tileWithRhsPacked(rewriter, cast<linalg::LinalgOp>(*block),
                                     cache, pack, false, target, packedInBlocks,
                                     tileLoops)
                 : tile(rewriter, *block, cache, false, &tileLoops);
    if (failed(block))
      return failure();
    fuseEpilogue(tileLoops);
  }
  // Register tiles: one LHS panel, one RHS panel, one step of K; with an
  // epilogue, the panels first (it is fused into their loops), then K.
  SmallVector<int64_t> regs(loops, 0);
  std::fill_n(regs.begin() + batch, 2 + p.kOuter, 1);
  if (p.innerK)
    regs.back() = 1;
  FailureOr<Operation *> kernel = *block;
  if (epilogue) {
    SmallVector<int64_t> panels(loops, 0);
    std::fill_n(panels.begin(), batch + 2, 1);
    kernel = tile(rewriter, *kernel, panels, false, &tileLoops, order);
    if (failed(kernel))
      return failure();
    fuseEpilogue(tileLoops);
    std::fill_n(regs.begin(), batch + 2, 0);
  }
  kernel = tile(rewriter, *kernel, regs, false, nullptr, order);
  if (failed(kernel))
    return failure();
  // Drop the tile's unit loops but K0 (one step of K): what is left is
  // acc[M0][N0] += lhs[M0][1] * rhs[N0][1], which vectorizes into one
  // contraction over K0 = 1, an outer product.
  rewriter.setInsertionPoint(*kernel);
  // A generic already when writeUnpacked made it one.
  auto generic =
      isa<linalg::GenericOp>(*kernel)
          ? FailureOr<linalg::GenericOp>(cast<linalg::GenericOp>(*kernel))
          : linalg::generalizeNamedOp(rewriter,
                                      cast<linalg::LinalgOp>(*kernel));
  if (failed(generic))
    return failure();
  auto contraction = dropUnitDimsAndVectorize(rewriter, *generic, true);
  if (failed(contraction))
    return failure();
  // The epilogue's tile (the register tile's M0 x N0), in vectors that
  // read the accumulators once the K loop is hoisted.
  if (auto tileOp = dyn_cast_if_present<linalg::GenericOp>(epilogue)) {
    if (failed(dropUnitDimsAndVectorize(rewriter, tileOp, false)))
      return failure();
    ++fusedEpilogues;
  }
  return cast<LoopLikeOpInterface>((*contraction)->getParentOp());
}

/// A depthwise convolution in NHWC (loops N, OH, OW, C, KH, KW) in tiles
/// of one output row's OW0 pixels by C0 channels, per row of the filter:
/// upstream decomposes each tile into a 1-D depthwise convolution, which
/// the linalg vectorizer turns into FMAs of C0-channel vectors, each input
/// vector of the row loaded once for all the KW taps that read it. With
/// `parallel`, the images and output rows are one scf.forall. Returns the
/// loop over KH, whose accumulators are hoisted like K's in a matmul.
FailureOr<LoopLikeOpInterface>
tileAndVectorizeDepthwise(RewriterBase &rewriter, linalg::LinalgOp op,
                          bool parallel) {
  ArrayRef<int64_t> t =
      op->getAttrOfType<DenseI64ArrayAttr>(kDepthwiseTileAttr).asArrayRef();
  FailureOr<Operation *> tiled = op.getOperation();
  if (parallel)
    tiled = tile(rewriter, op, {1, 1, 0, 0, 0, 0}, /*forall=*/true);
  if (succeeded(tiled))
    tiled = tile(rewriter, *tiled, {1, 1, t[0], t[1], 1, 0});
  if (failed(tiled))
    return failure();
  auto khLoop = (*tiled)->getParentOfType<scf::ForOp>();
  PatternRewriter patterns(rewriter.getContext());
  patterns.setInsertionPoint(*tiled);
  auto conv1d = linalg::DownscaleDepthwiseConv2DNhwcHwcOp(rewriter.getContext())
                    .returningMatchAndRewrite(
                        cast<linalg::DepthwiseConv2DNhwcHwcOp>(*tiled),
                        patterns);
  if (failed(conv1d) || !khLoop)
    return failure();
  rewriter.setInsertionPoint(*conv1d);
  auto vectorized = linalg::vectorize(rewriter, *conv1d);
  if (failed(vectorized))
    return failure();
  rewriter.replaceOp(*conv1d, vectorized->replacements);
  return cast<LoopLikeOpInterface>(khLoop.getOperation());
}

/// `op` with its inputs of one element (a tile's weight or bias) read
/// before it and used in its body as values from above, which the
/// vectorizer broadcasts: a masked read broadcast to the row is beyond it.
linalg::GenericOp scalarInputsAbove(RewriterBase &rewriter,
                                    linalg::GenericOp op) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  IRMapping scalars;
  Block *body = op.getBody();
  for (OpOperand *in : op.getDpsInputOperands()) {
    auto type = cast<RankedTensorType>(in->get().getType());
    if (type.hasStaticShape() && type.getNumElements() == 1) {
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      scalars.map(
          body->getArgument(in->getOperandNumber()),
          tensor::ExtractOp::create(rewriter, loc, in->get(),
                                    SmallVector<Value>(type.getRank(), zero))
              .getResult());
      continue;
    }
    inputs.push_back(in->get());
    maps.push_back(op.getMatchingIndexingMap(in));
  }
  for (OpOperand &out : op.getDpsInitsMutable())
    maps.push_back(op.getMatchingIndexingMap(&out));
  auto scalar = linalg::GenericOp::create(
      rewriter, loc, op.getResultTypes(), inputs, op.getDpsInits(), maps,
      op.getIteratorTypesArray(), [&](OpBuilder &b, Location, ValueRange args) {
        unsigned next = 0;
        for (BlockArgument arg : body->getArguments())
          if (!scalars.contains(arg))
            scalars.map(arg, args[next++]);
        for (Operation &inner : body->getOperations())
          b.clone(inner, scalars);
      });
  rewriter.replaceOp(op, scalar->getResults());
  return scalar;
}

/// An all-parallel generic marked `yz.row_vector = V` in vectors of V
/// along its innermost loop: tiles of one point of the outer loops by V,
/// a row's last one masked where V does not divide it (AVX-512 masked
/// loads and stores). Marked are a depthwise stencil (rewriteDepthwiseTaps:
/// over the output [N, C, OH, OW], reading the windows of the input, its
/// bias and activation fused in) and an elementwise op writing rows into
/// a conv's padded input (rowsIntoSlice). LLVM's loop vectorizer left rows
/// of 7 or 14 pixels scalar or split into pieces, and those of 56 it
/// vectorized across, with gathers, for some hosts.
LogicalResult vectorizeRows(RewriterBase &rewriter, linalg::LinalgOp op,
                            bool parallel) {
  int64_t v = op->getAttrOfType<IntegerAttr>(kRowVectorAttr).getInt();
  unsigned loops = op.getNumLoops();
  if (op.getNumReductionLoops() != 0 || !isa<linalg::GenericOp>(op))
    return success(); // something else fused in: left to LLVM
  FailureOr<Operation *> tiled = op.getOperation();
  if (parallel && loops > 1) {
    // The outer loops (images and channels of [N, C, H, W]) as tasks.
    SmallVector<int64_t> outer(loops, 0);
    std::fill_n(outer.begin(), loops > 2 ? loops - 2 : 1, 1);
    tiled = tile(rewriter, op, outer, /*forall=*/true);
  }
  SmallVector<int64_t> sizes(loops, 1);
  sizes.back() = v;
  if (succeeded(tiled))
    tiled = tile(rewriter, *tiled, sizes);
  if (failed(tiled))
    return failure();
  linalg::GenericOp row =
      scalarInputsAbove(rewriter, cast<linalg::GenericOp>(*tiled));
  rewriter.setInsertionPoint(row);
  auto vectorized =
      linalg::vectorize(rewriter, row, sizes, SmallVector<bool>(loops, false));
  if (failed(vectorized))
    return failure();
  rewriter.replaceOp(row, vectorized->replacements);
  return success();
}

/// Whether `op` is an elementwise op writing rows into a slice (a conv's
/// padded input, see PadIntoProducer) that vectorizeRows can take: every
/// operand reads the innermost loop last, or not at all. Such rows are a
/// strided view: merging them into one long loop (yz-collapse-inner-loops)
/// would copy them out and back. Long rows too: LLVM vectorized rows of 56
/// as they are for a Xeon, but for an AMD Zen 5 host it unrolled each row
/// whole and vectorized across rows, with gathers and scatters
/// (MobileNetV2's 56 x 56 bias adds, 2% of the model).
bool rowsIntoSlice(linalg::GenericOp op) {
  if (op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op.hasDynamicShape() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      !throughReshapes(op.getDpsInits()[0])
           .getDefiningOp<tensor::ExtractSliceOp>())
    return false;
  // Nor rows read at a stride wider than 2 (a strided depthwise stencil's
  // windows, the bias and activation fused in): a vector of them is a
  // gather, slower than LLVM's scalar loop (MobileNetV3-Small's 56 x 56
  // stride-2 layer as gathers: 0.25 ms against 0.07). At stride 2,
  // yz-optimize-vectors reads twice the elements and deinterleaves.
  auto strided = [](Value in) {
    auto slice = in.getDefiningOp<tensor::ExtractSliceOp>();
    return slice && slice.getStaticStrides().back() > 2;
  };
  return readsRowsLast(op) && llvm::none_of(op.getDpsInputs(), strided) &&
         // Not a gather (a tensor.extract at computed indices), say.
         succeeded(linalg::vectorizeOpPrecondition(op));
}

/// A pad of a linalg op's result becomes that op writing into the padded
/// buffer's interior, with only the border filled: `pad(op(.., outs(empty)))`
/// -> `insert_slice(op(.., outs(extract_slice(T))), T)`, T the padded
/// tensor, whose low and high slabs are filled after. Bufferized in place,
/// this saves a fill and a copy of the whole operand: the im2col columns of
/// a conv whose N is not a multiple of the register tile's (a lowered
/// pack's pad), a conv's input produced by the layer before. The op's
/// other readers (a residual block's input feeds its first conv and the
/// add) read the interior.
struct PadIntoProducer : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    // The producer's result, possibly collapsed (the im2col columns, a
    // pointwise conv's activations padded to whole panels) or expanded (a
    // grouped convolution's input), the reshape read by the pad alone.
    Value source = pad.getSource();
    auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>();
    auto expand = source.getDefiningOp<tensor::ExpandShapeOp>();
    if (collapse || expand) {
      if (!source.hasOneUse())
        return failure();
      source = source.getDefiningOp()->getOperand(0);
    }
    auto producer = source.getDefiningOp<linalg::LinalgOp>();
    Value padValue = pad.getConstantPaddingValue();
    if (!producer || !padValue || producer->getBlock() != pad->getBlock() ||
        producer->getNumResults() != 1 || !pad.getType().hasStaticShape() ||
        !pad.getSourceType().hasStaticShape())
      return failure();
    OpOperand *init = producer.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        producer.payloadUsesValueFromOperand(init))
      return failure();
    MLIRContext *ctx = getContext();
    Location loc = pad.getLoc();
    RankedTensorType padded = pad.getType();
    int64_t rank = padded.getRank();
    ArrayRef<int64_t> low = pad.getStaticLow();
    ArrayRef<int64_t> inner = pad.getSourceType().getShape();
    SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
    auto offsets = getAsIndexOpFoldResult(ctx, low);
    auto sizes = getAsIndexOpFoldResult(ctx, inner);
    // `t`'s interior, seen as the producer's result (through the reshape).
    auto interiorOf = [&](Value t) {
      Value in = tensor::ExtractSliceOp::create(rewriter, loc, t, offsets,
                                                sizes, ones);
      if (collapse)
        in = tensor::ExpandShapeOp::create(rewriter, loc, collapse.getSrcType(),
                                           in,
                                           collapse.getReassociationIndices());
      if (expand)
        in = tensor::CollapseShapeOp::create(rewriter, loc, expand.getSrcType(),
                                             in,
                                             expand.getReassociationIndices());
      return in;
    };
    // The padded tensor and its interior before the producer, which stays
    // where it is (its other readers may come before the pad).
    rewriter.setInsertionPoint(producer);
    Value t = tensor::EmptyOp::create(rewriter, loc, padded.getShape(),
                                      padded.getElementType());
    Value interior = interiorOf(t);
    rewriter.modifyOpInPlace(producer, [&] { init->set(interior); });
    rewriter.setInsertionPoint(pad);
    t = tensor::InsertSliceOp::create(rewriter, loc, pad.getSource(), t,
                                      offsets, sizes, ones);
    // The border after the interior: the producer has just brought the
    // rows' lines into the cache, where a border column's stores (one per
    // row) would each have missed before it.
    for (int64_t d = 0; d < rank; ++d)
      t = fillEnds(rewriter, loc, t, padValue, d, low[d],
                   padded.getDimSize(d) - low[d] - inner[d]);
    // Readers after the pad read the interior of the padded tensor, so the
    // producer's result has one buffer (bufferized apart, its readers after
    // the border fills made One-Shot Bufferize copy it).
    Value read;
    for (OpOperand &use : llvm::make_early_inc_range(source.getUses())) {
      Operation *reader = use.getOwner();
      if (reader->getBlock() != pad->getBlock() || reader->isBeforeInBlock(pad))
        continue;
      if (!read)
        read = interiorOf(t);
      rewriter.modifyOpInPlace(reader, [&] { use.set(read); });
    }
    rewriter.replaceOp(pad, t);
    return success();
  }
};

/// A copy of tensors is its source (a lowered unpack ends with one into the
/// matmul's initial value): without this, bufferization copies the whole
/// matmul result once more.
struct TensorCopyIsItsSource : OpRewritePattern<linalg::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    if (!copy.hasPureTensorSemantics() ||
        copy.getInputs()[0].getType() != copy.getResultTypes()[0])
      return failure();
    rewriter.replaceOp(copy, copy.getInputs()[0]);
    return success();
  }
};

/// The zero fill a packed matmul accumulates into, when K is one cache
/// block: each accumulator tile is then read once, before any write, and
/// can start at zero in registers instead (see below).
linalg::FillOp zeroInitOfOneBlock(linalg::LinalgOp op) {
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || !fill->hasOneUse() ||
      !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
    return {};
  ArrayRef<int64_t> s =
      op->getAttrOfType<DenseI64ArrayAttr>(kMatmulStrategyAttr).asArrayRef();
  int64_t k = 1;
  for (auto [range, iterator] :
       llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::reduction)
      k *= range;
  return k <= s[2] ? fill : linalg::FillOp();
}

/// A depthwise convolution's zero fill: its KH loop covers the whole
/// reduction (KW is not tiled), so every accumulator tile is written once.
linalg::FillOp zeroInitOfDepthwise(linalg::LinalgOp op) {
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  return fill && fill->hasOneUse() &&
                 matchPattern(fill.getInputs()[0], m_AnyZeroFloat())
             ? fill
             : linalg::FillOp();
}

struct TileAndVectorize : yz::impl::YzTileAndVectorizeBase<TileAndVectorize> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    CpuTarget target;
    if (std::string error = target.parse(cpu); !error.empty()) {
      getOperation()->emitError("yz-tile-and-vectorize: bad cpu option: ")
          << error;
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> matmuls, depthwise;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kMatmulStrategyAttr))
        matmuls.push_back(op);
      if (op->hasAttr(kDepthwiseTileAttr))
        depthwise.push_back(op);
    });
    // Each innermost K loop, with how many loops around it are over K too.
    SmallVector<LoopLikeOpInterface> kLoops;
    SmallVector<size_t> kLevels;
    SmallVector<linalg::FillOp> zeroInits;
    for (linalg::LinalgOp op : matmuls) {
      op = writeUnpacked(rewriter, op);
      zeroInits.push_back(zeroInitOfOneBlock(op));
      PackedLoops p = packedLoops(op);
      kLevels.push_back(p.kOuter + p.innerK);
      auto kLoop =
          tileAndVectorizeMatmul(rewriter, op, target, parallel, threads,
                                 numPackedInBlocks, numFusedEpilogues);
      if (failed(kLoop)) {
        op->emitError("yz-tile-and-vectorize: cannot tile this matmul");
        return signalPassFailure();
      }
      kLoops.push_back(*kLoop);
    }
    for (linalg::LinalgOp op : depthwise) {
      zeroInits.push_back(zeroInitOfDepthwise(op));
      auto khLoop = tileAndVectorizeDepthwise(rewriter, op, parallel);
      if (failed(khLoop)) {
        op->emitError("yz-tile-and-vectorize: cannot tile this depthwise "
                      "convolution");
        return signalPassFailure();
      }
      kLoops.push_back(*khLoop);
      kLevels.push_back(1);
    }

    // The accumulator tile is read and written at the same place on every
    // step of K: read it before the K loop, keep it in registers, write it
    // after (upstream's subset hoisting). Before the greedy rewrites below:
    // they erase dead ops (the loops and fills of a product whose result
    // the model does not use), which kLoops and zeroInits point at.
    // Each call hoists one level (tile slice, rank-reduced slice, vector
    // read): repeat while the loop gains iteration arguments.
    // Where K is several loops (KH, KW and the channel of a product
    // reading its columns in place), out of each, innermost first.
    for (auto [inner, levels, zeroInit] :
         llvm::zip(kLoops, kLevels, zeroInits)) {
      LoopLikeOpInterface loop = inner;
      for (size_t level = 0; level < levels; ++level) {
        if (level > 0)
          loop = loop->getParentOfType<LoopLikeOpInterface>();
        size_t before;
        do {
          before = loop.getRegionIterArgs().size();
          moveLoopInvariantCode(loop); // the subsets' indices (constants)
          loop = hoistLoopInvariantSubsets(rewriter, loop);
        } while (loop.getRegionIterArgs().size() > before);
      }
      // With K in one block, the accumulators start at zero in registers
      // rather than read from a zero-filled buffer, and the buffer is left
      // unfilled: every tile is written once, whole. For a short K (a
      // pointwise conv) the fill and that read cost as much as the FMAs.
      if (!zeroInit)
        continue;
      for (Value init : loop.getInits()) {
        auto read = init.getDefiningOp<vector::TransferReadOp>();
        if (!read)
          continue;
        rewriter.setInsertionPoint(read);
        rewriter.replaceOp(read, arith::ConstantOp::create(
                                     rewriter, read.getLoc(),
                                     rewriter.getZeroAttr(read.getType())));
        rewriter.replaceAllUsesWith(zeroInit.getResult(0),
                                    zeroInit.getOutputs()[0]);
        rewriter.eraseOp(zeroInit);
        break;
      }
    }

    // Packing and unpacking become pads, reshapes and transposes.
    getOperation()->walk([&](linalg::PackOp pack) {
      rewriter.setInsertionPoint(pack);
      (void)linalg::lowerPack(rewriter, pack);
    });
    getOperation()->walk([&](linalg::UnPackOp unpack) {
      rewriter.setInsertionPoint(unpack);
      (void)linalg::lowerUnPack(rewriter, unpack);
    });
    RewritePatternSet padPatterns(&getContext());
    padPatterns.add<PadIntoProducer, TensorCopyIsItsSource>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(padPatterns))))
      return signalPassFailure();

    // Rows in vectors: the stencils yz-convs-to-matmuls marked, and the
    // rows written into padded inputs just above.
    SmallVector<linalg::LinalgOp> rows;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (!op->hasAttr(kRowVectorAttr) && rowsIntoSlice(op))
        op->setAttr(kRowVectorAttr,
                    rewriter.getI64IntegerAttr(chooseRowVector(
                        target, op.getStaticLoopRanges().back(),
                        getElementTypeOrSelf(op.getResultTypes()[0])
                            .getIntOrFloatBitWidth())));
      if (op->hasAttr(kRowVectorAttr))
        rows.push_back(op);
    });
    for (linalg::LinalgOp op : rows)
      if (failed(vectorizeRows(rewriter, op, parallel))) {
        op->emitError("yz-tile-and-vectorize: cannot vectorize these rows");
        return signalPassFailure();
      }
    // A row's masked last vector: the masks become the transfers' own
    // operands (so later folds see plain transfers).
    RewritePatternSet masks(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(masks);
    if (failed(applyPatternsGreedily(getOperation(), std::move(masks))))
      return signalPassFailure();

    // The vectorizer's multiply + reduction over K0 is a contraction (whose
    // operands are read with broadcasts): say so before anything folds the
    // unit reduction away into an elementwise multiply of broadcasts.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
