//===- MatmulBlocks.cpp - block sizes of NPU matmul programs --------------===//
//
// Part of Yizhuang. See ProgramEmitter.h.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Npu/Transforms/ProgramEmitter.h"

#include "yz/Dialect/Npu/Capability.h"

using namespace mlir;
using namespace mlir::yz;

MatmulBlocks mlir::yz::chooseMatmulBlocks(const ::yz::npu::Target &target,
                                          int64_t m, int64_t n, int64_t k,
                                          bool doubleBuffer,
                                          int64_t extraAccRowsPerStrip) {
  int64_t d = target.dim;
  // Blocks fit half of each memory whether or not the halves alternate, so
  // that turning double buffering off changes only the overlap.
  int64_t spBudget = target.spRows / 2, accBudget = target.accRows / 2;
  auto roundUp = [&](int64_t x) { return (x + d - 1) / d * d; };
  auto candidates = [&](int64_t limit) {
    SmallVector<int64_t> c;
    for (int64_t v = d; v < limit; v *= 2)
      c.push_back(v);
    c.push_back(limit);
    return c;
  };
  const int64_t kMaxDmaRows = npu::maxDmaRows(target);
  (void)doubleBuffer;
  MatmulBlocks best{d, d, d, spBudget, accBudget};
  double bestScore = -1;
  int64_t bestK = 0;
  for (int64_t mt : candidates(std::min(roundUp(m), kMaxDmaRows)))
    for (int64_t nt : candidates(roundUp(n))) {
      if ((mt + extraAccRowsPerStrip) * (nt / d) > accBudget) // C block rows
        continue;
      // A and B blocks: kt * (mt + nt) / d rows of the scratchpad budget.
      int64_t kFit = std::min(spBudget * d / (mt + nt) / d * d, kMaxDmaRows);
      if (kFit < d)
        continue;
      int64_t kt = std::min(kFit, roundUp(k));
      double score = double(mt) * nt / double(mt + nt);
      if (score > bestScore || (score == bestScore && kt > bestK)) {
        best.m = mt;
        best.n = nt;
        best.k = kt;
        bestScore = score;
        bestK = kt;
      }
    }
  // Split K into equal blocks rather than a full one and a sliver.
  int64_t kBlocks = (roundUp(k) + best.k - 1) / best.k;
  best.k = roundUp((roundUp(k) + kBlocks - 1) / kBlocks);
  return best;
}
