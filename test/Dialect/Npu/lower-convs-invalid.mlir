// RUN: yz-opt %s --split-input-file --yz-lower-npu-convs -verify-diagnostics

// An npu.conv2d the program cannot be made of is an error.
func.func @conv_no_target(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{npu.conv2d needs the module's npu.target}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @conv_tensors(%x: tensor<1x5x5x3xi8>, %w: tensor<27x4xi8>, %e: tensor<2x4xi32>, %y: tensor<1x3x3x4xi8>) -> tensor<1x3x3x4xi8> {
    // expected-error @+1 {{npu.conv2d is lowered after bufferization: expected memref operands}}
    %r = npu.conv2d ins(%x, %w, %e : tensor<1x5x5x3xi8>, tensor<27x4xi8>, tensor<2x4xi32>) outs(%y : tensor<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127} -> tensor<1x3x3x4xi8>
    return %r : tensor<1x3x3x4xi8>
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @conv_layout(%x: memref<1x5x5x3xi8, strided<[150, 30, 6, 1]>>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
    // expected-error @+1 {{npu.conv2d needs identity-layout input and output}}
    npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8, strided<[150, 30, 6, 1]>>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
    return
  }
}
