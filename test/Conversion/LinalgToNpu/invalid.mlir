// RUN: yz-opt %s --split-input-file --convert-linalg-to-npu -verify-diagnostics

func.func @no_target(%a: memref<8x8xi8>, %c: memref<8x8xi32>) {
  // expected-error @+1 {{placed on the NPU, but the module has no npu.target}}
  linalg.matmul {yz.placement = "npu"} ins(%a, %a : memref<8x8xi8>, memref<8x8xi8>) outs(%c : memref<8x8xi32>)
  return
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @types(%a: memref<8x8xf16>, %c: memref<8x8xf16>) {
    // expected-error @+1 {{the NPU multiplies i8 x i8 -> i32 or (bf16) f32 x f32 -> f32, not 'memref<8x8xf16>' x 'memref<8x8xf16>' -> 'memref<8x8xf16>'}}
    linalg.matmul {yz.placement = "npu"} ins(%a, %a : memref<8x8xf16>, memref<8x8xf16>) outs(%c : memref<8x8xf16>)
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @tensors(%a: tensor<8x8xi8>, %c: tensor<8x8xi32>) -> tensor<8x8xi32> {
    // expected-error @+1 {{NPU offload runs after bufferization: expected memref operands}}
    %0 = linalg.matmul {yz.placement = "npu"} ins(%a, %a : tensor<8x8xi8>, tensor<8x8xi8>) outs(%c : tensor<8x8xi32>) -> tensor<8x8xi32>
    return %0 : tensor<8x8xi32>
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @dynamic(%a: memref<?x8xi8>, %b: memref<8x8xi8>, %c: memref<?x8xi32>) {
    // expected-error @+1 {{NPU offload needs static shapes}}
    linalg.matmul {yz.placement = "npu"} ins(%a, %b : memref<?x8xi8>, memref<8x8xi8>) outs(%c : memref<?x8xi32>)
    return
  }
}
