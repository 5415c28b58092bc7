// RUN: yz-opt %s --split-input-file --yz-place-on-npu | FileCheck %s
// RUN: yz-opt %s --split-input-file --yz-place-on-npu=bf16 | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: func @placement
// 2-D i8 matmuls go to the NPU; f32 only with bf16; batched ones stay.
// CHECK: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xi8>
// CHECK: yz.matmul %{{[^{]*}} : tensor<4x8xf32>
// CHECK: yz.matmul %{{[^{]*}} : tensor<2x4x8xi8>
// BF16-LABEL: func @placement
// BF16: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xi8>
// BF16: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xf32>
// BF16: yz.matmul %{{[^{]*}} : tensor<2x4x8xi8>
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @placement(%a: tensor<4x8xi8>, %b: tensor<8x4xi8>, %f: tensor<4x8xf32>, %g: tensor<8x4xf32>, %c: tensor<2x4x8xi8>) {
    %0 = yz.matmul %a, %b : tensor<4x8xi8>, tensor<8x4xi8>
    %1 = yz.matmul %f, %g : tensor<4x8xf32>, tensor<8x4xf32>
    %2 = yz.matmul %c, %b : tensor<2x4x8xi8>, tensor<8x4xi8>
    return
  }
}

// -----

// Without an npu.target, nothing is placed.
// CHECK-LABEL: func @no_npu
// CHECK-NOT: yz.placement
func.func @no_npu(%a: tensor<4x8xi8>, %b: tensor<8x4xi8>) {
  %0 = yz.matmul %a, %b : tensor<4x8xi8>, tensor<8x4xi8>
  return
}
