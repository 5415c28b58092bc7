// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls=int8 | FileCheck %s
// RUN: yz-opt %s --split-input-file --yz-convs-to-matmuls | FileCheck %s --check-prefix=OFF

// With int8, an int8 convolution becomes an i8 x i8 -> i32 matmul whose
// accumulator starts at -x_zp * sum_k w[f, k]: the input zero point's
// share, so the matmul needs none. (Without int8 it keeps its loops.)
// CHECK-LABEL: func.func @qconv
// CHECK-DAG: %[[COL:.*]] = tensor.collapse_shape {{.*}} : tensor<3x3x3x1x4x4xi8> into tensor<27x16xi8>
// CHECK-DAG: %[[W:.*]] = tensor.collapse_shape %arg1 {{.*}} : tensor<8x3x3x3xi8> into tensor<8x27xi8>
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[W]] : tensor<8x27xi8>) outs(%{{.*}} : tensor<8xi32>)
// CHECK: arith.extsi
// CHECK: %[[NEG:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[SUMS]] : tensor<8xi32>) outs(%{{.*}} : tensor<8x16xi32>)
// CHECK: arith.muli %{{.*}}, %[[NEG]] : i32
// CHECK: linalg.matmul ins(%[[W]], %[[COL]] : tensor<8x27xi8>, tensor<27x16xi8>) outs(%[[INIT]] : tensor<8x16xi32>)
// CHECK-NOT: linalg.conv_2d
// OFF-LABEL: func.func @qconv
// OFF: linalg.conv_2d_nchw_fchw_q
func.func @qconv(%x: tensor<1x3x9x9xi8>, %w: tensor<8x3x3x3xi8>) -> tensor<1x8x4x4xi32> {
  %z = arith.constant 0 : i32
  %xzp = arith.constant -5 : i32
  %e = tensor.empty() : tensor<1x8x4x4xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x8x4x4xi32>) -> tensor<1x8x4x4xi32>
  %r = linalg.conv_2d_nchw_fchw_q {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w, %xzp, %z : tensor<1x3x9x9xi8>, tensor<8x3x3x3xi8>, i32, i32) outs(%f : tensor<1x8x4x4xi32>) -> tensor<1x8x4x4xi32>
  return %r : tensor<1x8x4x4xi32>
}

// -----

// A zero input zero point: the accumulator is a zero fill.
// CHECK-LABEL: func.func @zero_point_zero
// CHECK: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul
func.func @zero_point_zero(%x: tensor<1x4x2x2xi8>, %w: tensor<6x4x1x1xi8>) -> tensor<1x6x2x2xi32> {
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x6x2x2xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x6x2x2xi32>) -> tensor<1x6x2x2xi32>
  %r = linalg.conv_2d_nchw_fchw_q {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w, %z, %z : tensor<1x4x2x2xi8>, tensor<6x4x1x1xi8>, i32, i32) outs(%f : tensor<1x6x2x2xi32>) -> tensor<1x6x2x2xi32>
  return %r : tensor<1x6x2x2xi32>
}

// -----

// A weight zero point other than 0 is left alone.
// CHECK-LABEL: func.func @weight_zero_point
// CHECK: linalg.conv_2d_nchw_fchw_q
func.func @weight_zero_point(%x: tensor<1x4x2x2xi8>, %w: tensor<6x4x1x1xi8>) -> tensor<1x6x2x2xi32> {
  %z = arith.constant 0 : i32
  %wzp = arith.constant 3 : i32
  %e = tensor.empty() : tensor<1x6x2x2xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x6x2x2xi32>) -> tensor<1x6x2x2xi32>
  %r = linalg.conv_2d_nchw_fchw_q {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %w, %z, %wzp : tensor<1x4x2x2xi8>, tensor<6x4x1x1xi8>, i32, i32) outs(%f : tensor<1x6x2x2xi32>) -> tensor<1x6x2x2xi32>
  return %r : tensor<1x6x2x2xi32>
}
