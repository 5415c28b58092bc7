// The register tile and the packed layout per target: AVX2 (16 x 256-bit
// registers: 6 x 16), AVX-512 (32 x 512-bit: 8 x 32), RVV at VLEN 256
// (32 registers: 8 x 16, two vector registers per row, i.e. LMUL 2).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=16" | FileCheck %s --check-prefix=AVX2
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32" | FileCheck %s --check-prefix=AVX512
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32,l1=256" | FileCheck %s --check-prefix=FOLD
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" | FileCheck %s --check-prefix=RVV
// Constant operands are packed at compile time (64-bit vectors: 2 lanes).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=64" | FileCheck %s --check-prefix=CONST
// RUN: not yz-opt %s --yz-pack-matmuls="cpu=vector-bits=100" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not yz-opt %s --yz-pack-matmuls="cpu=bogus=1" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not yz-opt %s --yz-pack-matmuls="cpu=l1=big" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: not yz-opt %s --yz-pack-matmuls="cpu=fma-scalar-loads=2" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=LOADS
// RVV as yzc describes it: the FMA's scalar is a load of its own, so rows
// are four vector registers (LMUL 4) and six of them fill the register file.
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,fma-scalar-loads=1" | FileCheck %s --check-prefix=RVVLD
// RUN: not yz-opt %s --yz-pack-matmuls="cpu=vector-registers=4" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=REGS

// BITS: error: yz-pack-matmuls: vector-bits=100 is not a power of two of at least 64
// KEY: error: yz-pack-matmuls: unknown CPU key 'bogus' (expected vector-bits, vector-registers, l1, l2, fma-scalar-loads, load-ahead, ime, strided-vectors, shuffle-transposes, prefetch-panels)
// VALUE: error: yz-pack-matmuls: 'l1=big' needs a positive integer
// LOADS: error: yz-pack-matmuls: 'fma-scalar-loads=2' needs 0 or 1
// REGS: error: yz-pack-matmuls: vector-registers=4 is fewer than the 8 the strategy needs

// (The maps of @shifted_columns, printed first.)
// AVX512-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, 0, d3, d4, d7, d5)>
// AVX512-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, 0, 0, d3 * 10 + d4 + d2 * 32 + d6)>
// AVX512-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d5, d6)>
// FOLD-DAG: #[[$PACKED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, 0, 0, d3 * 10 + d4 + d1 * 32 + d5)>

// M = 64 is not a multiple of 6: the LHS pack pads with zeros.
// AVX2-LABEL: func.func @mm
// AVX2: linalg.pack %arg0 padding_value(%{{.*}} : f32) outer_dims_perm = [0, 1] inner_dims_pos = [0, 1] inner_tiles = [6, 1] {{.*}} -> tensor<11x96x6x1xf32>
// AVX2: linalg.pack %arg1 outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [16, 1] {{.*}} -> tensor<5x96x16x1xf32>
// AVX2: linalg.mmt4d {yz.matmul_strategy = array<i64: 6, 16, 96, 5>}
// AVX2: linalg.unpack {{.*}} inner_tiles = [6, 16] {{.*}} -> tensor<64x80xf32>
// AVX512-LABEL: func.func @mm
// AVX512: inner_tiles = [8, 1] {{.*}} -> tensor<8x96x8x1xf32>
// AVX512: linalg.pack %arg1 padding_value(%{{.*}} : f32) {{.*}} inner_tiles = [32, 1] {{.*}} -> tensor<3x96x32x1xf32>
// AVX512: linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 32, 96, 3>}
// RVV-LABEL: func.func @mm
// RVV: linalg.mmt4d {yz.matmul_strategy = array<i64: 8, 16, 96, 5>}
// RVVLD-LABEL: func.func @mm
// RVVLD: linalg.pack %arg0 padding_value(%{{.*}} : f32) {{.*}} inner_tiles = [6, 1] {{.*}} -> tensor<11x96x6x1xf32>
// RVVLD: linalg.pack %arg1 padding_value(%{{.*}} : f32) {{.*}} inner_tiles = [32, 1] {{.*}} -> tensor<3x96x32x1xf32>
// RVVLD: linalg.mmt4d {yz.matmul_strategy = array<i64: 6, 32, 96, 3>}
func.func @mm(%a: tensor<64x96xf32>, %b: tensor<96x80xf32>) -> tensor<64x80xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x80xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x80xf32>) -> tensor<64x80xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x80xf32>) outs(%f : tensor<64x80xf32>) -> tensor<64x80xf32>
  return %r : tensor<64x80xf32>
}

// A matrix-vector product: one row, and N padded to one vector.
// RVV-LABEL: func.func @odd
// RVV: inner_tiles = [1, 1] {{.*}} -> tensor<1x5x1x1xf32>
// RVV: linalg.pack %arg1 padding_value(%{{.*}} : f32) {{.*}} inner_tiles = [8, 1] {{.*}} -> tensor<1x5x8x1xf32>
// RVV: linalg.mmt4d {yz.matmul_strategy = array<i64: 1, 8, 5, 1>}
func.func @odd(%a: tensor<1x5xf32>, %b: tensor<5x7xf32>) -> tensor<1x7xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x7xf32>) -> tensor<1x7xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x5xf32>, tensor<5x7xf32>) outs(%f : tensor<1x7xf32>) -> tensor<1x7xf32>
  return %r : tensor<1x7xf32>
}

// Batch dimensions stay outermost.
// RVV-LABEL: func.func @batch
// RVV: -> tensor<3x2x12x8x1xf32>
// RVV: -> tensor<3x2x12x16x1xf32>
// RVV: linalg.batch_mmt4d {yz.matmul_strategy = array<i64: 8, 16, 12, 2>} {{.*}} outs(%{{.*}} : tensor<3x2x2x8x16xf32>)
func.func @batch(%a: tensor<3x10x12xf32>, %b: tensor<3x12x20xf32>) -> tensor<3x10x20xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x10x20xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x10x20xf32>) -> tensor<3x10x20xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x10x12xf32>, tensor<3x12x20xf32>) outs(%f : tensor<3x10x20xf32>) -> tensor<3x10x20xf32>
  return %r : tensor<3x10x20xf32>
}

// The 3 x 6 weights become two panels of 4 columns, the second padded:
// [0 1 2 3][6 7 8 9][12 13 14 15] then [4 5 0 0][10 11 0 0][16 17 0 0].
// CONST-LABEL: func.func @weights
// CONST: %[[W:.*]] = arith.constant dense_resource<packed> : tensor<2x3x4x1xf32>
// CONST-NOT: linalg.pack %[[W]]
// CONST: linalg.mmt4d {{.*}} ins(%{{.*}}, %[[W]] :
func.func @weights(%a: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %w = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0, 16.0, 17.0]]> : tensor<3x6xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x6xf32>) -> tensor<2x6xf32>
  %r = linalg.matmul ins(%a, %w : tensor<2x3xf32>, tensor<3x6xf32>) outs(%f : tensor<2x6xf32>) -> tensor<2x6xf32>
  return %r : tensor<2x6xf32>
}

// Matmuls placed on the NPU, and integer ones, are not for the CPU strategy.
// RVV-LABEL: func.func @npu
// RVV-NOT: linalg.pack
// RVV: linalg.matmul {yz.placement = "npu"}
func.func @npu(%a: tensor<4x4xi8>, %b: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x4xi32>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<4x4xi32>) -> tensor<4x4xi32>
  %r = linalg.matmul {yz.placement = "npu"} ins(%a, %b : tensor<4x4xi8>, tensor<4x4xi8>) outs(%f : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %r : tensor<4x4xi32>
}

// A conv's filter [F, C, 1, 1] reshaped to the matmul's LHS [F, C]: the
// reshape of the constant is folded into its compile-time pack too.
// CONST-LABEL: func.func @filter
// CONST: %[[F:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00], [3.000000e+00], [5.000000e+00]], {{\[\[}}2.000000e+00], [4.000000e+00], [6.000000e+00]]]]> : tensor<1x2x3x1xf32>
// CONST-NOT: linalg.pack %[[F]]
// CONST-NOT: tensor.collapse_shape
// CONST: linalg.mmt4d {{.*}} ins(%[[F]], %{{.*}} :
func.func @filter(%b: tensor<2x5xf32>) -> tensor<3x5xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]], [[[5.0]], [[6.0]]]]> : tensor<3x2x1x1xf32>
  %lhs = tensor.collapse_shape %w [[0], [1, 2, 3]] : tensor<3x2x1x1xf32> into tensor<3x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  %r = linalg.matmul ins(%lhs, %b : tensor<3x2xf32>, tensor<2x5xf32>) outs(%f : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// The weights of @weights, packed (resources print after the functions).
// CONST: packed: "0x04000000000000000000803F00000040000040400000C0400000E040000000410000104100004041000050410000604100007041000080400000A04000000000000000000000204100003041000000000000000000008041000088410000000000000000"

// A copy feeding the RHS pack (a conv's shifted columns, [G, C, KH, KW, P]
// collapsed to [G, K, P]) is folded into it: one copy writes the packed
// panels [G, P/N0, C, KH, KW, N0, 1] straight from the input, its map the
// copy's composed with the pack's (p = n1*N0 + n0), then a collapse gives
// the packed type. Not where a tile of N0 > 1 would split collapsed
// dimensions (im2col's [N*OH*OW]: the map would need div and mod).
// FOLD-LABEL: func.func @shifted_columns
// FOLD-NOT: linalg.pack %{{.*}} inner_tiles = [32, 1]
// FOLD: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$PACKED]], {{.*}}]{{.*}} ins(%arg0 : tensor<4x4x1x1x120xf32>) outs(%{{.*}} : tensor<4x3x4x3x3x32x1xf32>)
// FOLD: %[[RHS:.*]] = tensor.collapse_shape %[[P]] {{\[\[}}0], [1], [2, 3, 4], [5], [6]] : tensor<4x3x4x3x3x32x1xf32> into tensor<4x3x36x32x1xf32>
// FOLD: linalg.batch_mmt4d {{.*}} ins(%{{.*}}, %[[RHS]] :
// FOLD-LABEL: func.func @im2col_columns
// FOLD: linalg.generic
// FOLD: linalg.pack %{{.*}} inner_tiles = [32, 1]
// Where a group's input fits in L1 (480 bytes here, against 256 above),
// the product reads it in place: a generic over (g, m1, n1, kh, kw, m0,
// n0, c) whose RHS is the input through the copy's map, and no packed
// copy. The packed LHS [G, M1, K, M0, 1] is split like the columns' K and
// permuted to [G, M1, 1, KH, KW, C, M0] (at compile time for a constant).
// AVX512-LABEL: func.func @shifted_columns
// AVX512-NOT: outs(%{{.*}} : tensor<4x3x4x3x3x32x1xf32>)
// AVX512: %[[S:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3, 4], [5], [6]] output_shape [4, 1, 4, 3, 3, 8, 1]
// AVX512: %[[L:.*]] = linalg.transpose ins(%[[S]] : tensor<4x1x4x3x3x8x1xf32>) outs(%{{.*}} : tensor<4x1x1x3x3x4x8xf32>) permutation = [0, 1, 6, 3, 4, 2, 5]
// AVX512: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel", "parallel", "reduction"]} ins(%[[L]], %arg0 : tensor<4x1x1x3x3x4x8xf32>, tensor<4x4x1x1x120xf32>) outs(%{{.*}} : tensor<4x1x3x8x32xf32>) attrs = {yz.matmul_strategy = array<i64: 8, 32, 36, 3>}
// AVX512-NEXT: ^bb0
// AVX512-NEXT: arith.mulf
// AVX512-NEXT: arith.addf
// AVX512-NOT: linalg.batch_mmt4d
// AVX512-LABEL: func.func @im2col_columns
#run = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, 0, 0, d2 * 10 + d3 + d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
func.func @shifted_columns(%x: tensor<4x4x1x1x120xf32>, %w: tensor<4x8x36xf32>) -> tensor<4x8x96xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4x3x3x96xf32>
  %c = linalg.generic {indexing_maps = [#run, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
         ins(%x : tensor<4x4x1x1x120xf32>) outs(%e : tensor<4x4x3x3x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x4x3x3x96xf32>
  %col = tensor.collapse_shape %c [[0], [1, 2, 3], [4]] : tensor<4x4x3x3x96xf32> into tensor<4x36x96xf32>
  %e2 = tensor.empty() : tensor<4x8x96xf32>
  %f = linalg.fill ins(%z : f32) outs(%e2 : tensor<4x8x96xf32>) -> tensor<4x8x96xf32>
  %r = linalg.batch_matmul ins(%w, %col : tensor<4x8x36xf32>, tensor<4x36x96xf32>) outs(%f : tensor<4x8x96xf32>) -> tensor<4x8x96xf32>
  return %r : tensor<4x8x96xf32>
}
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 + d1, d5 + d2)>
#id6 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
func.func @im2col_columns(%x: tensor<1x3x10x10xf32>, %w: tensor<8x27xf32>) -> tensor<8x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x3x3x1x8x8xf32>
  %c = linalg.generic {indexing_maps = [#win, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
         ins(%x : tensor<1x3x10x10xf32>) outs(%e : tensor<3x3x3x1x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x3x3x1x8x8xf32>
  %col = tensor.collapse_shape %c [[0, 1, 2], [3, 4, 5]] : tensor<3x3x3x1x8x8xf32> into tensor<27x64xf32>
  %e2 = tensor.empty() : tensor<8x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %r = linalg.matmul ins(%w, %col : tensor<8x27xf32>, tensor<27x64xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}

// A transposed LHS (a 1x1 conv's input with the pixels as rows) is packed
// straight from the untransposed tensor: the transpose folds into the pack.
// AVX512-LABEL: func.func @transposed_lhs
// AVX512-NOT: linalg.transpose
// AVX512: linalg.pack %arg0 padding_value(%{{.*}} : f32) outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [8, 1] into %{{.*}} : tensor<64x49xf32> -> tensor<7x64x8x1xf32>
func.func @transposed_lhs(%x: tensor<64x49xf32>, %w: tensor<64x256xf32>) -> tensor<49x256xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<49x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x49xf32>) outs(%e0 : tensor<49x64xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<49x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<49x256xf32>) -> tensor<49x256xf32>
  %r = linalg.matmul ins(%t, %w : tensor<49x64xf32>, tensor<64x256xf32>) outs(%f : tensor<49x256xf32>) -> tensor<49x256xf32>
  return %r : tensor<49x256xf32>
}

// A transposed result (a product with the pixels as rows, back to NCHW)
// is unpacked straight into the transpose: one unpack with its dimensions
// swapped, whose tiles go from the packed [M1, N1, M0, N0] to [N, M].
// AVX512-LABEL: func.func @transposed_result
// AVX512: %[[MM:.*]] = linalg.mmt4d
// AVX512-NOT: linalg.transpose
// AVX512: linalg.unpack %[[MM]] outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [8, 32] into %{{.*}} : tensor<7x8x8x32xf32> -> tensor<256x49xf32>
// AVX512-NOT: linalg.transpose
func.func @transposed_result(%x: tensor<49x64xf32>, %w: tensor<64x256xf32>) -> tensor<256x49xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<49x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<49x256xf32>) -> tensor<49x256xf32>
  %r = linalg.matmul ins(%x, %w : tensor<49x64xf32>, tensor<64x256xf32>) outs(%f : tensor<49x256xf32>) -> tensor<49x256xf32>
  %e1 = tensor.empty() : tensor<256x49xf32>
  %t = linalg.transpose ins(%r : tensor<49x256xf32>) outs(%e1 : tensor<256x49xf32>) permutation = [1, 0]
  return %t : tensor<256x49xf32>
}

// im2col rows (the pixels as M) of a 14 x 14 output with a long K: 196
// rows are panels of 7 (200 of 8 would pad them), which divide a row of
// 14 pixels, so the copy folds into the LHS pack: one copy writes the
// panels from the input, over (n, oh, ow / 7, c, kh, kw, ow % 7), no
// im2col pass and no pack after it. K (2304, at least 2048) is in blocks
// whose 32 x kc RHS panel fills half of L1 (32 KiB by default): kc = 128.
// AVX512-LABEL: func.func @im2col_rows
// AVX512-NOT: linalg.pack %{{.*}} : tensor<196x2304xf32>
// AVX512: %[[P:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x256x16x16xf32>) outs(%{{.*}} : tensor<1x14x2x256x3x3x7x1xf32>)
// AVX512: tensor.collapse_shape %[[P]] {{\[}}[0, 1, 2], [3, 4, 5], [6], [7]] : tensor<1x14x2x256x3x3x7x1xf32> into tensor<28x2304x7x1xf32>
// AVX512: linalg.mmt4d {yz.matmul_strategy = array<i64: 7, 32, 128, 2>}
#im2col = affine_map<(n, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#rows6 = affine_map<(n, oh, ow, c, kh, kw) -> (n, oh, ow, c, kh, kw)>
func.func @im2col_rows(%x: tensor<1x256x16x16xf32>, %w: tensor<2304x64xf32>) -> tensor<196x64xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x14x14x256x3x3xf32>
  %c = linalg.generic {indexing_maps = [#im2col, #rows6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x256x16x16xf32>) outs(%e0 : tensor<1x14x14x256x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x14x14x256x3x3xf32>
  %rows = tensor.collapse_shape %c [[0, 1, 2], [3, 4, 5]] : tensor<1x14x14x256x3x3xf32> into tensor<196x2304xf32>
  %e = tensor.empty() : tensor<196x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<196x64xf32>) -> tensor<196x64xf32>
  %r = linalg.matmul ins(%rows, %w : tensor<196x2304xf32>, tensor<2304x64xf32>) outs(%f : tensor<196x64xf32>) -> tensor<196x64xf32>
  return %r : tensor<196x64xf32>
}

// With a short K, 8 rows all the same (their transpose back to NCHW in
// pieces of 7 would cost more than the padding saves): the copy stays and
// the LHS is packed, padded to 200 rows.
// AVX512-LABEL: func.func @im2col_rows_short_k
// AVX512: linalg.pack {{.*}} inner_tiles = [8, 1] {{.*}} : tensor<196x36xf32> -> tensor<25x36x8x1xf32>
func.func @im2col_rows_short_k(%x: tensor<1x4x16x16xf32>, %w: tensor<36x64xf32>) -> tensor<196x64xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x14x14x4x3x3xf32>
  %c = linalg.generic {indexing_maps = [#im2col, #rows6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x16x16xf32>) outs(%e0 : tensor<1x14x14x4x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x14x14x4x3x3xf32>
  %rows = tensor.collapse_shape %c [[0, 1, 2], [3, 4, 5]] : tensor<1x14x14x4x3x3xf32> into tensor<196x36xf32>
  %e = tensor.empty() : tensor<196x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<196x64xf32>) -> tensor<196x64xf32>
  %r = linalg.matmul ins(%rows, %w : tensor<196x36xf32>, tensor<36x64xf32>) outs(%f : tensor<196x64xf32>) -> tensor<196x64xf32>
  return %r : tensor<196x64xf32>
}
