// RUN: yz-opt %s --split-input-file --yz-place-on-npu | FileCheck %s
// RUN: yz-opt %s --split-input-file --yz-place-on-npu=bf16 | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: func @placement
// 2-D i8 matmuls go to the NPU; f32 only with bf16; batched ones stay.
// Each gets a profile marker named after its location, with its MACs.
// CHECK: npu.layer "mm_i8" macs 128
// CHECK: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xi8>
// CHECK: npu.layer "placement.mlir:{{[0-9]+}}" macs 128 on_cpu
// CHECK: yz.matmul %{{[^{]*}} : tensor<4x8xf32>
// CHECK: npu.layer "{{.*}}" macs 256 on_cpu
// CHECK: yz.matmul %{{[^{]*}} : tensor<2x4x8xi8>
// A batch on both sides runs on the NPU, a loop of 2-D programs.
// CHECK: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<2x4x8xi8>, tensor<2x8x4xi8>
// BF16-LABEL: func @placement
// BF16: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xi8>
// BF16: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<4x8xf32>
// BF16: yz.matmul %{{[^{]*}} : tensor<2x4x8xi8>
// BF16: yz.matmul {{.*}} {yz.placement = "npu"} : tensor<2x4x8xi8>, tensor<2x8x4xi8>
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @placement(%a: tensor<4x8xi8>, %b: tensor<8x4xi8>, %f: tensor<4x8xf32>, %g: tensor<8x4xf32>, %c: tensor<2x4x8xi8>, %d: tensor<2x8x4xi8>) {
    %0 = yz.matmul %a, %b : tensor<4x8xi8>, tensor<8x4xi8> loc("mm_i8")
    %1 = yz.matmul %f, %g : tensor<4x8xf32>, tensor<8x4xf32> loc("placement.mlir":16:10)
    %2 = yz.matmul %c, %b : tensor<2x4x8xi8>, tensor<8x4xi8>
    %3 = yz.matmul %c, %d : tensor<2x4x8xi8>, tensor<2x8x4xi8>
    return
  }
}

// -----

// Without an npu.target, nothing is placed and there are no markers.
// CHECK-LABEL: func @no_npu
// CHECK-NOT: yz.placement
// CHECK-NOT: npu.layer
func.func @no_npu(%a: tensor<4x8xi8>, %b: tensor<8x4xi8>) {
  %0 = yz.matmul %a, %b : tensor<4x8xi8>, tensor<8x4xi8>
  return
}

// -----

// The report: every matmul and convolution, where it runs and why not the NPU.
// RUN: yz-opt %s --split-input-file --yz-place-on-npu=report 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// REPORT: placement: yz.matmul tensor<4x4xi32> -> npu
// REPORT: placement: yz.matmul tensor<4x4xf32> -> cpu (f32 (use --npu-dtype=bf16))
// REPORT: placement: yz.matmul tensor<2x4x4xi32> -> cpu (batched matmul with broadcast or several batch dimensions)
// REPORT: placement: yz.matmul tensor<2x4x4xi32> -> npu
// REPORT: placement: 2 on the NPU, 2 on the CPU
// REPORT: placement: no NPU (--npu=none): everything runs on the CPU
// REPORT: placement: yz.conv2d tensor<1x2x3x3xf32> -> cpu (float convolution (the NPU runs int8 ones: --quantize=int8, and bf16 ones: --npu-dtype=bf16))
// REPORT: placement: yz.qconv2d tensor<1x2x3x3xi8> -> cpu (weights are not constants)
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  // Nothing on the NPU: no markers (the model runs without the simulator).
  // CHECK-LABEL: func @convs
  // CHECK-NOT: npu.layer
  func.func @convs(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>, %q: tensor<1x2x3x3xi8>, %qw: tensor<2x2x1x1xi8>) {
    %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
    %1 = yz.qconv2d %q, %qw <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x1x1xi8>
    return
  }
}

// -----

// With bf16, f32 convolutions go to the NPU when their clamp is none,
// ReLU or ReLU6; another clamp, non-constant weights or groups keep them
// on the CPU.
// RUN: yz-opt %s --split-input-file --yz-place-on-npu="bf16 report" 2>&1 >/dev/null | FileCheck %s --check-prefix=BF16CONV
// BF16CONV: placement: yz.conv2d tensor<1x2x3x3xf32> -> npu
// BF16CONV-NEXT: placement: yz.conv2d tensor<1x2x3x3xf32> -> npu
// BF16CONV-NEXT: placement: yz.conv2d tensor<1x2x3x3xf32> -> cpu (a clamp other than ReLU or ReLU6)
// BF16CONV-NEXT: placement: yz.conv2d tensor<1x2x3x3xf32> -> cpu (weights are not constants)
// BF16CONV-NEXT: placement: 2 on the NPU, 2 on the CPU
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @bf16_convs(%x: tensor<1x2x3x3xf32>, %v: tensor<2x2x1x1xf32>) {
    %w = yz.constant dense<1.0> : tensor<2x2x1x1xf32>
    %0 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = 0.0 : f32}> : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
    %1 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}> : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
    %2 = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = -1.0 : f32}> : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
    %3 = yz.conv2d %x, %v <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
    return
  }
}
