// RUN: yz-opt %s --yz-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: yz-opt %s --yz-tile-and-vectorize=parallel=true --canonicalize | FileCheck %s --check-prefix=PARALLEL

// A depthwise convolution marked with its register tile (2 pixels x 8
// channels, from yz-convs-to-matmuls): loops over output rows, pixel tiles
// and channel tiles, then the filter's rows; per row, the input strip the
// tile reads (5 pixels at stride 2) and the filter row are read once, and
// each tap is an FMA of 8-channel vectors. The accumulators stay in
// registers over the filter's rows, start at zero, and the fill is gone.
// CHECK-LABEL: func.func @dw
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<1x2x8xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[OH:.*]] = %c0 to %c4 step %c1
// CHECK: scf.for %[[OW:.*]] = %c0 to %c4 step %c2
// CHECK: scf.for %[[C:.*]] = %c0 to %c16 step %c8
// CHECK: %[[ACC:.*]] = scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args(%[[A:.*]] = %[[ZERO]]) -> (vector<1x2x8xf32>)
// CHECK: vector.transfer_read %arg0[%c0, %{{.*}}, %{{.*}}, %[[C]]]{{.*}} : tensor<1x9x9x16xf32>, vector<1x5x8xf32>
// CHECK: vector.transfer_read %arg1[%[[KH]], %c0, %[[C]]]{{.*}} : tensor<3x3x16xf32>, vector<3x8xf32>
// CHECK-COUNT-6: vector.fma {{.*}} : vector<1x1x8xf32>
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[ACC]]
// CHECK: tensor.insert_slice

// PARALLEL-LABEL: func.func @dw
// PARALLEL: scf.forall (%{{.*}}) in (4)
// PARALLEL: scf.for %{{.*}} = %c0 to %c4 step %c2
// PARALLEL: vector.fma
// PARALLEL: scf.forall.in_parallel
func.func @dw(%x: tensor<1x9x9x16xf32>, %w: tensor<3x3x16xf32>) -> tensor<1x4x4x16xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, yz.depthwise_tile = array<i64: 2, 8>}
         ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3x16xf32>) outs(%f : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %r : tensor<1x4x4x16xf32>
}
