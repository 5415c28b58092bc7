// RUN: yz-opt %s --convert-yz-to-linalg | FileCheck %s

// Casts follow ONNX: floats truncate into integers, i1 is a boolean.
// CHECK-LABEL: func @cast
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.*}} : i1 to f32
func.func @cast(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi1>, tensor<4xf32>) {
  %0 = yz.cast %x : tensor<4xf32> -> tensor<4xi32>
  %1 = yz.cast %x : tensor<4xf32> -> tensor<4xi1>
  %2 = yz.cast %b : tensor<4xi1> -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xi1>, tensor<4xf32>
}

// The three operands broadcast through their indexing maps.
// CHECK-LABEL: func @select
// CHECK: linalg.generic {indexing_maps = [#[[C:.*]], #[[X:.*]], #[[I:.*]], #[[I]]]
// CHECK: arith.select
func.func @select(%c: tensor<2x1xi1>, %x: tensor<3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = yz.select %c, %x, %y : tensor<2x1xi1>, tensor<3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Integers compare signed.
// CHECK-LABEL: func @compare
// CHECK: arith.cmpi sge
func.func @compare(%x: tensor<3xi64>, %y: tensor<3xi64>) -> tensor<3xi1> {
  %0 = yz.greater_equal %x, %y : tensor<3xi64>, tensor<3xi64>
  return %0 : tensor<3xi1>
}

// A broadcast is a copy through a broadcasting map; identity disappears.
// CHECK-LABEL: func @broadcast
// CHECK: %[[B:.*]] = linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: return %[[B]]
func.func @broadcast(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = yz.broadcast_to %x : tensor<3xf32> -> tensor<2x3xf32>
  %1 = yz.identity %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// The epilogue: bias, then the lower and the upper clamp.
// CHECK-LABEL: func @epilogue
// CHECK: linalg.matmul
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @epilogue(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = yz.matmul %x, %w, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>
  return %0 : tensor<4x16xf32>
}
