// RUN: yz-opt %s -split-input-file -verify-diagnostics

// One case per section: the verifier stops at a function's first error.

// -----

func.func @case0(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+1 {{yz.conv2d filter must be FCHW (rank 4), got 'tensor<6x4x3xf32>'}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3xf32>
  return
}

// -----

func.func @case1(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf16>) {
  // expected-error @+1 {{yz.conv2d input and filter element types differ: 'f32' vs 'f16'}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf16>
  return
}

// -----

func.func @case2(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d with 2 groups needs C = filter C x groups and F divisible by groups; got input 'tensor<1x4x8x8xf32>' and filter 'tensor<6x4x3x3xf32>'}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 2 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case3(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{yz.conv2d bias must be [6] of 'f32', got 'tensor<5xf32>'}}
  %0 = yz.conv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<5xf32>
  return
}

// -----

func.func @case4(%x: tensor<4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d input must be NCHW (rank 4), got 'tensor<4x8x8xf32>'}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<4x8x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case5(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d needs 2 kernel sizes, 2 strides, 2 dilations and 4 pads}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case6(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d kernel, strides and dilations must be positive}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case7(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d pads must not be negative}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: -1, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case8(%x: tensor<1x4x2x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{yz.conv2d window of 3 is larger than the padded input (2) in dimension 2}}
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : tensor<1x4x2x8xf32>, tensor<6x4x3x3xf32>
  return
}

// -----

func.func @case9(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+1 {{'yz.conv2d' op requires attribute 'dilations'}}
  %0 = "yz.conv2d"(%x, %w) : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @case10(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{yz.max_pool2d window of 9 is larger than the padded input (8) in dimension 2}}
  %0 = yz.max_pool2d %x <{kernel = array<i64: 9, 9>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}> : tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case11(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yz.max_pool2d' op requires attribute 'dilations'}}
  %0 = "yz.max_pool2d"(%x) : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case12(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{yz.avg_pool2d needs 2 kernel sizes, 2 strides, 2 dilations and 4 pads}}
  %0 = yz.avg_pool2d %x <{kernel = array<i64: 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, count_include_pad = true}> : tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case13(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yz.avg_pool2d' op requires attribute 'count_include_pad'}}
  %0 = "yz.avg_pool2d"(%x) : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case14(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.reduce_sum axes must be sorted, unique and in 0..1}}
  %0 = yz.reduce_sum %x <{axes = array<i64: 1, 0>, keepdims = true}> : tensor<3x5xf32>
  return
}

// -----

func.func @case15(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.reduce_max axes must be sorted, unique and in 0..1}}
  %0 = yz.reduce_max %x <{axes = array<i64: 2>, keepdims = true}> : tensor<3x5xf32>
  return
}

// -----

func.func @case16(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.reduce_mean' op requires attribute 'axes'}}
  %0 = "yz.reduce_mean"(%x) : (tensor<3x5xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @case17(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.softmax' op axis 2 is outside 0..1}}
  %0 = yz.softmax %x {axis = 2 : i64} : tensor<3x5xf32>
  return
}

// -----

func.func @case18(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.concat axis 2 is outside 0..1}}
  %0 = yz.concat %x, %x <{axis = 2 : i64}> : tensor<3x5xf32>, tensor<3x5xf32>
  return
}

// -----

func.func @case19(%x: tensor<3x5xf32>, %y: tensor<3x5xi32>) {
  // expected-error @+1 {{yz.concat inputs differ in rank or element type: 'tensor<3x5xf32>' vs 'tensor<3x5xi32>'}}
  %0 = yz.concat %x, %y <{axis = 0 : i64}> : tensor<3x5xf32>, tensor<3x5xi32>
  return
}

// -----

func.func @case20(%x: tensor<3x5xf32>, %y: tensor<3x4xf32>) {
  // expected-error @+1 {{yz.concat inputs differ in dimension 1: 'tensor<3x5xf32>' vs 'tensor<3x4xf32>'}}
  %0 = yz.concat %x, %y <{axis = 0 : i64}> : tensor<3x5xf32>, tensor<3x4xf32>
  return
}

// -----

func.func @case21(%x: tensor<3x5xf32>) {
  // expected-error @+2 {{yz.concat needs at least one input}}
  // expected-error @+1 {{'yz.concat' op failed to infer returned types}}
  %0 = "yz.concat"() <{axis = 0 : i64}> : () -> tensor<3x5xf32>
  return
}

// -----

func.func @case22(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.concat' op requires attribute 'axis'}}
  %0 = "yz.concat"(%x) : (tensor<3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @case23(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.slice needs 2 starts, sizes and strides}}
  %0 = yz.slice %x <{starts = array<i64: 0>, sizes = array<i64: 1, 1>, strides = array<i64: 1, 1>}> : tensor<3x5xf32>
  return
}

// -----

func.func @case24(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.slice dimension 1: starts and sizes must not be negative, strides not 0}}
  %0 = yz.slice %x <{starts = array<i64: 0, 0>, sizes = array<i64: 1, 1>, strides = array<i64: 1, 0>}> : tensor<3x5xf32>
  return
}

// -----

func.func @case25(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.slice dimension 1: elements 1 + k * 2 for k < 3 leave the input's 5}}
  %0 = yz.slice %x <{starts = array<i64: 0, 1>, sizes = array<i64: 1, 3>, strides = array<i64: 1, 2>}> : tensor<3x5xf32>
  return
}

// -----

func.func @case26(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.slice' op requires attribute 'sizes'}}
  %0 = "yz.slice"(%x) : (tensor<3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @case27(%x: tensor<3x5xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{yz.gather axis 2 is outside 0..1}}
  %0 = yz.gather %x, %i <{axis = 2 : i64}> : tensor<3x5xf32>, tensor<2xi64>
  return
}

// -----

func.func @case28(%x: tensor<3x5xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'yz.gather' op requires attribute 'axis'}}
  %0 = "yz.gather"(%x, %i) : (tensor<3x5xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return
}

// -----

func.func @case29(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.transpose perm has 1 entries for a rank-2 input}}
  %0 = yz.transpose %x, [0] : tensor<3x5xf32>
  return
}

// -----

func.func @case30(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.transpose perm is not a permutation of 0..1}}
  %0 = yz.transpose %x, [1, 1] : tensor<3x5xf32>
  return
}

// -----

func.func @case31(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.transpose' op requires attribute 'perm'}}
  %0 = "yz.transpose"(%x) : (tensor<3x5xf32>) -> tensor<5x3xf32>
  return
}

// -----

func.func @case32(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.reshape' op changes the element type from 'f32' to 'i32'}}
  %0 = yz.reshape %x : tensor<3x5xf32> -> tensor<15xi32>
  return
}

// -----

func.func @case33(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'yz.reshape' op reshapes 15 elements into 16}}
  %0 = yz.reshape %x : tensor<3x5xf32> -> tensor<16xf32>
  return
}

// -----

func.func @case34(%x: tensor<3x5xi32>) {
  // expected-error @+1 {{'yz.tanh' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<3x5xi32>'}}
  %0 = yz.tanh %x : tensor<3x5xi32>
  return
}

// -----

func.func @float_floored_mod(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'yz.mod' op on floats needs fmod = true (C's fmod)}}
  %0 = yz.mod %x, %x <{fmod = false}> : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @cumsum_axis(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'yz.cumsum' op axis 1 is outside 0..0}}
  %0 = yz.cumsum %x <{axis = 1 : i64, exclusive = false, reverse = false}> : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @log_softmax_axis(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'yz.log_softmax' op axis 2 is outside 0..0}}
  %0 = yz.log_softmax %x {axis = 2 : i64} : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @arg_axis(%x: tensor<3xf32>) -> tensor<i64> {
  // expected-error @+1 {{yz.arg_max axes must be sorted, unique and in 0..0}}
  %0 = yz.arg_max %x <{axis = 3 : i64, keepdims = false, select_last_index = false}> : tensor<3xf32>
  return %0 : tensor<i64>
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{yz.gather_elements indices 'tensor<2xi64>' must have the rank of the data 'tensor<2x3xf32>'}}
  %0 = yz.gather_elements %x, %i <{axis = 1 : i64}> : tensor<2x3xf32>, tensor<2xi64>
  return %0 : tensor<2xf32>
}

// -----

func.func @backward_slice_out(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{yz.slice dimension 1: elements 2 + k * -1 for k < 4 leave the input's 5}}
  %0 = yz.slice %x <{starts = array<i64: 0, 2>, sizes = array<i64: 1, 4>, strides = array<i64: 1, -1>}> : tensor<3x5xf32>
  return
}

// -----

func.func @dynamic_slice_rank(%x: tensor<3x5xf32>, %o: tensor<3xi64>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'yz.dynamic_slice' op offsets and steps need 2 entries, got 'tensor<3xi64>'}}
  %0 = yz.dynamic_slice %x[%o, %s] : tensor<3x5xf32>, tensor<3xi64>, tensor<2xi64> -> tensor<2x2xf32>
  return
}
