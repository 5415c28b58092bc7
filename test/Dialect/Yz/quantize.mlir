// RUN: yz-opt %s --split-input-file --yz-quantize | FileCheck %s

// Input [-1, 1]: scale 2/255 and zero point round(-128 + 1 / scale) = -1
// (in f32, 1 / scale is just below 127.5). Output
// [0, 6] (a fused ReLU6): scale 6/255, zero point -128, and the clamp
// [0, 6] becomes [-128, 127]. Weights per output channel: [0.5, -0.25] has
// scale 0.5/127 and quantizes to [127, -64] (-63.5 to even); an all-zero
// channel gets scale 1. Bias at the accumulator's scale: 0.01 / (2/255 x
// 0.5/127) = 323.85 -> 324. Multipliers: input x weight scale / output.
// CHECK-LABEL: func @conv
// CHECK: %[[Q:.*]] = yz.quantize %arg0 {scale = 0.00784313772 : f32, zero_point = -1 : i64} : tensor<1x1x3x4xf32> -> tensor<1x1x3x4xi8>
// CHECK-DAG: %[[W:.*]] = yz.constant dense<{{\[\[\[\[}}127, -64]]], {{\[\[\[}}0, 0]]]]> : tensor<2x1x1x2xi8>
// CHECK-DAG: %[[B:.*]] = yz.constant dense<[324, 0]> : tensor<2xi32>
// CHECK: %[[C:.*]] = yz.qconv2d %[[Q]], %[[W]], %[[B]] <{clamp_max = 127 : i64, clamp_min = -128 : i64, dilations = array<i64: 1, 1>, groups = 1 : i64, input_zero_point = -1 : i64, multipliers = array<f32: 0.00131233595, 0.333333343>, output_zero_point = -128 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}>
// CHECK: %[[D:.*]] = yz.dequantize %[[C]] {scale = 0.0235294122 : f32, zero_point = -128 : i64} : tensor<1x2x3x3xi8> -> tensor<1x2x3x3xf32>
// CHECK: return %[[D]]
func.func @conv(%x: tensor<1x1x3x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = yz.constant dense<[[[[0.5, -0.25]]], [[[0.0, 0.0]]]]> : tensor<2x1x1x2xf32>
  %b = yz.constant dense<[0.01, 0.0]> : tensor<2xf32>
  %y = yz.conv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}> {yz.input_range = array<f32: -1.0, 1.0>, yz.output_range = array<f32: 0.0, 6.0>} : tensor<1x1x3x4xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Two convolutions in a row share the tensor between them: its dequantize
// -> quantize pair cancels and the int8 result feeds the second directly.
// A ReLU's clamp at 0 is the zero point, -1 here.
// CHECK-LABEL: func @chain
// CHECK: %[[Q:.*]] = yz.quantize %arg0
// CHECK: %[[C1:.*]] = yz.qconv2d %[[Q]], %{{.*}} <{clamp_max = 127 : i64, clamp_min = -128 : i64
// CHECK-NOT: yz.quantize
// CHECK: %[[C2:.*]] = yz.qconv2d %[[C1]], %{{.*}} <{clamp_max = 127 : i64, clamp_min = -1 : i64, {{.*}}output_zero_point = -1 : i64
// CHECK: %[[D:.*]] = yz.dequantize %[[C2]] {scale = 0.0156862754 : f32, zero_point = -1 : i64}
// CHECK: return %[[D]]
func.func @chain(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = yz.constant dense<1.0> : tensor<1x1x1x1xf32>
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  %z = yz.conv2d %y, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = 0.0 : f32}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %z : tensor<1x1x2x2xf32>
}

// -----

// Depthwise convolutions stay f32 (the NPU runs none); their ranges go.
// Convolutions without ranges are not touched.
// CHECK-LABEL: func @left_alone
// CHECK-NOT: yz.quantize
// CHECK: yz.conv2d %arg0, %{{.*}} <{{.*}}groups = 2 : i64,{{.*}}}> : tensor
// CHECK: yz.conv2d
// CHECK-NOT: yz.input_range
func.func @left_alone(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = yz.constant dense<1.0> : tensor<2x1x1x1xf32>
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 2}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>
  %z = yz.conv2d %y, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 2}> : tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>
  return %z : tensor<1x2x2x2xf32>
}

// -----

// An imported QDQ convolution: dequantize -> conv2d -> quantize becomes one
// qconv2d with the model's scales. The weights lie on a grid whose largest
// |q| is 100 (scale 0.01): recovered as [100, -37], not rescaled to 127.
// Multiplier: 0.5 x 0.01 / 0.25 = 0.02.
// CHECK-LABEL: func @qdq
// CHECK: %[[W:.*]] = yz.constant dense<{{\[\[\[\[}}100, -37]]]]> : tensor<1x1x1x2xi8>
// CHECK: %[[C:.*]] = yz.qconv2d %arg0, %[[W]] <{clamp_max = 127 : i64, clamp_min = -128 : i64, dilations = array<i64: 1, 1>, groups = 1 : i64, input_zero_point = 4 : i64, multipliers = array<f32: 2.000000e-02>, output_zero_point = -2 : i64
// CHECK-NOT: yz.quantize
// CHECK: return %[[C]]
func.func @qdq(%q: tensor<1x1x2x3xi8>) -> tensor<1x1x2x2xi8> {
  %x = yz.dequantize %q {scale = 0.5 : f32, zero_point = 4} : tensor<1x1x2x3xi8> -> tensor<1x1x2x3xf32>
  %w = yz.constant dense<[[[[1.0, -0.37]]]]> : tensor<1x1x1x2xf32>
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> : tensor<1x1x2x3xf32>, tensor<1x1x1x2xf32>
  %r = yz.quantize %y {scale = 0.25 : f32, zero_point = -2} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xi8>
  return %r : tensor<1x1x2x2xi8>
}

// -----

// A linear layer: the [2, 3] x [3, 2] matmul as a 1x1 convolution over
// [2, 3, 1, 1], its weights transposed to [2, 3, 1, 1] (one channel per
// output column, scale max |w| / 127), the bias per column.
// CHECK-LABEL: func @linear
// CHECK: %[[Q:.*]] = yz.quantize %arg0 {{.*}} : tensor<2x3xf32> -> tensor<2x3xi8>
// CHECK: %[[Q4:.*]] = yz.reshape %[[Q]] : tensor<2x3xi8> -> tensor<2x3x1x1xi8>
// CHECK-DAG: %[[W:.*]] = yz.constant dense<{{\[\[\[\[}}127]], {{\[\[}}0]], {{\[\[}}-64]]], {{\[\[\[}}0]], {{\[\[}}127]], {{\[\[}}0]]]]> : tensor<2x3x1x1xi8>
// CHECK-DAG: %[[B:.*]] = yz.constant dense<{{.*}}> : tensor<2xi32>
// CHECK: %[[C:.*]] = yz.qconv2d %[[Q4]], %[[W]], %[[B]] <{clamp_max = 127 : i64, clamp_min = -1 : i64, {{.*}}pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<2x3x1x1xi8>, tensor<2x3x1x1xi8>, tensor<2xi32>
// CHECK: %[[C2:.*]] = yz.reshape %[[C]] : tensor<2x2x1x1xi8> -> tensor<2x2xi8>
// CHECK: %[[D:.*]] = yz.dequantize %[[C2]] {{.*}} : tensor<2x2xi8> -> tensor<2x2xf32>
// CHECK: return %[[D]]
func.func @linear(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = yz.constant dense<[[1.0, 0.0], [0.0, 0.5], [-0.5, 0.0]]> : tensor<3x2xf32>
  %b = yz.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %y = yz.matmul %x, %w, %b {clamp_min = 0.0 : f32, yz.input_range = array<f32: -1.0, 1.0>, yz.output_range = array<f32: -1.0, 1.0>} : tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// An imported QDQ linear layer fuses the same way, between reshapes.
// CHECK-LABEL: func @qdq_linear
// CHECK: %[[X:.*]] = yz.reshape %arg0 : tensor<2x3xi8> -> tensor<2x3x1x1xi8>
// CHECK: %[[C:.*]] = yz.qconv2d %[[X]], %{{.*}} <{{.*}}input_zero_point = 1 : i64, multipliers = array<f32: 2.000000e-02, 2.000000e-02>, output_zero_point = 0 : i64
// CHECK: %[[Y:.*]] = yz.reshape %[[C]] : tensor<2x2x1x1xi8> -> tensor<2x2xi8>
// CHECK-NOT: yz.quantize
// CHECK: return %[[Y]]
func.func @qdq_linear(%q: tensor<2x3xi8>) -> tensor<2x2xi8> {
  %x = yz.dequantize %q {scale = 0.5 : f32, zero_point = 1} : tensor<2x3xi8> -> tensor<2x3xf32>
  %w = yz.constant dense<[[1.27, 0.0], [0.0, -1.27], [0.5, 0.01]]> : tensor<3x2xf32>
  %y = yz.matmul %x, %w : tensor<2x3xf32>, tensor<3x2xf32>
  %r = yz.quantize %y {scale = 0.25 : f32, zero_point = 0} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %r : tensor<2x2xi8>
}

// -----

// A matmul of two activations (attention's Q K^T): both operands symmetric
// per tensor, scale max |x| / 127 with zero point 0 (lhs [-2, 1.27]: 2/127;
// rhs [-0.5, 0.635]: 0.635/127 = 0.005), an i8 x i8 -> i32 batch, then f32
// times the f32 product of the scales (2/127 x 0.005, in f32).
// CHECK-LABEL: func @activation_matmul
// CHECK: %[[A:.*]] = yz.quantize %arg0 {scale = 0.0157480314 : f32, zero_point = 0 : i64} : tensor<4x3x5xf32> -> tensor<4x3x5xi8>
// CHECK: %[[B:.*]] = yz.quantize %arg1 {scale = 5.000000e-03 : f32, zero_point = 0 : i64} : tensor<4x5x2xf32> -> tensor<4x5x2xi8>
// CHECK: %[[M:.*]] = yz.matmul %[[A]], %[[B]] : tensor<4x3x5xi8>, tensor<4x5x2xi8>
// CHECK: %[[F:.*]] = yz.cast %[[M]] : tensor<4x3x2xi32> -> tensor<4x3x2xf32>
// CHECK: %[[S:.*]] = yz.constant dense<7.87401586E-5> : tensor<f32>
// CHECK: yz.mul %[[F]], %[[S]]
func.func @activation_matmul(%q: tensor<4x3x5xf32>, %k: tensor<4x5x2xf32>) -> tensor<4x3x2xf32> {
  %y = yz.matmul %q, %k {yz.input_range = array<f32: -2.0, 1.27>, yz.rhs_range = array<f32: -0.5, 0.635>, yz.output_range = array<f32: -1.0, 1.0>} : tensor<4x3x5xf32>, tensor<4x5x2xf32>
  return %y : tensor<4x3x2xf32>
}

// -----

// A max pool between two quantized convolutions pools the int8 values
// (dequantization is increasing, so the two commute); the pool keeps the
// tensor's range, so the dequantize -> quantize pair after it cancels and
// the pooled int8 result feeds the second convolution directly. The pool's
// own result is dequantized for its other user.
// CHECK-LABEL: func @pooled
// CHECK: %[[C1:.*]] = yz.qconv2d
// CHECK: %[[P:.*]] = yz.max_pool2d %[[C1]] <{{.*}}> : tensor<1x1x4x4xi8>
// CHECK: %[[D:.*]] = yz.dequantize %[[P]] {scale = 0.0156862754 : f32, zero_point = -1 : i64} : tensor<1x1x2x2xi8> -> tensor<1x1x2x2xf32>
// CHECK: %[[C2:.*]] = yz.qconv2d %[[P]],
// CHECK: return %{{.*}}, %[[D]]
func.func @pooled(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = yz.constant dense<1.0> : tensor<1x1x1x1xf32>
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>
  %p = yz.max_pool2d %y <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}> : tensor<1x1x4x4xf32>
  %z = yz.conv2d %p, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> {yz.input_range = array<f32: -2.0, 2.0>, yz.output_range = array<f32: -2.0, 2.0>} : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %z, %p : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
