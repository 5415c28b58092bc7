//===- PackMatmuls.cpp - data-tile matmuls into the mmt4d layout ----------===//
//
// Part of Yizhuang. Upstream's blockPackMatmul does the rewrite; this pass
// chooses its block sizes from the CPU description and packs constant
// operands at compile time, so models' weights are stored packed. int8
// matmuls are packed into SpacemiT IME tiles where the CPU has them.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/CpuTarget.h"
#include "yz/CPU/Passes.h"
#include "yz/CPU/Reshapes.h"

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
    linalg::FillOp::getCanonicalizationPatterns(patterns, &getContext());
    linalg::PackOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
