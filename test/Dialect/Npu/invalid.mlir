// RUN: yz-opt %s -split-input-file -verify-diagnostics

// One case per section: the verifier stops at a function's first error.

func.func @no_target() {
  // expected-error @+1 {{'npu.fence' op needs an 'npu.target' attribute (#npu.target) on the enclosing module}}
  npu.fence
  return
}

// -----

// expected-error @+1 {{invalid NPU target: dim must be between 2 and 128}}
module attributes {npu.target = #npu.target<dim = 1, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case0(%m: memref<4x4x4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op needs a 2-D memref, got 'memref<4x4x4xi8>'}}
    npu.dma_in %m[%c0, %c0, %c0], row %c0, rows %c4, cols %c4 : memref<4x4x4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case1(%m: memref<4x4xf16>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op element type 'f16' is not one of i8, bf16, f32}}
    npu.dma_in %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<4x4xf16>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case2(%m: memref<4x4xi8, strided<[1, 4]>>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op needs contiguous rows (innermost stride 1), got 'memref<4x4xi8, strided<[1, 4]>>'}}
    npu.dma_in %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<4x4xi8, strided<[1, 4]>>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case3(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op needs 2 indices, got 1}}
    npu.dma_in %m[%c0], row %c0, rows %c4, cols %c4 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case4(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op cols = 17 is outside 1..16 (DIM)}}
    npu.dma_in %m[%c0, %c0], row %c0, rows %c4, cols %c17 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case5(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_out' op rows = 0 is outside 1..65535 (16-bit field)}}
    npu.dma_out %m[%c0, %c0], row %c0, rows %c0, cols %c4 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case6(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in' op rows 8190..8205 are outside the 8192 scratchpad rows}}
    npu.dma_in %m[%c0, %c0], row %c8190, rows %c16, cols %c4 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case7(%m: memref<64x64xi32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in_acc' op rows 1020..1035 are outside the 1024 accumulator rows}}
    npu.dma_in_acc %m[%c0, %c0], row %c1020, rows %c16, cols %c4 : memref<64x64xi32>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case8(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_in_acc' op element type 'i8' is not one of i32, f32}}
    npu.dma_in_acc %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case9(%m: memref<64x64xi32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_out_q' op element type 'i32' is not one of i8}}
    npu.dma_out_q %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<64x64xi32>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case10(%m: memref<64x64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_out_acc' op element type 'i8' is not one of i32, f32}}
    npu.dma_out_acc %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<64x64xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case11(%m: memref<64x64xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.dma_out' op element type 'f32' is not one of i8, bf16}}
    npu.dma_out %m[%c0, %c0], row %c0, rows %c4, cols %c4 : memref<64x64xf32>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case12(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.matmul' op m = 17 is outside 1..16 (DIM)}}
    npu.matmul %m, %m -> %m, m %c17, n %c16, k %c16, accumulate %t
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case13(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.matmul' op n = 17 is outside 1..16 (DIM)}}
    npu.matmul %m, %m -> %m, m %c16, n %c17, k %c16, accumulate %t
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case14(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.matmul' op k = 17 is outside 1..16 (DIM)}}
    npu.matmul %m, %m -> %m, m %c16, n %c16, k %c17, accumulate %t
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case15(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.matmul' op rows 8190..8205 are outside the 8192 scratchpad rows}}
    npu.matmul %c8190, %m -> %m, m %c16, n %c16, k %c16, accumulate %t
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case16(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // With transpose_b, B takes n rows (4), not k (1).
    // expected-error @+1 {{'npu.matmul' op rows 8190..8193 are outside the 8192 scratchpad rows}}
    npu.matmul %c1, %c8190 -> %c1, m %c16, n %c4, k %c1, accumulate %t {transpose_b}
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case17(%m: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.matmul' op rows 1020..1035 are outside the 1024 accumulator rows}}
    npu.matmul %m, %m -> %c1020, m %c16, n %c16, k %c16, accumulate %t
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case18(%m: memref<4x4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_store' op zero_point = 200 is not an i8}}
    npu.config_store %m {zero_point = 200 : i32} : memref<4x4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case19(%m: memref<4x4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_store' op clamp_min 10 is above clamp_max 5}}
    npu.config_store %m {clamp_min = 10 : i32, clamp_max = 5 : i32} : memref<4x4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case20(%m: memref<4x4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_store' op scale must be positive and finite, got -1}}
    npu.config_store %m {scale = -1.0 : f32} : memref<4x4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case21(%m: memref<4x4xf16>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_store' op element type 'f16' is not one of i8, bf16, i32, f32}}
    npu.config_store %m : memref<4x4xf16>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case22(%m: memref<4x4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_load' op element type 'i8' is not one of i32, f32}}
    npu.config_load %m {to_acc} : memref<4x4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @case23(%m: memref<4xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c17 = arith.constant 17 : index
    %c1020 = arith.constant 1020 : index
    %c8190 = arith.constant 8190 : index
    %t = arith.constant true
    // expected-error @+1 {{'npu.config_load' op needs a 2-D memref, got 'memref<4xi8>'}}
    npu.config_load %m : memref<4xi8>
    return
  }
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @scale_row(%m: memref<4x4xi8>) {
    %c1023 = arith.constant 1023 : index
    // expected-error @+1 {{'npu.config_store' op scale row 1023 and its bias row must be below 1024}}
    npu.config_store %m scales %c1023 : memref<4x4xi8>
    return
  }
}

// -----

func.func @conv_weights(%x: memref<1x5x5x3xi8>, %w: memref<26x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op weights must be [27, 4] and epilogue [2, 4], got 'memref<26x4xi8>' and 'memref<2x4xi32>'}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<26x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_out(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x2x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op init 'memref<1x2x3x4xi8>' does not match the input 'memref<1x5x5x3xi8>'}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x2x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_types(%x: memref<1x5x5x3xf32>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op needs i8 input, weights and result and an i32 epilogue (int8), or f32 input, result and epilogue and f32 or bf16 weights (bf16)}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xf32>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_int8_activation(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op int8 convolutions clamp instead of an activation}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127, activation = 1 : i32}
  return
}

// -----

func.func @conv_bf16_epilogue(%x: memref<1x5x5x3xf32>, %w: memref<27x4xf32>, %e: memref<2x4xf32>, %y: memref<1x3x3x4xf32>) {
  // expected-error @+1 {{'npu.conv2d' op weights must be [27, 4] and epilogue [1, 4], got 'memref<27x4xf32>' and 'memref<2x4xf32>'}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xf32>, memref<27x4xf32>, memref<2x4xf32>) outs(%y : memref<1x3x3x4xf32>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_rank(%x: memref<5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op needs input [N, Hp, Wp, C], weights [K, F], epilogue [2, F] (int8) or [1, F] (bf16) and init [N, OH, OW, F]}}
  npu.conv2d ins(%x, %w, %e : memref<5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_stride(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op needs 2 positive kernel sizes, strides and dilations}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_clamp(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op clamp_min 9 is above clamp_max 3}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = 9, clamp_max = 3}
  return
}

// -----

func.func @conv_zp(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op zero point and clamp bounds must be i8, got 200}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 200, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_result(%x: memref<1x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: tensor<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op has a result exactly when it works on tensors}}
  npu.conv2d ins(%x, %w, %e : memref<1x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : tensor<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @conv_dynamic(%x: memref<?x5x5x3xi8>, %w: memref<27x4xi8>, %e: memref<2x4xi32>, %y: memref<1x3x3x4xi8>) {
  // expected-error @+1 {{'npu.conv2d' op needs static shapes, got 'memref<?x5x5x3xi8>'}}
  npu.conv2d ins(%x, %w, %e : memref<?x5x5x3xi8>, memref<27x4xi8>, memref<2x4xi32>) outs(%y : memref<1x3x3x4xi8>) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, zero_point = 0, clamp_min = -128, clamp_max = 127}
  return
}

// -----

func.func @layer_no_target() {
  // expected-error @+1 {{'npu.layer' op needs an 'npu.target' attribute (#npu.target) on the enclosing module}}
  npu.layer "x" macs 1
  return
}

// -----

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @layer_negative_macs() {
    // expected-error @+1 {{'npu.layer' op macs must not be negative, got -1}}
    npu.layer "x" macs -1
    return
  }
}
