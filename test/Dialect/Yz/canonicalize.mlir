// RUN: yz-opt %s --canonicalize | FileCheck %s

// yz ops are pure: unused ones disappear, equal constants merge.
// CHECK-LABEL: func @dead_and_duplicate
// CHECK-NEXT: %[[C:.*]] = yz.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[S:.*]] = yz.add %[[C]], %[[C]]
// CHECK-NEXT: return %[[S]]
func.func @dead_and_duplicate(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> tensor<4xf32> {
  %unused = yz.matmul %a, %b : tensor<4x8xf32>, tensor<8x4xf32>
  %c0 = yz.constant dense<1.0> : tensor<4xf32>
  %c1 = yz.constant dense<1.0> : tensor<4xf32>
  %s = yz.add %c0, %c1 : tensor<4xf32>, tensor<4xf32>
  return %s : tensor<4xf32>
}
