//===- LowerConvs.cpp - npu.conv2d -> its NPU program ---------------------===//
//
// Part of Yizhuang. An implicit GEMM: C[pixels x F] = A[pixels x K] * W[K x
// F], K in (kh, kw, c) order, with A never materialized. A is read in
// strips of at most DIM columns of K: strip t is, for one kh, DIM
// consecutive elements of the padded NHWC input's row segment (kw, c) -
// with dilation 1 along W that run is contiguous, so channels of several
// kw share a strip (a 7x7 conv over 3 channels needs 2 strips per kh, not
// 7). For the output pixels of one output row, the strip's rows are one
// DMA with row stride stride_w * C. W's rows for strip t are contiguous.
//
// Blocks (pixels, channels, strips) and their double buffering follow the
// matmul program (convert-linalg-to-npu): block b + 1 is loaded in slices while
// block b computes; C lives in accumulator half (m, n) % 2. int8: next to
// C, its epilogue rows (per DIM channels: f32 scales, i32 biases), which
// dma_out.q applies on the way out. bf16: C starts as the biases (a DMA
// whose source rows are all the bias vector: row stride 0), every matmul
// accumulates, and dma_out.acc applies the activation.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Npu/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/Dialect/Npu/Transforms/ProgramEmitter.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZLOWERNPUCONVS
#include "yz/Dialect/Npu/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

/// Replaces the memref form of `op` with its NPU program.
static LogicalResult lowerConv(npu::Conv2DOp op,
                               const ::yz::npu::Target &target,
                               bool doubleBuffer) {
  if (op.getNumResults() != 0)
    return op.emitError("npu.conv2d is lowered after bufferization: expected "
                        "memref operands");
  Value x = op.getInput(), w = op.getWeights(), epi = op.getEpilogue(),
        y = op.getInit();
  auto xType = cast<MemRefType>(x.getType());
  auto yType = cast<MemRefType>(y.getType());
  if (!xType.getLayout().isIdentity() || !yType.getLayout().isIdentity())
    return op.emitError("npu.conv2d needs identity-layout input and output");
  int64_t d = target.dim;
  int64_t hp = xType.getDimSize(1), wp = xType.getDimSize(2),
          c = xType.getDimSize(3);
  int64_t oh = yType.getDimSize(1), ow = yType.getDimSize(2),
          f = yType.getDimSize(3);
  int64_t kh = op.getKernel()[0], kw = op.getKernel()[1];
  int64_t sh = op.getStrides()[0], sw = op.getStrides()[1];
  int64_t dh = op.getDilations()[0], dw = op.getDilations()[1];
  int64_t pixels = yType.getDimSize(0) * oh * ow;
  bool bf16 = xType.getElementType().isF32();

  // Strips: per kh, the (kw, c) run in DIM pieces (dilation 1 along W), or
  // per (kh, kw), C in DIM pieces.
  bool runs = dw == 1;
  int64_t rowLen = runs ? kw * c : c;
  int64_t perRow = (rowLen + d - 1) / d;
  int64_t perKh = runs ? perRow : kw * perRow;
  int64_t strips = kh * perKh;

  MatmulBlocks blk = chooseMatmulBlocks(target, pixels, f, strips * d,
                                        doubleBuffer,
                                        /*extraAccRowsPerStrip=*/bf16 ? 0 : 2);
  int64_t ks = blk.k / d; // strips per block
  int64_t numM = (pixels + blk.m - 1) / blk.m, numN = (f + blk.n - 1) / blk.n,
          numK = (strips + ks - 1) / ks;

  OpBuilder b(op);
  Location loc = op.getLoc();
  Emitter e{b, loc};
  npu::ConfigTargetOp::create(b, loc);
  npu::ConfigExecOp::create(b, loc,
                            bf16 ? npu::DataType::bf16 : npu::DataType::i8);

  // Views the DMAs address: A rows (pixels along W) at stride sw * C, the
  // output as [pixels, F].
  auto aViewType = MemRefType::get(
      {1, d}, xType.getElementType(),
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic,
                             {sw * c, 1}));
  auto aView = [&](Value offset) {
    return memref::ReinterpretCastOp::create(
        b, loc, aViewType, x, OpFoldResult(offset),
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(d)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(sw * c), b.getIndexAttr(1)});
  };
  Value y2 = memref::CollapseShapeOp::create(
      b, loc, y, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});

  Value zero = e.c(0), one = e.c(1), dim = e.c(d), mt = e.c(blk.m),
        cV = e.c(c);
  Value epiOffset = e.c(blk.n / d * blk.m); // epilogue rows after C

  // Blocks over (pixels, channels, strips); K counts strips.
  struct Block : GridBlock {
    Value nStrips; // DIM-wide channel strips in the block
  };
  BlockGrid grid{pixels, f, strips, blk.m, blk.n, ks, blk.spHalf,
                 blk.accHalf, ks * blk.m, doubleBuffer};
  auto block = [&](Value bi) {
    Block r{grid.at(e, bi), {}};
    r.nStrips = e.div(e.add(r.nb, e.c(d - 1)), dim);
    return r;
  };
  // Strip t: its kh, its element offset within the kh row segment of the
  // input, its columns, and its first row of W.
  struct Strip {
    Value ki, offset, cols, wRow;
  };
  auto strip = [&](Value t) {
    Strip s;
    s.ki = e.div(t, e.c(perKh));
    Value r = e.rem(t, e.c(perKh));
    Value kj = runs ? zero : e.div(r, e.c(perRow));
    Value e0 = e.mul(runs ? r : e.rem(r, e.c(perRow)), dim);
    s.cols = e.min(dim, e.sub(e.c(rowLen), e0));
    s.offset = e.add(e.mul(kj, e.c(dw * c)), e0);
    s.wRow = e.add(e.mul(s.ki, e.c(kw * c)), e.add(e.mul(kj, cV), e0));
    return s;
  };
  auto nCols = [&](const Block &blkv, Value j) {
    return e.min(dim, e.sub(blkv.nb, e.mul(j, dim)));
  };
  auto epiRow = [&](const Block &blkv, Value j) {
    return e.add(e.add(blkv.accBase, epiOffset), e.mul(j, e.c(2)));
  };

  // A strips [a0, a1) of block x: one DMA per output row the block touches.
  auto loadA = [&](const Block &x, Value a0, Value a1) {
    e.when(e.ult(a0, a1), [&] {
      npu::ConfigLoadOp::create(b, loc, aView(zero), /*to_acc=*/false);
      Value rFirst = e.div(x.m0, e.c(ow));
      Value rEnd = e.add(e.div(e.sub(e.add(x.m0, x.mb), one), e.c(ow)), one);
      e.loop(a0, a1, one, [&](Value tl) {
        Strip s = strip(e.add(x.k0, tl));
        Value spRow = e.add(x.spBase, e.mul(tl, mt));
        e.loop(rFirst, rEnd, one, [&](Value r) {
          Value pStart = e.max(x.m0, e.mul(r, e.c(ow)));
          Value pEnd = e.min(e.add(x.m0, x.mb), e.mul(e.add(r, one), e.c(ow)));
          Value img = e.div(r, e.c(oh)), ohI = e.rem(r, e.c(oh));
          Value owI = e.sub(pStart, e.mul(r, e.c(ow)));
          Value ih = e.add(e.mul(ohI, e.c(sh)), e.mul(s.ki, e.c(dh)));
          Value pixel = e.add(e.mul(e.add(e.mul(img, e.c(hp)), ih), e.c(wp)),
                              e.mul(owI, e.c(sw)));
          Value offset = e.add(e.mul(pixel, cV), s.offset);
          npu::DmaInOp::create(b, loc, aView(offset), ValueRange{zero, zero},
                               e.add(spRow, e.sub(pStart, x.m0)),
                               e.sub(pEnd, pStart), s.cols);
        });
      });
    });
  };
  // B units [u0, u1) of block x: unit u is (channel strip u / tb, strip
  // u % tb), one DMA of the strip's W rows.
  auto loadB = [&](const Block &x, Value u0, Value u1) {
    e.when(e.ult(u0, u1), [&] {
      npu::ConfigLoadOp::create(b, loc, w, /*to_acc=*/false);
      e.loop(u0, u1, one, [&](Value u) {
        Value j = e.div(u, x.kb), tl = e.rem(u, x.kb);
        Strip s = strip(e.add(x.k0, tl));
        Value row =
            e.add(x.bBase, e.add(e.mul(j, e.c(ks * d)), e.mul(tl, dim)));
        npu::DmaInOp::create(b, loc, w,
                             ValueRange{s.wRow, e.add(x.n0, e.mul(j, dim))},
                             row, s.cols, nCols(x, j));
      });
    });
  };
  // The epilogue of block x's channels, before its first strips: int8, its
  // rows beside C; bf16, the biases as C's initial rows.
  Value biasRows;
  if (bf16)
    biasRows = memref::ReinterpretCastOp::create(
        b, loc,
        MemRefType::get({blk.m, f}, b.getF32Type(),
                        StridedLayoutAttr::get(b.getContext(), 0, {0, 1})),
        epi, OpFoldResult(b.getIndexAttr(0)),
        ArrayRef<OpFoldResult>{b.getIndexAttr(blk.m), b.getIndexAttr(f)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(1)});
  auto loadEpilogue = [&](const Block &x) {
    e.when(e.eq(x.kIndex, zero), [&] {
      npu::ConfigLoadOp::create(b, loc, bf16 ? biasRows : epi,
                                /*to_acc=*/true);
      e.loop(zero, x.nStrips, one, [&](Value j) {
        SmallVector<Value, 2> at = {zero, e.add(x.n0, e.mul(j, dim))};
        if (bf16)
          npu::DmaInAccOp::create(b, loc, biasRows, at,
                                  e.add(x.accBase, e.mul(j, mt)), x.mb,
                                  nCols(x, j));
        else
          npu::DmaInAccOp::create(b, loc, epi, at, epiRow(x, j), e.c(2),
                                  nCols(x, j));
      });
    });
  };
  auto bUnits = [&](const Block &x) { return e.mul(x.nStrips, x.kb); };
  auto load = [&](const Block &x) {
    loadEpilogue(x);
    loadA(x, zero, x.kb);
    loadB(x, zero, bUnits(x));
  };

  // For each channel strip j and K strip tl, the B tile stays in the array
  // across the pixel tiles ii. `prefetch(slice, slices)` issues a share of
  // the next block's loads per (j, tl), so the load queue never starves
  // the array.
  auto compute = [&](const Block &x,
                     function_ref<void(Value, Value)> prefetch) {
    Value slices = bUnits(x);
    e.loop(zero, x.nStrips, one, [&](Value j) {
      Value n = nCols(x, j);
      e.loop(zero, x.kb, one, [&](Value tl) {
        if (prefetch)
          prefetch(e.add(e.mul(j, x.kb), tl), slices);
        Strip s = strip(e.add(x.k0, tl));
        Value accumulate =
            bf16 ? Value(arith::ConstantOp::create(b, loc, b.getBoolAttr(true)))
                 : Value(arith::OrIOp::create(b, loc, e.ne0(x.kIndex),
                                              e.ne0(tl)));
        Value aRow = e.add(x.spBase, e.mul(tl, mt));
        Value bRow =
            e.add(x.bBase, e.add(e.mul(j, e.c(ks * d)), e.mul(tl, dim)));
        e.loop(zero, x.mb, dim, [&](Value ii) {
          Value m = e.min(dim, e.sub(x.mb, ii));
          Value cRow = e.add(e.add(x.accBase, e.mul(j, mt)), ii);
          npu::MatmulOp::create(b, loc, e.add(aRow, ii), bRow, cRow, m, n,
                                s.cols, accumulate, /*transpose_a=*/false,
                                /*transpose_b=*/false);
        });
      });
    });
  };
  auto store = [&](const Block &x) {
    e.loop(zero, x.nStrips, one, [&](Value j) {
      SmallVector<Value, 2> at = {x.m0, e.add(x.n0, e.mul(j, dim))};
      Value row = e.add(x.accBase, e.mul(j, mt));
      if (bf16) {
        npu::ConfigStoreOp::create(b, loc, y2, /*scale_row=*/Value(),
                                   op.getActivation(), llvm::APFloat(1.0f));
        npu::DmaOutAccOp::create(b, loc, y2, at, row, x.mb, nCols(x, j));
        return;
      }
      npu::ConfigStoreOp::create(b, loc, y2, epiRow(x, j),
                                 npu::Activation::none, llvm::APFloat(1.0f),
                                 op.getZeroPointAttr().getInt(),
                                 op.getClampMinAttr().getInt(),
                                 op.getClampMaxAttr().getInt());
      npu::DmaOutQOp::create(b, loc, y2, at, row, x.mb, nCols(x, j));
    });
  };

  emitBlockPipeline(
      e, numM * numN * numK, numK, doubleBuffer, block, load, compute,
      [&](const Block &nx, Value slice, Value slices) {
        e.when(e.eq(slice, zero), [&] { loadEpilogue(nx); });
        auto [a0, a1] = e.share(slice, slices, nx.kb);
        auto [u0, u1] = e.share(slice, slices, bUnits(nx));
        loadA(nx, a0, a1);
        loadB(nx, u0, u1);
      },
      store);
  npu::FenceOp::create(b, loc);
  op.erase();
  return success();
}

namespace {

struct LowerNpuConvsPass
    : mlir::yz::impl::YzLowerNpuConvsBase<LowerNpuConvsPass> {
  using YzLowerNpuConvsBase::YzLowerNpuConvsBase;

  void runOnOperation() override {
    SmallVector<npu::Conv2DOp> convs;
    getOperation().walk([&](npu::Conv2DOp op) { convs.push_back(op); });
    if (convs.empty())
      return;
    npu::TargetAttr targetAttr = npu::lookupTarget(getOperation());
    if (!targetAttr) {
      convs.front()->emitError("npu.conv2d needs the module's npu.target");
      return signalPassFailure();
    }
    ::yz::npu::Target target = npu::toTarget(targetAttr);
    for (npu::Conv2DOp op : convs) {
      if (failed(lowerConv(op, target, doubleBuffer)))
        return signalPassFailure();
      ++numConvs;
    }
  }
};

} // namespace
