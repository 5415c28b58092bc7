//===- Epilogues.cpp - a matmul's elementwise consumer, in its layout -----===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Epilogues.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace {

/// `x` ([M, N], or any shape whose leading dimensions make M) reshaped to
/// [M1, M0, N1, N0] = `packed`: collapsed to [M, N], expanded.
Value toPacked(RewriterBase &rewriter, Location loc, Value x, int64_t split,
               ArrayRef<int64_t> packed) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  if (rank != 2) {
    ReassociationIndices rows, cols;
    for (int64_t d = 0; d < rank; ++d)
      (d < split ? rows : cols).push_back(d);
    x = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({packed[0] * packed[1], packed[2] * packed[3]},
                              type.getElementType()),
        x, SmallVector<ReassociationIndices>{rows, cols});
  }
  return tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get(packed, type.getElementType()), x,
      SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
}

/// `x` (one row or one column of the result: a single dimension of the
/// result's, any others 1) reshaped to [A1, A0] = `sizes`.
Value toPackedVector(RewriterBase &rewriter, Location loc, Value x,
                     ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < type.getRank(); ++d)
      all.push_back(d);
    x = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({sizes[0] * sizes[1]}, type.getElementType()), x,
        SmallVector<ReassociationIndices>{all});
  }
  return tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get(sizes, type.getElementType()), x,
      SmallVector<ReassociationIndices>{{0, 1}});
}

/// Whether `v` (through reshapes) is padded: PadIntoProducer then makes
/// its producer write into the padded buffer, which a consumer rewritten
/// here could not (its result is reshaped).
bool padded(Value v) {
  for (Operation *user : v.getUsers()) {
    if (isa<tensor::PadOp>(user))
      return true;
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(user) &&
        padded(user->getResult(0)))
      return true;
  }
  return false;
}

} // namespace

linalg::GenericOp mlir::yz::epilogueOverProduct(RewriterBase &rewriter,
                                                linalg::LinalgOp product) {
  Value result = product->getResult(0);
  auto packedType = cast<RankedTensorType>(result.getType());
  if (packedType.getRank() != 4 || !packedType.hasStaticShape() ||
      !result.hasOneUse())
    return {};
  ArrayRef<int64_t> packed = packedType.getShape();
  int64_t m1m0 = packed[0] * packed[1], n1n0 = packed[2] * packed[3];

  // The consumer, through reshapes, and the slice of the whole tiles
  // [M1 * M0, N1 * N0] that drops a partial last tile's padding: the
  // consumer's M x N.
  int64_t m = m1m0, n = n1n0;
  tensor::ExtractSliceOp slice;
  Value read = result;
  Operation *user = *result.getUsers().begin();
  while (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             tensor::ExtractSliceOp>(user)) {
    if (auto s = dyn_cast<tensor::ExtractSliceOp>(user)) {
      auto sourceType = s.getSourceType();
      if (slice || sourceType.getShape() != ArrayRef<int64_t>{m1m0, n1n0} ||
          !s.hasZeroOffset() || !s.hasUnitStride() ||
          s.getResultType().getRank() != 2 ||
          !s.getResultType().hasStaticShape())
        return {};
      slice = s;
      m = s.getResultType().getDimSize(0);
      n = s.getResultType().getDimSize(1);
    }
    read = user->getResult(0);
    if (!read.hasOneUse())
      return {};
    user = *read.getUsers().begin();
  }
  auto consumer = dyn_cast<linalg::GenericOp>(user);
  if (!consumer || consumer.getNumDpsInits() != 1 ||
      consumer.getNumParallelLoops() != consumer.getNumLoops() ||
      !consumer.getBody()->getOps<linalg::IndexOp>().empty())
    return {};
  OpOperand *init = consumer.getDpsInitOperand(0);
  auto type = cast<RankedTensorType>(consumer->getResult(0).getType());
  if (!type.hasStaticShape() ||
      !consumer.getMatchingIndexingMap(init).isIdentity() ||
      consumer.payloadUsesValueFromOperand(init) ||
      padded(consumer->getResult(0)))
    return {};
  // The consumer's leading dimensions make M, the others N.
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size(), split = 0;
  for (int64_t rows = 1; split < rank && rows < m; ++split)
    rows *= shape[split];
  if (split == 0 || split == rank ||
      ShapedType::getNumElements(shape.take_front(split)) != m ||
      ShapedType::getNumElements(shape.drop_front(split)) != n)
    return {};

  // Each input over [M1, M0, N1, N0]: the product itself, one of the
  // result's shape, or a broadcast (a bias: along one dimension of the
  // consumer's, which alone makes M or N; or a single element).
  enum class Kind { Product, Whole, Rows, Columns, Element };
  SmallVector<Kind> kinds;
  for (OpOperand *operand : consumer.getDpsInputOperands()) {
    AffineMap map = consumer.getMatchingIndexingMap(operand);
    auto xType = dyn_cast<RankedTensorType>(operand->get().getType());
    if (operand->get() == read || map.isIdentity()) {
      if (!map.isIdentity() || !xType)
        return {};
      // Whole only without a partial tile (it would need padding too), and
      // contiguous: not written into a padded buffer (PadIntoProducer,
      // after), not a slice the reshapes here would copy (a 2-D one is only
      // expanded: a residual in a padded buffer, see shiftedIntoPadding).
      if (operand->get() != read &&
          (slice || padded(operand->get()) ||
           (rank != 2 &&
            operand->get().getDefiningOp<tensor::ExtractSliceOp>())))
        return {};
      kinds.push_back(operand->get() == read ? Kind::Product : Kind::Whole);
      continue;
    }
    if (!xType || !xType.hasStaticShape())
      return {};
    std::optional<bool> alongRows;
    for (auto [i, e] : llvm::enumerate(map.getResults())) {
      if (auto c = dyn_cast<AffineConstantExpr>(e)) {
        if (c.getValue() != 0)
          return {};
        continue;
      }
      auto d = dyn_cast<AffineDimExpr>(e);
      if (!d)
        return {};
      int64_t size = shape[d.getPosition()];
      if (size == 1)
        continue;
      // (A bias along padded rows or columns would need padding.)
      bool rows = d.getPosition() < split;
      if (alongRows || size != (rows ? m : n) || size != (rows ? m1m0 : n1n0) ||
          xType.getDimSize(i) != size)
        return {};
      alongRows = rows;
    }
    if (xType.getNumElements() != (!alongRows ? 1 : *alongRows ? m : n))
      return {};
    kinds.push_back(!alongRows   ? Kind::Element
                    : *alongRows ? Kind::Rows
                                 : Kind::Columns);
  }

  MLIRContext *ctx = rewriter.getContext();
  Location loc = consumer.getLoc();
  rewriter.setInsertionPoint(consumer);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (auto [operand, kind] :
       llvm::zip(consumer.getDpsInputOperands(), kinds)) {
    Value x = operand->get();
    auto pair = [&](unsigned first) {
      return AffineMap::get(
          4, 0,
          {getAffineDimExpr(first, ctx), getAffineDimExpr(first + 1, ctx)},
          ctx);
    };
    switch (kind) {
    case Kind::Product:
      inputs.push_back(result);
      maps.push_back(identity);
      break;
    case Kind::Whole:
      inputs.push_back(toPacked(rewriter, loc, x, split, packed));
      maps.push_back(identity);
      break;
    case Kind::Rows:
    case Kind::Columns: {
      bool rows = kind == Kind::Rows;
      inputs.push_back(
          toPackedVector(rewriter, loc, x, packed.slice(rows ? 0 : 2, 2)));
      maps.push_back(pair(rows ? 0 : 2));
      break;
    }
    case Kind::Element:
      inputs.push_back(x);
      maps.push_back(AffineMap::get(
          4, 0,
          SmallVector<AffineExpr>(cast<ShapedType>(x.getType()).getRank(),
                                  getAffineConstantExpr(0, ctx)),
          ctx));
      break;
    }
  }
  maps.push_back(identity);

  // Into the consumer's own buffer where that is a slice of a larger one
  // (a shifted-columns product's columns in the next conv's padded input).
  Value into = init->get();
  if (rank == 2 && !slice && into.getDefiningOp<tensor::ExtractSliceOp>())
    into = toPacked(rewriter, loc, into, split, packed);
  else
    into =
        tensor::EmptyOp::create(rewriter, loc, packed, type.getElementType());
  auto over = linalg::GenericOp::create(
      rewriter, loc, into.getType(), inputs, into, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel));
  rewriter.inlineRegionBefore(consumer.getRegion(), over.getRegion(),
                              over.getRegion().end());
  // Back to the consumer's shape: [M, N] (a slice of the whole tiles),
  // expanded.
  Value back = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({m1m0, n1n0}, type.getElementType()),
      over.getResult(0), SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  if (slice)
    back = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({m, n}, type.getElementType()),
        back, slice.getMixedOffsets(), slice.getMixedSizes(),
        slice.getMixedStrides());
  if (rank != 2) {
    ReassociationIndices rows, cols;
    for (int64_t d = 0; d < rank; ++d)
      (d < split ? rows : cols).push_back(d);
    back = tensor::ExpandShapeOp::create(
        rewriter, loc, type, back,
        SmallVector<ReassociationIndices>{rows, cols});
  }
  rewriter.replaceOp(consumer, back);
  // The reshapes the consumer read the product through.
  for (Operation *op = read.getDefiningOp(); op && op != product;) {
    Operation *source = op->getOperand(0).getDefiningOp();
    if (!op->use_empty())
      break;
    rewriter.eraseOp(op);
    op = source;
  }
  return over;
}
