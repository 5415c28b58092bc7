// RUN: yz-opt %s --split-input-file | yz-opt | FileCheck %s
// RUN: yz-opt %s --split-input-file --convert-yz-to-linalg | FileCheck %s --check-prefix=LOWER

// Reductions beyond sum, max and mean; arg max/min; running sums; log
// softmax (a decomposition); gather_elements.

// CHECK-LABEL: func @reduce
// CHECK: yz.reduce_prod %{{.*}} <{axes = array<i64: 1>, keepdims = false}>
// CHECK: yz.reduce_min
// LOWER-LABEL: func @reduce
// LOWER: arith.constant 1.000000e+00 : f32
// LOWER: arith.mulf
// LOWER: arith.constant 0x7F800000 : f32
// LOWER: arith.minimumf
func.func @reduce(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x1xf32>) {
  %0 = yz.reduce_prod %x <{axes = array<i64: 1>, keepdims = false}> : tensor<2x3xf32>
  %1 = yz.reduce_min %x <{axes = array<i64: 1>, keepdims = true}> : tensor<2x3xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x1xf32>
}

// -----

// One generic carries the best value and its index; the first of equal
// maxima wins (ogt), the last with select_last_index (oge).
// CHECK-LABEL: func @arg
// CHECK: yz.arg_max %{{.*}} <{axis = 1 : i64, keepdims = true, select_last_index = false}> : tensor<2x3xf32>
// LOWER-LABEL: func @arg
// LOWER: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// LOWER: linalg.index 1
// LOWER: arith.cmpf ogt
// LOWER: tensor.reshape {{.*}} -> tensor<2x1xi64>
// LOWER: arith.cmpi sle
func.func @arg(%x: tensor<2x3xf32>, %y: tensor<4xi32>) -> (tensor<2x1xi64>, tensor<i64>) {
  %0 = yz.arg_max %x <{axis = 1 : i64, keepdims = true, select_last_index = false}> : tensor<2x3xf32>
  %1 = yz.arg_min %y <{axis = 0 : i64, keepdims = false, select_last_index = true}> : tensor<4xi32>
  return %0, %1 : tensor<2x1xi64>, tensor<i64>
}

// -----

// CHECK-LABEL: func @cumsum
// CHECK: yz.cumsum %{{.*}} <{axis = 0 : i64, exclusive = true, reverse = false}>
// LOWER-LABEL: func @cumsum
// LOWER: iterator_types = ["parallel", "parallel", "reduction"]
// LOWER: arith.cmpi ult
// LOWER: arith.select
func.func @cumsum(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %0 = yz.cumsum %x <{axis = 0 : i64, exclusive = true, reverse = false}> : tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func @log_softmax
// CHECK: yz.log_softmax %{{.*}} {axis = 1 : i64}
// LOWER-LABEL: func @log_softmax
// LOWER: arith.maximumf
// LOWER: math.exp
// LOWER: math.log
// LOWER: arith.subf
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = yz.log_softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func @gather_elements
// CHECK: yz.gather_elements %{{.*}}, %{{.*}} <{axis = 1 : i64}> : tensor<2x3xf32>, tensor<2x2xi64>
// LOWER-LABEL: func @gather_elements
// LOWER: arith.index_cast
// LOWER: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<2x3xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2xf32> {
  %0 = yz.gather_elements %x, %i <{axis = 1 : i64}> : tensor<2x3xf32>, tensor<2x2xi64>
  return %0 : tensor<2x2xf32>
}
