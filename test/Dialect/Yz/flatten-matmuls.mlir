// RUN: yz-opt %s --split-input-file --yz-flatten-matmuls | FileCheck %s

// A linear layer over a sequence: one [B*T, K] x [K, N] matmul, its
// per-column bias 1-D.
// CHECK-LABEL: func @linear
// CHECK-DAG: %[[X:.*]] = yz.reshape %arg0 : tensor<2x5x8xf32> -> tensor<10x8xf32>
// CHECK-DAG: %[[B:.*]] = yz.reshape %arg2 : tensor<1x1x4xf32> -> tensor<4xf32>
// CHECK: %[[M:.*]] = yz.matmul %[[X]], %arg1, %[[B]] {clamp_min = 0.000000e+00 : f32} : tensor<10x8xf32>, tensor<8x4xf32>, tensor<4xf32>
// CHECK: %[[Y:.*]] = yz.reshape %[[M]] : tensor<10x4xf32> -> tensor<2x5x4xf32>
// CHECK: return %[[Y]]
func.func @linear(%x: tensor<2x5x8xf32>, %w: tensor<8x4xf32>, %b: tensor<1x1x4xf32>) -> tensor<2x5x4xf32> {
  %y = yz.matmul %x, %w, %b {clamp_min = 0.0 : f32} : tensor<2x5x8xf32>, tensor<8x4xf32>, tensor<1x1x4xf32>
  return %y : tensor<2x5x4xf32>
}

// -----

// A residual taken into the bias (a per-column bias plus a tensor of the
// result's shape) stays a sum of the two, flattened.
// CHECK-LABEL: func @residual
// CHECK: %[[R:.*]] = yz.reshape %arg3 : tensor<1x5x4xf32> -> tensor<5x4xf32>
// CHECK: %[[S:.*]] = yz.add %arg2, %[[R]] : tensor<4xf32>, tensor<5x4xf32>
// CHECK: yz.matmul %{{.*}}, %arg1, %[[S]] : tensor<5x8xf32>, tensor<8x4xf32>, tensor<5x4xf32>
func.func @residual(%x: tensor<1x5x8xf32>, %w: tensor<8x4xf32>, %b: tensor<4xf32>, %r: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  %s = yz.add %b, %r : tensor<4xf32>, tensor<1x5x4xf32>
  %y = yz.matmul %x, %w, %s : tensor<1x5x8xf32>, tensor<8x4xf32>, tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

// Attention over [B, heads, T, d]: one batch dimension of B * heads.
// CHECK-LABEL: func @attention
// CHECK-DAG: %[[Q:.*]] = yz.reshape %arg0 : tensor<2x4x6x8xf32> -> tensor<8x6x8xf32>
// CHECK-DAG: %[[K:.*]] = yz.reshape %arg1 : tensor<2x4x8x6xf32> -> tensor<8x8x6xf32>
// CHECK: %[[M:.*]] = yz.matmul %[[Q]], %[[K]] : tensor<8x6x8xf32>, tensor<8x8x6xf32>
// CHECK: yz.reshape %[[M]] : tensor<8x6x6xf32> -> tensor<2x4x6x6xf32>
func.func @attention(%q: tensor<2x4x6x8xf32>, %k: tensor<2x4x8x6xf32>) -> tensor<2x4x6x6xf32> {
  %y = yz.matmul %q, %k : tensor<2x4x6x8xf32>, tensor<2x4x8x6xf32>
  return %y : tensor<2x4x6x6xf32>
}

// -----

// Left alone: batches that broadcast, a bias that varies along rows but is
// not of the result's shape, and what is already 2-D or one batch.
// CHECK-LABEL: func @unchanged
// CHECK-NEXT: yz.matmul %arg0, %arg1 : tensor<2x4x6x8xf32>, tensor<1x4x8x6xf32>
// CHECK-NEXT: yz.matmul %arg2, %arg3, %arg4 : tensor<2x5x8xf32>, tensor<8x4xf32>, tensor<5x1xf32>
// CHECK-NEXT: yz.matmul %arg5, %arg6 : tensor<3x5x8xf32>, tensor<3x8x4xf32>
func.func @unchanged(%a: tensor<2x4x6x8xf32>, %b: tensor<1x4x8x6xf32>, %x: tensor<2x5x8xf32>, %w: tensor<8x4xf32>, %c: tensor<5x1xf32>, %p: tensor<3x5x8xf32>, %q: tensor<3x8x4xf32>) -> (tensor<2x4x6x6xf32>, tensor<2x5x4xf32>, tensor<3x5x4xf32>) {
  %0 = yz.matmul %a, %b : tensor<2x4x6x8xf32>, tensor<1x4x8x6xf32>
  %1 = yz.matmul %x, %w, %c : tensor<2x5x8xf32>, tensor<8x4xf32>, tensor<5x1xf32>
  %2 = yz.matmul %p, %q : tensor<3x5x8xf32>, tensor<3x8x4xf32>
  return %0, %1, %2 : tensor<2x4x6x6xf32>, tensor<2x5x4xf32>, tensor<3x5x4xf32>
}
