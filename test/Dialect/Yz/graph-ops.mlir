// RUN: yz-opt %s | yz-opt | FileCheck %s

// Round trip of the ops ONNX Identity, Cast, Expand, Where and comparisons
// import to, and of the fused epilogues of matmul and conv2d.

// CHECK-LABEL: func @ops
// CHECK: yz.identity %arg0 : tensor<2x3xf32>
// CHECK: yz.cast %arg0 : tensor<2x3xf32> -> tensor<2x3xi64>
// CHECK: yz.broadcast_to %arg1 : tensor<3xf32> -> tensor<4x2x3xf32>
// CHECK: yz.less %arg0, %arg1 : tensor<2x3xf32>, tensor<3xf32>
// CHECK: yz.select %{{.*}}, %arg0, %arg1 : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>
// CHECK: yz.equal
// CHECK: yz.less_equal
// CHECK: yz.greater
// CHECK: yz.greater_equal
func.func @ops(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = yz.identity %x : tensor<2x3xf32>
  %1 = yz.cast %x : tensor<2x3xf32> -> tensor<2x3xi64>
  %2 = yz.broadcast_to %y : tensor<3xf32> -> tensor<4x2x3xf32>
  %3 = yz.less %x, %y : tensor<2x3xf32>, tensor<3xf32>
  %4 = yz.select %3, %x, %y : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>
  %5 = yz.equal %x, %y : tensor<2x3xf32>, tensor<3xf32>
  %6 = yz.less_equal %x, %y : tensor<2x3xf32>, tensor<3xf32>
  %7 = yz.greater %x, %y : tensor<2x3xf32>, tensor<3xf32>
  %8 = yz.greater_equal %x, %y : tensor<2x3xf32>, tensor<3xf32>
  return %4 : tensor<2x3xf32>
}

// CHECK-LABEL: func @epilogues
// CHECK: yz.matmul %arg0, %arg1, %arg2 {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>
// CHECK: yz.conv2d %arg3, %arg4 <{clamp_min = -1.000000e+00 : f32, dilations
func.func @epilogues(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>,
                     %i: tensor<1x1x4x4xf32>, %f: tensor<2x1x1x1xf32>) {
  %0 = yz.matmul %x, %w, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>
  %1 = yz.conv2d %i, %f <{clamp_min = -1.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  return
}
