// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls | FileCheck %s

// 3x3, stride 2, dilation 1, one image: the windows are copied into columns
// [C*KH*KW, OH*OW] by a generic whose input map is affine in (c, kh, kw, n,
// oh, ow), and the filter [F, C*KH*KW] multiplies them.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 * 2 + d2)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv3x3
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x3x9x9xf32>) outs(%{{.*}} : tensor<3x3x3x1x4x4xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<3x3x3x1x4x4xf32> into tensor<27x16xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<8x3x3x3xf32> into tensor<8x27xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[W]], %[[COL]] : tensor<8x27xf32>, tensor<27x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 8, 4, 4] : tensor<8x16xf32> into tensor<1x8x4x4xf32>
// CHECK-NOT: linalg.conv_2d
func.func @conv3x3(%x: tensor<1x3x9x9xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x3x9x9xf32>, tensor<8x3x3x3xf32>) outs(%f : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// 1x1, stride 1, one image: the input already is the columns.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: linalg.generic
// CHECK: %[[COL:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x16x5x5xf32> into tensor<16x25xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[COL]] : tensor<4x16xf32>, tensor<16x25xf32>)
func.func @pointwise(%x: tensor<1x16x5x5xf32>, %w: tensor<4x16x1x1xf32>) -> tensor<1x4x5x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x5x5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x5x5xf32>, tensor<4x16x1x1xf32>) outs(%f : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  return %r : tensor<1x4x5x5xf32>
}

// -----

// Two images, dilation 2: the columns hold both images side by side
// [C*KH*KW, N*OH*OW]; the product [F, N*OH*OW] is transposed to NCHW.
// CHECK-DAG: #[[$DIL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 + d1 * 2, d5 + d2 * 2)>
// CHECK-LABEL: func.func @batch_dilated
// CHECK: linalg.generic {indexing_maps = [#[[$DIL]], {{.*}}} ins(%arg0 : tensor<2x2x6x6xf32>) outs(%{{.*}} : tensor<2x2x2x2x4x4xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x8xf32>, tensor<8x32xf32>)
// CHECK: %[[FN:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0], [1, 2, 3]] output_shape [3, 2, 4, 4] : tensor<3x32xf32> into tensor<3x2x4x4xf32>
// CHECK: linalg.transpose ins(%[[FN]] : tensor<3x2x4x4xf32>) outs(%{{.*}} : tensor<2x3x4x4xf32>) permutation = [1, 0, 2, 3]
func.func @batch_dilated(%x: tensor<2x2x6x6xf32>, %w: tensor<3x2x2x2xf32>) -> tensor<2x3x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<2x2x6x6xf32>, tensor<3x2x2x2xf32>) outs(%f : tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  return %r : tensor<2x3x4x4xf32>
}

// -----

// Left as they are: a conv accumulating into something other than zero,
// an int8 conv, and one placed on the NPU.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-3: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.matmul
func.func @kept(%x: tensor<1x2x3x3xf32>, %w: tensor<1x2x1x1xf32>, %acc: tensor<1x1x3x3xf32>,
                %xi: tensor<1x2x3x3xi8>, %wi: tensor<1x2x1x1xi8>, %acci: tensor<1x1x3x3xi32>)
    -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi32>, tensor<1x1x3x3xf32>) {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) outs(%acc : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %1 = linalg.conv_2d_nchw_fchw ins(%xi, %wi : tensor<1x2x3x3xi8>, tensor<1x2x1x1xi8>) outs(%acci : tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x3x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %2 = linalg.conv_2d_nchw_fchw {yz.placement = "npu"} ins(%x, %w : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) outs(%f : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0, %1, %2 : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi32>, tensor<1x1x3x3xf32>
}

// -----

// Grouped: the columns of each group [G, Cg*KH*KW, N*OH*OW] (one copy over
// (g, c, kh, kw, n, oh, ow)) and a batch matmul over the groups.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x2x3x6x6xf32>) outs(%{{.*}} : tensor<2x3x3x3x1x4x4xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0], [1, 2, 3], [4, 5, 6]] : tensor<2x3x3x3x1x4x4xf32> into tensor<2x27x16xf32>
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1], [2, 3, 4]] : tensor<2x4x3x3x3xf32> into tensor<2x4x27xf32>
// CHECK: %[[MM:.*]] = linalg.batch_matmul ins(%[[W]], %[[COL]] : tensor<2x4x27xf32>, tensor<2x27x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2], [3, 4]] output_shape [1, 2, 4, 4, 4] : tensor<2x4x16xf32> into tensor<1x2x4x4x4xf32>
// CHECK-NOT: linalg.conv_2d
func.func @grouped(%x: tensor<1x2x3x6x6xf32>, %w: tensor<2x4x3x3x3xf32>) -> tensor<1x2x4x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x3x6x6xf32>, tensor<2x4x3x3x3xf32>) outs(%f : tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32>
  return %r : tensor<1x2x4x4x4xf32>
}

// -----

// Depthwise (one channel per group) keeps its loops.
// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.conv_2d_ngchw_gfchw
func.func @depthwise(%x: tensor<1x4x1x6x6xf32>, %w: tensor<4x1x1x3x3xf32>) -> tensor<1x4x1x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x1x4x4xf32>) -> tensor<1x4x1x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x4x1x6x6xf32>, tensor<4x1x1x3x3xf32>) outs(%f : tensor<1x4x1x4x4xf32>) -> tensor<1x4x1x4x4xf32>
  return %r : tensor<1x4x1x4x4xf32>
}
