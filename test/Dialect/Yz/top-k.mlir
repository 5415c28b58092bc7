// RUN: yz-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @top_k
// CHECK: yz.top_k %arg0 <{axis = 1 : i64, k = 3 : i64, largest = true}> : tensor<2x10xf32>
// CHECK: yz.top_k %arg1 <{axis = 0 : i64, k = 1 : i64, largest = false}> : tensor<4xui8>
func.func @top_k(%x: tensor<2x10xf32>, %u: tensor<4xui8>) -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<1xui8>) {
  %v, %i = yz.top_k %x <{k = 3 : i64, axis = 1 : i64, largest = true}> : tensor<2x10xf32>
  %w, %j = yz.top_k %u <{k = 1 : i64, axis = 0 : i64, largest = false}> : tensor<4xui8>
  return %v, %i, %w : tensor<2x3xf32>, tensor<2x3xi64>, tensor<1xui8>
}

// -----

func.func @too_many(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{yz.top_k k = 11 is outside 0..10}}
  %v, %i = yz.top_k %x <{k = 11 : i64, axis = 1 : i64, largest = true}> : tensor<2x10xf32>
  return
}

// -----

func.func @axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{yz.top_k axis 2 is outside 0..1}}
  %v, %i = yz.top_k %x <{k = 1 : i64, axis = 2 : i64, largest = true}> : tensor<2x10xf32>
  return
}
