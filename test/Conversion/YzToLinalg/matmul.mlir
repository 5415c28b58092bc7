// RUN: yz-opt %s --convert-yz-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x16xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[INIT]] : tensor<4x16xf32>)
// CHECK: return %[[MM]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = yz.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// i8 operands accumulate in i32: linalg.matmul sign-extends them.
// CHECK-LABEL: func @matmul_i8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x3xi8>, tensor<3x5xi8>) outs(%{{.*}} : tensor<2x5xi32>)
func.func @matmul_i8(%a: tensor<2x3xi8>, %b: tensor<3x5xi8>) -> tensor<2x5xi32> {
  %0 = yz.matmul %a, %b : tensor<2x3xi8>, tensor<3x5xi8>
  return %0 : tensor<2x5xi32>
}

// -----

// CHECK-LABEL: func @batch_matmul
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2x8x3xf32>) outs(%{{.*}} : tensor<2x4x3xf32>)
func.func @batch_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x8x3xf32>) -> tensor<2x4x3xf32> {
  %0 = yz.matmul %a, %b : tensor<2x4x8xf32>, tensor<2x8x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// Broadcast batch dimensions: a generic over (b0, b1, m, n, k); a size-1
// batch dimension reads index 0, a missing one is not indexed.
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d4, d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<3x1x8x5xf32>) outs(%{{.*}} : tensor<3x2x4x5xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:   %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK:   linalg.yield %[[S]] : f32
func.func @broadcast_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x1x8x5xf32>) -> tensor<3x2x4x5xf32> {
  %0 = yz.matmul %a, %b : tensor<2x4x8xf32>, tensor<3x1x8x5xf32>
  return %0 : tensor<3x2x4x5xf32>
}

// -----

// CHECK-LABEL: func @broadcast_batch_i8
// CHECK: ^bb0(%[[X:.*]]: i8, %[[Y:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK-DAG: %[[XW:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK-DAG: %[[YW:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK: %[[P:.*]] = arith.muli %[[XW]], %[[YW]] : i32
// CHECK: arith.addi %[[ACC]], %[[P]] : i32
func.func @broadcast_batch_i8(%a: tensor<1x2x3xi8>, %b: tensor<4x3x2xi8>) -> tensor<4x2x2xi32> {
  %0 = yz.matmul %a, %b : tensor<1x2x3xi8>, tensor<4x3x2xi8>
  return %0 : tensor<4x2x2xi32>
}
