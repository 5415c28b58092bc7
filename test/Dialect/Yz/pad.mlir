// RUN: yz-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Round trip of yz.pad in each mode; the result grows by low + high.
// CHECK-LABEL: func @modes
// CHECK: yz.pad %arg0, %arg1 <{high = array<i64: 0, 2>, low = array<i64: 1, 0>, mode = "constant"}> : tensor<3x4xf32>, tensor<f32>
// CHECK: yz.pad %arg0 <{high = array<i64: 1, 0>, low = array<i64: 2, 0>, mode = "edge"}> : tensor<3x4xf32>
// CHECK: yz.pad %arg0 <{high = array<i64: 2, 3>, low = array<i64: 2, 3>, mode = "reflect"}> : tensor<3x4xf32>
// CHECK: yz.pad %arg0 <{high = array<i64: 0, 5>, low = array<i64: 4, 0>, mode = "wrap"}> : tensor<3x4xf32>
func.func @modes(%x: tensor<3x4xf32>, %v: tensor<f32>) -> (tensor<4x6xf32>, tensor<6x4xf32>, tensor<7x10xf32>, tensor<7x9xf32>) {
  %0 = yz.pad %x, %v <{low = array<i64: 1, 0>, high = array<i64: 0, 2>, mode = "constant"}> : tensor<3x4xf32>, tensor<f32>
  %1 = yz.pad %x <{low = array<i64: 2, 0>, high = array<i64: 1, 0>, mode = "edge"}> : tensor<3x4xf32>
  %2 = yz.pad %x <{low = array<i64: 2, 3>, high = array<i64: 2, 3>, mode = "reflect"}> : tensor<3x4xf32>
  %3 = yz.pad %x <{low = array<i64: 4, 0>, high = array<i64: 0, 5>, mode = "wrap"}> : tensor<3x4xf32>
  return %0, %1, %2, %3 : tensor<4x6xf32>, tensor<6x4xf32>, tensor<7x10xf32>, tensor<7x9xf32>
}

// -----

func.func @count(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{yz.pad needs 2 low and high pads}}
  %0 = yz.pad %x <{low = array<i64: 1>, high = array<i64: 0, 2>, mode = "constant"}> : tensor<3x4xf32>
  return
}

// -----

func.func @mode(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{yz.pad mode must be constant, edge, reflect or wrap, got 'mirror'}}
  %0 = yz.pad %x <{low = array<i64: 1, 0>, high = array<i64: 0, 2>, mode = "mirror"}> : tensor<3x4xf32>
  return
}

// -----

func.func @value(%x: tensor<3x4xf32>, %v: tensor<f32>) {
  // expected-error @+1 {{yz.pad value must be a rank-0 tensor of the input's element type, in constant mode}}
  %0 = yz.pad %x, %v <{low = array<i64: 1, 0>, high = array<i64: 0, 2>, mode = "edge"}> : tensor<3x4xf32>, tensor<f32>
  return
}

// -----

func.func @negative(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{yz.pad pads must not be negative}}
  %0 = yz.pad %x <{low = array<i64: -1, 0>, high = array<i64: 0, 2>, mode = "constant"}> : tensor<3x4xf32>
  return
}

// -----

func.func @empty(%x: tensor<0x4xf32>) {
  // expected-error @+1 {{yz.pad edge mode cannot pad an empty dimension}}
  %0 = yz.pad %x <{low = array<i64: 1, 0>, high = array<i64: 0, 0>, mode = "edge"}> : tensor<0x4xf32>
  return
}

// -----

func.func @reflect(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{yz.pad reflect pads of dimension 0 must be below its size 3}}
  %0 = yz.pad %x <{low = array<i64: 3, 0>, high = array<i64: 0, 0>, mode = "reflect"}> : tensor<3x4xf32>
  return
}

