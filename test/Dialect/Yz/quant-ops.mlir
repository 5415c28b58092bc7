// RUN: yz-opt %s | yz-opt | FileCheck %s

// CHECK-LABEL: func @quant
// CHECK: yz.quantize %{{.*}} {scale = 5.000000e-02 : f32, zero_point = -3 : i64} : tensor<1x3x5x5xf32> -> tensor<1x3x5x5xi8>
// CHECK: yz.qconv2d %{{.*}}, %{{.*}}, %{{.*}} <{clamp_max = 127 : i64, clamp_min = 5 : i64, dilations = array<i64: 1, 1>, groups = 1 : i64, input_zero_point = -3 : i64, multipliers = array<f32: 0.00999999977, 2.000000e-02, 3.000000e-02, 4.000000e-02>, output_zero_point = 5 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}> : tensor<1x3x5x5xi8>, tensor<4x3x3x3xi8>, tensor<4xi32>
// CHECK: yz.dequantize %{{.*}} {scale = 1.000000e-01 : f32, zero_point = 5 : i64} : tensor<1x4x5x5xi8> -> tensor<1x4x5x5xf32>
func.func @quant(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xi8>, %b: tensor<4xi32>) -> tensor<1x4x5x5xf32> {
  %q = yz.quantize %x {scale = 0.05 : f32, zero_point = -3} : tensor<1x3x5x5xf32> -> tensor<1x3x5x5xi8>
  %y = yz.qconv2d %q, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1, input_zero_point = -3, multipliers = array<f32: 0.01, 0.02, 0.03, 0.04>, output_zero_point = 5, clamp_min = 5, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x3x3xi8>, tensor<4xi32>
  %d = yz.dequantize %y {scale = 0.1 : f32, zero_point = 5} : tensor<1x4x5x5xi8> -> tensor<1x4x5x5xf32>
  return %d : tensor<1x4x5x5xf32>
}
