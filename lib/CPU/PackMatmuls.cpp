//===- PackMatmuls.cpp - data-tile matmuls into the mmt4d layout ----------===//
//
// Part of Yizhuang. Upstream's blockPackMatmul does the rewrite; this pass
// chooses its block sizes from the CPU description and packs constant
// operands at compile time, so models' weights are stored packed. A copy
// feeding the RHS pack (a conv's shifted columns) is folded into it, or
// for a small input dropped: the product reads the input in place. int8
// matmuls are packed into SpacemiT IME tiles where the CPU has them.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/CpuTarget.h"
#include "yz/CPU/Passes.h"
#include "yz/CPU/Reshapes.h"
#include "yz/CPU/Transposed.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

#include <cstring>

namespace mlir::yz {
#define GEN_PASS_DEF_YZPACKMATMULS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// linalg.pack of a constant becomes the packed constant.
struct FoldConstantPack : OpRewritePattern<linalg::PackOp> {
  FoldConstantPack(MLIRContext *context, llvm::Statistic &folded)
      : OpRewritePattern(context), folded(folded) {}

  LogicalResult matchAndRewrite(linalg::PackOp pack,
                                PatternRewriter &rewriter) const override {
    // A reshape of a constant (a conv's filter made a matrix) is the same
    // bytes under another shape.
    Value source = throughReshapes(pack.getSource());
    ElementsAttr attr;
    if (!matchPattern(source, m_Constant(&attr)))
      return failure();
    auto data = readElements(attr);
    RankedTensorType dest = pack.getDestType();
    if (!data || !dest.hasStaticShape())
      return failure();
    data->type = pack.getSourceType();
    size_t width = data->width();
    // The padding element, as bytes (little-endian, like the data).
    std::vector<char> pad(width, 0);
    if (Value padding = pack.getPaddingValue()) {
      Attribute p;
      if (!matchPattern(padding, m_Constant(&p)))
        return failure();
      APInt bits;
      if (auto f = dyn_cast<FloatAttr>(p))
        bits = f.getValue().bitcastToAPInt();
      else if (auto i = dyn_cast<IntegerAttr>(p))
        bits = i.getValue();
      else
        return failure();
      std::memcpy(pad.data(), bits.getRawData(), width);
    }

    ArrayRef<int64_t> src = data->type.getShape();
    size_t rank = src.size();
    SmallVector<int64_t> tiles(pack.getStaticInnerTiles());
    ArrayRef<int64_t> innerPos = pack.getInnerDimsPos();
    SmallVector<int64_t> outerPerm(pack.getOuterDimsPerm());
    if (outerPerm.empty())
      outerPerm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    SmallVector<int64_t> srcStrides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      srcStrides[d] = srcStrides[d + 1] * src[d + 1];

    ArrayRef<int64_t> shape = dest.getShape();
    std::vector<char> out(dest.getNumElements() * width);
    SmallVector<int64_t> index(shape.size(), 0), at(rank);
    for (int64_t linear = 0, e = dest.getNumElements(); linear < e;
         ++linear) {
      for (size_t i = 0; i < rank; ++i)
        at[outerPerm[i]] = index[i];
      for (size_t t = 0; t < tiles.size(); ++t)
        at[innerPos[t]] = at[innerPos[t]] * tiles[t] + index[rank + t];
      int64_t offset = 0;
      bool inside = true;
      for (size_t d = 0; d < rank; ++d) {
        inside &= at[d] < src[d];
        offset += at[d] * srcStrides[d];
      }
      std::memcpy(out.data() + linear * width,
                  inside ? data->bytes.data() + offset * width : pad.data(),
                  width);
      for (int64_t d = shape.size() - 1; d >= 0 && ++index[d] == shape[d];
           --d)
        index[d] = 0;
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        pack, makeElements(dest, out, "packed"));
    ++folded;
    return success();
  }

  llvm::Statistic &folded;
};

/// Whether `op` only copies its one input: all loops parallel, the result
/// written at the loops' own indices, the body yielding the input element.
bool isCopy(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 ||
      !op.getIndexingMapsArray()[1].isIdentity())
    return false;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return body.getOperations().size() == 1 &&
         yield.getOperand(0) == body.getArgument(0);
}

/// linalg.pack of a copy (seen through a collapse_shape) becomes one copy
/// that writes the packed layout, reading the copy's source through the
/// copy's input map composed with the pack's indexing. A conv's shifted
/// columns (yz-convs-to-matmuls) are such a copy, so its packed RHS panels
/// are read from the input itself, and im2col rows (the pixels as M) are
/// the LHS panels. Only where the pack pads nothing and a tile of collapsed
/// dimensions divides the innermost of them (more would need div and mod
/// in the map): ResNet's 14 x 14 layers in panels of 7 pixels.
struct FoldCopyIntoPack : OpRewritePattern<linalg::PackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::PackOp pack,
                                PatternRewriter &rewriter) const override {
    RankedTensorType srcType = pack.getSourceType();
    ArrayRef<int64_t> innerPos = pack.getInnerDimsPos();
    SmallVector<int64_t> tiles(pack.getStaticInnerTiles());
    if (!srcType.hasStaticShape() || !pack.getDestType().hasStaticShape())
      return failure();
    int64_t rank = srcType.getRank();
    SmallVector<int64_t> tileOf(rank, 1);
    for (auto [pos, tile] : llvm::zip(innerPos, tiles)) {
      if (ShapedType::isDynamic(tile) || srcType.getDimSize(pos) % tile)
        return failure();
      tileOf[pos] = tile;
    }
    Value src = pack.getSource();
    SmallVector<ReassociationIndices> groups;
    if (auto collapse = src.getDefiningOp<tensor::CollapseShapeOp>()) {
      groups = collapse.getReassociationIndices();
      src = collapse.getSrc();
    } else {
      for (int64_t d = 0; d < rank; ++d)
        groups.push_back({d});
    }
    auto copy = src.getDefiningOp<linalg::GenericOp>();
    if (!copy || !isCopy(copy))
      return failure();
    ArrayRef<int64_t> copyShape =
        cast<RankedTensorType>(src.getType()).getShape();
    SmallVector<int64_t> outerPerm(pack.getOuterDimsPerm());
    if (outerPerm.empty())
      outerPerm = llvm::to_vector(llvm::seq<int64_t>(0, rank));

    // The new loops: the packed dimensions in order, each outer one that
    // stands for collapsed copy dimensions split back into them.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<int64_t> loops;
    SmallVector<ReassociationIndices> packedGroups;
    SmallVector<AffineExpr> copyIndex(copyShape.size());
    for (int64_t d : outerPerm) {
      ReassociationIndices group;
      // A tile of collapsed dimensions tiles the innermost, which it must
      // divide (pixels [OH, OW] in tiles of 7 at OW = 14).
      if (tileOf[d] > 1 && copyShape[groups[d].back()] % tileOf[d])
        return failure();
      for (int64_t j : groups[d]) {
        int64_t tile = j == groups[d].back() ? tileOf[d] : 1;
        group.push_back(loops.size());
        copyIndex[j] = getAffineDimExpr(loops.size(), ctx) * tile;
        loops.push_back(copyShape[j] / tile);
      }
      packedGroups.push_back(group);
    }
    for (auto [pos, tile] : llvm::zip(innerPos, tiles)) {
      packedGroups.push_back({static_cast<int64_t>(loops.size())});
      if (tile > 1) // else the inner index is always 0
        copyIndex[groups[pos].back()] =
            copyIndex[groups[pos].back()] + getAffineDimExpr(loops.size(), ctx);
      loops.push_back(tile);
    }
    AffineMap in = copy.getIndexingMapsArray()[0].compose(
        AffineMap::get(loops.size(), 0, copyIndex, ctx));
    Type elt = srcType.getElementType();
    Location loc = pack.getLoc();
    auto packed = linalg::GenericOp::create(
        rewriter, loc, TypeRange{RankedTensorType::get(loops, elt)},
        copy.getDpsInputs(),
        ValueRange{tensor::EmptyOp::create(rewriter, loc, loops, elt)},
        ArrayRef<AffineMap>{
            in, AffineMap::getMultiDimIdentityMap(loops.size(), ctx)},
        SmallVector<utils::IteratorType>(loops.size(),
                                         utils::IteratorType::parallel),
        [](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, args[0]);
        });
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        pack, pack.getDestType(), packed.getResult(0), packedGroups);
    return success();
  }
};

/// Whether `e` is linear in the loops: no mod, floordiv or ceildiv.
bool isLinear(AffineExpr e) {
  bool linear = true;
  e.walk([&](AffineExpr sub) {
    linear &= sub.getKind() != AffineExprKind::Mod &&
              sub.getKind() != AffineExprKind::FloorDiv &&
              sub.getKind() != AffineExprKind::CeilDiv;
  });
  return linear;
}

/// A packed product whose RHS panels are a copy (FoldCopyIntoPack) of a
/// small input reads them in place instead: a grouped conv's shifted
/// columns, when one group's channels fit in twice L1 and K is one cache
/// block.
/// The mmt4d becomes a linalg.generic over [batch,] M1, N1, the K
/// dimensions but the channel (KH, KW), M0, N0 and the channel last (as
/// K0), whose RHS is the copy's source through the copy's map: there is no
/// packed copy. When yz-tile-and-vectorize drops a register tile's unit
/// loops, that map is (channel, N0), so the tile is the packed kernel's
/// outer product with each RHS row a load from the input (RegNetX-400MF's
/// 14 x 14 and 7 x 7 grouped convs: 15.5 -> 14.2 ms a run on an AVX-512
/// host). Up to twice L1 (48 KiB on that Xeon) its 28 x 28 layers, 58 KB a
/// group, read in place too: 10.0 -> 8.9 ms a run. Beyond that the rows
/// of a K block are far apart: four times L1 measured slower (10.2 ms),
/// and pointwise convs read in place ran three times slower
/// (cpu-codegen.md).
/// Strided convs whose taps read several phases (mod and floordiv in the
/// map) keep the pack too.
LogicalResult readColumnsInPlace(RewriterBase &rewriter, linalg::LinalgOp op,
                                 const CpuTarget &target) {
  ArrayRef<int64_t> strategy =
      op->getAttrOfType<DenseI64ArrayAttr>(kMatmulStrategyAttr).asArrayRef();
  int64_t batch = op.getNumLoops() - 6;
  Value lhs = op.getDpsInputs()[0];
  auto collapse = op.getDpsInputs()[1].getDefiningOp<tensor::CollapseShapeOp>();
  auto copy = collapse ? collapse.getSrc().getDefiningOp<linalg::GenericOp>()
                       : linalg::GenericOp();
  if (!copy || !isCopy(copy))
    return failure();
  // The RHS [batch.., N1, K1, N0, K0] is the copy collapsed in K1 only.
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  if (static_cast<int64_t>(groups.size()) != batch + 4)
    return failure();
  for (int64_t i = 0; i < batch + 4; ++i)
    if (i != batch + 1 && groups[i].size() != 1)
      return failure();
  ReassociationIndices kDims = groups[batch + 1];
  ArrayRef<int64_t> copyShape =
      cast<RankedTensorType>(copy.getResultTypes()[0]).getShape();
  auto inType = cast<RankedTensorType>(copy.getDpsInputs()[0].getType());
  int64_t k = 1, batches = 1;
  for (int64_t d : kDims)
    k *= copyShape[d];
  for (int64_t d = 0; d < batch; ++d)
    batches *= copyShape[d];
  int64_t inBytes =
      inType.getNumElements() * inType.getElementTypeBitWidth() / 8;
  AffineMap in = copy.getIndexingMapsArray()[0];
  if (copyShape.back() != 1 || strategy[2] < k ||
      inBytes / batches > 2 * target.l1Bytes ||
      !llvm::all_of(in.getResults(), isLinear))
    return failure();
  // The channel: the largest K dimension the input is indexed by on its
  // own (a plain conv's K also has the unit group dimension).
  MLIRContext *ctx = rewriter.getContext();
  auto channel = kDims.end();
  for (auto d = kDims.begin(); d != kDims.end(); ++d)
    if (llvm::is_contained(in.getResults(), getAffineDimExpr(*d, ctx)) &&
        (channel == kDims.end() || copyShape[*d] > copyShape[*channel]))
      channel = d;
  if (channel == kDims.end())
    return failure();

  // New loops: batch.., M1, N1, the other K dims, M0, N0, the channel.
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  int64_t kOuter = kDims.size() - 1, loops = batch + kOuter + 5;
  int64_t m1 = batch, n1 = batch + 1, m0 = batch + 2 + kOuter, n0 = m0 + 1,
          c = n0 + 1;
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, ctx); };
  SmallVector<AffineExpr> kLoop(copyShape.size());
  for (int64_t i = 0, r = batch + 2; i <= kOuter; ++i)
    kLoop[kDims[i]] = kDims.begin() + i == channel ? dim(c) : dim(r++);
  // The copy's loops (its result's dims) in the new loops.
  SmallVector<AffineExpr> copyIndex;
  for (int64_t d = 0; d < batch; ++d)
    copyIndex.push_back(dim(d));
  copyIndex.push_back(dim(n1));
  copyIndex.append(kLoop.begin() + kDims.front(),
                   kLoop.begin() + kDims.back() + 1);
  copyIndex.push_back(dim(n0));
  copyIndex.push_back(getAffineConstantExpr(0, ctx));
  AffineMap rhsMap = in.compose(AffineMap::get(loops, 0, copyIndex, ctx));
  // Dimensions of the input read at one constant index (a stride phase)
  // are sliced to it, so that a register tile's slice of the input has
  // unit dimensions there (tiling takes such dimensions whole).
  Value rhs = copy.getDpsInputs()[0];
  SmallVector<int64_t> offsets(inType.getRank(), 0), sizes(inType.getShape());
  SmallVector<AffineExpr> rhsIndex(rhsMap.getResults());
  for (auto [d, e] : llvm::enumerate(rhsIndex))
    if (auto cst = dyn_cast<AffineConstantExpr>(e)) {
      offsets[d] = cst.getValue();
      sizes[d] = 1;
      e = getAffineConstantExpr(0, ctx);
    }
  rhsMap = AffineMap::get(loops, 0, rhsIndex, ctx);
  // The LHS [batch.., M1, K1, M0, K0] with K1 split like the RHS's, then
  // permuted to [batch.., M1, K0, the other K dims, channel, M0]: a
  // register tile's M0 LHS elements for one channel are then contiguous
  // and innermost, as the packed kernel's are (a plain vector read, whose
  // elements become scalar loads, not a gather).
  SmallVector<int64_t> lhsShape(lhsType.getShape().take_front(batch + 1));
  SmallVector<ReassociationIndices> lhsGroups;
  for (int64_t d = 0; d <= batch; ++d)
    lhsGroups.push_back({d});
  lhsGroups.emplace_back();
  for (int64_t d : kDims) {
    lhsGroups.back().push_back(lhsShape.size());
    lhsShape.push_back(copyShape[d]);
  }
  for (int64_t d : {batch + 2, batch + 3}) {
    lhsGroups.push_back({static_cast<int64_t>(lhsShape.size())});
    lhsShape.push_back(lhsType.getDimSize(d));
  }
  // perm[i]: the split LHS's dimension at position i of the permuted one.
  int64_t k0 = lhsShape.size() - 1, firstK = batch + 1;
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, firstK));
  SmallVector<AffineExpr> lhsIndex;
  for (int64_t d = 0; d < firstK; ++d)
    lhsIndex.push_back(dim(d));
  perm.push_back(k0);
  lhsIndex.push_back(getAffineConstantExpr(0, ctx));
  int64_t channelPos = firstK + (channel - kDims.begin());
  for (auto [i, d] : llvm::enumerate(kDims))
    if (firstK + static_cast<int64_t>(i) != channelPos) {
      perm.push_back(firstK + i);
      lhsIndex.push_back(kLoop[d]);
    }
  perm.push_back(channelPos);
  lhsIndex.push_back(dim(c));
  perm.push_back(k0 - 1);
  lhsIndex.push_back(dim(m0));
  SmallVector<AffineExpr> outIndex;
  for (int64_t d = 0; d < batch; ++d)
    outIndex.push_back(dim(d));
  outIndex.append({dim(m1), dim(n1), dim(m0), dim(n0)});

  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  for (int64_t d = batch + 2; d < m0; ++d)
    iterators[d] = utils::IteratorType::reduction;
  iterators[c] = utils::IteratorType::reduction;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  if (sizes != inType.getShape())
    rhs = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(sizes, inType.getElementType()),
        rhs, getAsIndexOpFoldResult(ctx, offsets),
        getAsIndexOpFoldResult(ctx, sizes),
        getAsIndexOpFoldResult(ctx, SmallVector<int64_t>(sizes.size(), 1)));
  Value split = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get(lhsShape, lhsType.getElementType()),
      lhs, lhsGroups);
  Value lhsSplit = transposed(rewriter, loc, split, perm, "packed");
  if (split.use_empty())
    rewriter.eraseOp(split.getDefiningOp());
  auto generic = linalg::GenericOp::create(
      rewriter, loc, op->getResultTypes(), ValueRange{lhsSplit, rhs},
      op.getDpsInits(),
      ArrayRef<AffineMap>{AffineMap::get(loops, 0, lhsIndex, ctx), rhsMap,
                          AffineMap::get(loops, 0, outIndex, ctx)},
      iterators);
  // The same multiply-accumulate: the mmt4d's body moves over.
  rewriter.inlineRegionBefore(op->getRegion(0), generic.getRegion(),
                              generic.getRegion().end());
  generic->setAttr(kMatmulStrategyAttr, op->getAttr(kMatmulStrategyAttr));
  rewriter.replaceOp(op, generic->getResults());
  if (collapse->use_empty())
    rewriter.eraseOp(collapse);
  if (copy->use_empty())
    rewriter.eraseOp(copy);
  return success();
}

/// Packs `op` (a matmul or batch matmul) into blocks of `factors` (M, N, K)
/// with upstream blockPackMatmul, and names the packed contraction as the
/// mmt4d it is (so that the vectorizer makes a vector.contract of it rather
/// than a reduction over unit dims).
FailureOr<Operation *> packIntoMmt4d(RewriterBase &rewriter,
                                     linalg::LinalgOp op,
                                     ArrayRef<int64_t> factors) {
  rewriter.setInsertionPoint(op);
  auto packed = linalg::blockPackMatmul(
      rewriter, op,
      [&](linalg::LinalgOp) -> std::optional<linalg::BlockPackMatmulOptions> {
        linalg::BlockPackMatmulOptions options;
        options.blockFactors.assign(factors.begin(), factors.end());
        return options;
      });
  if (failed(packed))
    return failure();
  linalg::LinalgOp generic = packed->packedLinalgOp;
  rewriter.setInsertionPoint(generic);
  Operation *mmt4d;
  if (generic.getNumLoops() == 6)
    mmt4d = linalg::Mmt4DOp::create(rewriter, generic.getLoc(),
                                    generic->getResultTypes(),
                                    generic.getDpsInputs(),
                                    generic.getDpsInits());
  else
    mmt4d = linalg::BatchMmt4DOp::create(rewriter, generic.getLoc(),
                                         generic->getResultTypes(),
                                         generic.getDpsInputs(),
                                         generic.getDpsInits());
  rewriter.replaceOp(generic, mmt4d->getResults());
  return mmt4d;
}

/// i8 x i8 -> i32, sign-extending, with the default (non-transposed) maps.
bool isInt8Matmul(linalg::LinalgOp op) {
  auto types = op->getOperandTypes();
  if (!getElementTypeOrSelf(types[0]).isInteger(8) ||
      !getElementTypeOrSelf(types[1]).isInteger(8) ||
      !getElementTypeOrSelf(types[2]).isInteger(32))
    return false;
  if (auto mm = dyn_cast<linalg::MatmulOp>(*op))
    return !mm.hasUserDefinedMaps() && mm.getCast() == linalg::TypeFn::cast_signed;
  auto bmm = cast<linalg::BatchMatmulOp>(*op);
  return !bmm.hasUserDefinedMaps() &&
         bmm.getCast() == linalg::TypeFn::cast_signed;
}

/// Packs an int8 matmul into 4R x 8 LHS and 4C x 8 RHS blocks (IME tiles
/// of A and B^T) and marks the mmt4d for yz-ime-matmuls.
LogicalResult packForIme(RewriterBase &rewriter, linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  size_t r = bounds.size(); // [batch,] m, n, k
  ImeTile tile = chooseImeTile(bounds[r - 3], bounds[r - 2]);
  FailureOr<Operation *> mmt4d =
      packIntoMmt4d(rewriter, op, {4 * tile.r, 4 * tile.c, 8});
  if (failed(mmt4d))
    return failure();
  (*mmt4d)->setAttr(kImeTileAttr,
                    rewriter.getDenseI64ArrayAttr({tile.r, tile.c}));
  return success();
}

struct PackMatmuls : yz::impl::YzPackMatmulsBase<PackMatmuls> {
  using Base::Base;

  void runOnOperation() override {
    CpuTarget target;
    if (std::string error = target.parse(cpu); !error.empty()) {
      getOperation()->emitError("yz-pack-matmuls: ") << error;
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> matmuls, int8Matmuls;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
          op->hasAttr(kPlacementAttr) || !op.hasPureTensorSemantics() ||
          op.hasDynamicShape())
        return;
      if (llvm::all_of(op->getOperandTypes(), [](Type t) {
            return getElementTypeOrSelf(t).isF32();
          }))
        matmuls.push_back(op);
      // Only plain matmuls: a named matmul may also carry a cast or
      // transposing indexing maps.
      if (target.ime && isInt8Matmul(op))
        int8Matmuls.push_back(op);
    });

    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : int8Matmuls)
      if (succeeded(packForIme(rewriter, op)))
        ++numPacked;
    for (linalg::LinalgOp op : matmuls) {
      SmallVector<int64_t> bounds = op.getStaticLoopRanges();
      size_t r = bounds.size(); // [batch,] m, n, k
      // K = 1 is an outer product: one multiply per result, nothing for
      // packing to reuse. Packed behind a matmul with N = 1 it also met an
      // upstream canonicalization that builds an invalid transfer_write
      // (random model 758; test/CPU/pack-matmuls.mlir).
      if (bounds[r - 1] == 1)
        continue;
      MatmulStrategy s = chooseMatmulStrategy(target, bounds[r - 3],
                                              bounds[r - 2], bounds[r - 1], 32);
      FailureOr<Operation *> mmt4d =
          packIntoMmt4d(rewriter, op, {s.m0, s.n0, 1});
      if (failed(mmt4d))
        continue; // stays a plain matmul, lowered to loops
      (*mmt4d)->setAttr(
          kMatmulStrategyAttr,
          rewriter.getDenseI64ArrayAttr({s.m0, s.n0, s.kc, s.ncTiles}));
      ++numPacked;
    }

    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantPack>(&getContext(), numFoldedPacks);
    patterns.add<FoldCopyIntoPack>(&getContext());
    // A transposed operand (a 1x1 conv's input with the pixels as rows)
    // packed straight from the untransposed one, and a transposed result
    // (a product with the pixels as rows, back to NCHW) unpacked straight
    // into the transpose. Only those: the set's other folds (a slice of an
    // unpack into a smaller unpack) would leave a recurrent model's product
    // with one unpack per gate, which yz-tile-and-vectorize cannot write in
    // place.
    linalg::populateFoldIntoPackAndUnpackPatterns(
        patterns, [](OpOperand *operand) {
          Operation *def = operand->get().getDefiningOp();
          return isa_and_present<linalg::TransposeOp>(def) ||
                 (isa_and_present<linalg::UnPackOp>(def) &&
                  isa<linalg::TransposeOp>(operand->getOwner()));
        });
    linalg::FillOp::getCanonicalizationPatterns(patterns, &getContext());
    linalg::PackOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    SmallVector<linalg::LinalgOp> packed;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Mmt4DOp, linalg::BatchMmt4DOp>(op) &&
          op->hasAttr(kMatmulStrategyAttr))
        packed.push_back(op);
    });
    for (linalg::LinalgOp op : packed)
      if (succeeded(readColumnsInPlace(rewriter, op, target)))
        ++numInPlace;
  }
};

} // namespace
