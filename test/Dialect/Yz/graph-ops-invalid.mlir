// RUN: yz-opt %s -split-input-file -verify-diagnostics

func.func @matmul_bias(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'yz.matmul' op bias 'tensor<4xf32>' must broadcast to the result 'tensor<4x16xf32>'}}
  %0 = yz.matmul %x, %w, %b : tensor<4x8xf32>, tensor<8x16xf32>, tensor<4xf32>
  return
}

// -----

func.func @matmul_clamp(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) {
  // expected-error @+1 {{'yz.matmul' op clamp_min (1.000000e+00) is greater than clamp_max (0.000000e+00)}}
  %0 = yz.matmul %x, %w {clamp_min = 1.0 : f32, clamp_max = 0.0 : f32} : tensor<4x8xf32>, tensor<8x16xf32>
  return
}

// -----

func.func @conv_clamp(%i: tensor<1x1x4x4xf32>, %f: tensor<2x1x1x1xf32>) {
  // expected-error @+1 {{'yz.conv2d' op clamp_min (6.000000e+00) is greater than clamp_max (0.000000e+00)}}
  %0 = yz.conv2d %i, %f <{clamp_min = 6.0 : f32, clamp_max = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  return
}

// -----

func.func @broadcast_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'yz.broadcast_to' op cannot broadcast 'tensor<2x3xf32>' to 'tensor<4x3xf32>'}}
  %0 = yz.broadcast_to %x : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @broadcast_type(%x: tensor<3xf32>) {
  // expected-error @+1 {{'yz.broadcast_to' op changes the element type from 'f32' to 'i32'}}
  %0 = yz.broadcast_to %x : tensor<3xf32> -> tensor<2x3xi32>
  return
}

// -----

func.func @cast_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'yz.cast' op changes the shape from 'tensor<2x3xf32>' to 'tensor<6xi32>'}}
  %0 = yz.cast %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

func.func @select_shape(%c: tensor<4xi1>, %x: tensor<3xf32>) {
  // expected-error @+1 {{yz.select condition 'tensor<4xi1>' does not broadcast with 'tensor<3xf32>'}}
  %0 = yz.select %c, %x, %x : tensor<4xi1>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @select_types(%c: tensor<3xi1>, %x: tensor<3xf32>, %y: tensor<3xi32>) {
  // expected-error @+1 {{yz.select operands must have the same element type, got 'f32' and 'i32'}}
  %0 = yz.select %c, %x, %y : tensor<3xi1>, tensor<3xf32>, tensor<3xi32>
  return
}

// -----

func.func @compare_shapes(%x: tensor<2xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{yz.less operand shapes 'tensor<2xf32>' and 'tensor<3xf32>' do not broadcast}}
  %0 = yz.less %x, %y : tensor<2xf32>, tensor<3xf32>
  return
}
