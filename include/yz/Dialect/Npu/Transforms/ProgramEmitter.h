//===- ProgramEmitter.h - index arithmetic for NPU programs -----*- C++ -*-===//
//
// Part of Yizhuang. What the NPU programs (the matmul offload in
// convert-linalg-to-npu, the convolutions in yz-lower-npu-convs) share:
// their loops and index arithmetic, and the choice of block sizes.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_TRANSFORMS_PROGRAMEMITTER_H
#define YZ_DIALECT_NPU_TRANSFORMS_PROGRAMEMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "yz/npu/Target.h"

namespace mlir::yz {

/// Block sizes of an M x N x K matmul on the NPU: the strategy, in one place.
struct MatmulBlocks {
  int64_t m, n, k;           // multiples of DIM
  int64_t spHalf, accHalf;   // rows per buffer
};

/// Chooses blocks that fit half the scratchpad (A: m x k, B: k x n) and half
/// the accumulator (C: m x n) - the halves double buffering alternates -
/// maximizing the MACs per byte loaded (m * n / (m + n)), then splitting K
/// evenly. Single buffering uses the same blocks, in the lower halves.
/// `extraAccRowsPerStrip` accumulator rows per DIM columns of C are kept
/// free in each half (a convolution's scale and bias rows).
MatmulBlocks chooseMatmulBlocks(const ::yz::npu::Target &target, int64_t m,
                                int64_t n, int64_t k, bool doubleBuffer,
                                int64_t extraAccRowsPerStrip = 0);


/// Index arithmetic and loops for the emitted program.
struct Emitter {
  OpBuilder &b;
  Location loc;

  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value ne0(Value x) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, c(0));
  }

  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }

  /// for iv in [lb, ub) step `step` { body(iv) }
  template <typename Body>
  void loop(Value lb, Value ub, Value step, Body body) {
    auto forOp = scf::ForOp::create(b, loc, lb, ub, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forOp.getBody()->getTerminator());
    body(forOp.getInductionVar());
  }
  /// if (cond) { body() }
  template <typename Body> void when(Value cond, Body body) {
    auto ifOp = scf::IfOp::create(b, loc, cond, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    body();
  }
  /// Slice `slice` of `slices` of [0, total): ceil-divided, so the slices
  /// cover it all.
  std::pair<Value, Value> share(Value slice, Value slices, Value total) {
    Value one = c(1);
    Value per = div(add(total, sub(slices, one)), slices);
    return {min(mul(slice, per), total), min(mul(add(slice, one), per), total)};
  }
};

/// Block b of a program's blocks, row-major over (m, n, k), and where it
/// lives: scratchpad half b % 2 (B after `bOffset` rows of A), accumulator
/// half (m, n) % 2 when double buffering. K is in the program's own unit
/// (elements for a matmul, strips for a convolution).
struct GridBlock {
  Value m0, n0, k0, mb, nb, kb, kIndex, mn, spBase, bBase, accBase;
};
struct BlockGrid {
  int64_t m, n, k;    // the extents
  int64_t mt, nt, kt; // the block sizes
  int64_t spHalf, accHalf, bOffset;
  bool doubleBuffer;

  int64_t num(int64_t extent, int64_t tile) const {
    return (extent + tile - 1) / tile;
  }
  GridBlock at(Emitter &e, Value b) const {
    int64_t numN = num(n, nt), numK = num(k, kt);
    GridBlock r;
    r.mn = e.div(b, e.c(numK));
    r.kIndex = e.rem(b, e.c(numK));
    r.m0 = e.mul(e.div(r.mn, e.c(numN)), e.c(mt));
    r.n0 = e.mul(e.rem(r.mn, e.c(numN)), e.c(nt));
    r.k0 = e.mul(r.kIndex, e.c(kt));
    r.mb = e.min(e.c(mt), e.sub(e.c(m), r.m0));
    r.nb = e.min(e.c(nt), e.sub(e.c(n), r.n0));
    r.kb = e.min(e.c(kt), e.sub(e.c(k), r.k0));
    Value zero = e.c(0);
    r.spBase = doubleBuffer ? e.mul(e.rem(b, e.c(2)), e.c(spHalf)) : zero;
    r.accBase =
        doubleBuffer ? e.mul(e.rem(r.mn, e.c(2)), e.c(accHalf)) : zero;
    r.bBase = e.add(r.spBase, e.c(bOffset));
    return r;
  }
};

/// The block loop of the NPU programs (matmul and convolution). Double
/// buffering is software pipelining: block b + 1 is loaded into the other
/// half while block b computes, a slice at a time (`compute` calls its
/// prefetch callback (slice, slices), which runs `loadSlice(next block,
/// slice, slices)`), so the load queue works ahead without starving the
/// array. A block's result is stored after its last K block.
template <typename BlockFn, typename LoadFn, typename ComputeFn,
          typename SliceFn, typename StoreFn>
void emitBlockPipeline(Emitter &e, int64_t numBlocks, int64_t numK,
                       bool doubleBuffer, BlockFn block, LoadFn load,
                       ComputeFn compute, SliceFn loadSlice, StoreFn store) {
  Value zero = e.c(0), one = e.c(1), count = e.c(numBlocks);
  if (doubleBuffer)
    load(block(zero));
  e.loop(zero, count, one, [&](Value bi) {
    auto x = block(bi);
    if (!doubleBuffer) {
      load(x);
      compute(x, nullptr);
    } else {
      Value next = e.add(bi, one);
      Value hasNext = e.ult(next, count);
      compute(x, [&](Value slice, Value slices) {
        e.when(hasNext, [&] { loadSlice(block(next), slice, slices); });
      });
    }
    e.when(e.eq(x.kIndex, e.c(numK - 1)), [&] { store(x); });
  });
}

} // namespace mlir::yz

#endif // YZ_DIALECT_NPU_TRANSFORMS_PROGRAMEMITTER_H
