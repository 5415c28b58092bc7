// RUN: yz-opt %s --yz-remove-identities | FileCheck %s

// Identity/Dropout (yz.identity) and no-op reshapes, transposes, broadcasts
// and casts go; their users read the input directly.
// CHECK-LABEL: func @no_ops
// CHECK-NEXT: %[[R:.*]] = yz.relu %arg0
// CHECK-NEXT: %[[T:.*]] = yz.transpose %[[R]], [1, 0]
// CHECK-NEXT: return %[[R]], %[[T]]
func.func @no_ops(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %0 = yz.identity %x : tensor<2x2xf32>
  %1 = yz.reshape %0 : tensor<2x2xf32> -> tensor<2x2xf32>
  %2 = yz.transpose %1, [0, 1] : tensor<2x2xf32>
  %3 = yz.broadcast_to %2 : tensor<2x2xf32> -> tensor<2x2xf32>
  %4 = yz.cast %3 : tensor<2x2xf32> -> tensor<2x2xf32>
  %5 = yz.relu %4 : tensor<2x2xf32>
  %6 = yz.identity %5 : tensor<2x2xf32>
  %7 = yz.transpose %6, [1, 0] : tensor<2x2xf32>
  return %6, %7 : tensor<2x2xf32>, tensor<2x2xf32>
}
