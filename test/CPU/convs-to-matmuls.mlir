// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=strided-vectors=1" | FileCheck %s
// Without strided vector loads and stores (x86), a depthwise convolution
// stays NCHW: one elementwise generic over KH x KW shifted windows.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls | FileCheck %s --check-prefix=NOSTRIDE
// A bad CPU description is an error naming the key.
// RUN: not yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=bogus=1" 2>&1 | FileCheck %s --check-prefix=BADCPU
// BADCPU: error: yz-convs-to-matmuls: bad cpu option: unknown CPU key 'bogus'

// 3x3, stride 2, dilation 1, one image, 64 filters: the windows are
// copied into columns [C*KH*KW, OH*OW] by a generic whose input map is
// affine in (c, kh, kw, n, oh, ow), and the filter [F, C*KH*KW] multiplies
// them. (With this many filters, shifted columns' junk pixel per row of 4
// would cost more than the copy saves.)
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 * 2 + d2)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv3x3
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<64x3x3x3xf32> into tensor<64x27xf32>
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x3x9x9xf32>) outs(%{{.*}} : tensor<3x3x3x1x4x4xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<3x3x3x1x4x4xf32> into tensor<27x16xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[W]], %[[COL]] : tensor<64x27xf32>, tensor<27x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 64, 4, 4] : tensor<64x16xf32> into tensor<1x64x4x4xf32>
// CHECK-NOT: linalg.conv_2d
func.func @conv3x3(%x: tensor<1x3x9x9xf32>, %w: tensor<64x3x3x3xf32>) -> tensor<1x64x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x64x4x4xf32>) -> tensor<1x64x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x3x9x9xf32>, tensor<64x3x3x3xf32>) outs(%f : tensor<1x64x4x4xf32>) -> tensor<1x64x4x4xf32>
  return %r : tensor<1x64x4x4xf32>
}

// -----

// Shifted columns (stride 1, one image, few filters): column (c, kh, kw)
// is the run of the flattened input [C, H*W] from kh*W + kw, so the copy
// reads x[c, kh*10 + kw + p]. The product runs over p < OH*W = 80 (a
// multiple of N0 = 8 at the default 4 lanes), each output row with W - OW
// = 2 junk pixels, dropped by the slice after it. The input gets one more
// row of padding, so that the last column's run stays inside its channel.
// CHECK-DAG: #[[$SHIFT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, 0, 0, d2 * 10 + d3 + d4)>
// CHECK-LABEL: func.func @shifted
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<8x3x3x3xf32> into tensor<8x27xf32>
// CHECK: %[[X:.*]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 0]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2, 3]] : tensor<1x3x11x10xf32> into tensor<3x110xf32>
// CHECK: %[[G:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3], [4]] output_shape [1, 3, 1, 1, 110]
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[$SHIFT]], {{.*}}]{{.*}} ins(%[[G]] : tensor<1x3x1x1x110xf32>) outs(%{{.*}} : tensor<1x3x3x3x80xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0, 1, 2, 3], [4]] : tensor<1x3x3x3x80xf32> into tensor<27x80xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[W]], %[[COL]] : tensor<8x27xf32>, tensor<27x80xf32>)
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0], [1, 2]] output_shape [8, 8, 10] : tensor<8x80xf32> into tensor<8x8x10xf32>
// CHECK: %[[VALID:.*]] = tensor.extract_slice %[[ROWS]][0, 0, 0] [8, 8, 8] [1, 1, 1] : tensor<8x8x10xf32> to tensor<8x8x8xf32>
// CHECK: tensor.expand_shape %[[VALID]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 8, 8, 8]
// CHECK-NOT: linalg.conv_2d
func.func @shifted(%x: tensor<1x3x10x10xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>) outs(%f : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// Shifted columns with stride 2: the input, padded by the conv's pad and
// the rows the runs need in one pad of its source, is split into its 2 x 2
// phases (each 6 x 5 here), and tap (kh, kw) reads phase (kh % 2, kw % 2)
// from (kh / 2) * 5 + kw / 2. P = OH*WQ = 20 rounded up to N0 = 8: the
// product's last 4 columns and each row's fifth pixel are dropped.
// CHECK-DAG: #[[$PHASE:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2 mod 2, d3 mod 2, (d2 floordiv 2) * 5 + d3 floordiv 2 + d4)>
// CHECK-LABEL: func.func @shifted_stride2
// CHECK: %[[X:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 3, 1]
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x12x10xf32>
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2, 3], [4, 5]] output_shape [1, 3, 6, 2, 5, 2]
// CHECK: %[[PHASES:.*]] = linalg.generic {{.*}} ins(%[[SPLIT]] : tensor<1x3x6x2x5x2xf32>) outs(%{{.*}} : tensor<1x3x2x2x6x5xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[PHASES]] {{\[\[}}0, 1], [2], [3], [4, 5]] : tensor<1x3x2x2x6x5xf32> into tensor<3x2x2x30xf32>
// CHECK: %[[G:.*]] = tensor.expand_shape %[[FLAT]]
// CHECK: linalg.generic {indexing_maps = [#[[$PHASE]], {{.*}}]{{.*}} ins(%[[G]] : tensor<1x3x2x2x30xf32>) outs(%{{.*}} : tensor<1x3x3x3x24xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x27xf32>, tensor<27x24xf32>)
// CHECK: %[[P:.*]] = tensor.extract_slice %[[MM]][0, 0] [8, 20] [1, 1] : tensor<8x24xf32> to tensor<8x20xf32>
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2]] output_shape [8, 4, 5]
// CHECK: tensor.extract_slice %[[ROWS]][0, 0, 0] [8, 4, 4] [1, 1, 1] : tensor<8x4x5xf32> to tensor<8x4x4xf32>
func.func @shifted_stride2(%y: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %x = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>) outs(%f : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
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
// (g, c, kh, kw, n, oh, ow)) and a batch matmul over the groups. (16
// filters a group: two junk pixels per row of 4 would cost more than the
// copy saves.)
// CHECK-LABEL: func.func @grouped
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1], [2, 3, 4]] : tensor<2x16x3x3x3xf32> into tensor<2x16x27xf32>
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x2x3x6x6xf32>) outs(%{{.*}} : tensor<2x3x3x3x1x4x4xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0], [1, 2, 3], [4, 5, 6]] : tensor<2x3x3x3x1x4x4xf32> into tensor<2x27x16xf32>
// CHECK: %[[MM:.*]] = linalg.batch_matmul ins(%[[W]], %[[COL]] : tensor<2x16x27xf32>, tensor<2x27x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2], [3, 4]] output_shape [1, 2, 16, 4, 4] : tensor<2x16x16xf32> into tensor<1x2x16x4x4xf32>
// CHECK-NOT: linalg.conv_2d
func.func @grouped(%x: tensor<1x2x3x6x6xf32>, %w: tensor<2x16x3x3x3xf32>) -> tensor<1x2x16x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x16x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x3x6x6xf32>, tensor<2x16x3x3x3xf32>) outs(%f : tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32>
  return %r : tensor<1x2x16x4x4xf32>
}

// -----

// Grouped, shifted columns, with the input's padding in the grouped (5-D)
// form: one pad of its source adds the row the runs need (P = OH*W = 80,
// and the last run starts at 2*10 + 2), and each group's columns
// [Cg*KH*KW, P] are runs of its flattened channels.
// CHECK-DAG: #[[$GSHIFT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, 0, 0, d2 * 10 + d3 + d4)>
// CHECK-LABEL: func.func @grouped_shifted
// CHECK: %[[X:.*]] = tensor.pad %arg0 low[0, 0, 0, 1, 1] high[0, 0, 0, 2, 1]
// CHECK: } : tensor<1x4x4x8x8xf32> to tensor<1x4x4x11x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$GSHIFT]], {{.*}}]{{.*}} outs(%{{.*}} : tensor<4x4x3x3x80xf32>)
// CHECK: %[[MM:.*]] = linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<4x8x36xf32>, tensor<4x36x80xf32>)
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0], [1], [2, 3]] output_shape [4, 8, 8, 10]
// CHECK: tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [4, 8, 8, 8] [1, 1, 1, 1] : tensor<4x8x8x10xf32> to tensor<4x8x8x8xf32>
// CHECK-NOT: linalg.conv_2d
func.func @grouped_shifted(%y: tensor<1x4x4x8x8xf32>, %w: tensor<4x8x4x3x3xf32>) -> tensor<1x4x8x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %x = tensor.pad %y low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index, %e: index):
    tensor.yield %z : f32
  } : tensor<1x4x4x8x8xf32> to tensor<1x4x4x10x10xf32>
  %e = tensor.empty() : tensor<1x4x8x8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x8x8x8xf32>) -> tensor<1x4x8x8x8xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x4x4x10x10xf32>, tensor<4x8x4x3x3xf32>) outs(%f : tensor<1x4x8x8x8xf32>) -> tensor<1x4x8x8x8xf32>
  return %r : tensor<1x4x8x8x8xf32>
}

// -----

// Depthwise (one channel per group) goes to NHWC: the input is transposed
// (its padding moves past the transpose, onto H and W of NHWC), the
// constant filter [C, KH, KW] is stored as [KH, KW, C], the convolution is
// marked with its register tile [OW0, C0] (here, the default CPU of 4
// lanes: one pixel by 8 channels, two vectors), and the result goes back
// to NCHW by a copy iterating in NHWC order.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$NCHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @depthwise
// NOSTRIDE-DAG: #[[$NID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// NOSTRIDE-DAG: #[[$NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// NOSTRIDE-LABEL: func.func @depthwise
// NOSTRIDE-NOT: linalg.fill
// NOSTRIDE: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x8x1x6x6xf32> into tensor<1x8x6x6xf32>
// NOSTRIDE: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[0.000000e+00, 9.000000e+00,
// NOSTRIDE-SAME: tensor<3x3x8xf32>
// NOSTRIDE: %[[X00:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: %[[X01:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 1] [1, 8, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: %[[X22:.*]] = tensor.extract_slice %[[X]][0, 0, 2, 2] [1, 8, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: %[[W00:.*]] = tensor.extract_slice %[[W]][0, 0, 0] [1, 1, 8] [1, 1, 1] : tensor<3x3x8xf32> to tensor<8xf32>
// NOSTRIDE: %[[W22:.*]] = tensor.extract_slice %[[W]][2, 2, 0] [1, 1, 8] [1, 1, 1]
// NOSTRIDE: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NID]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NC]], #[[$NID]]]
// NOSTRIDE-SAME: ins(%[[X00]], %[[X01]], {{.*}}, %[[X22]], %[[W00]], {{.*}}, %[[W22]] :
// NOSTRIDE: ^bb0(%[[A0:[^:]*]]: f32, %[[A1:[^:]*]]: f32,
// NOSTRIDE-NEXT: %[[M:.*]] = arith.mulf %[[A0]], %{{.*}} : f32
// NOSTRIDE-NEXT: %[[F1:.*]] = math.fma %[[A1]], %{{.*}}, %[[M]] : f32
// NOSTRIDE-COUNT-6: math.fma
// NOSTRIDE-NEXT: %[[F8:.*]] = math.fma
// NOSTRIDE-NEXT: linalg.yield %[[F8]] : f32
// NOSTRIDE: tensor.expand_shape %[[R]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 4, 4]
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[XP:.*]] = tensor.pad %[[XT]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[0.000000e+00, 9.000000e+00, 1.800000e+01, 2.700000e+01, 3.600000e+01, 4.500000e+01, 5.400000e+01, 6.300000e+01], [1.000000e+00, 1.000000e+01,
// CHECK-SAME: tensor<3x3x8xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, yz.depthwise_tile = array<i64: 1, 8>}
// CHECK-SAME: ins(%[[XP]], %[[W]] : tensor<1x6x6x8xf32>, tensor<3x3x8xf32>) outs(%[[ACC]] : tensor<1x4x4x8xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$NCHW]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[DW]] : tensor<1x4x4x8xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 4, 4]
func.func @depthwise(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x4x4xf32> {
  %w0 = arith.constant dense<[[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]]], [[[[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]]]],
                               [[[[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]]]], [[[[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]]],
                               [[[[36.0, 37.0, 38.0], [39.0, 40.0, 41.0], [42.0, 43.0, 44.0]]]], [[[[45.0, 46.0, 47.0], [48.0, 49.0, 50.0], [51.0, 52.0, 53.0]]]],
                               [[[[54.0, 55.0, 56.0], [57.0, 58.0, 59.0], [60.0, 61.0, 62.0]]]], [[[[63.0, 64.0, 65.0], [66.0, 67.0, 68.0], [69.0, 70.0, 71.0]]]]]> : tensor<8x1x1x3x3xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x8x4x4xf32> to tensor<1x8x6x6xf32>
  %x5 = tensor.expand_shape %p [[0], [1, 2], [3], [4]] output_shape [1, 8, 1, 6, 6] : tensor<1x8x6x6xf32> into tensor<1x8x1x6x6xf32>
  %e = tensor.empty() : tensor<1x8x1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x1x4x4xf32>) -> tensor<1x8x1x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x5, %w0 : tensor<1x8x1x6x6xf32>, tensor<8x1x1x3x3xf32>) outs(%f : tensor<1x8x1x4x4xf32>) -> tensor<1x8x1x4x4xf32>
  return %r : tensor<1x8x1x4x4xf32>
}

// -----

// An input that is no pad's result is transposed as it is, and a filter
// computed at run time at run time; stride 2 and a 5x5 window keep their
// attributes. On RVV at VLEN 256 (8 lanes, 32
// registers), 144 channels take tiles of 16 (two vectors).
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=256,vector-registers=32,strided-vectors=1" | FileCheck %s --check-prefix=RVV
// CHECK-LABEL: func.func @depthwise_5x5_stride2
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x144x11x11xf32>) outs(%{{.*}} : tensor<1x11x11x144xf32>) permutation = [0, 2, 3, 1]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<144x5x5xf32>) outs(%{{.*}} : tensor<5x5x144xf32>) permutation = [1, 2, 0]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, yz.depthwise_tile = array<i64: {{[0-9]+}}, {{[0-9]+}}>}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<1x11x11x144xf32>, tensor<5x5x144xf32>) outs(%{{.*}} : tensor<1x4x4x144xf32>)
// RVV-LABEL: func.func @depthwise_5x5_stride2
// RVV: yz.depthwise_tile = array<i64: 2, 16>
// x86, stride 2: the windows are strided slices of the input (each row
// is read as twice the elements, deinterleaved, by yz-optimize-vectors):
// no phases copy. Rows of 4 are vectors of 4.
// NOSTRIDE-LABEL: func.func @depthwise_5x5_stride2
// NOSTRIDE: %[[W:.*]] = linalg.transpose ins(%{{.*}} : tensor<144x5x5xf32>) outs(%{{.*}} : tensor<5x5x144xf32>) permutation = [1, 2, 0]
// NOSTRIDE-NOT: tensor.pad
// NOSTRIDE: tensor.extract_slice %[[X:.*]][0, 0, 0, 0] [1, 144, 4, 4] [1, 1, 2, 2] : tensor<1x144x11x11xf32> to tensor<1x144x4x4xf32>
// NOSTRIDE: tensor.extract_slice %[[X]][0, 0, 1, 3] [1, 144, 4, 4] [1, 1, 2, 2]
// NOSTRIDE: tensor.extract_slice %[[X]][0, 0, 4, 4] [1, 144, 4, 4] [1, 1, 2, 2]
// NOSTRIDE: tensor.extract_slice %[[W]][4, 4, 0] [1, 1, 144] [1, 1, 1]
// NOSTRIDE: linalg.generic
// NOSTRIDE-SAME: yz.row_vector = 4 : i64
// NOSTRIDE-COUNT-24: math.fma
// NOSTRIDE-NOT: math.fma
// NOSTRIDE: linalg.yield
func.func @depthwise_5x5_stride2(%x: tensor<1x144x1x11x11xf32>, %w: tensor<144x1x1x5x5xf32>) -> tensor<1x144x1x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x144x1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x144x1x4x4xf32>) -> tensor<1x144x1x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x144x1x11x11xf32>, tensor<144x1x1x5x5xf32>) outs(%f : tensor<1x144x1x4x4xf32>) -> tensor<1x144x1x4x4xf32>
  return %r : tensor<1x144x1x4x4xf32>
}

// -----

// x86, stride 3 (W's stride above 2): the input (in half of L2) is split
// into its 3 x 3 phases first, P[n, c, a, b, i, j] = x[n, c, 3i + a,
// 3j + b] (padded to multiples of 3: the padding is never read), so every
// window is a unit-stride slice of one phase: tap (1, 3) is phase (1, 0)
// from (0, 1), tap (4, 4) phase (1, 1) from (1, 1).
// NOSTRIDE-DAG: #[[$X6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d2, d5, d4)>
// NOSTRIDE-DAG: #[[$P6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4, d3, d5)>
// NOSTRIDE-LABEL: func.func @depthwise_5x5_stride3
// NOSTRIDE: %[[W:.*]] = linalg.transpose ins(%{{.*}} : tensor<144x5x5xf32>) outs(%{{.*}} : tensor<5x5x144xf32>) permutation = [1, 2, 0]
// NOSTRIDE: %[[XP:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// NOSTRIDE: tensor<1x144x14x14xf32> to tensor<1x144x15x15xf32>
// NOSTRIDE: %[[X6:.*]] = tensor.expand_shape %[[XP]] {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [1, 144, 5, 3, 5, 3]
// NOSTRIDE: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$X6]], #[[$P6]]]
// NOSTRIDE-SAME: ins(%[[X6]] : tensor<1x144x5x3x5x3xf32>) outs(%{{.*}} : tensor<1x144x3x3x5x5xf32>)
// NOSTRIDE: tensor.extract_slice %[[P]][0, 0, 0, 0, 0, 0] [1, 144, 1, 1, 4, 4] [1, 1, 1, 1, 1, 1] : tensor<1x144x3x3x5x5xf32> to tensor<1x144x4x4xf32>
// NOSTRIDE: tensor.extract_slice %[[P]][0, 0, 1, 0, 0, 1] [1, 144, 1, 1, 4, 4]
// NOSTRIDE: tensor.extract_slice %[[P]][0, 0, 1, 1, 1, 1] [1, 144, 1, 1, 4, 4]
// NOSTRIDE: linalg.generic
// NOSTRIDE-SAME: yz.row_vector = 4 : i64
// NOSTRIDE-COUNT-24: math.fma
// NOSTRIDE-NOT: math.fma
// NOSTRIDE: linalg.yield
func.func @depthwise_5x5_stride3(%x: tensor<1x144x1x14x14xf32>, %w: tensor<144x1x1x5x5xf32>) -> tensor<1x144x1x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x144x1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x144x1x4x4xf32>) -> tensor<1x144x1x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<3> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x144x1x14x14xf32>, tensor<144x1x1x5x5xf32>) outs(%f : tensor<1x144x1x4x4xf32>) -> tensor<1x144x1x4x4xf32>
  return %r : tensor<1x144x1x4x4xf32>
}

// -----

// x86, an input larger than half of L2 (l2=65536 here): a pass over it
// would cost more than the strided loads save, so even at stride 3 the
// windows stay strided slices (no phases). Stride-2 rows are still vectors
// (of 4 lanes here), each window row read as twice the elements and
// deinterleaved (yz-optimize-vectors); wider strides would be gathers:
// those rows are left to LLVM.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=l2=65536" | FileCheck %s --check-prefix=LARGE
// LARGE-LABEL: func.func @depthwise_stride2_large
// LARGE-NOT: tensor<1x64x2x2
// LARGE: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 64, 8, 8] [1, 1, 2, 2] : tensor<1x64x18x18xf32> to tensor<1x64x8x8xf32>
// LARGE: linalg.generic
// LARGE-SAME: yz.row_vector = 4
// LARGE: linalg.yield
// LARGE-LABEL: func.func @depthwise_stride3_large
// LARGE: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 64, 6, 6] [1, 1, 3, 3] : tensor<1x64x18x18xf32> to tensor<1x64x6x6xf32>
// LARGE: linalg.generic
// LARGE-NOT: yz.row_vector
// LARGE: linalg.yield
func.func @depthwise_stride2_large(%x: tensor<1x64x1x18x18xf32>, %w: tensor<64x1x1x3x3xf32>) -> tensor<1x64x1x8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x1x8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x64x1x8x8xf32>) -> tensor<1x64x1x8x8xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x64x1x18x18xf32>, tensor<64x1x1x3x3xf32>) outs(%f : tensor<1x64x1x8x8xf32>) -> tensor<1x64x1x8x8xf32>
  return %r : tensor<1x64x1x8x8xf32>
}
func.func @depthwise_stride3_large(%x: tensor<1x64x1x18x18xf32>, %w: tensor<64x1x1x3x3xf32>) -> tensor<1x64x1x6x6xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x1x6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x64x1x6x6xf32>) -> tensor<1x64x1x6x6xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<3> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x64x1x18x18xf32>, tensor<64x1x1x3x3xf32>) outs(%f : tensor<1x64x1x6x6xf32>) -> tensor<1x64x1x6x6xf32>
  return %r : tensor<1x64x1x6x6xf32>
}

// -----

// A depthwise convolution that accumulates into something other than zero
// keeps its loops.
// CHECK-LABEL: func.func @depthwise_accumulating
// CHECK: linalg.conv_2d_ngchw_gfchw
// NOSTRIDE-LABEL: func.func @depthwise_accumulating
// NOSTRIDE: linalg.conv_2d_ngchw_gfchw
func.func @depthwise_accumulating(%x: tensor<1x4x1x6x6xf32>, %w: tensor<4x1x1x3x3xf32>, %acc: tensor<1x4x1x4x4xf32>) -> tensor<1x4x1x4x4xf32> {
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x4x1x6x6xf32>, tensor<4x1x1x3x3xf32>) outs(%acc : tensor<1x4x1x4x4xf32>) -> tensor<1x4x1x4x4xf32>
  return %r : tensor<1x4x1x4x4xf32>
}

// -----

// x86: the bias and activation that read the depthwise result (through the
// 5-D reshape) run in the stencil's loop; dilation 2 spaces the windows.
// NOSTRIDE-LABEL: func.func @depthwise_epilogue
// NOSTRIDE: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [2, 4, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: tensor.extract_slice %{{.*}}[0, 0, 0, 2] [2, 4, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: tensor.extract_slice %{{.*}}[0, 0, 4, 4] [2, 4, 4, 4] [1, 1, 1, 1]
// NOSTRIDE: %[[R:.*]] = linalg.generic
// NOSTRIDE-COUNT-7: math.fma
// NOSTRIDE-NEXT: %[[S:.*]] = math.fma
// NOSTRIDE-NEXT: %[[B:.*]] = arith.addf %[[S]], %{{.*}} : f32
// NOSTRIDE: %[[A:.*]] = arith.maximumf %[[B]], %{{.*}} : f32
// NOSTRIDE: linalg.yield %[[A]] : f32
// NOSTRIDE-NOT: linalg.generic
// NOSTRIDE: return %[[R]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @depthwise_epilogue(%x: tensor<2x4x1x8x8xf32>, %w: tensor<4x1x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x1x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4x1x4x4xf32>) -> tensor<2x4x1x4x4xf32>
  %r = linalg.conv_2d_ngchw_gfchw {strides = dense<1> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<2x4x1x8x8xf32>, tensor<4x1x1x3x3xf32>) outs(%f : tensor<2x4x1x4x4xf32>) -> tensor<2x4x1x4x4xf32>
  %c = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] : tensor<2x4x1x4x4xf32> into tensor<2x4x4x4xf32>
  %o = tensor.empty() : tensor<2x4x4x4xf32>
  %a = linalg.generic {indexing_maps = [#id, #c, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
         ins(%c, %b : tensor<2x4x4x4xf32>, tensor<4xf32>) outs(%o : tensor<2x4x4x4xf32>) {
  ^bb0(%v: f32, %bias: f32, %out: f32):
    %s = arith.addf %v, %bias : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<2x4x4x4xf32>
  return %a : tensor<2x4x4x4xf32>
}

// -----

// A small plane with many filters (ResNet-18's 7 x 7 layers): with the
// pixels as N, N0 = 32 (AVX-512) would pad 49 pixels to 64; as M, M0 = 8
// pads them to 56. So the product is col^T [OH*OW, C*KH*KW] (one copy over
// (n, oh, ow, c, kh, kw)) by the filter transposed [C*KH*KW, F] (at compile
// time for a constant), and its [OH*OW, F] is transposed back to NCHW:
// for one image a transpose of the product itself, [F, OH*OW] reshaped
// (yz-pack-matmuls folds it into the product's unpack).
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512,vector-registers=32" | FileCheck %s --check-prefix=SWAP
// SWAP-LABEL: func.func @small_plane
// SWAP: %[[ROWS:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x64x9x9xf32>) outs(%{{.*}} : tensor<1x7x7x64x3x3xf32>)
// SWAP: %[[COL:.*]] = tensor.collapse_shape %[[ROWS]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x7x7x64x3x3xf32> into tensor<49x576xf32>
// SWAP: %[[W:.*]] = linalg.transpose ins(%{{.*}} : tensor<256x576xf32>) outs(%{{.*}} : tensor<576x256xf32>) permutation = [1, 0]
// SWAP: %[[MM:.*]] = linalg.matmul ins(%[[COL]], %[[W]] : tensor<49x576xf32>, tensor<576x256xf32>)
// SWAP: %[[FP:.*]] = linalg.transpose ins(%[[MM]] : tensor<49x256xf32>) outs(%{{.*}} : tensor<256x49xf32>) permutation = [1, 0]
// SWAP: tensor.expand_shape %[[FP]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 256, 7, 7]
// A 1x1 conv's rows are its input [C, OH*OW] transposed (yz-pack-matmuls
// folds that transpose into the LHS pack).
// SWAP-LABEL: func.func @small_plane_pointwise
// SWAP: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x64x7x7xf32> into tensor<64x49xf32>
// SWAP: %[[ROWS:.*]] = linalg.transpose ins(%[[X]] : tensor<64x49xf32>) outs(%{{.*}} : tensor<49x64xf32>) permutation = [1, 0]
// SWAP: linalg.matmul ins(%[[ROWS]], %{{.*}} : tensor<49x64xf32>, tensor<64x256xf32>)
func.func @small_plane(%x: tensor<1x64x9x9xf32>, %w: tensor<256x64x3x3xf32>) -> tensor<1x256x7x7xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256x7x7xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x256x7x7xf32>) -> tensor<1x256x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x64x9x9xf32>, tensor<256x64x3x3xf32>) outs(%f : tensor<1x256x7x7xf32>) -> tensor<1x256x7x7xf32>
  return %r : tensor<1x256x7x7xf32>
}
func.func @small_plane_pointwise(%x: tensor<1x64x7x7xf32>, %w: tensor<256x64x1x1xf32>) -> tensor<1x256x7x7xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256x7x7xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x256x7x7xf32>) -> tensor<1x256x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x64x7x7xf32>, tensor<256x64x1x1xf32>) outs(%f : tensor<1x256x7x7xf32>) -> tensor<1x256x7x7xf32>
  return %r : tensor<1x256x7x7xf32>
}
