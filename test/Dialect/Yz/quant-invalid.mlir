// RUN: yz-opt %s -split-input-file -verify-diagnostics

func.func @scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{'yz.quantize' op scale must be positive and finite, got 0}}
  %q = yz.quantize %x {scale = 0.0 : f32, zero_point = 0} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @zero_point(%q: tensor<4xi8>) {
  // expected-error @+1 {{'yz.dequantize' op zero_point = 300 is not an i8}}
  %x = yz.dequantize %q {scale = 1.0 : f32, zero_point = 300} : tensor<4xi8> -> tensor<4xf32>
  return
}

// -----

func.func @dequant_scale(%q: tensor<4xi8>) {
  // expected-error @+1 {{'yz.dequantize' op scale must be positive and finite, got -2}}
  %x = yz.dequantize %q {scale = -2.0 : f32, zero_point = 0} : tensor<4xi8> -> tensor<4xf32>
  return
}

// -----

func.func @quant_zero_point(%x: tensor<4xf32>) {
  // expected-error @+1 {{'yz.quantize' op zero_point = -129 is not an i8}}
  %q = yz.quantize %x {scale = 1.0 : f32, zero_point = -129} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @multipliers(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>) {
  // expected-error @+1 {{'yz.qconv2d' op needs 1 or 4 (one per output channel) multipliers, got 2}}
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.1, 0.2>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>
  return
}

// -----

func.func @multiplier_sign(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>) {
  // expected-error @+1 {{'yz.qconv2d' op every multiplier must be positive and finite, got -1.000000e-01}}
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: -0.1>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>
  return
}

// -----

func.func @clamp_order(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>) {
  // expected-error @+1 {{'yz.qconv2d' op clamp_min 10 is above clamp_max 5}}
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.1>, output_zero_point = 0, clamp_min = 10, clamp_max = 5}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>
  return
}

// -----

func.func @clamp_range(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>) {
  // expected-error @+1 {{'yz.qconv2d' op input_zero_point = 128 is not an i8}}
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 128, multipliers = array<f32: 0.1>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>
  return
}

// -----

func.func @bias_type(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{yz.qconv2d bias must be [4] of 'i32', got 'tensor<4xi8>'}}
  %y = yz.qconv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.1>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>, tensor<4xi8>
  return
}

// -----

func.func @bias_shape(%x: tensor<1x3x5x5xi8>, %w: tensor<4x3x1x1xi8>, %b: tensor<3xi32>) {
  // expected-error @+1 {{yz.qconv2d bias must be [4] of 'i32', got 'tensor<3xi32>'}}
  %y = yz.qconv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.1>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x3x5x5xi8>, tensor<4x3x1x1xi8>, tensor<3xi32>
  return
}
