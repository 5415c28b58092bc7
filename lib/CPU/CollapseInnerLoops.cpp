//===- CollapseInnerLoops.cpp - one loop over short contiguous dims -------===//
//
// Part of Yizhuang. The loops of an NCHW elementwise op or pooling are W
// long (7 to 112): short for a 16-lane vector loop, and LLVM sometimes
// vectorizes across the outer loop instead, with gathers. Where the
// operands allow, H and W become one dimension.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"
#include "yz/CPU/Reshapes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZCOLLAPSEINNERLOOPS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// The slice `v` is, maybe reshaped; null if none.
tensor::ExtractSliceOp sliceOf(Value v) {
  return throughReshapes(v).getDefiningOp<tensor::ExtractSliceOp>();
}

bool isSlice(Value v) { return bool(sliceOf(v)); }

/// Whether `op` reads two slices of one tensor: a stencil (a depthwise
/// convolution's shifted windows of its padded input).
bool isStencil(linalg::GenericOp op) {
  llvm::SmallPtrSet<Value, 4> sources;
  for (Value input : op.getDpsInputs())
    if (auto slice = sliceOf(input);
        slice && !sources.insert(slice.getSource()).second)
      return true;
  return false;
}

/// Whether the pass rewrites `op`: a generic on static tensors that no later
/// pass lowers by its attributes and whose result is not the model's (a
/// model's result buffer is the caller's, which a reshaped result would
/// need copying into). An operand that is a slice (a conv's padded input,
/// written in place: see PadIntoProducer) is a strided view, which the
/// reshapes make a copy of, out and back: worth it only for short rows,
/// which LLVM would unroll whole and then vectorize across with gathers;
/// yz-tile-and-vectorize has vectorized such rows, of any length, already
/// where it could (rowsIntoSlice). A
/// stencil's windows are never worth their copies.
bool isCandidate(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.hasDynamicShape() ||
      llvm::any_of(op->getAttrs(),
                   [](NamedAttribute a) {
                     return a.getName().strref().starts_with("yz.");
                   }) ||
      llvm::any_of(op->getUsers(),
                   [](Operation *user) { return isa<func::ReturnOp>(user); }))
    return false;
  return !isStencil(generic) &&
         (generic.getStaticLoopRanges().back() < kLongRow ||
          llvm::none_of(op->getOperands(), isSlice));
}

/// The trailing dimensions of `op` to merge: grown outward from the last
/// while the loop is shorter than `minTrip`, the next dimension has the
/// same iterator type and every operand holds the group contiguously.
/// Empty when there is nothing to merge.
SmallVector<ReassociationIndices> innerGroup(linalg::LinalgOp op,
                                             int64_t minTrip) {
  if (!isCandidate(op) ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return {};
  SmallVector<int64_t> trips = op.getStaticLoopRanges();
  auto iterators = op.getIteratorTypesArray();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t last = trips.size() - 1, first = last, trip = trips[last];
  while (first > 0 && trip < minTrip &&
         iterators[first - 1] == iterators[last]) {
    ReassociationIndices group =
        llvm::to_vector(llvm::seq<int64_t>(first - 1, last + 1));
    if (!linalg::areDimSequencesPreserved(maps, group))
      break;
    --first;
    trip *= trips[first];
  }
  if (first == last)
    return {};
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < first; ++d)
    groups.push_back({d});
  groups.push_back(llvm::to_vector(llvm::seq<int64_t>(first, last + 1)));
  return groups;
}

struct CollapseInnerLoops
    : yz::impl::YzCollapseInnerLoopsBase<CollapseInnerLoops> {
  using Base::Base;

  void runOnOperation() override {
    // Unit dimensions first (upstream's drop-unit-dims): a bias broadcast
    // as [1, C, 1, 1] read at (n, c, 0, 0) becomes [C] read at (c), a map
    // whose dimensions can then be merged around.
    RewritePatternSet unitDims(&getContext());
    linalg::ControlDropUnitDims control;
    control.controlFn = [](Operation *op) -> SmallVector<unsigned> {
      if (!isCandidate(op))
        return {};
      return llvm::to_vector(llvm::seq<unsigned>(
          0, cast<linalg::GenericOp>(op).getNumLoops()));
    };
    linalg::populateFoldUnitExtentDimsPatterns(unitDims, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(unitDims))))
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    int64_t min = minTrip;
    linalg::populateCollapseDimensions(
        patterns, [min](linalg::LinalgOp op) { return innerGroup(op, min); });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
