// RUN: yz-opt %s --convert-yz-to-linalg | FileCheck %s

// quantize: x / scale, ties to even, + zero point, saturated to i8.
// CHECK-LABEL: func @quantize
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.fptosi {{.*}} : f32 to i8
func.func @quantize(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = yz.quantize %x {scale = 0.5 : f32, zero_point = 3} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// dequantize: (q - zero point) * scale.
// CHECK-LABEL: func @dequantize
// CHECK: arith.sitofp {{.*}} : i8 to f32
// CHECK: arith.subf
// CHECK: arith.mulf
func.func @dequantize(%q: tensor<4xi8>) -> tensor<4xf32> {
  %x = yz.dequantize %q {scale = 0.5 : f32, zero_point = 3} : tensor<4xi8> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// qconv2d on the CPU: padded with the input zero point, linalg's quantized
// convolution into i32, then bias and per-channel requantization.
// CHECK-LABEL: func @qconv
// CHECK: %[[ZP:.*]] = arith.constant -3 : i8
// CHECK: tensor.pad
// CHECK:   tensor.yield %[[ZP]] : i8
// CHECK: linalg.conv_2d_nchw_fchw_q {{.*}} -> tensor<1x2x3x3xi32>
// CHECK: %[[M:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[M]] : tensor<1x2x3x3xi32>, tensor<2xi32>, tensor<2xf32>)
// CHECK: arith.addi
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.fptosi {{.*}} : f32 to i8
// CHECK-LABEL: func @grouped
// CHECK: linalg.conv_2d_ngchw_gfchw_q
func.func @qconv(%x: tensor<1x2x3x3xi8>, %w: tensor<2x2x3x3xi8>, %b: tensor<2xi32>) -> tensor<1x2x3x3xi8> {
  %y = yz.qconv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1, input_zero_point = -3, multipliers = array<f32: 0.5, 0.25>, output_zero_point = 4, clamp_min = 4, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x3x3xi8>, tensor<2xi32>
  return %y : tensor<1x2x3x3xi8>
}
func.func @grouped(%x: tensor<1x2x3x3xi8>, %w: tensor<2x1x3x3xi8>) -> tensor<1x2x3x3xi8> {
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 2, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x1x3x3xi8>
  return %y : tensor<1x2x3x3xi8>
}

// Constant weights and bias: the input zero point's share (-zp * the sum of
// each filter's weights) is folded into the bias, and the convolution runs
// without zero points: bias [10 - (-3) * 6, -4 - (-3) * -2] = [28, -10].
// (Padding, if any, would still be the zero point.)
// CHECK-LABEL: func @qconv_constant
// CHECK: %[[BIAS:.*]] = arith.constant dense<[28, -10]> : tensor<2xi32>
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: %[[Z2:.*]] = arith.constant 0 : i32
// CHECK: linalg.conv_2d_nchw_fchw_q {{.*}} ins(%{{.*}}, %{{.*}}, %[[Z]], %[[Z2]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[BIAS]], %{{.*}} :
func.func @qconv_constant(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x1x1xi8> {
  %w = yz.constant dense<[[[[1]], [[5]]], [[[-1]], [[-1]]]]> : tensor<2x2x1x1xi8>
  %b = yz.constant dense<[10, -4]> : tensor<2xi32>
  %y = yz.qconv2d %x, %w, %b <{strides = array<i64: 3, 3>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = -3, multipliers = array<f32: 0.5, 0.25>, output_zero_point = 4, clamp_min = 4, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x1x1xi8>, tensor<2xi32>
  return %y : tensor<1x2x1x1xi8>
}
