// RUN: yz-opt %s --yz-dce | FileCheck %s

// Unused side-effect-free ops go, whole chains at once; what a result or a
// side-effecting op reads stays.
// CHECK-LABEL: func @dead
// CHECK-NEXT: %[[R:.*]] = yz.relu %arg0
// CHECK-NEXT: arith.constant 0
// CHECK-NEXT: memref.store
// CHECK-NEXT: return %[[R]]
func.func @dead(%x: tensor<4xf32>, %m: memref<1xf32>, %f: f32) -> tensor<4xf32> {
  %w = yz.constant dense<2.0> : tensor<4xf32>
  %a = yz.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %b = yz.exp %a : tensor<4xf32>
  %r = yz.relu %x : tensor<4xf32>
  %i = arith.constant 0 : index
  memref.store %f, %m[%i] : memref<1xf32>
  return %r : tensor<4xf32>
}
