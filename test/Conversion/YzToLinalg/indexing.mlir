// RUN: yz-opt %s --split-input-file --convert-yz-to-linalg | FileCheck %s

// gather_nd: a generic over the result reading each tuple element from the
// indices (negative ones wrapped), then the data.
// CHECK-LABEL: func @gather_nd
// CHECK: linalg.generic
// CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<2x5x1xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %arg0[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<2x3x4xf32>
func.func @gather_nd(%d: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>) -> tensor<2x5x4xf32> {
  %0 = yz.gather_nd %d, %i <{batch_dims = 1 : i64}> : tensor<2x3x4xf32>, tensor<2x5x1xi64>
  return %0 : tensor<2x5x4xf32>
}

// -----

// Scatters: a loop nest over the updates carrying the result, each update
// combined with the element it lands on (add) and inserted.
// CHECK-LABEL: func @scatter_elements
// CHECK: scf.for {{.*}} iter_args(%[[A:.*]] = %arg0)
// CHECK: scf.for {{.*}} iter_args(%[[B:.*]] = %[[A]])
// CHECK: tensor.extract %arg2
// CHECK: tensor.extract %arg1
// CHECK: %[[OLD:.*]] = tensor.extract %[[B]]
// CHECK: arith.addf %[[OLD]]
// CHECK: tensor.insert
func.func @scatter_elements(%s: tensor<3x3xf32>, %si: tensor<2x3xi64>, %su: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = yz.scatter_elements %s[%si], %su <{axis = 1 : i64, reduction = "add"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// scatter_nd without a reduction replaces: no read of the old element.
// CHECK-LABEL: func @scatter_nd
// CHECK-COUNT-3: scf.for
// CHECK: tensor.extract %arg2
// CHECK: tensor.extract %arg1
// CHECK-NOT: tensor.extract
// CHECK: tensor.insert
func.func @scatter_nd(%n: tensor<4x4x4xi32>, %ni: tensor<2x1xi64>, %nu: tensor<2x4x4xi32>) -> tensor<4x4x4xi32> {
  %0 = yz.scatter_nd %n[%ni], %nu <{reduction = "none"}> : tensor<4x4x4xi32>, tensor<2x1xi64>, tensor<2x4x4xi32>
  return %0 : tensor<4x4x4xi32>
}
