// RUN: yz-opt %s --allow-unregistered-dialect \
// RUN:   | yz-opt --allow-unregistered-dialect | FileCheck %s
// RUN: yz-opt %s --allow-unregistered-dialect --mlir-print-op-generic \
// RUN:   | yz-opt --allow-unregistered-dialect | FileCheck %s

// CHECK-LABEL: func @constants
func.func @constants() -> (tensor<2x2xf32>, tensor<3xi8>) {
  // CHECK: yz.constant dense_resource<w> : tensor<2x2xf32>
  %w = yz.constant dense_resource<w> : tensor<2x2xf32>
  // CHECK: yz.constant dense<[1, -2, 3]> : tensor<3xi8>
  %c = yz.constant dense<[1, -2, 3]> : tensor<3xi8>
  return %w, %c : tensor<2x2xf32>, tensor<3xi8>
}

// CHECK-LABEL: func @matmuls
func.func @matmuls(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                   %c: tensor<2x4x8xf32>, %d: tensor<3x1x8x5xf32>,
                   %e: tensor<4x8xi8>, %f: tensor<8x16xi8>) {
  // CHECK: %{{.*}} = yz.matmul %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>
  %0 = yz.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32>
  // CHECK: yz.matmul {{.*}} : tensor<2x4x8xf32>, tensor<8x16xf32>
  %1 = yz.matmul %c, %b : tensor<2x4x8xf32>, tensor<8x16xf32>
  // CHECK: yz.matmul {{.*}} : tensor<2x4x8xf32>, tensor<3x1x8x5xf32>
  %2 = yz.matmul %c, %d : tensor<2x4x8xf32>, tensor<3x1x8x5xf32>
  // CHECK: yz.matmul {{.*}} : tensor<4x8xi8>, tensor<8x16xi8>
  %3 = yz.matmul %e, %f : tensor<4x8xi8>, tensor<8x16xi8>
  // Result types are inferred: check them through their uses.
  // CHECK: "test.use"({{.*}}) : (tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<3x2x4x5xf32>, tensor<4x16xi32>) -> ()
  "test.use"(%0, %1, %2, %3) : (tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<3x2x4x5xf32>, tensor<4x16xi32>) -> ()
  return
}

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<4x1xf32>, %b: tensor<3xf32>,
                       %c: tensor<2x3xi32>, %d: tensor<i32>) {
  // CHECK: yz.add {{.*}} : tensor<4x1xf32>, tensor<3xf32>
  %0 = yz.add %a, %b : tensor<4x1xf32>, tensor<3xf32>
  // CHECK: yz.sub {{.*}} : tensor<2x3xi32>, tensor<i32>
  %1 = yz.sub %c, %d : tensor<2x3xi32>, tensor<i32>
  // CHECK: yz.mul {{.*}} : tensor<3xf32>, tensor<4x1xf32>
  %2 = yz.mul %b, %a : tensor<3xf32>, tensor<4x1xf32>
  // CHECK: yz.relu {{.*}} : tensor<4x3xf32>
  %3 = yz.relu %0 : tensor<4x3xf32>
  // CHECK: "test.use"({{.*}}) : (tensor<4x3xf32>, tensor<2x3xi32>, tensor<4x3xf32>, tensor<4x3xf32>) -> ()
  "test.use"(%0, %1, %2, %3) : (tensor<4x3xf32>, tensor<2x3xi32>, tensor<4x3xf32>, tensor<4x3xf32>) -> ()
  return
}

// Dynamic dimensions are allowed in the dialect (the CPU lowering rejects
// them): a dynamic dimension broadcasts against a static one.
// CHECK-LABEL: func @dynamic
func.func @dynamic(%a: tensor<?x8xf32>, %b: tensor<8x?xf32>) {
  %0 = yz.matmul %a, %b : tensor<?x8xf32>, tensor<8x?xf32>
  %1 = yz.add %a, %a : tensor<?x8xf32>, tensor<?x8xf32>
  // CHECK: "test.use"({{.*}}) : (tensor<?x?xf32>, tensor<?x8xf32>) -> ()
  "test.use"(%0, %1) : (tensor<?x?xf32>, tensor<?x8xf32>) -> ()
  return
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803f0000004000004040000080c0"
    }
  }
#-}
