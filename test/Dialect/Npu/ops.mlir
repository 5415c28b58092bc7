// RUN: yz-opt %s | yz-opt | FileCheck %s
// RUN: yz-opt %s --mlir-print-op-generic | yz-opt | FileCheck %s

// CHECK: module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>}
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  // CHECK-LABEL: func @all_ops
  func.func @all_ops(%a: memref<64x32xi8>, %f: memref<8x8xf32>, %c: memref<64x64xi32>,
                     %q: memref<64x64xi8>, %i: index, %j: index) -> i64 {
    %c0 = arith.constant 0 : index
    %c16 = arith.constant 16 : index
    %true = arith.constant true
    // CHECK: npu.config_target
    npu.config_target
    // CHECK: npu.config_exec i8
    npu.config_exec i8
    // CHECK: npu.config_exec bf16
    npu.config_exec bf16
    // CHECK: npu.config_load %{{.*}} : memref<64x32xi8>
    npu.config_load %a : memref<64x32xi8>
    // CHECK: npu.config_load %{{.*}} {to_acc} : memref<64x64xi32>
    npu.config_load %c {to_acc} : memref<64x64xi32>
    // CHECK: npu.config_store %{{.*}} : memref<64x64xi32>
    npu.config_store %c : memref<64x64xi32>
    // CHECK: npu.config_store %{{.*}} {activation = 1 : i32, clamp_max = 100 : i32, clamp_min = 3 : i32, scale = 5.000000e-01 : f32, zero_point = 3 : i32} : memref<64x64xi8>
    npu.config_store %q {activation = 1 : i32, scale = 0.5 : f32, zero_point = 3 : i32, clamp_min = 3 : i32, clamp_max = 100 : i32} : memref<64x64xi8>
    // CHECK: npu.config_store %{{.*}} scales %{{.*}} {zero_point = -2 : i32} : memref<64x64xi8>
    npu.config_store %q scales %c16 {zero_point = -2 : i32} : memref<64x64xi8>
    // CHECK: npu.dma_in %{{.*}}[%{{.*}}, %{{.*}}], row %{{.*}}, rows %{{.*}}, cols %{{.*}} : memref<64x32xi8>
    npu.dma_in %a[%i, %j], row %c0, rows %c16, cols %c16 : memref<64x32xi8>
    // CHECK: npu.dma_in %{{.*}} : memref<8x8xf32>
    npu.dma_in %f[%c0, %c0], row %c16, rows %c16, cols %c16 : memref<8x8xf32>
    // CHECK: npu.dma_in_acc
    npu.dma_in_acc %c[%c0, %c0], row %c0, rows %c16, cols %c16 : memref<64x64xi32>
    // CHECK: npu.matmul %{{.*}}, %{{.*}} -> %{{.*}}, m %{{.*}}, n %{{.*}}, k %{{.*}}, accumulate %{{.*}}
    npu.matmul %c0, %c16 -> %c0, m %c16, n %c16, k %c16, accumulate %true
    // CHECK: npu.matmul {{.*}} {transpose_a, transpose_b}
    npu.matmul %c0, %c16 -> %c0, m %c16, n %c16, k %c16, accumulate %true {transpose_a, transpose_b}
    // CHECK: npu.dma_out_acc
    npu.dma_out_acc %c[%c0, %c0], row %c0, rows %c16, cols %c16 : memref<64x64xi32>
    // CHECK: npu.dma_out_q
    npu.dma_out_q %q[%c0, %c0], row %c0, rows %c16, cols %c16 : memref<64x64xi8>
    // CHECK: npu.dma_out %{{.*}} : memref<64x32xi8>
    npu.dma_out %a[%c0, %c0], row %c0, rows %c16, cols %c16 : memref<64x32xi8>
    // CHECK: npu.fence
    npu.fence
    // CHECK: npu.layer "/conv1/Conv" macs 1769472
    npu.layer "/conv1/Conv" macs 1769472
    // CHECK: npu.layer "fc" macs 40 on_cpu
    npu.layer "fc" macs 40 on_cpu
    // CHECK: npu.counter macs
    %n = npu.counter macs
    return %n : i64
  }
}

// npu.conv2d on tensors and on memrefs.
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  // CHECK-LABEL: func @conv
  // CHECK: npu.conv2d ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x5x5x3xi8>, tensor<27x4xi8>, tensor<2x4xi32>) outs(%{{.*}} : tensor<1x3x3x4xi8>) {clamp_max = 127 : i64, clamp_min = -128 : i64, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, zero_point = 0 : i64} -> tensor<1x3x3x4xi8>
  // CHECK: npu.conv2d ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%{{.*}} : memref<1x2x2x4xi8>) {{.*}}strides = array<i64: 2, 2>
  func.func @conv(%x: tensor<1x5x5x3xi8>, %w: tensor<27x4xi8>, %e: tensor<2x4xi32>, %y: tensor<1x3x3x4xi8>,
                  %mx: memref<1x5x5x3xi8>, %mw: memref<27x4xi8>, %me: memref<2x4xi32>, %my: memref<1x2x2x4xi8>,
                  %fx: memref<1x5x5x3xf32>, %fw: memref<27x4xf32>, %fe: memref<1x4xf32>, %fy: memref<1x3x3x4xf32>) -> tensor<1x3x3x4xi8> {
    %r = npu.conv2d ins(%x, %w, %e : tensor<1x5x5x3xi8>, tensor<27x4xi8>, tensor<2x4xi32>) outs(%y : tensor<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127} -> tensor<1x3x3x4xi8>
    npu.conv2d ins(%mx, %mw, %me : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%my : memref<1x2x2x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
    // bf16: f32 operands, a [1, F] bias epilogue, an activation.
    // CHECK: npu.conv2d ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x5x5x3xf32>, memref<27x4xf32>, memref<1x4xf32>) outs(%{{.*}} : memref<1x3x3x4xf32>) {activation = 2 : i32,
    npu.conv2d ins(%fx, %fw, %fe : memref<1x5x5x3xf32>, memref<27x4xf32>, memref<1x4xf32>) outs(%fy : memref<1x3x3x4xf32>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127, activation = 2 : i32}
    return %r : tensor<1x3x3x4xi8>
  }
}
