// RUN: yz-opt %s --split-input-file | yz-opt | FileCheck %s
// RUN: yz-opt %s --split-input-file --yz-fold-constants | FileCheck %s --check-prefix=FOLD

// Elementwise ops round-trip, and fold from their own scalar definition.

// CHECK-LABEL: func @floor
// CHECK: yz.floor %{{.*}} : tensor<4xf32>
// FOLD-LABEL: func @floor
// FOLD: yz.constant dense<[-2.000000e+00, -1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// FOLD-NOT: yz.floor
func.func @floor() -> tensor<4xf32> {
  %x = yz.constant dense<[-1.5, -0.5, 0.5, 1.5]> : tensor<4xf32>
  %0 = yz.floor %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
