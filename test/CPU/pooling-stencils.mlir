// Without strided vector loads (x86), max and sum pooling become the
// depthwise convolutions' stencil: one elementwise generic over the output
// that combines KH x KW shifted windows of the padded input, its rows in
// vectors (yz.row_vector), with no filled accumulator buffer.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls | FileCheck %s
// With strided vector loads (RVV) pooling is left to the generic path.
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls="cpu=strided-vectors=1" | FileCheck %s --check-prefix=RVV

// 3x3 stride 2 into a fill of -inf (the identity): nine strided windows,
// eight maxima (NaNs propagate; the sign of a zero maximum is free).
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: linalg.fill
// CHECK: %[[X00:.*]] = tensor.extract_slice %[[X:.*]][0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 2, 2] : tensor<1x8x9x9xf32> to tensor<1x8x4x4xf32>
// CHECK: %[[X01:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 1] [1, 8, 4, 4] [1, 1, 2, 2]
// CHECK: %[[X22:.*]] = tensor.extract_slice %[[X]][0, 0, 2, 2] [1, 8, 4, 4] [1, 1, 2, 2]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X00]], %[[X01]], {{.*}}, %[[X22]] :
// CHECK-SAME: yz.row_vector = 4 : i64
// CHECK: ^bb0(%[[A0:[^:]*]]: f32, %[[A1:[^:]*]]: f32,
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[A0]], %[[A1]] fastmath<nsz> : f32
// CHECK-COUNT-7: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NOT: linalg.pooling_nchw_max
// RVV-LABEL: func.func @max_pool
// RVV: linalg.pooling_nchw_max
func.func @max_pool(%x: tensor<1x8x9x9xf32>) -> tensor<1x8x4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x9x9xf32>, tensor<3x3xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// A fill that is not the identity is combined first.
// CHECK-LABEL: func.func @max_pool_floor
// CHECK: %[[FLOOR:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: ^bb0(%[[A0:[^:]*]]: f32,
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[FLOOR]], %[[A0]] fastmath<nsz> : f32
// CHECK-COUNT-3: arith.maximumf
// CHECK-NEXT: linalg.yield
func.func @max_pool_floor(%x: tensor<1x8x5x5xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x5x5xf32>, tensor<2x2xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// Signed integers: maxsi, the lowest value being the identity; dilation 2
// moves the taps.
// CHECK-LABEL: func.func @max_pool_i8
// CHECK: tensor.extract_slice %[[X:.*]][0, 0, 0, 0] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[X]][0, 0, 0, 2] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[X]][0, 0, 2, 0] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[X]][0, 0, 2, 2] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK: ^bb0(%[[A0:[^:]*]]: i8, %[[A1:[^:]*]]: i8,
// CHECK-NEXT: arith.maxsi %[[A0]], %[[A1]] : i8
// CHECK-COUNT-2: arith.maxsi
// CHECK-NEXT: linalg.yield
func.func @max_pool_i8(%x: tensor<1x4x5x5xi8>) -> tensor<1x4x3x3xi8> {
  %lowest = arith.constant -128 : i8
  %e = tensor.empty() : tensor<1x4x3x3xi8>
  %init = linalg.fill ins(%lowest : i8) outs(%e : tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi8>
  %w = tensor.empty() : tensor<2x2xi8>
  %r = linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x5x5xi8>, tensor<2x2xi8>) outs(%init : tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi8>
  return %r : tensor<1x4x3x3xi8>
}

// -----

// Average pooling's sum, in the taps' order, with the division after it
// fused into the same loop.
// CHECK-LABEL: func.func @avg_pool
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A0:[^:]*]]: f32, %[[A1:[^:]*]]: f32, %[[A2:[^:]*]]: f32, %[[A3:[^:]*]]: f32,
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[A0]], %[[A1]] : f32
// CHECK-NEXT: %[[S2:.*]] = arith.addf %[[S1]], %[[A2]] : f32
// CHECK-NEXT: %[[S3:.*]] = arith.addf %[[S2]], %[[A3]] : f32
// CHECK-NEXT: %[[D:.*]] = arith.divf %[[S3]], %{{.*}} : f32
// CHECK-NEXT: linalg.yield %[[D]]
// CHECK-NOT: linalg.generic
func.func @avg_pool(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %four = arith.constant 4.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %s = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.divf %a, %four : f32
    linalg.yield %d : f32
  } -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// A stride of 3 over W on an input in half of L2: the windows are
// unit-stride slices of the input's 3 x 3 phases.
// CHECK-LABEL: func.func @max_pool_stride3
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [1, 4, 3, 3, 3, 3]
// CHECK: %[[P:.*]] = linalg.generic
// CHECK: tensor.extract_slice %[[P]][0, 0, 0, 0, 0, 0] [1, 4, 1, 1, 3, 3] [1, 1, 1, 1, 1, 1] : tensor<1x4x3x3x3x3xf32> to tensor<1x4x3x3xf32>
// CHECK: tensor.extract_slice %[[P]][0, 0, 1, 1, 0, 0] [1, 4, 1, 1, 3, 3]
// CHECK: linalg.generic
// CHECK-SAME: yz.row_vector
func.func @max_pool_stride3(%x: tensor<1x4x9x9xf32>) -> tensor<1x4x3x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>} ins(%x, %w : tensor<1x4x9x9xf32>, tensor<2x2xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// -----

// Windows of more than 64 taps (9 x 9) stay as they are.
// CHECK-LABEL: func.func @max_pool_large
// CHECK: linalg.pooling_nchw_max
func.func @max_pool_large(%x: tensor<1x4x9x9xf32>) -> tensor<1x4x1x1xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x1x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %w = tensor.empty() : tensor<9x9xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x9x9xf32>, tensor<9x9xf32>) outs(%init : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  return %r : tensor<1x4x1x1xf32>
}
