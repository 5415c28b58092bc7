//===- Passes.td - CPU code generation passes ---------------*- tablegen -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_PASSES_TD
#define YZ_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def YzConvsToMatmuls : Pass<"yz-convs-to-matmuls"> {
  let summary = "Rewrite convolutions as im2col copies and matmuls";
  let description = [{
    Rewrites each f32 `linalg.conv_2d_nchw_fchw` left on the CPU (its input
    already padded, its accumulator a zero fill) as a copy of the input
    windows into columns, `col[C*KH*KW, N*OH*OW]` (a `linalg.generic` whose
    input map is affine in its loops; skipped for a 1x1, stride-1 window
    over one image, where the input already is the columns), and a
    `linalg.matmul` of the reshaped filter `[F, C*KH*KW]` by the columns.
    The result is reshaped (one image) or transposed (several) back to
    NCHW. `yz-pack-matmuls` then treats the matmul like any other. Where a
    small plane would pad much as the product's N (`pixelsAsRows`: 49
    pixels to 64 at N0 = 32), the columns are copied as rows `[N*OH*OW,
    C*KH*KW]` and multiplied by the filter transposed, and the result is
    transposed back to NCHW (a 1x1 stride-1 conv's rows are its input
    transposed, which `yz-pack-matmuls` folds into the LHS pack).

    For one image, where the junk pixels cost less than the copy saves
    (`(WQ - OW) * (Fg + 12) <= 12 * OW`), the columns are shifted runs of
    the input instead: split into its stride phases (none for stride 1)
    with each phase's rows flattened (width WQ), column `(c, kh, kw)` is
    the run from `(kh*dh/sh)*WQ + kw*dw/sw` of phase `(kh*dh%sh, kw*dw%sw)`
    (the input padded with the rows the last run needs), the product runs
    over `OH*WQ` pixels rounded up to the register tile's N0, and a slice
    drops the `WQ - OW` junk pixels of each row. The copy into these
    columns folds into `yz-pack-matmuls`' RHS pack.

    Grouped f32 convolutions (`linalg.conv_2d_ngchw_gfchw`) become the
    same per group: columns `col[G, Cg*KH*KW, N*OH*OW]` and a
    `linalg.batch_matmul` over the groups of the filter `[G, Fg, Cg*KH*KW]`
    by them. Depthwise ones (one channel in and out per group), where the
    `cpu` has strided vectors (RVV), go to NHWC instead: the input and
    result are transposed, the filter becomes `[KH, KW, C]` (at compile
    time when constant), and the convolution a
    `linalg.depthwise_conv_2d_nhwc_hwc` marked `yz.depthwise_tile = [OW0,
    C0]`, the register tile `chooseDepthwiseTile` picks for the `cpu`
    description, for `yz-tile-and-vectorize` to vectorize over channels.
    Without strided vectors (x86) a depthwise convolution stays NCHW as
    one elementwise `linalg.generic` (a stencil) over the output whose
    inputs are the KH x KW shifted windows of the input (slices) and each
    tap's row of the `[KH, KW, C]` filter, summed by `math.fma`; the
    elementwise generic that reads its result (bias, activation) is fused
    into it. With strides, its input (when it fits in half of L2) is first
    split into its stride phases, so that every window is a unit-stride
    slice; such a stencil is marked `yz.row_vector = V`
    (`chooseRowVector`) for `yz-tile-and-vectorize`. Without strided
    vectors, max and sum pooling (`linalg.pooling_nchw_max/sum` into a
    fill, up to 64 taps) become the same stencil, combining the windows
    by `maximumf` (fastmath `nsz`) or `maxsi`, or by addition, and the
    fill's value unless it is the identity.

    An elementwise op on a stride-1 shifted-columns conv whose result is
    padded to rows of the product's width (the next 3 x 3 conv's input)
    then runs over the product's columns, writing the padded buffer at
    the offset of its pixel (0, 0), with the border filled after: the
    junk pixels land on it (`shiftedIntoPadding`).

    With `int8`, int8 convolutions (`linalg.conv_2d_nchw_fchw_q`, a
    constant zero weight zero point) are rewritten too, into an i8 x i8 ->
    i32 matmul whose accumulator starts at `-x_zp * sum_k w[f, k]` (the
    input zero point's share, so the matmul itself needs no zero points).
    yzc sets it where int8 matmuls have a strategy (`ime=1`).
  }];
  let options = [
    Option<"int8", "int8", "bool", /*default=*/"false",
           "Also rewrite int8 convolutions">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "The CPU description (see CpuTarget::parse)">,
  ];
  let statistics = [
    Statistic<"numRewritten", "convs-to-matmuls", "Convolutions rewritten">,
    Statistic<"numPaddedShifted", "padded-shifted",
              "Shifted-columns products written into the next pad">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def YzPackMatmuls : Pass<"yz-pack-matmuls"> {
  let summary = "Data-tile f32 matmuls into the mmt4d layout";
  let description = [{
    Rewrites each f32 `linalg.matmul` and `linalg.batch_matmul` left on the
    CPU as `linalg.pack` of both operands into panels (LHS M0 x 1, RHS
    N0 x 1, the "mmt4d" layout), a 6-D contraction over the panels and a
    `linalg.unpack`, with M0 x N0 the register tile that
    `chooseMatmulStrategy` picks for the `cpu` description (edges are padded
    with zeros). The contraction is marked `yz.matmul_strategy = [M0, N0,
    kc, nc]` for `yz-tile-and-vectorize`. Packs of constants (weights) are
    done here, at compile time. A copy feeding the RHS pack (a conv's
    shifted columns from `yz-convs-to-matmuls`) is folded into it: one copy
    writes the packed panels from its source. Where that source is small
    (one group's input fits in twice L1) and K is one cache block, there is
    no packed copy at all: the contraction becomes a `linalg.generic` over
    [batch,] M1, N1, the K dimensions but the channel, M0, N0 and the
    channel, reading the RHS rows from the input through the copy's map.
    A `linalg.transpose` feeding a pack is folded into it.

    With `ime=1` in the description, int8 matmuls (i8 x i8 -> i32) are
    packed too, into 4R x 8 LHS and 4C x 8 RHS blocks of SpacemiT IME
    tiles (`chooseImeTile`; K padded to a multiple of 8 with zeros), as a
    `linalg.mmt4d` (or `linalg.batch_mmt4d`) marked `yz.ime_tile = [R, C]`
    for `yz-ime-matmuls`.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "The CPU description (see CpuTarget::parse)">,
  ];
  let statistics = [
    Statistic<"numPacked", "packed-matmuls", "Matmuls data-tiled">,
    Statistic<"numFoldedPacks", "folded-packs", "Packs of constants folded">,
    Statistic<"numInPlace", "columns-in-place",
              "Packed products reading their RHS rows in place">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def YzImeMatmuls : Pass<"yz-ime-matmuls"> {
  let summary = "Lower IME-tiled int8 matmuls to smt.vmadot loops";
  let description = [{
    Lowers each bufferized `linalg.mmt4d` / `linalg.batch_mmt4d` marked
    `yz.ime_tile = [R, C]` by `yz-pack-matmuls` to loops over the blocks of
    the result: the R x C int32 accumulator tiles are read into the
    register pairs v0..v(2RC-1) (or start at zero, replacing a zero fill
    of the result just before), then each step of K loads the LHS block
    (4R x 8 int8) into v24.. and the RHS block (4C x 8) into v28.. and
    multiplies them with R x C `smt.vmadot` instructions (one inline
    assembly block per step: stock LLVM 22 assembles xsmtvdot), and the
    tiles are written back. docs/ime.md has the instructions' semantics.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def YzTileAndVectorize : Pass<"yz-tile-and-vectorize"> {
  let summary = "Tile packed matmuls for the caches and registers; vectorize";
  let description = [{
    Tiles each contraction marked by `yz-pack-matmuls` with upstream
    TilingInterface tiling: first into cache blocks (nc RHS panels, kc steps
    of K), then into one register tile per step of K (the N panel loop outside
    the M panel loop where a K block's RHS panel fits in half of L1, so it
    stays there), and vectorizes that
    tile with the linalg vectorizer into a `vector.contract` of M0 x 1 by
    1 x N0, an outer product. When K is one cache block and the result is
    a zero fill, the accumulators start at zero in registers and the fill
    goes. A product unpacked to its result is not: each tile is stored in
    place in the unpacked layout, or transposed where the unpack
    transposes (pixels as rows back to NCHW, K in one block). Then an
    elementwise consumer of the product (bias, activation,
    residual add: a `linalg.generic` reading it through reshapes, its
    other operands of the result's shape or broadcasts along its rows or
    columns) is rewritten over the packed result's layout and fused into
    every level of loops, down to the register tile's: applied on the
    accumulators after the K loop, so the product is never stored (not
    where K is in several blocks, where the result is padded, or where a
    partial last tile would need padding of an operand). Packs and unpacks
    are lowered to pad/reshape/transpose. A pad of an op's result (a pack's padding of the
    im2col columns, a conv's padded input) becomes that op writing into the
    padded tensor's interior, with only the border filled. A tensor copy
    (the end of a lowered unpack) is replaced by its source. A run-time
    pack of a matmul's RHS whose result would not fit in L2 is fused into
    the N-block loop (with `parallel`, where there are 8 blocks or more:
    then the tasks are the N blocks): each block packs what it reads into
    a buffer of the block's size.

    A depthwise stencil marked `yz.row_vector = V` by
    `yz-convs-to-matmuls`, and an elementwise op writing rows into a
    padded input (the `cpu`'s vector length), are tiled into one
    point of their outer loops by V of the innermost and vectorized, a
    row's last vector masked where V does not divide its length; with
    `parallel`, their outer loops but the rows' (images and channels) are
    an `scf.forall`.

    With `parallel`, the batch and N-block loops (with fewer than 8 N
    blocks, the LHS-panel loop too) are one `scf.forall` (they are
    independent), outside the K blocks, for the runtime's threads (yzc
    --threads); the N blocks are made smaller where that shares them more
    evenly among `threads` threads.
  }];
  let options = [
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Tile the batch, N blocks (and LHS panels) with scf.forall">,
    Option<"threads", "threads", "int64_t", /*default=*/"2",
           "With parallel: the threads the N blocks are balanced for">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "The CPU description (see CpuTarget::parse)">,
  ];
  let statistics = [
    Statistic<"numPackedInBlocks", "packed-in-blocks",
              "Run-time RHS packs computed block by block">,
    Statistic<"numFusedEpilogues", "fused-epilogues",
              "Elementwise consumers applied on the register tiles">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def YzOptimizeVectors : Pass<"yz-optimize-vectors"> {
  let summary = "Keep accumulators in registers; lower contractions to FMAs";
  let description = [{
    After bufferization (the accumulators were hoisted out of the K loop by
    `yz-tile-and-vectorize`), first erases buffers that are only written,
    and their writes (upstream `memref::eraseDeadAllocAndStores`: a product
    whose epilogue was fused into its register tiles); then lowers the vector ops the vectorizer made into what LLVM maps onto the vector
    unit: contractions into outer products and those into one FMA of a
    broadcast scalar by a vector per accumulator row (RVV `vfmacc.vf`, x86
    `vfmadd231ps` with a broadcast operand), N-D transfers into 1-D loads
    and stores. K loops run two steps per iteration; with `load-ahead=1` in
    the `cpu` description they are software-pipelined first (upstream
    `scf::pipelineForLoop`) so that each step loads the next one's RHS row;
    with `prefetch-panels=1` (x86 hosts) each also prefetches the constant
    RHS block read after its own, spread over its M tiles.
    Without `strided-vectors` (x86), a read at a stride of 2 (a stride-2
    depthwise stencil's window row) becomes a masked read of twice the
    elements at unit stride and a `vector.deinterleave`, not a gather.
    Elementwise ops on transposed vectors (a register tile stored
    transposed, with its epilogue) move before the transpose (upstream's
    sink patterns), and with `shuffle-transposes` (x86) a transpose is
    one shuffle of the flattened vector, lowered by LLVM to two-source
    permutes; without (RVV) its lanes move one by one.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "The CPU description (see CpuTarget::parse)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def YzCollapseInnerLoops : Pass<"yz-collapse-inner-loops"> {
  let summary = "Merge a generic's short innermost loop with the loops around it";
  let description = [{
    For each `linalg.generic` on tensors (not one a later pass lowers by
    its attributes, nor one whose result is the function's, nor one with
    rows of 56 or more that reads or writes a slice, which the reshapes
    would copy, nor a stencil: two or more slices of one tensor, such as a
    depthwise convolution's windows), drops its unit
    dimensions (upstream `populateFoldUnitExtentDimsPatterns`: a bias read
    as [1, C, 1, 1] at (n, c, 0, 0) becomes [C] at (c)), then merges its
    innermost dimension with the dimensions around it while that loop has
    fewer than `min-trip` iterations and the merged dimensions are
    contiguous, in order, in every operand (upstream
    `collapseOpIterationDims`; the operands are reshaped). An NCHW
    elementwise op or a global pool then runs one loop over H x W rather
    than W-long loops, which LLVM vectorizes badly: it unrolls a short W
    loop whole and vectorizes the loop around it with gathers and scatters. The outer loops stay, so
    `yz-parallelize-nests` still splits the nest over them.
  }];
  let options = [
    Option<"minTrip", "min-trip", "int64_t", /*default=*/"1024",
           "Merge while the innermost loop is shorter than this">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def YzApproximateMath : Pass<"yz-approximate-math"> {
  let summary = "f32 exp, tanh, erf and log as polynomials";
  let description = [{
    Rewrites f32 (scalar and vector) `math.exp`, `tanh`, `erf` and `log`
    into upstream MLIR's polynomial approximations: plain arithmetic, which
    LLVM vectorizes with the loop around it. `log` scales subnormal inputs
    into the normal range first (the approximation would flush them). Left alone they become calls of libm's scalar functions,
    which keep a SiLU, sigmoid, GELU or softmax loop scalar (a fifth of
    EfficientNet-B0's time on x86 went to `expf`). Other element types and
    math ops are left to libm.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def YzOutlineLoopNests : Pass<"yz-outline-loop-nests", "::mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest into a function of its own";
  let description = [{
    After linalg ops are loops on buffers, moves each op with regions at the
    top of a function (a layer's loop nest) into a new private, `no_inline`
    function `<name>_nest<i>` and calls it. Constants, views and globals'
    addresses the nest uses are recomputed inside; buffers are passed
    (those the model allocates marked `llvm.noalias`). Nests that would
    need a buffer with a non-identity layout passed stay where they are.
    This keeps LLVM's per-loop analyses, whose cost grows with the size of
    the enclosing function, fast on large models.
  }];
  let statistics = [
    Statistic<"numOutlined", "outlined-nests", "Loop nests outlined">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def YzParallelizeNests : Pass<"yz-parallelize-nests", "::mlir::ModuleOp"> {
  let summary = "Run outlined loop nests on the runtime's threads";
  let description = [{
    With `threads` > 1: each function `yz-outline-loop-nests` made whose
    nest is one `scf.parallel` (with `min-iterations` loop iterations in
    all) becomes tasks over its outer dimensions (the fewest whose
    iterations number at least 4 per thread; the rest stay loops inside;
    a first dimension of more than 64 per thread is cut into chunks, 4 per
    thread):
    a `func.func @<nest>_body(buffers..., i)` running task i (its buffers
    keep the nest's `llvm.noalias`, so LLVM vectorizes without overlap
    checks), an `llvm.func @<nest>_task(ctx, i)` calling it, and in the nest
    a call of the runtime's `yz_parallel_for(threads, tasks, task, ctx)`
    with the buffers' addresses in `ctx` (the task rebuilds their
    descriptors from their static shapes). Nests that use the NPU or call functions stay
    sequential. With `threads` = 1 nothing changes: no thread machinery.
  }];
  let options = [
    Option<"threads", "threads", "int", /*default=*/"1",
           "Threads the model runs on by default">,
    Option<"minIterations", "min-iterations", "int64_t", /*default=*/"1024",
           "Smallest nest worth the threads (loop iterations, all levels, "
           "each weighted by its body's operations / 4)">,
  ];
  let statistics = [
    Statistic<"numParallel", "parallel-nests", "Nests made parallel tasks">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::func::FuncDialect"];
}

def YzCastsWithoutRtz : Pass<"yz-casts-without-rtz"> {
  let summary = "riscv64: float-to-int casts without RVV round-toward-zero";
  let description = [{
    Rewrites LLVM dialect `fptosi` (to any width) and `fptoui` (narrower
    than 64 bits) from f32/f64 as `llvm.intr.llrint` (round to nearest)
    followed by a step of one toward zero where rounding went past the
    value: the same result for every value in range. LLVM vectorizes the
    plain casts into RVV `v*cvt.rtz.*` instructions, which qemu 7.2 (Debian
    12's, which runs the riscv64 tests) aborts on; the rewritten casts
    vectorize into `vfcvt.x.f.v`, at the cost of a few compares per vector.
    yzc runs it for riscv64 only.
  }];
  let statistics = [
    Statistic<"numRewritten", "rewritten-casts", "Casts rewritten">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // YZ_CPU_PASSES_TD
