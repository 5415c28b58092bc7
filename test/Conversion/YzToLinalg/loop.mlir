// RUN: yz-opt %s --convert-yz-to-linalg | FileCheck %s

// The loop becomes an scf.for over [0, count); the induction variable is
// handed to the body as a rank-0 i64 tensor, and the body's yz ops are
// lowered in place.
// CHECK-LABEL: func @loop
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %[[C1]] iter_args(%[[ACC:.*]] = %arg0) -> (tensor<2xf32>)
// CHECK: %[[T:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: tensor.from_elements %[[T]] : tensor<i64>
// CHECK: %[[N:.*]] = linalg.generic
// CHECK-SAME: ins(%[[ACC]], %[[ACC]]
// CHECK: scf.yield %[[N]] : tensor<2xf32>
// CHECK: return %[[R]]
func.func @loop(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = yz.loop 4 (%x) : tensor<2xf32> {
  ^bb0(%t: tensor<i64>, %acc: tensor<2xf32>):
    %n = yz.add %acc, %acc : tensor<2xf32>, tensor<2xf32>
    yz.yield %n : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}
