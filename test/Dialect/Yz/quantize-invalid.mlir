// RUN: yz-opt %s --split-input-file --yz-quantize -verify-diagnostics

func.func @one_range(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = yz.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @+1 {{calibration ranges must be [lo, hi] on both 'yz.input_range' and 'yz.output_range'}}
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @reversed_range(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = yz.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @+1 {{calibration ranges must be [lo, hi]}}
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: 2.0, -2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @weights_not_constant(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{int8 quantization needs an f32 convolution, or a 2-D matmul, with constant weights and bias}}
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @matmul_bias_not_per_column(%x: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = yz.constant dense<1.0> : tensor<3x4xf32>
  %c = yz.constant dense<1.0> : tensor<2x4xf32>
  // expected-error @+1 {{int8 quantization needs an f32 convolution, or a 2-D matmul, with constant weights and bias}}
  %y = yz.matmul %x, %w, %c {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<2x3xf32>, tensor<3x4xf32>, tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @activation_matmul_one_range(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{calibration ranges must be [lo, hi] on both 'yz.input_range' and 'yz.rhs_range'}}
  %y = yz.matmul %a, %b {yz.rhs_range = array<f32: -1.0, 1.0>} : tensor<2x3xf32>, tensor<3x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @activation_matmul_broadcast(%a: tensor<2x2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x2x4xf32> {
  // expected-error @+1 {{int8 quantization of a matmul of two activations needs f32 operands, 2-D or with one equal batch dimension, and no bias or clamp}}
  %y = yz.matmul %a, %b {yz.input_range = array<f32: -1.0, 1.0>, yz.rhs_range = array<f32: -1.0, 1.0>} : tensor<2x2x3xf32>, tensor<3x4xf32>
  return %y : tensor<2x2x4xf32>
}
