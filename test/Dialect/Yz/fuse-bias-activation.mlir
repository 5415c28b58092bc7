// RUN: yz-opt %s --yz-fuse-bias-activation --split-input-file | FileCheck %s

// Gemm as imported (matmul + add) followed by ReLU: one matmul.
// CHECK-LABEL: func @gemm_relu
// CHECK: %[[Y:.*]] = yz.matmul %arg0, %arg1, %arg2 {clamp_min = 0.000000e+00 : f32} : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>
// CHECK-NEXT: return %[[Y]]
func.func @gemm_relu(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %m = yz.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %a = yz.add %b, %m : tensor<16xf32>, tensor<4x16xf32>
  %r = yz.relu %a : tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Clip(0, 6) after a biased convolution (ReLU6): both bounds; a per-channel
// addition joins the existing bias.
// CHECK-LABEL: func @conv_add_relu6
// CHECK: %[[C:.*]] = yz.reshape %arg3 : tensor<1x2x1x1xf32> -> tensor<2xf32>
// CHECK: %[[B:.*]] = yz.add %arg2, %[[C]] : tensor<2xf32>, tensor<2xf32>
// CHECK: %[[Y:.*]] = yz.conv2d %arg0, %arg1, %[[B]] <{clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32,
// CHECK-NEXT: return %[[Y]]
func.func @conv_add_relu6(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x1x1xf32>, %b: tensor<2xf32>, %c: tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %lo = yz.constant dense<0.0> : tensor<f32>
  %hi = yz.constant dense<6.0> : tensor<f32>
  %0 = yz.conv2d %x, %w, %b <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>
  %1 = yz.add %0, %c : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>
  %2 = yz.max %1, %lo : tensor<1x2x4x4xf32>, tensor<f32>
  %3 = yz.min %2, %hi : tensor<1x2x4x4xf32>, tensor<f32>
  return %3 : tensor<1x2x4x4xf32>
}

// -----

// Not fused: a second user of the product, a bias after the clamp, a
// spatially varying convolution "bias", a non-constant bound, integers.
// CHECK-LABEL: func @not_fused
// CHECK: yz.matmul %arg0, %arg1 :
// CHECK: yz.relu
// CHECK: yz.conv2d {{.*}}clamp_min
// CHECK: yz.add
// CHECK: yz.conv2d %arg2, %arg3 <{dilations
// CHECK: yz.add
// CHECK: yz.max
// CHECK: yz.matmul %arg6, %arg6 :
// CHECK: yz.relu
func.func @not_fused(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>,
                     %i: tensor<1x1x4x4xf32>, %f: tensor<2x1x1x1xf32>,
                     %s: tensor<1x2x4x4xf32>, %lo: tensor<f32>,
                     %q: tensor<4x4xi8>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<4x4xi32>) {
  %m = yz.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %r = yz.relu %m : tensor<4x16xf32>
  %c0 = yz.conv2d %i, %f <{clamp_min = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %a0 = yz.add %c0, %s : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
  %c1 = yz.conv2d %i, %f <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %a1 = yz.add %c1, %s : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
  %a2 = yz.max %a1, %lo : tensor<1x2x4x4xf32>, tensor<f32>
  %qm = yz.matmul %q, %q : tensor<4x4xi8>, tensor<4x4xi8>
  %qr = yz.relu %qm : tensor<4x4xi32>
  return %m, %r, %a0, %a2, %qr : tensor<4x16xf32>, tensor<4x16xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<4x4xi32>
}

// -----

// A calibrated layer keeps the epilogue calibration measured: the add after
// it (a residual int8 quantization took out of its bias) stays apart.
// CHECK-LABEL: func @calibrated
// CHECK: %[[M:.*]] = yz.matmul %arg0, %arg1 {yz.input_range
// CHECK: yz.add %[[M]], %arg2
func.func @calibrated(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %r: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %m = yz.matmul %x, %w {yz.input_range = array<f32: -1.0, 1.0>, yz.output_range = array<f32: -1.0, 1.0>} : tensor<2x3xf32>, tensor<3x4xf32>
  %y = yz.add %m, %r : tensor<2x4xf32>, tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
