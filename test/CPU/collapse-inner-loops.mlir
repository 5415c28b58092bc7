// RUN: yz-opt %s --yz-collapse-inner-loops --canonicalize --split-input-file | FileCheck %s
// RUN: yz-opt %s --yz-collapse-inner-loops=min-trip=16 --canonicalize --split-input-file | FileCheck %s --check-prefix=SHORT

// A bias add over NCHW: the unit batch dimension is dropped, H and W
// (56 x 56) become one 3136-long loop; C stays a loop of its own (the bias
// is indexed by it alone).
// CHECK-LABEL: func.func @bias_add
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x96x56x56xf32> into tensor<96x3136xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins({{.*}} : tensor<96x3136xf32>, tensor<96xf32>)
// CHECK: tensor.expand_shape {{.*}} : tensor<96x3136xf32> into tensor<1x96x56x56xf32>
// With min-trip=16 only loops shorter than 16 are merged: 56 is not (the
// unit dimension still goes).
// SHORT-LABEL: func.func @bias_add
// SHORT: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<1x96x56x56xf32> into tensor<96x56x56xf32>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#bias = affine_map<(n, c, h, w) -> (c)>
func.func @bias_add(%x: tensor<1x96x56x56xf32>, %b: tensor<96xf32>) -> tensor<1x96x56x56xf32> {
  %e = tensor.empty() : tensor<1x96x56x56xf32>
  %r = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : tensor<1x96x56x56xf32>, tensor<96xf32>) outs(%e : tensor<1x96x56x56xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<1x96x56x56xf32>
  %m = tensor.empty() : tensor<1x96x56x56xf32>
  %copy = linalg.copy ins(%r : tensor<1x96x56x56xf32>) outs(%m : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  return %copy : tensor<1x96x56x56xf32>
}

// -----

// A bias in the [1, C, 1, 1] form the importer broadcasts, read at
// (n, c, 0, 0): once the unit dimensions are dropped it is [C] read at (c).
// CHECK-LABEL: func.func @bias_4d
// CHECK: tensor.collapse_shape %arg1 {{\[\[}}0, 1, 2, 3]] : tensor<1x32x1x1xf32> into tensor<32xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins({{.*}} : tensor<32x196xf32>, tensor<32xf32>)
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
#b4 = affine_map<(n, c, h, w) -> (n, c, 0, 0)>
func.func @bias_4d(%x: tensor<1x32x14x14xf32>, %b: tensor<1x32x1x1xf32>) -> tensor<1x32x14x14xf32> {
  %e = tensor.empty() : tensor<1x32x14x14xf32>
  %r = linalg.generic {indexing_maps = [#id4, #b4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : tensor<1x32x14x14xf32>, tensor<1x32x1x1xf32>) outs(%e : tensor<1x32x14x14xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<1x32x14x14xf32>
  %copy = linalg.copy ins(%r : tensor<1x32x14x14xf32>) outs(%e : tensor<1x32x14x14xf32>) -> tensor<1x32x14x14xf32>
  return %copy : tensor<1x32x14x14xf32>
}

// -----

// Writing into the interior of a padded buffer (a slice, a strided view):
// with rows of 56 or more LLVM vectorizes the row as it is, and reshaping
// the slice would copy it out and back, so the generic stays; with rows
// of 14 the copies are worth it (and with nothing broadcast, the 8
// channels of 196 merge too, into one loop of 1568).
// CHECK-LABEL: func.func @into_padded_long
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-LABEL: func.func @into_padded_short
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins({{.*}} : tensor<1568xf32>)
#idp = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @into_padded_long(%x: tensor<1x8x56x56xf32>, %p: tensor<1x8x58x58xf32>) -> tensor<1x8x58x58xf32> {
  %s = tensor.extract_slice %p[0, 0, 1, 1] [1, 8, 56, 56] [1, 1, 1, 1] : tensor<1x8x58x58xf32> to tensor<1x8x56x56xf32>
  %r = linalg.generic {indexing_maps = [#idp, #idp], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x56x56xf32>) outs(%s : tensor<1x8x56x56xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x8x56x56xf32>
  %i = tensor.insert_slice %r into %p[0, 0, 1, 1] [1, 8, 56, 56] [1, 1, 1, 1] : tensor<1x8x56x56xf32> into tensor<1x8x58x58xf32>
  return %i : tensor<1x8x58x58xf32>
}
func.func @into_padded_short(%x: tensor<1x8x14x14xf32>, %p: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %s = tensor.extract_slice %p[0, 0, 1, 1] [1, 8, 14, 14] [1, 1, 1, 1] : tensor<1x8x16x16xf32> to tensor<1x8x14x14xf32>
  %r = linalg.generic {indexing_maps = [#idp, #idp], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x14x14xf32>) outs(%s : tensor<1x8x14x14xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x8x14x14xf32>
  %i = tensor.insert_slice %r into %p[0, 0, 1, 1] [1, 8, 14, 14] [1, 1, 1, 1] : tensor<1x8x14x14xf32> into tensor<1x8x16x16xf32>
  return %i : tensor<1x8x16x16xf32>
}

// -----

// A stencil (a depthwise convolution's shifted windows of one padded
// input) keeps its rows even when short: each window would be copied.
// CHECK-LABEL: func.func @stencil_short
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
#st = affine_map<(c, h, w) -> (c, h, w)>
func.func @stencil_short(%p: tensor<8x16x16xf32>) -> tensor<8x14x14xf32> {
  %a = tensor.extract_slice %p[0, 0, 0] [8, 14, 14] [1, 1, 1] : tensor<8x16x16xf32> to tensor<8x14x14xf32>
  %b = tensor.extract_slice %p[0, 1, 1] [8, 14, 14] [1, 1, 1] : tensor<8x16x16xf32> to tensor<8x14x14xf32>
  %e = tensor.empty() : tensor<8x14x14xf32>
  %r = linalg.generic {indexing_maps = [#st, #st, #st], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<8x14x14xf32>, tensor<8x14x14xf32>) outs(%e : tensor<8x14x14xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.addf %x, %y : f32
    linalg.yield %m : f32
  } -> tensor<8x14x14xf32>
  return %r : tensor<8x14x14xf32>
}

// -----

// A global average pool's sum: the reduction over H x W (7 x 7) becomes one
// loop; the 1280 channels are long enough already and are not merged.
// CHECK-LABEL: func.func @pool_sum
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x1280x7x7xf32> into tensor<1280x49xf32>
// CHECK: iterator_types = ["parallel", "reduction"]
// SHORT-LABEL: func.func @pool_sum
// SHORT: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<1x1280x7x7xf32> into tensor<1280x49xf32>
#in = affine_map<(n, c, h, w) -> (n, c, h, w)>
#out = affine_map<(n, c, h, w) -> (n, c)>
func.func @pool_sum(%x: tensor<1x1280x7x7xf32>) -> tensor<1x1280xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1280xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1280xf32>) -> tensor<1x1280xf32>
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<1x1280x7x7xf32>) outs(%f : tensor<1x1280xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x1280xf32>
  %n = linalg.copy ins(%r : tensor<1x1280xf32>) outs(%e : tensor<1x1280xf32>) -> tensor<1x1280xf32>
  return %n : tensor<1x1280xf32>
}

// -----

// Not merged: a transpose (W and H swap places in the result), and a
// generic whose result is the function's (its buffer is the caller's).
// CHECK-LABEL: func.func @kept
// CHECK-NOT: tensor.collapse_shape
#id2 = affine_map<(n, c, h, w) -> (n, c, h, w)>
#t = affine_map<(n, c, h, w) -> (n, c, w, h)>
func.func @kept(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %t = linalg.generic {indexing_maps = [#id2, #t], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x8x4x4xf32>
  %n = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  return %t, %n : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}
