// RUN: yz-opt %s --convert-yz-to-linalg --split-input-file | FileCheck %s

// Unsigned tensors (ONNX uint8..uint64) lower to signless ones, function
// signature included; each op picks the unsigned form of its arithmetic
// from its own types.

// CHECK-LABEL: func @arith
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi32>)
// CHECK: arith.divui
// CHECK: arith.maxui
// CHECK: arith.cmpi ult
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK-NOT: ui8
func.func @arith(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xi32>) {
  %0 = yz.div %a, %b : tensor<4xui8>, tensor<4xui8>
  %1 = yz.max %a, %b : tensor<4xui8>, tensor<4xui8>
  %2 = yz.less %a, %b : tensor<4xui8>, tensor<4xui8>
  %3 = yz.cast %a : tensor<4xui8> -> tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xi32>
}

// -----

// Constants keep their bytes; reductions start from the unsigned extreme.
// CHECK-LABEL: func @reduce
// CHECK: arith.constant dense<[-1, 2]> : tensor<2xi8>
// CHECK: arith.constant 0 : i8
// CHECK: arith.maxui
// CHECK: arith.constant -1 : i8
// CHECK: arith.minui
func.func @reduce(%a: tensor<2x3xui8>) -> (tensor<2xui8>, tensor<2xui8>, tensor<2xui8>) {
  %c = yz.constant dense<[255, 2]> : tensor<2xui8>
  %0 = yz.reduce_max %a <{axes = array<i64: 1>, keepdims = false}> : tensor<2x3xui8>
  %1 = yz.reduce_min %a <{axes = array<i64: 1>, keepdims = false}> : tensor<2x3xui8>
  return %c, %0, %1 : tensor<2xui8>, tensor<2xui8>, tensor<2xui8>
}

// -----

// Max pooling of unsigned values: a generic with maxui, padded with 0.
// CHECK-LABEL: func @pool
// CHECK: arith.constant 0 : i8
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.maxui
func.func @pool(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %0 = yz.max_pool2d %x <{kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>}> : tensor<1x1x4x4xui8>
  return %0 : tensor<1x1x2x2xui8>
}

// -----

// Bools (ONNX ReduceMax/Min from opset 20) reduce as unsigned: max is any
// (from false), min is all (from true).
// CHECK-LABEL: func @reduce_bool
// CHECK: arith.constant false
// CHECK: arith.maxui
// CHECK: arith.constant true
// CHECK: arith.minui
func.func @reduce_bool(%a: tensor<2x3xi1>) -> (tensor<2xi1>, tensor<2xi1>) {
  %0 = yz.reduce_max %a <{axes = array<i64: 1>, keepdims = false}> : tensor<2x3xi1>
  %1 = yz.reduce_min %a <{axes = array<i64: 1>, keepdims = false}> : tensor<2x3xi1>
  return %0, %1 : tensor<2xi1>, tensor<2xi1>
}
