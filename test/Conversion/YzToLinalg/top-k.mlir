// RUN: yz-opt %s --convert-yz-to-linalg | FileCheck %s

// k rounds: each reads the previous pick back from the results (row 0 in
// round 0, where everything is eligible), finds the best element ranked
// after it (greater, or equal at a higher position) with one reduction, and
// writes it at row j. Unsigned compares unsigned.
// CHECK-LABEL: func @top_k
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[V:.*]] = %{{.*}}, %[[I:.*]] = %{{.*}}) -> (tensor<2x3xf32>, tensor<2x3xi64>)
// CHECK: tensor.extract_slice %[[V]]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: tensor.insert_slice {{.*}} into %[[V]][0, %[[J]]] [2, 1] [1, 1]
// CHECK: scf.yield
// CHECK: arith.cmpi ult
func.func @top_k(%x: tensor<2x10xf32>, %u: tensor<4xui8>) -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<1xui8>) {
  %v, %i = yz.top_k %x <{k = 3 : i64, axis = 1 : i64, largest = true}> : tensor<2x10xf32>
  %w, %j = yz.top_k %u <{k = 1 : i64, axis = 0 : i64, largest = false}> : tensor<4xui8>
  return %v, %i, %w : tensor<2x3xf32>, tensor<2x3xi64>, tensor<1xui8>
}
