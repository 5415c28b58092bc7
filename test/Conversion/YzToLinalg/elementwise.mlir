// RUN: yz-opt %s --convert-yz-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @add_broadcast
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x1xf32>, tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   linalg.yield %[[S]]
func.func @add_broadcast(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = yz.add %a, %b : tensor<4x1xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A rank-0 operand is indexed by nothing.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func @sub_scalar_int
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]], #{{.*}}]
// CHECK: arith.subi
func.func @sub_scalar_int(%a: tensor<2x3xi32>, %b: tensor<i32>) -> tensor<2x3xi32> {
  %0 = yz.sub %a, %b : tensor<2x3xi32>, tensor<i32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func @mul
// CHECK: arith.mulf
// CHECK-LABEL: func @mul_int
// CHECK: arith.muli
func.func @mul(%a: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<5xf32> {
  %0 = yz.mul %a, %b : tensor<5xf32>, tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @mul_int(%a: tensor<5xi8>, %b: tensor<5xi8>) -> tensor<5xi8> {
  %0 = yz.mul %a, %b : tensor<5xi8>, tensor<5xi8>
  return %0 : tensor<5xi8>
}

// -----

// CHECK-LABEL: func @relu
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   %[[R:.*]] = arith.maximumf %[[X]], %[[Z]] : f32
// CHECK:   linalg.yield %[[R]]
// CHECK-LABEL: func @relu_int
// CHECK:   arith.maxsi
func.func @relu(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = yz.relu %a : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
func.func @relu_int(%a: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %0 = yz.relu %a : tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func @constant
// CHECK: %[[C:.*]] = arith.constant dense_resource<blob> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = yz.constant dense_resource<blob> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803f00000040"
    }
  }
#-}

// -----

// Integer powers are integer powers (math.ipowi), not products.
// CHECK-LABEL: func @int_pow
// CHECK: ^bb0(%[[B:.*]]: i32, %[[E:.*]]: i32, %{{.*}}: i32):
// CHECK:   %[[P:.*]] = math.ipowi %[[B]], %[[E]] : i32
// CHECK:   linalg.yield %[[P]]
func.func @int_pow(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = yz.pow %a, %b : tensor<4xi32>, tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func @floor
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[F:.*]] = math.floor %[[X]] : f32
// CHECK:   linalg.yield %[[F]]
func.func @floor(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yz.floor %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A shift past the width gives 0: the amount is clamped, the result picked.
// CHECK-LABEL: func @shift_left
// CHECK: ^bb0(%[[X:.*]]: i8, %[[S:.*]]: i8, %{{.*}}: i8):
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[S]], %{{.*}} : i8
// CHECK:   %[[A:.*]] = arith.select %[[IN]], %[[S]], %{{.*}} : i8
// CHECK:   %[[SH:.*]] = arith.shli %[[X]], %[[A]] : i8
// CHECK:   arith.select %[[IN]], %[[SH]], %{{.*}} : i8
func.func @shift_left(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = yz.shift_left %a, %b : tensor<4xui8>, tensor<4xui8>
  return %0 : tensor<4xui8>
}
