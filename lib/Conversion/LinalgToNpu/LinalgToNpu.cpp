//===- LinalgToNpu.cpp - offload matmuls to the NPU -----------------------===//
//
// Part of Yizhuang.
//
// The program for C[M x N] = A[M x K] * B[K x N], blocks (Mt, Nt, Kt):
//
//   config.target; config.exec
//   for m0 in 0..M step Mt, n0 in 0..N step Nt:     acc half: (m, n) parity
//     for k0 in 0..K step Kt:                       sp half: block parity
//       A block -> Kt/DIM strips of Mt rows (strip kk holds A[m0.., k0+kk..])
//       B block -> Nt/DIM strips of Kt rows (strip jj holds B[k0.., n0+jj..])
//       for jj, kk, ii (DIM steps): matmul A(ii, kk) x B(kk, jj) -> C(ii, jj)
//         (ii innermost: the B tile stays in the array across it)
//     C block <- Nt/DIM strips of Mt accumulator rows
//   fence
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/LinalgToNpu/LinalgToNpu.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

namespace mlir::yz {
#define GEN_PASS_DEF_CONVERTLINALGTONPU
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

MatmulBlocks mlir::yz::chooseMatmulBlocks(const ::yz::npu::Target &target,
                                          int64_t m, int64_t n, int64_t k,
                                          bool doubleBuffer) {
  int64_t d = target.dim;
  int64_t spBudget = doubleBuffer ? target.spRows / 2 : target.spRows;
  int64_t accBudget = doubleBuffer ? target.accRows / 2 : target.accRows;
  auto roundUp = [&](int64_t x) { return (x + d - 1) / d * d; };
  auto candidates = [&](int64_t limit) {
    SmallVector<int64_t> c;
    for (int64_t v = d; v < limit; v *= 2)
      c.push_back(v);
    c.push_back(limit);
    return c;
  };
  constexpr int64_t kMaxDmaRows = 65535 / 16 * 16; // the Rows field
  MatmulBlocks best{d, d, d, spBudget, accBudget};
  double bestScore = -1;
  int64_t bestK = 0;
  for (int64_t mt : candidates(std::min(roundUp(m), kMaxDmaRows)))
    for (int64_t nt : candidates(roundUp(n))) {
      if (mt * (nt / d) > accBudget) // C block rows
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

namespace {

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

  /// for iv in [lb, ub) step `step` { body(iv) }
  template <typename Body>
  void loop(Value lb, Value ub, Value step, Body body) {
    auto forOp = scf::ForOp::create(b, loc, lb, ub, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forOp.getBody()->getTerminator());
    body(forOp.getInductionVar());
  }
};

struct ConvertLinalgToNpuPass
    : mlir::yz::impl::ConvertLinalgToNpuBase<ConvertLinalgToNpuPass> {
  using ConvertLinalgToNpuBase::ConvertLinalgToNpuBase;

  LogicalResult offload(linalg::MatmulOp op, const ::yz::npu::Target &target);

  void runOnOperation() override {
    npu::TargetAttr targetAttr = npu::lookupTarget(getOperation());
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      auto placement = op->getAttrOfType<StringAttr>(kPlacementAttr);
      if (placement && placement.getValue() == "npu")
        matmuls.push_back(op);
    });
    if (matmuls.empty())
      return;
    if (!targetAttr) {
      matmuls.front().emitError("placed on the NPU, but the module has no "
                                "npu.target");
      return signalPassFailure();
    }
    for (linalg::MatmulOp op : matmuls)
      if (failed(offload(op, npu::toTarget(targetAttr))))
        return signalPassFailure();
  }
};

LogicalResult ConvertLinalgToNpuPass::offload(linalg::MatmulOp op,
                                              const ::yz::npu::Target &target) {
  if (!op.hasPureBufferSemantics())
    return op.emitError("NPU offload runs after bufferization: expected "
                        "memref operands");
  Value a = op.getDpsInputs()[0], bMat = op.getDpsInputs()[1],
        cMat = op.getDpsInits()[0];
  auto aType = cast<MemRefType>(a.getType());
  auto bType = cast<MemRefType>(bMat.getType());
  auto cType = cast<MemRefType>(cMat.getType());
  if (!aType.hasStaticShape() || !bType.hasStaticShape() ||
      !cType.hasStaticShape())
    return op.emitError("NPU offload needs static shapes");
  Type aElt = aType.getElementType(), cElt = cType.getElementType();
  npu::DataType dataType;
  if (aElt.isInteger(8) && bType.getElementType().isInteger(8) &&
      cElt.isInteger(32))
    dataType = npu::DataType::i8;
  else if (aElt.isF32() && bType.getElementType().isF32() && cElt.isF32())
    dataType = npu::DataType::bf16;
  else
    return op.emitError("the NPU multiplies i8 x i8 -> i32 or (bf16) f32 x "
                        "f32 -> f32, not ")
           << aType << " x " << bType << " -> " << cType;

  int64_t M = aType.getDimSize(0), K = aType.getDimSize(1),
          N = bType.getDimSize(1), d = target.dim;
  MatmulBlocks blk = chooseMatmulBlocks(target, M, N, K, doubleBuffer);

  OpBuilder builder(op);
  Emitter e{builder, op.getLoc()};
  Location loc = op.getLoc();
  npu::ConfigTargetOp::create(builder, loc);
  npu::ConfigExecOp::create(builder, loc, dataType);

  Value zero = e.c(0), dim = e.c(d), mt = e.c(blk.m), nt = e.c(blk.n),
        kt = e.c(blk.k);
  Value numN = e.c((N + blk.n - 1) / blk.n), numK = e.c((K + blk.k - 1) / blk.k);
  Value aRowsPerBlock = e.c(blk.k / d * blk.m); // where B starts in a half
  e.loop(zero, e.c(M), mt, [&](Value m0) {
    Value mb = e.min(mt, e.sub(e.c(M), m0));
    e.loop(zero, e.c(N), nt, [&](Value n0) {
      Value nb = e.min(nt, e.sub(e.c(N), n0));
      Value mn = e.add(e.mul(e.div(m0, mt), numN), e.div(n0, nt));
      Value accBase = doubleBuffer ? e.mul(e.rem(mn, e.c(2)), e.c(blk.accHalf))
                                   : zero;
      e.loop(zero, e.c(K), kt, [&](Value k0) {
        Value kb = e.min(kt, e.sub(e.c(K), k0));
        Value block = e.add(e.mul(mn, numK), e.div(k0, kt));
        Value spBase = doubleBuffer
                           ? e.mul(e.rem(block, e.c(2)), e.c(blk.spHalf))
                           : zero;
        Value bBase = e.add(spBase, aRowsPerBlock);
        // A block: strips of DIM columns, Mt rows apart.
        npu::ConfigLoadOp::create(builder, loc, a, /*to_acc=*/false);
        e.loop(zero, kb, dim, [&](Value kk) {
          Value row = e.add(spBase, e.mul(e.div(kk, dim), mt));
          npu::DmaInOp::create(builder, loc, a, ValueRange{m0, e.add(k0, kk)},
                               row, mb, e.min(dim, e.sub(kb, kk)));
        });
        // B block: strips of DIM columns, Kt rows apart.
        npu::ConfigLoadOp::create(builder, loc, bMat, /*to_acc=*/false);
        e.loop(zero, nb, dim, [&](Value jj) {
          Value row = e.add(bBase, e.mul(e.div(jj, dim), kt));
          npu::DmaInOp::create(builder, loc, bMat,
                               ValueRange{k0, e.add(n0, jj)}, row, kb,
                               e.min(dim, e.sub(nb, jj)));
        });
        // Tiles: the B tile (kk, jj) stays in the array across ii.
        e.loop(zero, nb, dim, [&](Value jj) {
          Value n = e.min(dim, e.sub(nb, jj));
          Value jStrip = e.div(jj, dim);
          e.loop(zero, kb, dim, [&](Value kk) {
            Value k = e.min(dim, e.sub(kb, kk));
            Value accumulate = arith::OrIOp::create(builder, loc, e.ne0(k0),
                                                    e.ne0(kk));
            Value aStrip = e.add(spBase, e.mul(e.div(kk, dim), mt));
            Value bRow = e.add(e.add(bBase, e.mul(jStrip, kt)), kk);
            e.loop(zero, mb, dim, [&](Value ii) {
              Value m = e.min(dim, e.sub(mb, ii));
              Value cRow = e.add(e.add(accBase, e.mul(jStrip, mt)), ii);
              npu::MatmulOp::create(builder, loc, e.add(aStrip, ii), bRow,
                                    cRow, m, n, k, accumulate,
                                    /*transpose_a=*/false,
                                    /*transpose_b=*/false);
            });
          });
        });
      });
      // C block out, strip by strip.
      npu::ConfigStoreOp::create(builder, loc, cMat, npu::Activation::none,
                                 llvm::APFloat(1.0f));
      e.loop(zero, nb, dim, [&](Value jj) {
        Value row = e.add(accBase, e.mul(e.div(jj, dim), mt));
        npu::DmaOutAccOp::create(builder, loc, cMat,
                                 ValueRange{m0, e.add(n0, jj)}, row, mb,
                                 e.min(dim, e.sub(nb, jj)));
      });
    });
  });
  // The host may read C only after the last dma_out has landed.
  npu::FenceOp::create(builder, loc);
  op.erase();
  ++numMatmuls;
  return success();
}

} // namespace
