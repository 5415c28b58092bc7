// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512" --yz-tile-and-vectorize | FileCheck %s
// With threads, images and channels are an scf.forall around the rows.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512" --yz-tile-and-vectorize=parallel=true | FileCheck %s --check-prefix=PARALLEL
// PARALLEL-LABEL: func.func @rows_of_7
// PARALLEL: scf.forall (%{{.*}}, %{{.*}}) in (1, 4) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x4x7x7xf32>)
// PARALLEL: scf.for %{{.*}} = %c0 to %c7 step %c1
// PARALLEL: scf.for %{{.*}} = %c0 to %c7 step %c8
// PARALLEL: vector.create_mask
// PARALLEL: scf.forall.in_parallel
// x86 depthwise stencils (yz-convs-to-matmuls marks them with the vector
// length of their rows; yz-tile-and-vectorize vectorizes them): tiles of
// one image, channel and row by V pixels. The channel's nine weights and
// its bias are scalars, broadcast.

// Rows of 7 at 16 lanes: vectors of 8, the last lane masked off (AVX-512
// masked loads and stores); the bias and ReLU fused into the stencil run
// on the vector too.
// CHECK-LABEL: func.func @rows_of_7
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c7 step %c1
// CHECK: scf.for %[[OW:.*]] = %c0 to %c7 step %c8
// CHECK: %[[N:.*]] = affine.min #{{.*}}(%[[OW]])
// CHECK-COUNT-10: tensor.extract %{{.*}}[%c0] : tensor<1xf32>
// CHECK: %[[M:.*]] = vector.create_mask %c1, %c1, %c1, %[[N]] : vector<1x1x1x8xi1>
// CHECK-COUNT-9: vector.transfer_read %{{.*}}, %[[M]] {in_bounds = [true, true, true, true]} : tensor<1x1x1x?xf32>, vector<1x1x1x8xf32>
// CHECK: arith.mulf
// CHECK-COUNT-8: math.fma {{.*}} : vector<1x1x1x8xf32>
// CHECK: arith.addf {{.*}} : vector<1x1x1x8xf32>
// CHECK: arith.maximumf {{.*}} : vector<1x1x1x8xf32>
// CHECK: vector.transfer_write %{{.*}}, %[[M]] {in_bounds = [true, true, true, true]} : vector<1x1x1x8xf32>, tensor<1x1x1x?xf32>
func.func @rows_of_7(%x: tensor<1x4x1x9x9xf32>, %w: tensor<4x1x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x1x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x1x7x7xf32>) -> tensor<1x4x1x7x7xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x4x1x9x9xf32>, tensor<4x1x1x3x3xf32>) outs(%f : tensor<1x4x1x7x7xf32>) -> tensor<1x4x1x7x7xf32>
  %r = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x4x1x7x7xf32> into tensor<1x4x7x7xf32>
  %e2 = tensor.empty() : tensor<1x4x7x7xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (b)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%r, %b : tensor<1x4x7x7xf32>, tensor<4xf32>) outs(%e2 : tensor<1x4x7x7xf32>) {
  ^bb0(%i: f32, %bb: f32, %out: f32):
    %s = arith.addf %i, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x7x7xf32>
  return %o : tensor<1x4x7x7xf32>
}

// -----

// Stride 2, rows of 16: the windows are strided slices of the input, each
// row read as one vector of 16 (no mask; yz-optimize-vectors later reads
// it as 32 elements deinterleaved).
// CHECK-LABEL: func.func @stride2_rows_of_16
// CHECK-NOT: tensor<1x2x2x2x17x17xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 2, 2] [1, 2, 16, 16] [1, 1, 2, 2] : tensor<1x2x34x34xf32> to tensor<1x2x16x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c16
// CHECK-NOT: vector.create_mask
// CHECK-COUNT-9: vector.transfer_read {{.*}} : tensor<1x2x16x16xf32>, vector<1x1x1x16xf32>
// CHECK-COUNT-8: math.fma {{.*}} : vector<1x1x1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x1x16xf32>, tensor<1x2x16x16xf32>
func.func @stride2_rows_of_16(%x: tensor<1x2x1x34x34xf32>, %w: tensor<2x1x1x3x3xf32>) -> tensor<1x2x1x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x1x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x1x16x16xf32>) -> tensor<1x2x1x16x16xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x1x34x34xf32>, tensor<2x1x1x3x3xf32>) outs(%f : tensor<1x2x1x16x16xf32>) -> tensor<1x2x1x16x16xf32>
  return %c : tensor<1x2x1x16x16xf32>
}

// -----

// Stride 3, rows of 16: the windows are slices of the input's 3 x 3
// phases (one copy), read in whole vectors of 16 (no mask, no gather).
// CHECK-LABEL: func.func @stride3_rows_of_16
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x3x3x16x16xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c16
// CHECK-NOT: vector.create_mask
// CHECK-COUNT-9: vector.transfer_read {{.*}} : tensor<1x2x3x3x16x16xf32>, vector<1x1x1x16xf32>
// CHECK-COUNT-8: math.fma {{.*}} : vector<1x1x1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x1x16xf32>, tensor<1x2x16x16xf32>
func.func @stride3_rows_of_16(%x: tensor<1x2x1x48x48xf32>, %w: tensor<2x1x1x3x3xf32>) -> tensor<1x2x1x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x1x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x1x16x16xf32>) -> tensor<1x2x1x16x16xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x1x48x48xf32>, tensor<2x1x1x3x3xf32>) outs(%f : tensor<1x2x1x16x16xf32>) -> tensor<1x2x1x16x16xf32>
  return %c : tensor<1x2x1x16x16xf32>
}
