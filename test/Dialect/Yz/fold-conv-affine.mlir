// RUN: yz-opt %s --yz-fold-conv-affine --canonicalize --split-input-file | FileCheck %s

// A batch-norm (as imported: mul by a, add b per channel) after a biased
// convolution folds into one convolution: W' = W * a, b' = b * a + b.
// CHECK-LABEL: func @bn_after_conv
// CHECK-DAG: %[[W:.*]] = yz.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = yz.constant dense<[2.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = yz.conv2d %arg0, %[[W]], %[[B]]
// CHECK-NOT: yz.mul
// CHECK-NOT: yz.add
// CHECK: return %[[Y]]
func.func @bn_after_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yz.constant dense<[[[[1.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %b = yz.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %a = yz.constant dense<[[[2.0]], [[-3.0]]]> : tensor<2x1x1xf32>
  %t = yz.constant dense<[[[[0.5]], [[1.0]]]]> : tensor<1x2x1x1xf32>
  %c = yz.conv2d %x, %w, %b <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>
  %m = yz.mul %c, %a : tensor<1x2x4x4xf32>, tensor<2x1x1xf32>
  %y = yz.add %t, %m : tensor<1x2x1x1xf32>, tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A convolution without bias gains one; a scalar scale applies to all
// channels.
// CHECK-LABEL: func @scalar_scale_no_bias
// CHECK-DAG: %[[W:.*]] = yz.constant dense<{{\[\[\[\[}}5.000000e-01]]], {{\[\[\[}}1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = yz.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK: yz.conv2d %arg0, %[[W]], %[[B]]
func.func @scalar_scale_no_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yz.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %s = yz.constant dense<0.5> : tensor<f32>
  %c = yz.conv2d %x, %w <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %m = yz.mul %c, %s : tensor<1x2x4x4xf32>, tensor<f32>
  return %m : tensor<1x2x4x4xf32>
}

// -----

// Not folded: the convolution has a second user (folding would change it),
// the scale varies over space, and the weights are not constant.

// CHECK-LABEL: func @not_folded
// CHECK: yz.conv2d
// CHECK-COUNT-2: yz.mul
// CHECK: yz.conv2d
// CHECK: yz.mul
func.func @not_folded(%x: tensor<1x1x4x4xf32>, %wv: tensor<2x1x1x1xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = yz.constant dense<1.0> : tensor<2x1x1x1xf32>
  %a = yz.constant dense<2.0> : tensor<2x1x1xf32>
  %sp = yz.constant dense<2.0> : tensor<1x1x4x4xf32>
  %c = yz.conv2d %x, %w <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %m1 = yz.mul %c, %a : tensor<1x2x4x4xf32>, tensor<2x1x1xf32>
  %m2 = yz.mul %c, %sp : tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>
  %v = yz.conv2d %x, %wv <{dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %m3 = yz.mul %v, %a : tensor<1x2x4x4xf32>, tensor<2x1x1xf32>
  return %m1, %m2, %m3 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A clamped convolution is not affine: the scale stays.
// CHECK-LABEL: func @clamped
// CHECK: yz.conv2d {{.*}}clamp_min
// CHECK: yz.mul
func.func @clamped(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yz.constant dense<1.0> : tensor<2x1x1x1xf32>
  %a = yz.constant dense<2.0> : tensor<2x1x1xf32>
  %c = yz.conv2d %x, %w <{clamp_min = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>
  %m = yz.mul %c, %a : tensor<1x2x4x4xf32>, tensor<2x1x1xf32>
  return %m : tensor<1x2x4x4xf32>
}
