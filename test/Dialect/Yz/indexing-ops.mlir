// RUN: yz-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @ops
// CHECK: yz.gather_nd %arg0, %arg1 <{batch_dims = 1 : i64}> : tensor<2x3x4xf32>, tensor<2x5x1xi64>
// CHECK: yz.scatter_elements %arg2[%arg3], %arg4 <{axis = 1 : i64, reduction = "add"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>
// CHECK: yz.scatter_nd %arg5[%arg6], %arg7 <{reduction = "none"}> : tensor<4x4x4xi32>, tensor<2x1xi64>, tensor<2x4x4xi32>
func.func @ops(%d: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>,
               %s: tensor<3x3xf32>, %si: tensor<2x3xi64>, %su: tensor<2x3xf32>,
               %n: tensor<4x4x4xi32>, %ni: tensor<2x1xi64>, %nu: tensor<2x4x4xi32>)
    -> (tensor<2x5x4xf32>, tensor<3x3xf32>, tensor<4x4x4xi32>) {
  %0 = yz.gather_nd %d, %i <{batch_dims = 1 : i64}> : tensor<2x3x4xf32>, tensor<2x5x1xi64>
  %1 = yz.scatter_elements %s[%si], %su <{axis = 1 : i64, reduction = "add"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>
  %2 = yz.scatter_nd %n[%ni], %nu <{reduction = "none"}> : tensor<4x4x4xi32>, tensor<2x1xi64>, tensor<2x4x4xi32>
  return %0, %1, %2 : tensor<2x5x4xf32>, tensor<3x3xf32>, tensor<4x4x4xi32>
}

// -----

func.func @gather_nd_fit(%d: tensor<2x3xf32>, %i: tensor<4x3xi64>) {
  // expected-error @+1 {{yz.gather_nd with batch_dims 0 and 3-tuples does not fit data 'tensor<2x3xf32>' and indices 'tensor<4x3xi64>'}}
  %0 = yz.gather_nd %d, %i <{batch_dims = 0 : i64}> : tensor<2x3xf32>, tensor<4x3xi64>
  return
}

// -----

func.func @gather_nd_batch(%d: tensor<2x3xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+1 {{yz.gather_nd batch dimension 0 differs: data 'tensor<2x3xf32>', indices 'tensor<3x1xi64>'}}
  %0 = yz.gather_nd %d, %i <{batch_dims = 1 : i64}> : tensor<2x3xf32>, tensor<3x1xi64>
  return
}

// -----

func.func @gather_nd_dynamic(%d: tensor<2x3xf32>, %i: tensor<3x?xi64>) {
  // expected-error @+1 {{yz.gather_nd indices 'tensor<3x?xi64>' need a static last dimension}}
  %0 = yz.gather_nd %d, %i <{batch_dims = 0 : i64}> : tensor<2x3xf32>, tensor<3x?xi64>
  return
}

// -----

func.func @scatter_axis(%s: tensor<3x3xf32>, %si: tensor<2x3xi64>, %su: tensor<2x3xf32>) {
  // expected-error @+1 {{'yz.scatter_elements' op axis 2 is outside 0..1}}
  %0 = yz.scatter_elements %s[%si], %su <{axis = 2 : i64, reduction = "none"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>
  return
}

// -----

func.func @scatter_shapes(%s: tensor<3x3xf32>, %si: tensor<2x3xi64>, %su: tensor<2x2xf32>) {
  // expected-error @+1 {{'yz.scatter_elements' op indices 'tensor<2x3xi64>' and updates 'tensor<2x2xf32>' must have one shape, the data's rank and element type}}
  %0 = yz.scatter_elements %s[%si], %su <{axis = 0 : i64, reduction = "none"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x2xf32>
  return
}

// -----

func.func @scatter_reduction(%s: tensor<3x3xf32>, %si: tensor<2x3xi64>, %su: tensor<2x3xf32>) {
  // expected-error @+1 {{'yz.scatter_elements' op reduction must be none, add, mul, max or min, got 'sub'}}
  %0 = yz.scatter_elements %s[%si], %su <{axis = 0 : i64, reduction = "sub"}> : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>
  return
}

// -----

func.func @scatter_nd_tuples(%n: tensor<4x4xi32>, %ni: tensor<2x3xi64>, %nu: tensor<2xi32>) {
  // expected-error @+1 {{'yz.scatter_nd' op indices 'tensor<2x3xi64>' must hold tuples of 1 to 2 indices}}
  %0 = yz.scatter_nd %n[%ni], %nu <{reduction = "none"}> : tensor<4x4xi32>, tensor<2x3xi64>, tensor<2xi32>
  return
}

// -----

func.func @scatter_nd_updates(%n: tensor<4x4xi32>, %ni: tensor<2x1xi64>, %nu: tensor<2x3xi32>) {
  // expected-error @+1 {{'yz.scatter_nd' op updates 'tensor<2x3xi32>' must be 'tensor<2x4xi32>'}}
  %0 = yz.scatter_nd %n[%ni], %nu <{reduction = "none"}> : tensor<4x4xi32>, tensor<2x1xi64>, tensor<2x3xi32>
  return
}
