// RUN: yz-opt %s --yz-place-on-npu --yz-convs-to-npu | FileCheck %s
// RUN: yz-opt %s --yz-place-on-npu --yz-convs-to-npu --canonicalize | FileCheck %s --check-prefix=CANCEL
// RUN: yz-opt %s --yz-place-on-npu=bf16 --yz-convs-to-npu | FileCheck %s --check-prefix=BF16
// RUN: yz-opt %s --yz-place-on-npu=bf16 --yz-convs-to-npu --canonicalize --convert-yz-to-linalg --one-shot-bufferize="bufferize-function-boundaries" --yz-lower-npu-convs | FileCheck %s --check-prefix=BF16PROG
// RUN: yz-opt %s --yz-place-on-npu --yz-convs-to-npu --canonicalize --convert-yz-to-linalg --one-shot-bufferize="bufferize-function-boundaries" --yz-lower-npu-convs | FileCheck %s --check-prefix=PROG

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  // The input is made NHWC and padded with its zero point; the filter
  // becomes [KH*KW*C, F] (rows (kh, kw, c)); the epilogue holds the scales'
  // bits, then bias - input_zero_point * sum(w): 10 - (-3) * 2 = 16 and
  // 20 - (-3) * (-1) = 17. The result goes back to NCHW. Weight rows:
  // w[0, c=1, 1, 1] is row (1 * 3 + 1) * 2 + 1 = 9, column 0 (byte 18);
  // w[1, c=1, 2, 2] is row 17, column 1 (byte 35, 0xFF).
  // CHECK-LABEL: func @conv
  // CHECK: %[[T:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x2x3x3xi8>) {{.*}} permutation = [0, 2, 3, 1]
  // CHECK: %[[X:.*]] = tensor.pad %[[T]] low[0, 1, 1, 0] high[0, 1, 1, 0]
  // CHECK:   tensor.yield %{{.*}} : i8
  // CHECK: %[[W:.*]] = yz.constant dense_resource<npu_weights> : tensor<18x2xi8>
  // CHECK: %[[E:.*]] = yz.constant dense<{{\[}}[1056964608, 1048576000], [16, 17]]> : tensor<2x2xi32>
  // CHECK: %[[Y:.*]] = npu.conv2d ins(%[[X]], %[[W]], %[[E]] : tensor<1x5x5x2xi8>, tensor<18x2xi8>, tensor<2x2xi32>) outs(%{{.*}} : tensor<1x3x3x2xi8>) {clamp_max = 127 : i64, clamp_min = 4 : i64, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, zero_point = 4 : i64} -> tensor<1x3x3x2xi8>
  // CHECK: linalg.transpose ins(%[[Y]] : tensor<1x3x3x2xi8>) {{.*}} permutation = [0, 3, 1, 2]
  func.func @conv(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x3x3xi8> {
    %w = yz.constant dense<[[[[1, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]]], [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, -1]]]]> : tensor<2x2x3x3xi8>
    %b = yz.constant dense<[10, 20]> : tensor<2xi32>
    %y = yz.qconv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1, input_zero_point = -3, multipliers = array<f32: 0.5, 0.25>, output_zero_point = 4, clamp_min = 4, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x3x3xi8>, tensor<2xi32>
    return %y : tensor<1x2x3x3xi8>
  }

  // Two NPU convolutions in a row: the NHWC -> NCHW transpose after the
  // first and the NCHW -> NHWC one before the second cancel.
  // CANCEL-LABEL: func @chain
  // CANCEL: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
  // CANCEL: npu.conv2d
  // CANCEL-NOT: linalg.transpose
  // CANCEL: npu.conv2d
  // CANCEL: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
  // CANCEL-NOT: linalg.transpose
  // CANCEL: return
  func.func @chain(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x3x3xi8> {
    %w = yz.constant dense<1> : tensor<2x2x1x1xi8>
    %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x1x1xi8>
    %z = yz.qconv2d %y, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x2x1x1xi8>
    return %z : tensor<1x2x3x3xi8>
  }

  // An f32 convolution in bf16: padded with 0.0 after the NHWC transpose,
  // weights [KH*KW*C, F] in bf16, the bias as a [1, F] epilogue, the fused
  // ReLU6 as the activation (2).
  // BF16-LABEL: func @conv_f32
  // BF16: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
  // BF16: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
  // BF16: %[[E:.*]] = yz.constant dense<{{\[\[}}5.000000e-01, -2.500000e-01]]> : tensor<1x2xf32>
  // BF16: npu.conv2d ins(%{{.*}}, %{{.*}}, %[[E]] : tensor<1x5x5x2xf32>, tensor<18x2xbf16>, tensor<1x2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>) {activation = 2 : i32,
  // The program: bf16 multiplies; C starts as the biases, read with a row
  // stride of 0; every matmul accumulates; dma_out.acc applies relu6.
  // BF16PROG-LABEL: func @conv_f32
  // BF16PROG: npu.config_exec bf16
  // BF16PROG: %[[B:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [16, 2], strides: [0, 1] : memref<1x2xf32> to memref<16x2xf32, strided<[0, 1]>>
  // BF16PROG: npu.config_load %[[B]] {to_acc}
  // BF16PROG: npu.dma_in_acc %[[B]]
  // BF16PROG: npu.config_load %{{.*}} : memref<18x2xbf16>
  // BF16PROG: npu.matmul {{.*}}, accumulate %true
  // BF16PROG: npu.config_store %{{.*}} {activation = 2 : i32} : memref<9x2xf32>
  // BF16PROG: npu.dma_out_acc %{{.*}} : memref<9x2xf32>
  func.func @conv_f32(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
    %w = yz.constant dense<0.5> : tensor<2x2x3x3xf32>
    %b = yz.constant dense<[0.5, -0.25]> : tensor<2xf32>
    %y = yz.conv2d %x, %w, %b <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}> : tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>
    return %y : tensor<1x2x3x3xf32>
  }

  // Depthwise convolutions stay on the CPU.
  // CHECK-LABEL: func @depthwise
  // CHECK-NOT: npu.conv2d
  // CHECK: yz.qconv2d
  // CHECK-LABEL: npu_weights: "0x010000000100000000000000000000000000000000000100000000000000000000000000000000FF"
  func.func @depthwise(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x3x3xi8> {
    %w = yz.constant dense<1> : tensor<2x1x3x3xi8>
    %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 2, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> : tensor<1x2x3x3xi8>, tensor<2x1x3x3xi8>
    return %y : tensor<1x2x3x3xi8>
  }
}

// The program: the epilogue rows (scales, biases: 2 rows) into the
// accumulator, A rows by strided DMA from the NHWC input (row stride C = 2
// bytes), B from the weight matrix, matmuls with K = the strip's columns,
// then per-channel requantization on the way out.
// PROG-LABEL: func @conv
// PROG: npu.config_target
// PROG: npu.config_exec i8
// PROG: npu.config_load %{{.*}} {to_acc} : memref<2x2xi32>
// PROG: npu.dma_in_acc %{{.*}}, rows %c2{{.*}} : memref<2x2xi32>
// PROG: memref.reinterpret_cast %{{.*}} to offset: [%{{.*}}], sizes: [1, 16], strides: [2, 1] : memref<1x5x5x2xi8>
// PROG: npu.dma_in %{{.*}}[%{{.*}}, %{{.*}}], row %{{.*}}, rows %{{.*}}, cols %{{.*}} : memref<1x16xi8, strided<[2, 1], offset: ?>>
// PROG: npu.dma_in %{{.*}} : memref<18x2xi8>
// PROG: npu.matmul
// PROG: npu.config_store %{{.*}} scales %{{.*}} {clamp_min = 4 : i32, zero_point = 4 : i32} : memref<9x2xi8>
// PROG: npu.dma_out_q %{{.*}} : memref<9x2xi8>
// PROG: npu.fence

