//===- LinalgToNpu.cpp - offload matmuls to the NPU -----------------------===//
//
// Part of Yizhuang.
//
// The program for C[M x N] = A[M x K] * B[K x N], blocks (Mt, Nt, Kt),
// block b = (m, n, k) in row-major order:
//
//   config.target; config.exec
//   load(0)                                   (double buffering only)
//   for b in blocks:
//     (single buffering: load(b))
//     compute(b): for jj, kk, ii (DIM steps):
//       [per jj: a slice of load(b + 1) into the other half]
//       matmul A(ii, kk) x B(kk, jj) -> C(ii, jj)   (ii innermost: the B
//       tile stays in the array; k > 0 accumulates)
//     if b is its (m, n)'s last K block: store C(m, n)
//   fence
//
// load(b): A -> Kt/DIM strips of Mt rows (strip kk holds A[m0.., k0+kk..]),
//          B -> Nt/DIM strips of Kt rows (strip jj holds B[k0.., n0+jj..]),
//          in scratchpad half b % 2; C(m, n) lives in accumulator half
//          (m, n) % 2.
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/LinalgToNpu/LinalgToNpu.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/Capability.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "yz/Dialect/Npu/Transforms/ProgramEmitter.h"

namespace mlir::yz {
#define GEN_PASS_DEF_CONVERTLINALGTONPU
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

struct ConvertLinalgToNpuPass
    : mlir::yz::impl::ConvertLinalgToNpuBase<ConvertLinalgToNpuPass> {
  using ConvertLinalgToNpuBase::ConvertLinalgToNpuBase;

  LogicalResult offload(linalg::MatmulOp op, const ::yz::npu::Target &target);
  LogicalResult offload(linalg::BatchMatmulOp op,
                        const ::yz::npu::Target &target);

  void runOnOperation() override {
    npu::TargetAttr targetAttr = npu::lookupTarget(getOperation());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      auto placement = op->getAttrOfType<StringAttr>(kPlacementAttr);
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) && placement &&
          placement.getValue() == "npu")
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    if (!targetAttr) {
      ops.front()->emitError("placed on the NPU, but the module has no "
                             "npu.target");
      return signalPassFailure();
    }
    ::yz::npu::Target target = npu::toTarget(targetAttr);
    for (Operation *op : ops) {
      LogicalResult result = failure();
      if (auto batched = dyn_cast<linalg::BatchMatmulOp>(op))
        result = offload(batched, target);
      else
        result = offload(cast<linalg::MatmulOp>(op), target);
      if (failed(result))
        return signalPassFailure();
    }
  }
};

/// A, B and C of a bufferized (batch) matmul of static shapes.
static FailureOr<std::array<Value, 3>> matmulBuffers(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return op->emitError("NPU offload runs after bufferization: expected "
                         "memref operands");
  std::array<Value, 3> buffers = {op.getDpsInputs()[0], op.getDpsInputs()[1],
                                  op.getDpsInits()[0]};
  for (Value v : buffers)
    if (!cast<MemRefType>(v.getType()).hasStaticShape())
      return op->emitError("NPU offload needs static shapes");
  return buffers;
}

LogicalResult ConvertLinalgToNpuPass::offload(linalg::MatmulOp op,
                                              const ::yz::npu::Target &target) {
  auto buffers = matmulBuffers(op);
  if (failed(buffers))
    return failure();
  Value a = (*buffers)[0], bMat = (*buffers)[1], cMat = (*buffers)[2];
  auto aType = cast<MemRefType>(a.getType());
  auto bType = cast<MemRefType>(bMat.getType());
  auto cType = cast<MemRefType>(cMat.getType());
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
  int64_t numM = (M + blk.m - 1) / blk.m, numN = (N + blk.n - 1) / blk.n,
          numK = (K + blk.k - 1) / blk.k;

  OpBuilder builder(op);
  Emitter e{builder, op.getLoc()};
  Location loc = op.getLoc();
  npu::ConfigTargetOp::create(builder, loc);
  npu::ConfigExecOp::create(builder, loc, dataType);

  Value zero = e.c(0), one = e.c(1), dim = e.c(d), mt = e.c(blk.m),
        kt = e.c(blk.k);

  // Block b (row-major over m, n, then k) and where it lives.
  using Block = GridBlock;
  BlockGrid grid{M, N, K, blk.m, blk.n, blk.k, blk.spHalf, blk.accHalf,
                 blk.k / d * blk.m, doubleBuffer};
  auto block = [&](Value b) { return grid.at(e, b); };
  // A block: Kt/DIM strips of Mt rows; B block: Nt/DIM strips of Kt rows.
  // loadStrips issues A strips [a0, a1) and B strips [b0, b1) of block x.
  auto loadStrips = [&](const Block &x, Value a0, Value a1, Value b0,
                        Value b1) {
    npu::ConfigLoadOp::create(builder, loc, a, /*to_acc=*/false);
    e.loop(a0, a1, one, [&](Value strip) {
      Value kk = e.mul(strip, dim);
      npu::DmaInOp::create(builder, loc, a, ValueRange{x.m0, e.add(x.k0, kk)},
                           e.add(x.spBase, e.mul(strip, mt)), x.mb,
                           e.min(dim, e.sub(x.kb, kk)));
    });
    npu::ConfigLoadOp::create(builder, loc, bMat, /*to_acc=*/false);
    e.loop(b0, b1, one, [&](Value strip) {
      Value jj = e.mul(strip, dim);
      npu::DmaInOp::create(builder, loc, bMat,
                           ValueRange{x.k0, e.add(x.n0, jj)},
                           e.add(x.bBase, e.mul(strip, kt)), x.kb,
                           e.min(dim, e.sub(x.nb, jj)));
    });
  };
  auto strips = [&](Value size) { return e.div(e.add(size, e.c(d - 1)), dim); };
  auto load = [&](const Block &x) {
    loadStrips(x, zero, strips(x.kb), zero, strips(x.nb));
  };
  // Tiles: the B tile (kk, jj) stays in the array across ii. `prefetch`
  // (if any) is issued in slices, one per jj iteration: the host issues in
  // order, and a whole block of DMAs at once would fill the load queue and
  // leave the array without work.
  auto compute = [&](const Block &x, function_ref<void(Value, Value)> prefetch) {
    e.loop(zero, x.nb, dim, [&](Value jj) {
      Value n = e.min(dim, e.sub(x.nb, jj));
      Value jStrip = e.div(jj, dim);
      if (prefetch)
        prefetch(jStrip, strips(x.nb));
      e.loop(zero, x.kb, dim, [&](Value kk) {
        Value k = e.min(dim, e.sub(x.kb, kk));
        Value accumulate =
            arith::OrIOp::create(builder, loc, e.ne0(x.k0), e.ne0(kk));
        Value aStrip = e.add(x.spBase, e.mul(e.div(kk, dim), mt));
        Value bRow = e.add(e.add(x.bBase, e.mul(jStrip, kt)), kk);
        e.loop(zero, x.mb, dim, [&](Value ii) {
          Value m = e.min(dim, e.sub(x.mb, ii));
          Value cRow = e.add(e.add(x.accBase, e.mul(jStrip, mt)), ii);
          npu::MatmulOp::create(builder, loc, e.add(aStrip, ii), bRow, cRow,
                                m, n, k, accumulate, /*transpose_a=*/false,
                                /*transpose_b=*/false);
        });
      });
    });
  };
  // C block out, strip by strip, after its last K block.
  auto store = [&](const Block &x) {
    npu::ConfigStoreOp::create(builder, loc, cMat, /*scale_row=*/Value(),
                               npu::Activation::none,
                               llvm::APFloat(1.0f));
    e.loop(zero, x.nb, dim, [&](Value jj) {
      Value row = e.add(x.accBase, e.mul(e.div(jj, dim), mt));
      npu::DmaOutAccOp::create(builder, loc, cMat,
                               ValueRange{x.m0, e.add(x.n0, jj)}, row, x.mb,
                               e.min(dim, e.sub(x.nb, jj)));
    });
  };
  emitBlockPipeline(
      e, numM * numN * numK, numK, doubleBuffer, block, load, compute,
      [&](const Block &y, Value slice, Value slices) {
        // A share of each of the next block's A and B strips.
        auto [a0, a1] = e.share(slice, slices, strips(y.kb));
        auto [b0, b1] = e.share(slice, slices, strips(y.nb));
        loadStrips(y, a0, a1, b0, b1);
      },
      store);
  // The host may read C only after the last dma_out has landed.
  npu::FenceOp::create(builder, loc);
  op.erase();
  ++numMatmuls;
  return success();
}

/// A batch of matmuls: a loop over the batch, each one the 2-D program on
/// that batch's slices (strided views; the DMAs read their offsets).
LogicalResult
ConvertLinalgToNpuPass::offload(linalg::BatchMatmulOp op,
                                const ::yz::npu::Target &target) {
  auto buffers = matmulBuffers(op);
  if (failed(buffers))
    return failure();
  Value a = (*buffers)[0], bMat = (*buffers)[1], cMat = (*buffers)[2];
  OpBuilder builder(op);
  Location loc = op.getLoc();
  Emitter e{builder, loc};
  int64_t batch = cast<MemRefType>(a.getType()).getDimSize(0);
  auto loop = scf::ForOp::create(builder, loc, e.c(0), e.c(batch), e.c(1));
  builder.setInsertionPoint(loop.getBody()->getTerminator());
  Value iv = loop.getInductionVar();
  auto slice = [&](Value m) -> Value {
    auto type = cast<MemRefType>(m.getType());
    SmallVector<OpFoldResult> offsets = {iv, builder.getIndexAttr(0),
                                         builder.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {
        builder.getIndexAttr(1), builder.getIndexAttr(type.getDimSize(1)),
        builder.getIndexAttr(type.getDimSize(2))};
    SmallVector<OpFoldResult> strides(3, builder.getIndexAttr(1));
    auto sliceType = memref::SubViewOp::inferRankReducedResultType(
        {type.getDimSize(1), type.getDimSize(2)}, type, offsets, sizes,
        strides);
    return memref::SubViewOp::create(builder, loc, cast<MemRefType>(sliceType),
                                     m, offsets, sizes, strides);
  };
  auto matmul = linalg::MatmulOp::create(
      builder, loc, ValueRange{slice(a), slice(bMat)}, ValueRange{slice(cMat)});
  op.erase();
  ++numBatched;
  return offload(matmul, target);
}

} // namespace
