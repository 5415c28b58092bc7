// RUN: yz-opt %s --allow-unregistered-dialect \
// RUN:   | yz-opt --allow-unregistered-dialect | FileCheck %s
// RUN: yz-opt %s --allow-unregistered-dialect --mlir-print-op-generic \
// RUN:   | yz-opt --allow-unregistered-dialect | FileCheck %s

// CHECK-LABEL: func @nn
func.func @nn(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>,
              %v: tensor<3x5xf32>, %i: tensor<2x2xi64>) {
  // CHECK: yz.conv2d %{{.*}}, %{{.*}}, %{{.*}} <{dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  %0 = yz.conv2d %x, %w, %b <{strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 2 : i64}> : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  // CHECK: yz.conv2d %{{[^,]*}}, %{{[^,]*}} <{{{.*}}}> : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>{{$}}
  %1 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, groups = 2 : i64}> : tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>
  // CHECK: yz.max_pool2d
  %2 = yz.max_pool2d %x <{kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}> : tensor<1x4x8x8xf32>
  // CHECK: yz.avg_pool2d
  %3 = yz.avg_pool2d %x <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, count_include_pad = false}> : tensor<1x4x8x8xf32>
  // CHECK: yz.reduce_mean %{{.*}} <{axes = array<i64: 2, 3>, keepdims = true}>
  %4 = yz.reduce_mean %x <{axes = array<i64: 2, 3>, keepdims = true}> : tensor<1x4x8x8xf32>
  // CHECK: yz.reduce_sum
  %5 = yz.reduce_sum %v <{axes = array<i64: 0>, keepdims = false}> : tensor<3x5xf32>
  // CHECK: yz.reduce_max
  %6 = yz.reduce_max %v <{axes = array<i64: 1>, keepdims = false}> : tensor<3x5xf32>
  // CHECK: yz.softmax %{{.*}} {axis = 1 : i64} : tensor<3x5xf32>
  %7 = yz.softmax %v {axis = 1 : i64} : tensor<3x5xf32>
  // CHECK: yz.concat %{{.*}}, %{{.*}} <{axis = 0 : i64}> : tensor<3x5xf32>, tensor<3x5xf32>
  %8 = yz.concat %v, %v <{axis = 0 : i64}> : tensor<3x5xf32>, tensor<3x5xf32>
  // CHECK: yz.slice
  %9 = yz.slice %v <{starts = array<i64: 1, 0>, sizes = array<i64: 2, 3>, strides = array<i64: 1, 2>}> : tensor<3x5xf32>
  // CHECK: yz.gather %{{.*}}, %{{.*}} <{axis = 1 : i64}> : tensor<3x5xf32>, tensor<2x2xi64>
  %10 = yz.gather %v, %i <{axis = 1 : i64}> : tensor<3x5xf32>, tensor<2x2xi64>
  // CHECK: yz.transpose %{{.*}}, [1, 0] : tensor<3x5xf32>
  %11 = yz.transpose %v, [1, 0] : tensor<3x5xf32>
  // CHECK: yz.reshape %{{.*}} : tensor<3x5xf32> -> tensor<15xf32>
  %12 = yz.reshape %v : tensor<3x5xf32> -> tensor<15xf32>
  // CHECK: yz.div
  %13 = yz.div %v, %v : tensor<3x5xf32>, tensor<3x5xf32>
  // CHECK: yz.pow
  %14 = yz.pow %v, %v : tensor<3x5xf32>, tensor<3x5xf32>
  // CHECK: yz.max
  %15 = yz.max %v, %v : tensor<3x5xf32>, tensor<3x5xf32>
  // CHECK: yz.min
  %16 = yz.min %v, %v : tensor<3x5xf32>, tensor<3x5xf32>
  // CHECK: yz.sigmoid
  %17 = yz.sigmoid %v : tensor<3x5xf32>
  // CHECK: yz.tanh
  %18 = yz.tanh %v : tensor<3x5xf32>
  // CHECK: yz.erf
  %19 = yz.erf %v : tensor<3x5xf32>
  // CHECK: yz.exp
  %20 = yz.exp %v : tensor<3x5xf32>
  // CHECK: yz.log
  %21 = yz.log %v : tensor<3x5xf32>
  // CHECK: yz.sqrt
  %22 = yz.sqrt %v : tensor<3x5xf32>
  // CHECK: yz.reciprocal
  %23 = yz.reciprocal %v : tensor<3x5xf32>
  // CHECK: yz.neg
  %24 = yz.neg %v : tensor<3x5xf32>
  // CHECK: yz.abs
  %25 = yz.abs %v : tensor<3x5xf32>
  // Inferred result types.
  // CHECK: "test.use"({{.*}}) : (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<5xf32>, tensor<3xf32>, tensor<6x5xf32>, tensor<2x3xf32>, tensor<3x2x2xf32>, tensor<5x3xf32>) -> ()
  "test.use"(%0, %1, %2, %3, %4, %5, %6, %8, %9, %10, %11) : (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<5xf32>, tensor<3xf32>, tensor<6x5xf32>, tensor<2x3xf32>, tensor<3x2x2xf32>, tensor<5x3xf32>) -> ()
  return
}
