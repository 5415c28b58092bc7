// A packed RHS larger than L2 (l2=65536 here: 7.5 MB) is packed block by
// block inside the cache blocks that read it: the pack (a linalg.pack, or
// the copy yz-pack-matmuls folded one into) is fused into the N block
// loop, through the collapse_shape, into a tensor of the block's size.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize="cpu=l2=65536" --canonicalize | FileCheck %s
// With threads: the N blocks are the scf.forall's tasks, each packing its
// own block; the LHS panels are a loop inside. The 17 blocks of 6 panels
// become 34 of 3, which two threads (the default) share evenly.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize="cpu=l2=65536 parallel=true" --canonicalize | FileCheck %s --check-prefix=PARALLEL
// With threads, from an eighth of L2: at l2 = 32 MiB (a bound of 4 MiB)
// the 7.5 MB pack is packed by the tasks, each its own block.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize="cpu=l2=33554432 parallel=true" --canonicalize | FileCheck %s --check-prefix=EIGHTH
// EIGHTH-LABEL: func.func @shifted_columns
// EIGHTH: scf.forall
// EIGHTH: tensor.extract_slice %arg0
// EIGHTH: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x1x64x3x3x32x1xf32>)
// A packed RHS that fits in L2 (16 MiB here) is packed whole, before the
// matmul.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize="cpu=l2=16777216" --canonicalize | FileCheck %s --check-prefix=WHOLE
// Bufferized, each block's pack writes a buffer of its own, allocated in
// the block (and freed there, by the deallocation passes after).
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize="cpu=l2=65536" --canonicalize --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF

#columns = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (0, d2, 0, 0, d0 * 32 + d3 * 58 + d4 + d5)>
#id7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5, d6)>
// CHECK-LABEL: func.func @shifted_columns
// CHECK: scf.for %[[N:.*]] = %c0 to %c102 step %c6
// CHECK: %[[X:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0, %{{.*}}] [1, 64, 1, 1, 310]
// CHECK: %[[E:.*]] = tensor.empty() : tensor<6x1x64x3x3x32x1xf32>
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<1x64x1x1x310xf32>) outs(%[[E]] : tensor<6x1x64x3x3x32x1xf32>)
// CHECK: %[[B:.*]] = tensor.collapse_shape %[[P]] {{\[}}[0], [1, 2, 3, 4], [5], [6]] : tensor<6x1x64x3x3x32x1xf32> into tensor<6x576x32x1xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c6 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c576 step %c1
// CHECK: vector.transfer_read %[[B]]
// PARALLEL-LABEL: func.func @shifted_columns
// PARALLEL: scf.forall (%{{.*}}) = (0) to (102) step (3)
// PARALLEL: tensor.empty() : tensor<3x1x64x3x3x32x1xf32>
// PARALLEL: linalg.generic
// PARALLEL: scf.for %{{.*}} = %c0 to %c8 step %c1
// PARALLEL: scf.forall.in_parallel
// WHOLE-LABEL: func.func @shifted_columns
// WHOLE: linalg.generic {{.*}} outs(%{{.*}} : tensor<102x1x64x3x3x32x1xf32>)
// WHOLE: scf.for %{{.*}} = %c0 to %c102 step %c6
// WHOLE-NOT: linalg.generic
// BUF-LABEL: func.func @shifted_columns
// BUF: scf.for %{{.*}} = %c0 to %c102 step %c6
// BUF: %[[A:.*]] = memref.alloc() {{.*}} : memref<6x1x64x3x3x32x1xf32>
// BUF: linalg.generic {{.*}} outs(%[[A]] : memref<6x1x64x3x3x32x1xf32>)
func.func @shifted_columns(%x: tensor<1x64x1x1x3422xf32>, %w: tensor<8x576x8x1xf32>) -> tensor<8x102x8x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<102x1x64x3x3x32x1xf32>
  %p = linalg.generic {indexing_maps = [#columns, #id7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x1x1x3422xf32>) outs(%e : tensor<102x1x64x3x3x32x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<102x1x64x3x3x32x1xf32>
  %c = tensor.collapse_shape %p [[0], [1, 2, 3, 4], [5], [6]] : tensor<102x1x64x3x3x32x1xf32> into tensor<102x576x32x1xf32>
  %o = tensor.empty() : tensor<8x102x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<8x102x8x32xf32>) -> tensor<8x102x8x32xf32>
  %r = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 576, 6>} ins(%w, %c : tensor<8x576x8x1xf32>, tensor<102x576x32x1xf32>) outs(%f : tensor<8x102x8x32xf32>) -> tensor<8x102x8x32xf32>
  return %r : tensor<8x102x8x32xf32>
}

// -----

// A pointwise conv's activations [K, N], a linalg.pack into N0-wide panels
// (lowered right away: a copy of the block's rows of 32 pixels, in
// vectors of the pass's default 4 lanes).
// CHECK-LABEL: func.func @pack_op
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK: %[[X:.*]] = tensor.extract_slice %arg0[0, %{{.*}}] [96, 256] [1, 1] : tensor<96x2048xf32> to tensor<96x256xf32>
// CHECK: vector.transfer_read %{{.*}} : tensor<96x1x8x32xf32>, vector<1x1x4xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x4xf32>, tensor<8x96x32xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c96 step %c1
// Fitting in L2, on one thread, with the N panels outside the M panels
// (a 96 x 32 RHS panel in half of L1), a linalg.pack that pads nothing is
// packed panel by panel instead, each just before its M panels.
// WHOLE-LABEL: func.func @pack_op
// WHOLE: scf.for %{{.*}} = %c0 to %c64 step %c1
// WHOLE: tensor.extract_slice %arg0[0, %{{.*}}] [96, 32] [1, 1] : tensor<96x2048xf32> to tensor<96x32xf32>
// WHOLE: tensor.insert_slice %{{.*}} [1, 4] [1, 1] : tensor<1x4xf32> into tensor<96x32xf32>
func.func @pack_op(%x: tensor<96x2048xf32>, %w: tensor<4x96x8x1xf32>) -> tensor<4x64x8x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96x32x1xf32>
  %p = linalg.pack %x outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [32, 1] into %e : tensor<96x2048xf32> -> tensor<64x96x32x1xf32>
  %o = tensor.empty() : tensor<4x64x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<4x64x8x32xf32>) -> tensor<4x64x8x32xf32>
  %r = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 96, 8>} ins(%w, %p : tensor<4x96x8x1xf32>, tensor<64x96x32x1xf32>) outs(%f : tensor<4x64x8x32xf32>) -> tensor<4x64x8x32xf32>
  return %r : tensor<4x64x8x32xf32>
}
