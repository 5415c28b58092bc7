// RUN: yz-opt %s --yz-fold-constants --split-input-file | FileCheck %s
// RUN: yz-opt %s --yz-fold-constants=max-elements=2 --split-input-file | FileCheck %s --check-prefix=SMALL

// Broadcasting arithmetic, math and shape ops on constants are computed.
// CHECK-LABEL: func @arith
// CHECK-DAG: %[[A:.*]] = yz.constant dense<{{\[\[}}1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[T:.*]] = yz.constant dense<{{\[\[}}1, 3], [2, 4]]> : tensor<2x2xi64>
// CHECK-DAG: %[[S:.*]] = yz.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NOT: yz.add
// CHECK-NOT: yz.transpose
// CHECK-NOT: yz.sqrt
// CHECK: return %[[A]], %[[T]], %[[S]]
// SMALL-LABEL: func @arith
// SMALL: yz.add
// SMALL: yz.transpose
// SMALL-NOT: yz.sqrt
func.func @arith() -> (tensor<2x2xf32>, tensor<2x2xi64>, tensor<2xf32>) {
  %a = yz.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = yz.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %sum = yz.add %a, %b : tensor<2x2xf32>, tensor<2xf32>
  %i = yz.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %t = yz.transpose %i, [1, 0] : tensor<2x2xi64>
  %q = yz.constant dense<[4.0, 9.0]> : tensor<2xf32>
  %s = yz.sqrt %q : tensor<2xf32>
  return %sum, %t, %s : tensor<2x2xf32>, tensor<2x2xi64>, tensor<2xf32>
}

// -----

// Weights (dense resources) fold too and stay resources: a transposed Gemm
// weight (here 0..17 as 6x3) becomes a new blob.
// CHECK-LABEL: func @resource_transpose
// CHECK: %[[W:.*]] = yz.constant dense_resource<folded> : tensor<3x6xf32>
// CHECK: return %[[W]]
// CHECK: folded: "0x0400000000000000000040400000C0400000104100004041000070410000803F000080400000E040000020410000504100008041000000400000A04000000041000030410000604100008841"
func.func @resource_transpose() -> tensor<3x6xf32> {
  %w = yz.constant dense_resource<w> : tensor<6x3xf32>
  %t = yz.transpose %w, [1, 0] : tensor<6x3xf32>
  return %t : tensor<3x6xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F0000004000004040000080400000A0400000C0400000E04000000041000010410000204100003041000040410000504100006041000070410000804100008841"
    }
  }
#-}

// -----

// Not folded: a non-constant operand, integer division by zero.
// CHECK-LABEL: func @not_folded
// CHECK: yz.add
// CHECK: yz.div
func.func @not_folded(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi32>) {
  %b = yz.constant dense<1.0> : tensor<2xf32>
  %s = yz.add %x, %b : tensor<2xf32>, tensor<2xf32>
  %n = yz.constant dense<[4, 2]> : tensor<2xi32>
  %z = yz.constant dense<[1, 0]> : tensor<2xi32>
  %d = yz.div %n, %z : tensor<2xi32>, tensor<2xi32>
  return %s, %d : tensor<2xf32>, tensor<2xi32>
}
