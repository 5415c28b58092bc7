// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=4096" --yz-tile-and-vectorize --canonicalize | FileCheck %s
// After bufferization, the kernel is one FMA per accumulator row:
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=4096" --yz-tile-and-vectorize --canonicalize --one-shot-bufferize --yz-optimize-vectors --canonicalize | FileCheck %s --check-prefix=FMA
// With load-ahead (in-order cores such as the SpacemiT X60), the K loop is
// software-pipelined: each iteration loads the next step's RHS row.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=4096" --yz-tile-and-vectorize --canonicalize --one-shot-bufferize --yz-optimize-vectors="cpu=load-ahead=1" --canonicalize | FileCheck %s --check-prefix=AHEAD
// RUN: not yz-opt %s --yz-optimize-vectors="cpu=load-ahead=2" 2>&1 | FileCheck %s --check-prefix=BADCPU
// parallel (yzc --threads): the LHS panels and N blocks (of one RHS panel
// here) are an scf.forall outside the K blocks, each task a tile of the result.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=4096" --yz-tile-and-vectorize=parallel=true --canonicalize | FileCheck %s --check-prefix=PARALLEL
// The N blocks are balanced for the threads: 18 panels in 9 blocks of 2
// (L2 holds 2) would leave one of two threads idle at the end; blocks of
// 1 share evenly. Three threads share the 9 blocks evenly.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=24576" --yz-tile-and-vectorize="parallel=true threads=2" --canonicalize | FileCheck %s --check-prefix=BALANCE2
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=24576" --yz-tile-and-vectorize="parallel=true threads=3" --canonicalize | FileCheck %s --check-prefix=BALANCE3
// With parallel on one thread the blocks are tasks all the same, as sized
// for L2.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=24576" --yz-tile-and-vectorize="parallel=true threads=1" --canonicalize | FileCheck %s --check-prefix=BALANCE1
// BALANCE1-LABEL: func.func @mm_odd_blocks
// BALANCE1: scf.forall (%{{.*}}) = (0) to (18) step (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x18x16xf32>)
// BALANCE2-LABEL: func.func @mm_odd_blocks
// BALANCE2: scf.forall (%{{.*}}) in (18) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x18x16xf32>)
// BALANCE3-LABEL: func.func @mm_odd_blocks
// BALANCE3: scf.forall (%{{.*}}) = (0) to (18) step (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x18x16xf32>)
// PARALLEL-LABEL: func.func @mm
// PARALLEL: scf.forall (%{{.*}}, %{{.*}}) in (8, 5) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x5x16xf32>)
// PARALLEL: scf.for %{{.*}} = %c0 to %c96 step %c32
// PARALLEL: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%{{.*}}) -> (vector<8x16xf32>)
// PARALLEL: scf.forall.in_parallel

// With the default L1, K = 96 is one cache block: the accumulators start
// at zero in registers and the packed result is not filled first.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize | FileCheck %s --check-prefix=ONEBLOCK

// 64 x 80 x 96 at 8 x 16 register tiles; l2=4096 makes kc = 32 (an 8 x 32
// LHS panel fills a quarter of L2), so K runs in 3 cache blocks.
// CHECK-LABEL: func.func @mm
// Packing the LHS is a reshape and a transpose.
// CHECK: linalg.transpose ins(%{{.*}} : tensor<8x8x96x1xf32>) outs(%{{.*}} : tensor<8x96x8x1xf32>) permutation = [0, 2, 1, 3]
// Cache blocks: N blocks of one RHS panel (a 32 x 16 block fills half of
// this L2), then K by kc:
// CHECK: scf.for %{{.*}} = %c0 to %c5 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c96 step %c32
// The RHS panel of a block, packed just before the LHS panels read it
// (one thread, N panels outside): a copy of its rows in vectors (4 lanes
// at the pass's default 128 bits).
// CHECK: tensor.extract_slice %arg1[%{{.*}}, %{{.*}}] [32, 16] [1, 1]
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}} [1, 4] [1, 1] : tensor<1x4xf32> into tensor<32x16xf32>
// Register tiles: every LHS panel of the block's one RHS panel ...
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1
// ... whose accumulators are read once, before the K loop ...
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<8x8x1x16xf32>, vector<8x16xf32>
// CHECK: %[[K:.*]] = scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<8x16xf32>)
// ... updated by an outer product of an LHS column and an RHS row ...
// CHECK: %[[L:.*]] = vector.transfer_read {{.*}} : tensor<8x96x8x1xf32>, vector<8x1xf32>
// CHECK: %[[R:.*]] = vector.transfer_read {{.*}} : tensor<1x32x16x1xf32>, vector<16x1xf32>
// CHECK: %[[C:.*]] = vector.contract {{.*}} %[[L]], %[[R]], %[[A]] : vector<8x1xf32>, vector<16x1xf32> into vector<8x16xf32>
// CHECK: scf.yield %[[C]]
// ... and written once, after it, in place in the unpacked result (its
// 8 rows of 16 at the tile's rows and columns): no unpack follows.
// CHECK: vector.transfer_write {{.*}} : vector<8x1x16xf32>, tensor<1x8x1x16xf32>
// CHECK-NOT: linalg.transpose
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<8x8x5x16xf32> into tensor<64x80xf32>

// When the tiles do not divide the result (60 rows, 8-row tiles), the
// last is partial: the tiles are written in place all the same, into a
// result of 64 rows, of which the unpacked result is a slice (no unpack).
// CHECK-LABEL: func.func @mm_padded
// CHECK: vector.transfer_write {{.*}} : vector<8x1x16xf32>, tensor<1x8x1x16xf32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[WHOLE:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<8x8x5x16xf32> into tensor<64x80xf32>
// CHECK: tensor.extract_slice %[[WHOLE]][0, 0] [60, 80] [1, 1]

// FMA-LABEL: func.func @mm
// FMA: scf.for {{.*}} step %c2 iter_args(%[[A:.*]] = %{{.*}}) -> (vector<8x16xf32>)
// FMA: %[[R:.*]] = vector.load {{.*}} vector<16xf32>
// FMA: %[[L0:.*]] = memref.load
// FMA: %[[B0:.*]] = vector.broadcast %[[L0]] : f32 to vector<16xf32>
// FMA: %[[A0:.*]] = vector.extract %[[A]][0] : vector<16xf32> from vector<8x16xf32>
// FMA: vector.fma %[[B0]], %[[R]], %[[A0]] : vector<16xf32>
// Eight rows, two steps of K per iteration:
// FMA-COUNT-15: vector.fma
// FMA-NOT: vector.fma
// FMA: scf.yield
// The first step's row is loaded before the loop (the prologue) and carried
// in; in the loop (31 steps left of kc = 32, two per iteration) each step's
// FMAs read the carried row while the next row's load comes before them.
// AHEAD-LABEL: func.func @mm
// AHEAD: %[[FIRST:.*]] = vector.load {{.*}} : memref<1x32x16xf32, {{.*}}>, vector<16xf32>
// AHEAD: scf.for %{{.*}} = %c0 to %c30 step %c2 iter_args(%{{.*}} = %{{.*}}, %[[ROW:.*]] = %[[FIRST]]) -> (vector<8x16xf32>, vector<16xf32>)
// AHEAD: %[[NEXT:.*]] = vector.load {{.*}} : memref<1x32x16xf32, {{.*}}>, vector<16xf32>
// AHEAD-NOT: vector.load
// AHEAD: vector.fma %{{.*}}, %[[ROW]], %{{.*}} : vector<16xf32>
// AHEAD-COUNT-7: vector.fma %{{.*}}, %[[ROW]], %{{.*}} : vector<16xf32>
// AHEAD: %[[AFTER:.*]] = vector.load {{.*}} : memref<1x32x16xf32, {{.*}}>, vector<16xf32>
// AHEAD-COUNT-8: vector.fma %{{.*}}, %[[NEXT]], %{{.*}} : vector<16xf32>
// AHEAD: scf.yield %{{.*}}, %[[AFTER]] : vector<8x16xf32>, vector<16xf32>
// The epilogue finishes the last steps with the rows already loaded.
// AHEAD: vector.fma

// ONEBLOCK-LABEL: func.func @mm
// ONEBLOCK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x16xf32>
// ONEBLOCK-DAG: %[[OUT:.*]] = tensor.empty() : tensor<8x8x5x16xf32>
// ONEBLOCK-NOT: linalg.fill
// ONEBLOCK: scf.for {{.*}} iter_args(%{{.*}} = %[[OUT]]) -> (tensor<8x8x5x16xf32>)
// ONEBLOCK: scf.for %{{.*}} = %c0 to %c96 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8x16xf32>)

// BADCPU: error: yz-optimize-vectors: 'load-ahead=2' needs 0 or 1

func.func @mm(%a: tensor<64x96xf32>, %b: tensor<96x80xf32>) -> tensor<64x80xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x80xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x80xf32>) -> tensor<64x80xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x80xf32>) outs(%f : tensor<64x80xf32>) -> tensor<64x80xf32>
  return %r : tensor<64x80xf32>
}

func.func @mm_padded(%a: tensor<60x96xf32>, %b: tensor<96x80xf32>) -> tensor<60x80xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<60x80xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<60x80xf32>) -> tensor<60x80xf32>
  %r = linalg.matmul ins(%a, %b : tensor<60x96xf32>, tensor<96x80xf32>) outs(%f : tensor<60x80xf32>) -> tensor<60x80xf32>
  return %r : tensor<60x80xf32>
}

// With 8 N blocks or more (here 8 of one 16-wide panel), the tasks are
// the N blocks alone: each task runs every LHS panel against its block,
// so each RHS block is read by one task.
// PARALLEL-LABEL: func.func @mm_wide
// PARALLEL: scf.forall (%{{.*}}) in (8) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x8x16xf32>)
// PARALLEL: scf.for %{{.*}} = %c0 to %c96 step %c32
// PARALLEL: scf.for %{{.*}} = %c0 to %c8 step %c1
// PARALLEL: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args(%{{.*}}) -> (vector<8x16xf32>)
// PARALLEL: scf.forall.in_parallel
func.func @mm_wide(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x128xf32>) outs(%f : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

func.func @mm_odd_blocks(%a: tensor<64x96xf32>, %b: tensor<96x288xf32>) -> tensor<64x288xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x288xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x288xf32>) -> tensor<64x288xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x288xf32>) outs(%f : tensor<64x288xf32>) -> tensor<64x288xf32>
  return %r : tensor<64x288xf32>
}

// A long K (2048) is in blocks whose 16 x kc RHS panel fills half of the
// default L1 (kc = 256), which leaves the kc x nc RHS block so small that
// all 16 panels are one block. With threads, N blocks of 2 panels then
// make 8 tasks (not 8 of an LHS panel each, on one N block).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize="parallel=true threads=2" --canonicalize | FileCheck %s --check-prefix=LONGK
// LONGK-LABEL: func.func @mm_long_k
// LONGK: scf.forall (%{{.*}}) = (0) to (16) step (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x16x16xf32>)
// LONGK: scf.for %{{.*}} = %c0 to %c2048 step %c256
// The N panels (2 in the task's block) outside the M panels (8): BLIS's order.
// LONGK-NEXT: scf.for %[[N:.*]] = %c0 to %c2 step %c1
// LONGK-NEXT: scf.for %[[M:.*]] = %c0 to %c8 step %c1
// LONGK-NEXT: tensor.extract_slice %{{.*}}[%[[M]], 0, %[[N]], 0] [1, 8, 1, 16]
func.func @mm_long_k(%a: tensor<64x2048xf32>, %b: tensor<2048x256xf32>) -> tensor<64x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x2048xf32>, tensor<2048x256xf32>) outs(%f : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// K in one block (64) and an L2 that holds 8 of the 16 RHS panels: two N
// blocks, too few to be the tasks. With threads, N blocks of 2 panels make
// 8 tasks, each with all the LHS panels, rather than tasks of an LHS panel
// by a block (each thread would then read both RHS blocks).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l2=65536" --yz-tile-and-vectorize="parallel=true threads=2" --canonicalize | FileCheck %s --check-prefix=FEWBLOCKS
// FEWBLOCKS-LABEL: func.func @mm_few_blocks
// FEWBLOCKS: scf.forall (%{{.*}}) = (0) to (16) step (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x8x16x16xf32>)
// FEWBLOCKS: scf.for %{{.*}} = %c0 to %c2 step %c1
// FEWBLOCKS-NEXT: scf.for %{{.*}} = %c0 to %c8 step %c1
func.func @mm_few_blocks(%a: tensor<64x64xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x256xf32>) outs(%f : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// An expanding product (M = 128 filters from K = 16 channels) whose RHS
// fits in half of L2: with threads its tasks are the LHS panels, N whole,
// so each thread writes whole channels (rows), as a depthwise conv after
// it would read them. A product of as many filters as channels keeps N
// blocks as its tasks (@mm_few_blocks above; @mm: too few N panels for
// blocks, tasks of an LHS panel by a block).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize="parallel=true threads=2" --canonicalize | FileCheck %s --check-prefix=EXPANDING
// EXPANDING-LABEL: func.func @mm_expanding
// EXPANDING: scf.forall (%{{.*}}) in (16) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<16x8x4x16xf32>)
// EXPANDING: scf.for %{{.*}} = %c0 to %c4 step %c1
// EXPANDING: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}}) -> (vector<8x16xf32>)
func.func @mm_expanding(%a: tensor<128x16xf32>, %b: tensor<16x64xf32>) -> tensor<128x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<128x16xf32>, tensor<16x64xf32>) outs(%f : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %r : tensor<128x64xf32>
}

// A product with the pixels as rows, transposed back to [F, pixels]: each
// register tile is stored transposed, straight into the result (no unpack).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize | FileCheck %s --check-prefix=TRANSPOSED
// TRANSPOSED-LABEL: func.func @rows_transposed
// TRANSPOSED-NOT: linalg.unpack
// TRANSPOSED: vector.contract
// TRANSPOSED: vector.transpose %{{.*}}, [1, 0] : vector<8x16xf32> to vector<16x8xf32>
// TRANSPOSED: vector.transfer_write {{.*}} tensor<1x16x1x8xf32>
// TRANSPOSED-NOT: linalg.unpack
// TRANSPOSED: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<4x16x25x8xf32> into tensor<64x200xf32>
// TRANSPOSED: tensor.extract_slice %{{.*}}[0, 0] [64, 196] [1, 1]
func.func @rows_transposed(%x: tensor<196x96xf32>, %w: tensor<96x64xf32>) -> tensor<64x196xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<196x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<196x64xf32>) -> tensor<196x64xf32>
  %r = linalg.matmul ins(%x, %w : tensor<196x96xf32>, tensor<96x64xf32>) outs(%f : tensor<196x64xf32>) -> tensor<196x64xf32>
  %t0 = tensor.empty() : tensor<64x196xf32>
  %t = linalg.transpose ins(%r : tensor<196x64xf32>) outs(%t0 : tensor<64x196xf32>) permutation = [1, 0]
  return %t : tensor<64x196xf32>
}

// A constant RHS (weights: pixels-as-rows convs, Gemm) whose LHS fits in a
// quarter of L2: the N panels outside the M panels even where a RHS panel
// (8 x 16) does not fit in half of L1, so the weights stream from memory
// once, spread over the product. The same product of a RHS computed at
// run time (in cache) keeps the M panels outside.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l1=512" --yz-tile-and-vectorize="cpu=vector-bits=256,vector-registers=32,l1=512" --canonicalize | FileCheck %s --check-prefix=WEIGHTS
// WEIGHTS-LABEL: func.func @weights_rhs
// WEIGHTS: scf.for %[[N:.*]] = %c0 to %c2 step %c1
// WEIGHTS-NEXT: scf.for %[[M:.*]] = %c0 to %c2 step %c1
// WEIGHTS-NEXT: tensor.extract_slice %{{.*}}[%[[M]], 0, %[[N]], 0] [1, 8, 1, 16]
// WEIGHTS-LABEL: func.func @runtime_rhs
// WEIGHTS: scf.for %[[M:.*]] = %c0 to %c2 step %c1
// WEIGHTS-NEXT: scf.for %[[N:.*]] = %c0 to %c2 step %c1
// WEIGHTS-NEXT: tensor.extract_slice %{{.*}}[%[[M]], 0, %[[N]], 0] [1, 8, 1, 16]
func.func @weights_rhs(%a: tensor<16x8xf32>) -> tensor<16x32xf32> {
  %b = arith.constant dense<[
    [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0],
    [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0],
    [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0],
    [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0],
    [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0],
    [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0],
    [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0],
    [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0]]> : tensor<8x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x32xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

func.func @runtime_rhs(%a: tensor<16x8xf32>, %b: tensor<8x32xf32>) -> tensor<16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x32xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}
