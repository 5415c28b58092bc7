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

// -----

// CHECK-LABEL: func @math_and_bits
// CHECK: yz.sin
// CHECK: yz.sign
// CHECK: yz.is_inf %{{.*}} <{detect_negative = false, detect_positive = true}>
// CHECK: yz.xor
// CHECK: yz.shift_right
// CHECK: yz.mod %{{.*}}, %{{.*}} <{fmod = false}>
// FOLD-LABEL: func @math_and_bits
// FOLD-DAG: yz.constant dense<[-1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// FOLD-DAG: yz.constant dense<[false, false, true]> : tensor<3xi1>
// FOLD-DAG: yz.constant dense<[6, 5, 0]> : tensor<3xi8>
// FOLD-DAG: yz.constant dense<[1, 0, 255]> : tensor<3xui8>
// FOLD-DAG: yz.constant dense<[2, 0, -2]> : tensor<3xi32>
func.func @math_and_bits() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi1>, tensor<3xi8>, tensor<3xui8>, tensor<3xi32>) {
  %f = yz.constant dense<[-2.0, 0.0, 0x7F800000]> : tensor<3xf32>
  %0 = yz.sin %f : tensor<3xf32>
  %1 = yz.sign %f : tensor<3xf32>
  %2 = yz.is_inf %f <{detect_negative = false, detect_positive = true}> : tensor<3xf32>
  %a = yz.constant dense<[3, 5, 7]> : tensor<3xi8>
  %b = yz.constant dense<[5, 0, 7]> : tensor<3xi8>
  %3 = yz.xor %a, %b : tensor<3xi8>, tensor<3xi8>
  %u = yz.constant dense<[2, 1, 255]> : tensor<3xui8>
  %s = yz.constant dense<[1, 8, 0]> : tensor<3xui8>
  %4 = yz.shift_right %u, %s : tensor<3xui8>, tensor<3xui8>
  %x = yz.constant dense<[-7, 6, 7]> : tensor<3xi32>
  %y = yz.constant dense<[3, 3, -3]> : tensor<3xi32>
  %5 = yz.mod %x, %y <{fmod = false}> : tensor<3xi32>, tensor<3xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xi1>, tensor<3xi8>, tensor<3xui8>, tensor<3xi32>
}
