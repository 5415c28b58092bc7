// A pointwise conv whose bias + activation only a depthwise conv's zero
// padding reads (MobileNetV2's expand convs) runs over its input padded
// the same way: a matmul over the padded pixels, flattened (56 x 56 padded
// to 58 x 58 = 3364, rounded up to whole 32-column tiles, 3392, by one more
// zero row at the bottom of the input), then the op over that product at
// the identity (which yz-tile-and-vectorize fuses into the register
// tiles), and the border zeroed: the result is the padded tensor itself.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512,vector-registers=32" | FileCheck %s
// Not on targets with strided vectors, whose depthwise convs run in NHWC
// (they transpose the unpadded input).
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=vector-bits=512,vector-registers=32,strided-vectors=1" | FileCheck %s --check-prefix=RVV

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @expand_depthwise
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK: } : tensor<1x16x56x56xf32> to tensor<1x16x59x58xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[XP]] {{\[}}[0, 1], [2, 3]] : tensor<1x16x59x58xf32> into tensor<16x3422xf32>
// CHECK: %[[COLS:.*]] = tensor.extract_slice %[[FLAT]][0, 0] [16, 3392] [1, 1]
// CHECK: %[[MM:.*]] = linalg.matmul ins(%{{.*}}, %[[COLS]] : tensor<96x16xf32>, tensor<16x3392xf32>)
// CHECK: %[[OP:.*]] = linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<96x3392xf32>, tensor<1x96x1x1xf32>) outs(%{{.*}} : tensor<96x3392xf32>)
// CHECK: arith.addf
// CHECK: arith.minimumf
// CHECK: %[[PIX:.*]] = tensor.extract_slice %[[OP]][0, 0] [96, 3364] [1, 1]
// CHECK: %[[P:.*]] = tensor.expand_shape %[[PIX]] {{\[}}[0, 1], [2, 3]] output_shape [1, 96, 58, 58]
// The first and last rows are one strided slab, so are the columns.
// CHECK: %[[R:.*]] = tensor.extract_slice %[[P]][0, 0, 0, 0] [1, 96, 2, 58] [1, 1, 57, 1]
// CHECK: %[[RZ:.*]] = linalg.fill {{.*}} outs(%[[R]] : tensor<1x96x2x58xf32>)
// CHECK: %[[A:.*]] = tensor.insert_slice %[[RZ]] into %[[P]][0, 0, 0, 0] [1, 96, 2, 58] [1, 1, 57, 1]
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<1x96x58x2xf32>
// CHECK: %[[B:.*]] = tensor.insert_slice %[[Z]] into %[[A]][0, 0, 0, 0] [1, 96, 58, 2] [1, 1, 1, 57]
// CHECK: tensor.expand_shape %[[B]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 96, 1, 58, 58]
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// RVV-LABEL: func.func @expand_depthwise
// RVV-NOT: tensor.extract_slice %{{.*}}[0, 0] [16, 3392]
// RVV: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<96x16xf32>, tensor<16x3136xf32>)
func.func @expand_depthwise(%in: tensor<1x16x56x56xf32>, %w: tensor<96x16x1x1xf32>, %b: tensor<1x96x1x1xf32>, %dw: tensor<96x1x1x3x3xf32>) -> tensor<1x96x1x56x56xf32> {
  %z = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %xe = tensor.empty() : tensor<1x16x56x56xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%in : tensor<1x16x56x56xf32>) outs(%xe : tensor<1x16x56x56xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x16x56x56xf32>
  %e = tensor.empty() : tensor<1x96x56x56xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x56x56xf32>, tensor<96x16x1x1xf32>) outs(%f : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %ye = tensor.empty() : tensor<1x96x56x56xf32>
  %y = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %b : tensor<1x96x56x56xf32>, tensor<1x96x1x1xf32>) outs(%ye : tensor<1x96x56x56xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    %l = arith.maximumf %s, %z : f32
    %u = arith.minimumf %l, %six : f32
    linalg.yield %u : f32
  } -> tensor<1x96x56x56xf32>
  %y5 = tensor.expand_shape %y [[0], [1, 2], [3], [4]] output_shape [1, 96, 1, 56, 56] : tensor<1x96x56x56xf32> into tensor<1x96x1x56x56xf32>
  %p = tensor.pad %y5 low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %z : f32
  } : tensor<1x96x1x56x56xf32> to tensor<1x96x1x58x58xf32>
  %de = tensor.empty() : tensor<1x96x1x56x56xf32>
  %df = linalg.fill ins(%z : f32) outs(%de : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  %d = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %dw : tensor<1x96x1x58x58xf32>, tensor<96x1x1x3x3xf32>) outs(%df : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  return %d : tensor<1x96x1x56x56xf32>
}

// -----

// Not rewritten: an input no op produces (a model's: padding it would be a
// copy), a small plane (14 x 14 padded is 31% more pixels), a residual
// operand in the op (it would need the padding too).
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @model_input
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 1, 1]
// CHECK-LABEL: func.func @small_plane
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 1, 1]
// CHECK-LABEL: func.func @residual
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 1, 1]
func.func @model_input(%x: tensor<1x16x56x56xf32>, %w: tensor<96x16x1x1xf32>, %dw: tensor<96x1x1x3x3xf32>) -> tensor<1x96x1x56x56xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x96x56x56xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x56x56xf32>, tensor<96x16x1x1xf32>) outs(%f : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %ye = tensor.empty() : tensor<1x96x56x56xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x96x56x56xf32>) outs(%ye : tensor<1x96x56x56xf32>) {
  ^bb0(%a: f32, %o: f32):
    %l = arith.maximumf %a, %z : f32
    linalg.yield %l : f32
  } -> tensor<1x96x56x56xf32>
  %y5 = tensor.expand_shape %y [[0], [1, 2], [3], [4]] output_shape [1, 96, 1, 56, 56] : tensor<1x96x56x56xf32> into tensor<1x96x1x56x56xf32>
  %p = tensor.pad %y5 low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %z : f32
  } : tensor<1x96x1x56x56xf32> to tensor<1x96x1x58x58xf32>
  %de = tensor.empty() : tensor<1x96x1x56x56xf32>
  %df = linalg.fill ins(%z : f32) outs(%de : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  %d = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %dw : tensor<1x96x1x58x58xf32>, tensor<96x1x1x3x3xf32>) outs(%df : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  return %d : tensor<1x96x1x56x56xf32>
}

func.func @small_plane(%in: tensor<1x16x14x14xf32>, %w: tensor<96x16x1x1xf32>, %dw: tensor<96x1x1x3x3xf32>) -> tensor<1x96x1x14x14xf32> {
  %z = arith.constant 0.0 : f32
  %xe = tensor.empty() : tensor<1x16x14x14xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%in : tensor<1x16x14x14xf32>) outs(%xe : tensor<1x16x14x14xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x16x14x14xf32>
  %e = tensor.empty() : tensor<1x96x14x14xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x96x14x14xf32>) -> tensor<1x96x14x14xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x14x14xf32>, tensor<96x16x1x1xf32>) outs(%f : tensor<1x96x14x14xf32>) -> tensor<1x96x14x14xf32>
  %ye = tensor.empty() : tensor<1x96x14x14xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x96x14x14xf32>) outs(%ye : tensor<1x96x14x14xf32>) {
  ^bb0(%a: f32, %o: f32):
    %l = arith.maximumf %a, %z : f32
    linalg.yield %l : f32
  } -> tensor<1x96x14x14xf32>
  %y5 = tensor.expand_shape %y [[0], [1, 2], [3], [4]] output_shape [1, 96, 1, 14, 14] : tensor<1x96x14x14xf32> into tensor<1x96x1x14x14xf32>
  %p = tensor.pad %y5 low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %z : f32
  } : tensor<1x96x1x14x14xf32> to tensor<1x96x1x16x16xf32>
  %de = tensor.empty() : tensor<1x96x1x14x14xf32>
  %df = linalg.fill ins(%z : f32) outs(%de : tensor<1x96x1x14x14xf32>) -> tensor<1x96x1x14x14xf32>
  %d = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %dw : tensor<1x96x1x16x16xf32>, tensor<96x1x1x3x3xf32>) outs(%df : tensor<1x96x1x14x14xf32>) -> tensor<1x96x1x14x14xf32>
  return %d : tensor<1x96x1x14x14xf32>
}

func.func @residual(%in: tensor<1x16x56x56xf32>, %w: tensor<96x16x1x1xf32>, %r: tensor<1x96x56x56xf32>, %dw: tensor<96x1x1x3x3xf32>) -> tensor<1x96x1x56x56xf32> {
  %z = arith.constant 0.0 : f32
  %xe = tensor.empty() : tensor<1x16x56x56xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%in : tensor<1x16x56x56xf32>) outs(%xe : tensor<1x16x56x56xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x56x56xf32>
  %e = tensor.empty() : tensor<1x96x56x56xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x56x56xf32>, tensor<96x16x1x1xf32>) outs(%f : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %ye = tensor.empty() : tensor<1x96x56x56xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x96x56x56xf32>, tensor<1x96x56x56xf32>) outs(%ye : tensor<1x96x56x56xf32>) {
  ^bb0(%a: f32, %ri: f32, %o: f32):
    %s = arith.addf %a, %ri : f32
    linalg.yield %s : f32
  } -> tensor<1x96x56x56xf32>
  %y5 = tensor.expand_shape %y [[0], [1, 2], [3], [4]] output_shape [1, 96, 1, 56, 56] : tensor<1x96x56x56xf32> into tensor<1x96x1x56x56xf32>
  %p = tensor.pad %y5 low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %z : f32
  } : tensor<1x96x1x56x56xf32> to tensor<1x96x1x58x58xf32>
  %de = tensor.empty() : tensor<1x96x1x56x56xf32>
  %df = linalg.fill ins(%z : f32) outs(%de : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  %d = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %dw : tensor<1x96x1x58x58xf32>, tensor<96x1x1x3x3xf32>) outs(%df : tensor<1x96x1x56x56xf32>) -> tensor<1x96x1x56x56xf32>
  return %d : tensor<1x96x1x56x56xf32>
}
