// A 3 x 3 conv computed by shifted columns (a product [F, P] whose column p
// is pixel (p / 30, p % 30) of a 28 x 28 output, the last two of each row
// junk) whose bias + ReLU is padded for the next 3 x 3 conv, to rows of 30
// pixels too: the op runs over the product's columns at the identity and
// writes the padded buffer [F, 31 * 30] from its pixel (1, 1), element
// 31; the junk lands on the border, which is filled after. A residual in
// such a padded buffer (the block's input, padded for its first conv) is
// read at the same offset. The last op, which nothing pads, keeps its
// pass over the valid pixels.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512,vector-registers=32" | FileCheck %s

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROWS:.*]] = affine_map<(d0, d1) -> (0, d0, 0, 0)>
// CHECK-LABEL: func.func @block
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK: %[[MM1:.*]] = linalg.matmul {{.*}} -> tensor<16x864xf32>
// CHECK: %[[B1:.*]] = tensor.empty() : tensor<16x930xf32>
// CHECK: %[[C1:.*]] = tensor.extract_slice %[[B1]][0, 31] [16, 864] [1, 1]
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROWS]], #[[$ID]]], {{.*}} ins(%[[MM1]], %{{.*}} : tensor<16x864xf32>, tensor<1x16x1x1xf32>) outs(%[[C1]] : tensor<16x864xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[Y]] into %[[B1]][0, 31] [16, 864] [1, 1]
// CHECK: %[[P1:.*]] = tensor.expand_shape %[[I1]] {{\[}}[0, 1], [2, 3]] output_shape [1, 16, 31, 30]
// The top row, the bottom two, and the left and right columns (one
// strided slab).
// CHECK: linalg.fill {{.*}} -> tensor<1x16x1x30xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x16x2x30xf32>
// CHECK: %[[R:.*]] = linalg.fill {{.*}} -> tensor<1x16x31x2xf32>
// CHECK: %[[YP:.*]] = tensor.insert_slice %[[R]] into %{{.*}}[0, 0, 0, 0] [1, 16, 31, 2] [1, 1, 1, 29]
// CHECK: tensor.collapse_shape %[[YP]] {{\[}}[0, 1], [2, 3]] : tensor<1x16x31x30xf32> into tensor<16x930xf32>
// CHECK: %[[MM2:.*]] = linalg.matmul {{.*}} -> tensor<16x864xf32>
// CHECK: %[[XF:.*]] = tensor.collapse_shape %[[XP]] {{\[}}[0, 1], [2, 3]] : tensor<1x16x31x30xf32> into tensor<16x930xf32>
// CHECK: %[[RES:.*]] = tensor.extract_slice %[[XF]][0, 31] [16, 864] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[MM2]], %{{.*}}, %[[RES]] : tensor<16x864xf32>, tensor<1x16x1x1xf32>, tensor<16x864xf32>)
// CHECK: %[[VP:.*]] = tensor.insert_slice %{{.*}} [1, 16, 31, 2] [1, 1, 1, 29]
// CHECK: %[[V:.*]] = tensor.extract_slice %[[VP]][0, 0, 1, 1] [1, 16, 28, 28] [1, 1, 1, 1]
// CHECK: %[[MM3:.*]] = linalg.matmul {{.*}} -> tensor<16x864xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[MM3]][0, 0] [16, 840]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[V]] : tensor<1x16x28x28xf32>, tensor<1x16x28x28xf32>)
func.func @block(%in: tensor<1x16x28x28xf32>, %w1: tensor<16x16x3x3xf32>, %w2: tensor<16x16x3x3xf32>, %w3: tensor<16x16x3x3xf32>, %b: tensor<1x16x1x1xf32>) -> tensor<1x16x28x28xf32> {
  %z = arith.constant 0.0 : f32
  %xe = tensor.empty() : tensor<1x16x28x28xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%in : tensor<1x16x28x28xf32>) outs(%xe : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x16x28x28xf32>
  %xp = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x30x30xf32>
  %e1 = tensor.empty() : tensor<1x16x28x28xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w1 : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f1 : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %ye = tensor.empty() : tensor<1x16x28x28xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1, %b : tensor<1x16x28x28xf32>, tensor<1x16x1x1xf32>) outs(%ye : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    %l = arith.maximumf %s, %z : f32
    linalg.yield %l : f32
  } -> tensor<1x16x28x28xf32>
  %yp = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x30x30xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%yp, %w2 : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f1 : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %v = linalg.generic {indexing_maps = [#id, #bias, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c2, %b, %x : tensor<1x16x28x28xf32>, tensor<1x16x1x1xf32>, tensor<1x16x28x28xf32>) outs(%ye : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %bi: f32, %r: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    %t = arith.addf %s, %r : f32
    %l = arith.maximumf %t, %z : f32
    linalg.yield %l : f32
  } -> tensor<1x16x28x28xf32>
  %vp = tensor.pad %v low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x30x30xf32>
  %c3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%vp, %w3 : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f1 : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %u = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c3, %v : tensor<1x16x28x28xf32>, tensor<1x16x28x28xf32>) outs(%ye : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %r: f32, %o: f32):
    %t = arith.addf %a, %r : f32
    linalg.yield %t : f32
  } -> tensor<1x16x28x28xf32>
  return %u : tensor<1x16x28x28xf32>
}

// -----

// Not rewritten: a residual in no padded buffer (an argument), and a pad
// to rows of another width (a 5 x 5 conv's: 32 pixels, not the product's
// 30).
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @residual_unpadded
// CHECK-NOT: tensor.empty() : tensor<16x930xf32>
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield
// CHECK-NEXT: } : tensor<1x16x28x28xf32> to tensor<1x16x31x30xf32>
// CHECK-LABEL: func.func @other_width
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x16x28x28xf32>)
// CHECK: tensor.pad %{{.*}} low[0, 0, 2, 2]
func.func @residual_unpadded(%xp: tensor<1x16x30x30xf32>, %r: tensor<1x16x28x28xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<1x16x30x30xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x28x28xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x16x28x28xf32>, tensor<1x16x28x28xf32>) outs(%e : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x16x28x28xf32>
  %yp = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x30x30xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%yp, %w : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %c2p = tensor.pad %c2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x30x30xf32>
  return %c2p : tensor<1x16x30x30xf32>
}

func.func @other_width(%xp: tensor<1x16x30x30xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<1x16x32x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x28x28xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w : tensor<1x16x30x30xf32>, tensor<16x16x3x3xf32>) outs(%f : tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x16x28x28xf32>) outs(%e : tensor<1x16x28x28xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maximumf %a, %z : f32
    linalg.yield %s : f32
  } -> tensor<1x16x28x28xf32>
  %yp = tensor.pad %y low[0, 0, 2, 2] high[0, 0, 2, 2] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x16x28x28xf32> to tensor<1x16x32x32xf32>
  return %yp : tensor<1x16x32x32xf32>
}
