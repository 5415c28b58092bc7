// RUN: yz-opt %s --split-input-file --convert-yz-to-linalg | FileCheck %s

// CHECK-LABEL: func @conv
// Padding first (zeros), then the named NCHW convolution into zeros.
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %{{.*}} : tensor<1x4x10x10xf32>, tensor<6x4x3x3xf32>) outs(%{{.*}} : tensor<1x6x4x4xf32>)
// The bias is a broadcast add over [1, F, 1, 1].
// CHECK: tensor.reshape %{{.*}} : (tensor<6xf32>, tensor<4xi64>) -> tensor<1x6x1x1xf32>
// CHECK: linalg.generic
// CHECK: arith.addf
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %0 = yz.conv2d %x, %w, %b <{strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1 : i64}> : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// Groups (here depthwise, 4 groups): split C and F, convolve per group.
// CHECK-LABEL: func @depthwise
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 4, 1, 8, 8]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [4, 1, 1, 3, 3]
// CHECK: linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x4x1x6x6xf32> into tensor<1x4x6x6xf32>
func.func @depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 4 : i64}> : tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// CHECK-LABEL: func @pools
// Max pooling pads with -inf, so padding never wins.
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad
// CHECK: tensor.yield %[[NINF]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// Average pooling without count_include_pad divides by the covered counts:
// a window at the padded edge covers 1 x 1 or 1 x 2 inputs, inner ones 2 x 2.
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.constant dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00], [2.000000e+00, 4.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK: arith.divf
func.func @pools(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %0 = yz.max_pool2d %x <{kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}> : tensor<1x2x3x3xf32>
  %1 = yz.avg_pool2d %x <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, count_include_pad = false}> : tensor<1x2x3x3xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// CHECK-LABEL: func @reductions
// Mean is a sum divided (a decomposition). The sum over axis 1: a generic
// whose output drops it, its float sum marked reassociable (so that LLVM
// vectorizes it), the dimension kept with a reshape; then the division by 5.
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// CHECK: tensor.reshape %{{.*}} -> tensor<3x1xf32>
// CHECK: arith.constant dense<5.000000e+00> : tensor<f32>
// CHECK: arith.divf
func.func @reductions(%x: tensor<3x5xf32>) -> tensor<3x1xf32> {
  %0 = yz.reduce_mean %x <{axes = array<i64: 1>, keepdims = true}> : tensor<3x5xf32>
  return %0 : tensor<3x1xf32>
}

// -----

// Softmax: max, subtract, exp, sum, divide.
// CHECK-LABEL: func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// CHECK: arith.divf
func.func @softmax(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %0 = yz.softmax %x {axis = 1 : i64} : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func @shapes
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x7xf32>
// CHECK: %[[I1:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [3, 5] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[I1]][0, 5] [3, 2] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 3] [1, 2] : tensor<3x5xf32> to tensor<2x3xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<3x5xf32>) outs(%{{.*}} : tensor<5x3xf32>) permutation = [1, 0]
// Gather reads data[i, indices[j]] with negative indices wrapped.
// CHECK: linalg.generic
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: tensor.extract
func.func @shapes(%x: tensor<3x5xf32>, %y: tensor<3x2xf32>, %i: tensor<4xi64>) -> (tensor<3x7xf32>, tensor<2x3xf32>, tensor<5x3xf32>, tensor<3x4xf32>) {
  %0 = yz.concat %x, %y <{axis = 1 : i64}> : tensor<3x5xf32>, tensor<3x2xf32>
  %1 = yz.slice %x <{starts = array<i64: 1, 0>, sizes = array<i64: 2, 3>, strides = array<i64: 1, 2>}> : tensor<3x5xf32>
  %2 = yz.transpose %x, [1, 0] : tensor<3x5xf32>
  %3 = yz.gather %x, %i <{axis = 1 : i64}> : tensor<3x5xf32>, tensor<4xi64>
  return %0, %1, %2, %3 : tensor<3x7xf32>, tensor<2x3xf32>, tensor<5x3xf32>, tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func @math
// CHECK: math.tanh
// CHECK: math.erf
// CHECK: math.sqrt
// CHECK: math.powf
// CHECK: arith.minimumf
// Sigmoid: 1 / (1 + exp(-x)), as 0.5 + 0.5 * tanh(x / 2).
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[X2:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK: %[[T:.*]] = math.tanh %[[X2]] : f32
// CHECK: math.fma %[[T]], %[[HALF]], %[[HALF]] : f32
func.func @math(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = yz.tanh %x : tensor<4xf32>
  %1 = yz.erf %x : tensor<4xf32>
  %2 = yz.sqrt %x : tensor<4xf32>
  %3 = yz.pow %x, %x : tensor<4xf32>, tensor<4xf32>
  %4 = yz.min %x, %x : tensor<4xf32>, tensor<4xf32>
  %5 = yz.sigmoid %x : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A backward slice, and one whose start and steps come at run time: each
// element read at start + j * step.
// CHECK-LABEL: func @slices
// CHECK: linalg.generic
// CHECK: arith.constant -1 : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<3x5xf32>
// CHECK: linalg.generic
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<2xi64>
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<3x5xf32>
func.func @slices(%x: tensor<3x5xf32>, %o: tensor<2xi64>, %s: tensor<2xi64>) -> (tensor<3x5xf32>, tensor<2x2xf32>) {
  %0 = yz.slice %x <{starts = array<i64: 0, 4>, sizes = array<i64: 3, 5>, strides = array<i64: 1, -1>}> : tensor<3x5xf32>
  %1 = yz.dynamic_slice %x[%o, %s] : tensor<3x5xf32>, tensor<2xi64>, tensor<2xi64> -> tensor<2x2xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<2x2xf32>
}

// -----

// ceil_mode rounds the output up: the last window overhangs, its overhang
// padded but counted for nothing; dilated average pooling.
// CHECK-LABEL: func @ceil_pools
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_max
// CHECK: linalg.pooling_nchw_sum {dilations = dense<2> : tensor<2xi64>
// CHECK: arith.constant dense<{{\[\[\[\[}}4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]]]>
func.func @ceil_pools(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %0 = yz.max_pool2d %x <{kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true}> : tensor<1x1x4x4xf32>
  %1 = yz.avg_pool2d %x <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, count_include_pad = false, dilations = array<i64: 2, 2>, ceil_mode = true}> : tensor<1x1x4x4xf32>
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// Constant padding is tensor.pad; reflect reads input index r or
// 2(n - 1) - r, r the position modulo 2(n - 1); wrap reads it modulo n; edge
// clamps it to [0, n - 1].
// CHECK-LABEL: func @pads
// CHECK: tensor.pad %{{.*}} low[1, 0] high[0, 2]
// CHECK: linalg.generic
// CHECK: arith.constant 4 : index
// CHECK: arith.remsi
// CHECK: arith.subi
// CHECK: arith.select
// CHECK: tensor.extract
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract
func.func @pads(%x: tensor<3x4xf32>, %v: tensor<f32>) -> (tensor<4x6xf32>, tensor<7x10xf32>, tensor<7x9xf32>, tensor<6x4xf32>) {
  %0 = yz.pad %x, %v <{low = array<i64: 1, 0>, high = array<i64: 0, 2>, mode = "constant"}> : tensor<3x4xf32>, tensor<f32>
  %1 = yz.pad %x <{low = array<i64: 2, 3>, high = array<i64: 2, 3>, mode = "reflect"}> : tensor<3x4xf32>
  %2 = yz.pad %x <{low = array<i64: 4, 0>, high = array<i64: 0, 5>, mode = "wrap"}> : tensor<3x4xf32>
  %3 = yz.pad %x <{low = array<i64: 2, 0>, high = array<i64: 1, 0>, mode = "edge"}> : tensor<3x4xf32>
  return %0, %1, %2, %3 : tensor<4x6xf32>, tensor<7x10xf32>, tensor<7x9xf32>, tensor<6x4xf32>
}
