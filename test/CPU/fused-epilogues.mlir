// An elementwise consumer of a packed matmul (bias, activation, residual
// add), read through reshapes, is applied on the register tiles after
// their K loop, on the accumulators: no pass of its own over the result.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize --canonicalize | FileCheck %s
// With threads, it is fused into the scf.forall's tasks too.
// RUN: yz-opt %s --split-input-file --yz-tile-and-vectorize=parallel=true --canonicalize | FileCheck %s --check-prefix=PARALLEL
// (That the product itself is then never stored, only the epilogue's
// result, test/Pipelines/yz-to-llvm.mlir checks.)

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @bias_residual_relu
// CHECK-DAG: %[[B:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [2, 8] : tensor<16xf32> into tensor<2x8xf32>
// CHECK-DAG: %[[R:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2, 3]] output_shape [2, 8, 2, 32] : tensor<16x64xf32> into tensor<2x8x2x32xf32>
// The RHS panel fits in L1: N panels outside (BLIS's order).
// CHECK: scf.for %[[N1:.*]] = %c0 to %c2 step %c1
// CHECK: scf.for %[[M1:.*]] = %c0 to %c2 step %c1
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK: vector.contract
// CHECK: scf.yield
// CHECK: %[[BV:.*]] = vector.transfer_read %[[B]][%[[M1]], %c0]
// CHECK: vector.broadcast %[[BV]] : vector<8xf32> to vector<32x8xf32>
// CHECK: %[[RV:.*]] = vector.transfer_read %[[R]][%[[M1]], %c0, %[[N1]], %c0]
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %{{.*}} : vector<8x32xf32>
// CHECK: %[[RES:.*]] = arith.addf %[[SUM]], %[[RV]] : vector<8x32xf32>
// CHECK: arith.maximumf %[[RES]], %{{.*}} : vector<8x32xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
// CHECK: return
// PARALLEL-LABEL: func.func @bias_residual_relu
// PARALLEL: scf.forall
// PARALLEL: scf.for %{{.*}} = %c0 to %c2 step %c1
// PARALLEL: vector.contract
// PARALLEL: arith.maximumf {{.*}} : vector<8x32xf32>
// PARALLEL: scf.forall.in_parallel
// PARALLEL-NOT: linalg.generic
// PARALLEL: return
func.func @bias_residual_relu(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %b: tensor<1x16x1x1xf32>, %r: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b, %r : tensor<1x16x8x8xf32>, tensor<1x16x1x1xf32>, tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%in: f32, %bi: f32, %ri: f32, %out: f32):
    %s = arith.addf %in, %bi : f32
    %t = arith.addf %s, %ri : f32
    %m = arith.maximumf %t, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// -----

// A partial last tile (7 x 7 = 49 pixels in two tiles of 32): the epilogue
// runs on the whole tiles, and the result is their slice. A bias along
// the columns (a Gemm's) works the same way.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @partial_tile
// CHECK: %[[T:.*]]:2 = scf.for
// CHECK: vector.contract
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[T]]#1 {{\[}}[0, 1], [2, 3]] : tensor<2x8x2x32xf32> into tensor<16x64xf32>
// CHECK: tensor.extract_slice %[[C]][0, 0] [16, 49] [1, 1]
// CHECK-NOT: linalg.generic
func.func @partial_tile(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %b: tensor<1x16x1x1xf32>) -> tensor<1x16x7x7xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x49xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x49xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 7, 7] : tensor<16x49xf32> into tensor<1x16x7x7xf32>
  %oe = tensor.empty() : tensor<1x16x7x7xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x16x7x7xf32>, tensor<1x16x1x1xf32>) outs(%oe : tensor<1x16x7x7xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %s = arith.addf %in, %bi : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// -----

// Not fused: a residual with a partial last tile (it would need padding
// too), a padded result (the epilogue writes into the padded buffer
// instead), a residual that is itself padded (written into a padded
// buffer, it is not contiguous) or a slice, K in several cache blocks (a
// tile is whole only after the last), an epilogue that reads the indices.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @partial_residual
// CHECK: vector.contract
// CHECK-NOT: arith.addf
// CHECK: tensor.collapse_shape
// CHECK: arith.addf
func.func @partial_residual(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %r: tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x49xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x49xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 7, 7] : tensor<16x49xf32> into tensor<1x16x7x7xf32>
  %oe = tensor.empty() : tensor<1x16x7x7xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %r : tensor<1x16x7x7xf32>, tensor<1x16x7x7xf32>) outs(%oe : tensor<1x16x7x7xf32>) {
  ^bb0(%in: f32, %ri: f32, %out: f32):
    %s = arith.addf %in, %ri : f32
    linalg.yield %s : f32
  } -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// CHECK-LABEL: func.func @padded
// CHECK: vector.contract
// CHECK-NOT: arith.maximumf
// CHECK: tensor.collapse_shape
// CHECK: arith.maximumf
func.func @padded(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>) -> tensor<1x16x10x10xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  %p = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x10x10xf32>
  return %p : tensor<1x16x10x10xf32>
}

// CHECK-LABEL: func.func @k_blocks
// CHECK: vector.contract
// CHECK-NOT: arith.maximumf
// CHECK: tensor.collapse_shape
// CHECK: arith.maximumf
func.func @k_blocks(%lhs: tensor<2x16x8x1xf32>, %rhs: tensor<2x16x32x1xf32>) -> tensor<1x16x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x16x8x1xf32>, tensor<2x16x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @indices
// CHECK: vector.contract
// CHECK-NOT: arith.addf
// CHECK: tensor.collapse_shape
// CHECK: arith.addf
func.func @indices(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>) -> tensor<1x16x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 3 : index
    %c = arith.index_cast %i : index to i32
    %v = arith.sitofp %c : i32 to f32
    %m = arith.addf %in, %v : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @padded_residual
// CHECK: vector.contract
// CHECK-NOT: arith.addf
// CHECK: tensor.collapse_shape
// CHECK: arith.addf
func.func @padded_residual(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %in: tensor<1x16x8x8xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x16x10x10xf32>) {
  %z = arith.constant 0.0 : f32
  %re = tensor.empty() : tensor<1x16x8x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%in : tensor<1x16x8x8xf32>) outs(%re : tensor<1x16x8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x8x8xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x10x10xf32>
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %r : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x16x8x8xf32>
  return %y, %p : tensor<1x16x8x8xf32>, tensor<1x16x10x10xf32>
}

// CHECK-LABEL: func.func @slice_residual
// CHECK: vector.contract
// CHECK-NOT: arith.addf
// CHECK: tensor.collapse_shape
// CHECK: arith.addf
func.func @slice_residual(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %in: tensor<1x16x10x10xf32>) -> tensor<1x16x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %r = tensor.extract_slice %in[0, 0, 1, 1] [1, 16, 8, 8] [1, 1, 1, 1] : tensor<1x16x10x10xf32> to tensor<1x16x8x8xf32>
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %x = tensor.expand_shape %u [[0, 1], [2, 3]] output_shape [1, 16, 8, 8] : tensor<16x64xf32> into tensor<1x16x8x8xf32>
  %oe = tensor.empty() : tensor<1x16x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %r : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) outs(%oe : tensor<1x16x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// -----

// A 2-D op writing a slice of a larger buffer (a shifted-columns product's
// columns in the next conv's padded input, see test/CPU/padded-shifted.mlir)
// keeps it: the register tiles are stored into the slice, expanded. So is
// a 2-D residual slice read (no copy: only expanded).
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @into_padded_buffer
// CHECK: %[[BUF:.*]] = tensor.empty() : tensor<16x100xf32>
// CHECK: %[[DST:.*]] = tensor.extract_slice %[[BUF]][0, 11] [16, 64] [1, 1]
// CHECK: %[[DST4:.*]] = tensor.expand_shape %[[DST]] {{\[}}[0, 1], [2, 3]] output_shape [2, 8, 2, 32]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[DST4]])
// CHECK: vector.contract
// CHECK: arith.addf
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
// CHECK: tensor.insert_slice %{{.*}} into %[[BUF]][0, 11] [16, 64] [1, 1]
func.func @into_padded_buffer(%lhs: tensor<2x8x8x1xf32>, %rhs: tensor<2x8x32x1xf32>, %in: tensor<16x100xf32>) -> tensor<16x100xf32> {
  %z = arith.constant 0.0 : f32
  %r = tensor.extract_slice %in[0, 11] [16, 64] [1, 1] : tensor<16x100xf32> to tensor<16x64xf32>
  %e = tensor.empty() : tensor<2x2x8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %mm = linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 8, 2>} ins(%lhs, %rhs : tensor<2x8x8x1xf32>, tensor<2x8x32x1xf32>) outs(%f : tensor<2x2x8x32xf32>) -> tensor<2x2x8x32xf32>
  %ue = tensor.empty() : tensor<16x64xf32>
  %u = linalg.unpack %mm inner_dims_pos = [0, 1] inner_tiles = [8, 32] into %ue : tensor<2x2x8x32xf32> -> tensor<16x64xf32>
  %buf = tensor.empty() : tensor<16x100xf32>
  %dst = tensor.extract_slice %buf[0, 11] [16, 64] [1, 1] : tensor<16x100xf32> to tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%u, %r : tensor<16x64xf32>, tensor<16x64xf32>) outs(%dst : tensor<16x64xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  %out = tensor.insert_slice %y into %buf[0, 11] [16, 64] [1, 1] : tensor<16x64xf32> into tensor<16x100xf32>
  return %out : tensor<16x100xf32>
}
