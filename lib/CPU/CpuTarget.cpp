//===- CpuTarget.cpp - the CPU description and its code strategy ----------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/CpuTarget.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>

using namespace mlir::yz;

std::string CpuTarget::parse(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> items;
  text.split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    auto [key, value] = item.split('=');
    unsigned *field = llvm::StringSwitch<unsigned *>(key.trim())
                          .Case("vector-bits", &vectorBits)
                          .Case("vector-registers", &vectorRegisters)
                          .Case("l1", &l1Bytes)
                          .Case("l2", &l2Bytes)
                          .Case("fma-scalar-loads", &fmaScalarLoads)
                          .Case("load-ahead", &loadAhead)
                          .Case("ime", &ime)
                          .Case("strided-vectors", &stridedVectors)
                          .Case("shuffle-transposes", &shuffleTransposes)
                          .Case("prefetch-panels", &prefetchPanels)
                          .Default(nullptr);
    if (!field)
      return "unknown CPU key '" + key.trim().str() +
             "' (expected vector-bits, vector-registers, l1, l2, "
             "fma-scalar-loads, load-ahead, ime, strided-vectors, "
             "shuffle-transposes, prefetch-panels)";
    unsigned v;
    if (field == &fmaScalarLoads || field == &loadAhead || field == &ime ||
        field == &stridedVectors || field == &shuffleTransposes ||
        field == &prefetchPanels) {
      if (value.trim().getAsInteger(10, v) || v > 1)
        return "'" + item.str() + "' needs 0 or 1";
    } else if (value.trim().getAsInteger(10, v) || v == 0) {
      return "'" + item.str() + "' needs a positive integer";
    }
    *field = v;
  }
  if (vectorBits < 64 || (vectorBits & (vectorBits - 1)))
    return "vector-bits=" + std::to_string(vectorBits) +
           " is not a power of two of at least 64";
  if (vectorRegisters < 8)
    return "vector-registers=" + std::to_string(vectorRegisters) +
           " is fewer than the 8 the strategy needs";
  if (ime && (vectorBits != 256 || vectorRegisters < 32))
    return "ime=1 needs vector-bits=256 and 32 vector registers (the "
           "X60's IME tiles)";
  return "";
}

std::string CpuTarget::str() const {
  return "vector-bits=" + std::to_string(vectorBits) +
         ",vector-registers=" + std::to_string(vectorRegisters) +
         ",l1=" + std::to_string(l1Bytes) + ",l2=" + std::to_string(l2Bytes) +
         ",fma-scalar-loads=" + std::to_string(fmaScalarLoads) +
         ",load-ahead=" + std::to_string(loadAhead) +
         ",ime=" + std::to_string(ime) +
         ",strided-vectors=" + std::to_string(stridedVectors) +
         ",shuffle-transposes=" + std::to_string(shuffleTransposes) +
         ",prefetch-panels=" + std::to_string(prefetchPanels);
}

int64_t mlir::yz::vectorLanes(const CpuTarget &target, unsigned eltBits) {
  return std::max<int64_t>(1, target.vectorBits / eltBits);
}

/// The largest divisor of `n` that is at most `limit`.
static int64_t largestDivisorAtMost(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, std::max<int64_t>(limit, 1)); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

MatmulStrategy mlir::yz::chooseMatmulStrategy(const CpuTarget &target,
                                              int64_t m, int64_t n, int64_t k,
                                              unsigned eltBits) {
  MatmulStrategy s;
  int64_t lanes = vectorLanes(target, eltBits);
  int64_t bytes = eltBits / 8;
  // Two vectors per row when N allows (more independent FMAs per loaded
  // RHS vector); rows up to what the register file holds beside the RHS row
  // and one spare: 6 x 2 on AVX2's 16 registers, 8 x 2 on 32. More rows
  // would pad small M further and lengthen the (padded) edge tiles. Where
  // each row's scalar is a load of its own (RVV), four vectors per row
  // (LMUL 4, 6 rows): a load per four vectors of FMAs, not per two.
  int64_t widest = target.fmaScalarLoads ? 4 : 2;
  s.vectorsPerRow = 1;
  while (s.vectorsPerRow < widest && n > s.vectorsPerRow * lanes)
    s.vectorsPerRow *= 2;
  int64_t regs = target.vectorRegisters;
  int64_t rows = (regs - s.vectorsPerRow - 1) / s.vectorsPerRow;
  s.m0 = std::max<int64_t>(1, std::min<int64_t>({rows, 8, m}));
  // Seven rows instead of eight where that pads M less and K is long: 49
  // and 196 pixels (ResNet's 7 x 7 and 14 x 14 layers, K = 4608 and 2304)
  // are whole panels of 7, not 56 and 200 rows of 8, and their im2col
  // rows fold into the LHS pack (a panel of 7 pixels divides a row of 7 or
  // 14): ResNet-18 30.5 -> 29.1 ms a run on an AVX-512 host. With a short
  // K the result's transpose back to NCHW, in pieces of 7, costs more
  // than the padding saves (EfficientNet-B0's pointwise convs, K <= 1152:
  // 1-10% slower). Seven rows of two vectors still keep 14 FMAs in flight;
  // from six rows (AVX2, RVV's LMUL 4) one fewer costs more in loads per
  // FMA than the padding saves.
  auto padded = [&](int64_t r) { return llvm::alignTo(m, r); };
  if (s.m0 == 8 && k >= 2048 && padded(7) < padded(8))
    s.m0 = 7;
  s.n0 = s.vectorsPerRow * lanes;
  // K blocks: the M0 x kc LHS panel in a quarter of L2, not in L1. The
  // panel is reused by every RHS panel of the N block, and each N0 x kc
  // RHS panel streams from L2 whatever kc is; the LHS column a step reads
  // (M0 consecutive scalars) is a stream the prefetcher keeps ahead. Each
  // K block costs a read and a write of every accumulator tile and a zero
  // fill of the result first, and a product of more than one block has no
  // final tile to store in place: with the panel in half of L1, ResNet-18
  // ran 36 ms a run on an AVX-512 host, with K whole 33.5 ms.
  int64_t kc = target.l2Bytes / 4 / (s.m0 * bytes);
  // A long K (2048 or more: ResNet's 14 x 14 and 7 x 7 layers, whose
  // products are not fused with an epilogue anyway) with a result small
  // enough to stay in L2 (each K block re-reads and re-writes it) in
  // blocks whose N0 x kc RHS panel fits in half of L1: the M0 x kc LHS
  // panel is then in L1 too, for all the N panels of the block, where
  // whole (129 KB at K = 4608) it streamed from L2 once per N panel.
  // ResNet-18 31.9 -> 30.5 ms a run on an AVX-512 host (a quarter of L1
  // measured 31.0 ms, three quarters 31.2, all of it 32.2). A 2048^3
  // matmul's 16 MB result, re-read per block from memory: 150 -> 108
  // GFLOP/s.
  if (k >= 2048 && m * n * bytes <= target.l2Bytes / 2)
    kc = std::min<int64_t>(kc, target.l1Bytes / 2 / (s.n0 * bytes));
  s.kc = largestDivisorAtMost(k, std::max<int64_t>(kc, 16));
  if (s.kc < std::min<int64_t>(k, 16)) // K has no good divisor: one block
    s.kc = k;
  // N blocks: the packed kc x nc RHS block in half of L2.
  int64_t nTiles = (n + s.n0 - 1) / s.n0;
  int64_t nc = target.l2Bytes / 2 / (s.kc * s.n0 * bytes);
  s.ncTiles = largestDivisorAtMost(nTiles, std::max<int64_t>(nc, 1));
  return s;
}

bool mlir::yz::pixelsAsRows(const CpuTarget &target, int64_t f, int64_t p,
                            int64_t k) {
  MatmulStrategy a = chooseMatmulStrategy(target, f, p, k, 32);
  MatmulStrategy b = chooseMatmulStrategy(target, p, f, k, 32);
  int64_t asIs = llvm::alignTo(f, a.m0) * llvm::alignTo(p, a.n0) * k;
  int64_t swapped =
      llvm::alignTo(p, b.m0) * llvm::alignTo(f, b.n0) * k + 8 * p * f;
  return swapped < asIs;
}

DepthwiseTile mlir::yz::chooseDepthwiseTile(const CpuTarget &target,
                                            int64_t ow, int64_t c, int64_t kw,
                                            int64_t stride, int64_t dilation) {
  int64_t lanes = vectorLanes(target, 32);
  // Channel tiles of 1, 2, 4 or 8 vectors (RVV: LMUL) that divide C, else
  // the largest divisor of C up to one vector.
  llvm::SmallVector<int64_t> channels;
  for (int64_t v : {1, 2, 4, 8})
    if (c % (v * lanes) == 0)
      channels.push_back(v * lanes);
  if (channels.empty())
    channels.push_back(largestDivisorAtMost(c, lanes));
  // Per row of the filter, a tile of ow0 x c0 takes `strip` input loads,
  // KW filter loads and ow0 x KW FMAs, each one instruction whatever its
  // LMUL: pick the fewest instructions per output whose accumulators,
  // strip and filter row fit in the registers (at most 8 pixels: each is
  // unrolled).
  DepthwiseTile best{1, channels.front()};
  double bestCost = std::numeric_limits<double>::infinity();
  for (int64_t c0 : channels) {
    int64_t regs = (c0 + lanes - 1) / lanes;
    for (int64_t w = 1; w <= std::min<int64_t>(ow, 8); ++w) {
      int64_t strip = (w - 1) * stride + (kw - 1) * dilation + 1;
      if (ow % w || (w + strip + kw) * regs > int64_t(target.vectorRegisters))
        continue;
      double cost = double(strip + kw + w * kw) / double(w * c0);
      if (cost < bestCost)
        bestCost = cost, best = {w, c0};
    }
  }
  return best;
}

ImeTile mlir::yz::chooseImeTile(int64_t m, int64_t n) {
  return {std::clamp<int64_t>((m + 3) / 4, 1, 4),
          std::clamp<int64_t>((n + 3) / 4, 1, 3)};
}

int64_t mlir::yz::chooseRowVector(const CpuTarget &target, int64_t row,
                                  unsigned eltBits) {
  return std::min<int64_t>(vectorLanes(target, eltBits),
                           llvm::PowerOf2Ceil(row));
}
