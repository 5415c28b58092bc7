// yz-tile-and-vectorize: a pad of an op's result becomes the op writing
// into the padded buffer's interior, only the border filled; the copy a
// lowered unpack ends with is dropped. After bufferization, no copies.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize --one-shot-bufferize="bufferize-function-boundaries" --cse --canonicalize | FileCheck %s --check-prefix=BUF

// The RHS (20 columns) is padded to two 16-wide panels. Its producer writes
// the first 20 columns of the padded 12 x 32 tensor; only columns 20..31 are
// filled, after it (the producer has just brought the rows into the cache);
// the pack's transpose reads the whole. The producer's rows (20, shorter
// than LLVM vectorizes well) are vectorized by yzc: 4 lanes at this CPU's
// 128 bits.
// CHECK-LABEL: func.func @rhs_from_op
// CHECK-NOT: tensor.pad
// CHECK: %[[T:.*]] = tensor.empty() : tensor<12x32xf32>
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[T]][0, 0] [12, 20] [1, 1]
// CHECK: %[[NEG:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[IN]]) -> (tensor<12x20xf32>)
// CHECK: arith.negf {{.*}} : vector<1x4xf32>
// CHECK: %[[T1:.*]] = tensor.insert_slice %[[NEG]] into %[[T]][0, 0] [12, 20] [1, 1]
// CHECK: %[[HIGH:.*]] = tensor.extract_slice %[[T1]][0, 20] [12, 12] [1, 1]
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[HIGH]] : tensor<12x12xf32>)
// CHECK: %[[T2:.*]] = tensor.insert_slice %[[ZEROS]] into %[[T1]][0, 20] [12, 12] [1, 1]
// CHECK: tensor.expand_shape %[[T2]] {{\[\[}}0, 1], [2, 3]] output_shape [12, 1, 2, 16]
// The unpack: a transpose, a reshape and a slice; no copy.
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<1x8x2x16xf32> into tensor<8x32xf32>
// CHECK: %[[R:.*]] = tensor.extract_slice %[[C]][0, 0] [8, 20] [1, 1]
// CHECK-NOT: linalg.copy
// CHECK: return %[[R]]

// BUF-LABEL: func.func @rhs_from_op
// BUF-NOT: memref.copy
// BUF: %[[B:.*]] = memref.alloc() {{.*}} : memref<12x32xf32>
// BUF: %[[IN:.*]] = memref.subview %[[B]][0, 0] [12, 20] [1, 1]
// BUF: vector.transfer_write %{{.*}}, %[[IN]]
// BUF: %[[HIGH:.*]] = memref.subview %[[B]][0, 20] [12, 12] [1, 1]
// BUF: linalg.fill ins(%{{.*}} : f32) outs(%[[HIGH]] :
// BUF-NOT: memref.copy
// BUF-LABEL: func.func @conv_input
func.func @rhs_from_op(%a: tensor<8x12xf32>, %x: tensor<12x20xf32>) -> tensor<8x20xf32> {
  %e = tensor.empty() : tensor<12x20xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<12x20xf32>) outs(%e : tensor<12x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<12x20xf32>
  %z = arith.constant 0.0 : f32
  %o = tensor.empty() : tensor<8x20xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<8x20xf32>) -> tensor<8x20xf32>
  %r = linalg.matmul ins(%a, %b : tensor<8x12xf32>, tensor<12x20xf32>) outs(%f : tensor<8x20xf32>) -> tensor<8x20xf32>
  return %r : tensor<8x20xf32>
}

// A conv's input padded by one on each side: the producer writes the 6 x 6
// interior at [1, 1] (rows of 6: one masked vector of 4 and one of 2),
// then the border is filled: the first and last rows as one strided slab,
// the first and last columns as another.
// CHECK-LABEL: func.func @conv_input
// CHECK-NOT: tensor.pad
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[IN]]) -> (tensor<1x4x6x6xf32>)
// CHECK: vector.create_mask
// CHECK: vector.transfer_write
// CHECK: linalg.fill {{.*}} -> tensor<1x4x2x8xf32>
// CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 0] [1, 4, 2, 8] [1, 1, 7, 1]
// CHECK: linalg.fill {{.*}} -> tensor<1x4x8x2xf32>
// CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 0] [1, 4, 8, 2] [1, 1, 1, 7]
// CHECK-NOT: linalg.fill

// BUF-NOT: memref.copy
// BUF: vector.transfer_write
// BUF-COUNT-2: linalg.fill
// BUF-NOT: memref.copy
func.func @conv_input(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x8x8xf32> {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x6x6xf32> to tensor<1x4x8x8xf32>
  return %p : tensor<1x4x8x8xf32>
}

// A result read beside the pad (a residual block's input feeds its first
// conv and the add) is the padded tensor's interior too: readers after the
// pad read a slice of the padded tensor, so the result has one buffer and
// the pad no fill or copy of it.
// CHECK-LABEL: func.func @shared
// CHECK-NOT: tensor.pad
// CHECK: %[[T:.*]] = tensor.empty() : tensor<1x4x8x8xf32>
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[T]][0, 0, 1, 1] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK: %[[Y:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[IN]]) -> (tensor<1x4x6x6xf32>)
// CHECK: %[[T1:.*]] = tensor.insert_slice %[[Y]] into %[[T]]
// CHECK-COUNT-2: linalg.fill
// CHECK: %[[LAST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 0] [1, 4, 8, 2] [1, 1, 1, 7]
// CHECK: %[[READ:.*]] = tensor.extract_slice %[[LAST]][0, 0, 1, 1] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK: return %[[LAST]], %[[READ]]
// BUF-LABEL: func.func @shared
// BUF-NOT: memref.copy
// BUF: %[[B:.*]] = memref.alloc() {{.*}} : memref<1x4x8x8xf32>
// BUF: %[[IN:.*]] = memref.subview %[[B]][0, 0, 1, 1] [1, 4, 6, 6] [1, 1, 1, 1]
// BUF-NOT: memref.copy
// BUF: return %[[B]], %[[IN]]
func.func @shared(%x: tensor<1x4x6x6xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>) {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x6x6xf32> to tensor<1x4x8x8xf32>
  return %p, %y : tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>
}

// A reader before the pad keeps reading the producer's result (now the
// interior as well, before the border is filled): still no copy.
// CHECK-LABEL: func.func @read_before
// CHECK-NOT: tensor.pad
// CHECK: %[[Y:.*]] = scf.for {{.*}} -> (tensor<1x4x6x6xf32>)
// CHECK: arith.negf
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<1x4x6x6xf32>)
// CHECK: arith.mulf
// CHECK: tensor.insert_slice %[[Y]] into
// BUF-LABEL: func.func @read_before
// BUF-NOT: memref.copy
// BUF: return
func.func @read_before(%x: tensor<1x4x6x6xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>) {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x6x6xf32>
  %e2 = tensor.empty() : tensor<1x4x6x6xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : tensor<1x4x6x6xf32>) outs(%e2 : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x6x6xf32> to tensor<1x4x8x8xf32>
  return %p, %w : tensor<1x4x8x8xf32>, tensor<1x4x6x6xf32>
}

// Through an expand_shape (a grouped convolution's input): the producer
// writes a collapsed view of the padded tensor's interior.
// CHECK-LABEL: func.func @expanded
// CHECK-NOT: tensor.pad
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 1, 1] [1, 4, 1, 6, 6] [1, 1, 1, 1, 1]
// CHECK: %[[VIEW:.*]] = tensor.collapse_shape %[[IN]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x4x1x6x6xf32> into tensor<1x4x6x6xf32>
// CHECK: %[[NEG:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[VIEW]]) -> (tensor<1x4x6x6xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[NEG]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 4, 1, 6, 6]
// CHECK: tensor.insert_slice %[[E]] into %{{.*}}[0, 0, 0, 1, 1] [1, 4, 1, 6, 6] [1, 1, 1, 1, 1]
// BUF-LABEL: func.func @expanded
// BUF-NOT: memref.copy
// BUF: return
func.func @expanded(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x1x8x8xf32> {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x6x6xf32>
  %y5 = tensor.expand_shape %y [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 6, 6] : tensor<1x4x6x6xf32> into tensor<1x4x1x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %y5 low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index, %m: index):
    tensor.yield %z : f32
  } : tensor<1x4x1x6x6xf32> to tensor<1x4x1x8x8xf32>
  return %p : tensor<1x4x1x8x8xf32>
}

// A gather (a tensor.extract at computed indices) writing into the padded
// buffer is not vectorized by rows: it stays a generic, for LLVM.
// CHECK-LABEL: func.func @gather_into_pad
// CHECK-NOT: tensor.pad
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, 1] [4, 6] [1, 1]
// CHECK: linalg.generic {{.*}} outs(%[[IN]] : tensor<4x6xf32>)
// CHECK: tensor.extract
func.func @gather_into_pad(%x: tensor<4x6xf32>, %idx: tensor<6xindex>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%idx : tensor<6xindex>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%i: index, %out: f32):
    %r = linalg.index 0 : index
    %v = tensor.extract %x[%r, %i] : tensor<4x6xf32>
    linalg.yield %v : f32
  } -> tensor<4x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %g low[0, 1] high[0, 1] {
  ^bb0(%a: index, %b: index):
    tensor.yield %z : f32
  } : tensor<4x6xf32> to tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// Rows read at a stride wider than 2 writing into the padded buffer are
// not vectorized by rows: a vector of them would be a gather. (At stride
// 2, yz-optimize-vectors reads twice the elements and deinterleaves.)
// CHECK-LABEL: func.func @strided_into_pad
// CHECK: %[[WIN:.*]] = tensor.extract_slice %arg0[0, 0] [4, 6] [1, 3]
// CHECK: %[[OUT:.*]] = tensor.extract_slice %{{.*}}[0, 1] [4, 6] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[WIN]] : tensor<4x6xf32>) outs(%[[OUT]] : tensor<4x6xf32>)
// CHECK-NOT: vector.transfer_write
func.func @strided_into_pad(%x: tensor<4x18xf32>) -> tensor<4x8xf32> {
  %w = tensor.extract_slice %x[0, 0] [4, 6] [1, 3] : tensor<4x18xf32> to tensor<4x6xf32>
  %e = tensor.empty() : tensor<4x6xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %g low[0, 1] high[0, 1] {
  ^bb0(%a: index, %b: index):
    tensor.yield %z : f32
  } : tensor<4x6xf32> to tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// A bias read at (0, c, 0, 0) (a map with zeros, as ONNX reshapes leave
// it) is a scalar per row: the rows are vectorized.
// CHECK-LABEL: func.func @bias_into_pad
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 4, 6, 6] [1, 1, 1, 1]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[IN]]) -> (tensor<1x4x6x6xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<1x1x1x1xf32>
// CHECK: arith.addf {{.*}} : vector<1x1x1x4xf32>
// CHECK: vector.transfer_write
func.func @bias_into_pad(%x: tensor<1x4x6x6xf32>, %b: tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<1x4x6x6xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x4x6x6xf32> to tensor<1x4x8x8xf32>
  return %p : tensor<1x4x8x8xf32>
}

// Through a collapse_shape with other readers (a residual block's output:
// its pixels padded to whole panels for the next pointwise conv, and read
// by the next residual add): the readers after the pad read the padded
// tensor's interior, expanded back.
// CHECK-LABEL: func.func @shared_collapsed
// CHECK-NOT: tensor.pad
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[0, 0] [4, 36] [1, 1] : tensor<4x40xf32> to tensor<4x36xf32>
// CHECK: %[[VIEW:.*]] = tensor.expand_shape %[[IN]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 4, 6, 6]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[VIEW]]) -> (tensor<1x4x6x6xf32>)
// CHECK: linalg.fill
// CHECK: %[[LAST:.*]] = tensor.insert_slice
// CHECK: %[[READ:.*]] = tensor.extract_slice %[[LAST]][0, 0] [4, 36] [1, 1]
// CHECK: %[[BACK:.*]] = tensor.expand_shape %[[READ]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 4, 6, 6]
// CHECK: return %[[LAST]], %[[BACK]]
// BUF-LABEL: func.func @shared_collapsed
// BUF-NOT: memref.copy
// BUF: return
func.func @shared_collapsed(%x: tensor<1x4x6x6xf32>) -> (tensor<4x40xf32>, tensor<1x4x6x6xf32>) {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x6x6xf32>
  %c = tensor.collapse_shape %y [[0, 1], [2, 3]] : tensor<1x4x6x6xf32> into tensor<4x36xf32>
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %c low[0, 0] high[0, 4] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<4x36xf32> to tensor<4x40xf32>
  return %p, %y : tensor<4x40xf32>, tensor<1x4x6x6xf32>
}
