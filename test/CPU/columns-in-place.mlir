// A grouped conv's shifted columns read in place (yz-pack-matmuls'
// readColumnsInPlace), through yz-tile-and-vectorize: each register tile
// runs three K loops (KH, KW, then the channel innermost), the
// accumulators carried in registers through all three from zeros, and each
// RHS row is a read of the input at kh*10 + kw + n1*N0 (no packed copy).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize | FileCheck %s
// After bufferization and vector lowering: one FMA per accumulator row,
// of a scalar load of the LHS (laid out [.., KH, KW, C, M0]) by the RHS
// row loaded from the input, in the channel loop (two steps an iteration).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" --yz-tile-and-vectorize --canonicalize --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --yz-optimize-vectors --canonicalize | FileCheck %s --check-prefix=FMA
// A group's input (1920 bytes here) is read in place up to twice L1
// (l1=1024), and packed beyond (l1=512).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l1=1024" | FileCheck %s --check-prefix=TWICE
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,l1=512" | FileCheck %s --check-prefix=BEYOND
// TWICE-LABEL: func.func @grouped_in_place
// TWICE-NOT: linalg.batch_mmt4d
// TWICE: linalg.generic {{.*}} ins(%{{.*}}, %arg0 : {{.*}}, tensor<4x4x1x1x120xf32>)
// BEYOND-LABEL: func.func @grouped_in_place
// BEYOND: linalg.batch_mmt4d

// CHECK-DAG: #[[$AT:.*]] = affine_map<(d0, d1, d2) -> (d0 * 16 + d1 * 10 + d2)>
// CHECK-LABEL: func.func @grouped_in_place
// CHECK-NOT: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x16xf32>
// CHECK: scf.for %[[G:.*]] = %c0 to %c4 step %c1
// CHECK: scf.for %[[N1:.*]] = %c0 to %c6 step %c1
// CHECK: scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args(%[[A0:.*]] = %[[ZERO]]) -> (vector<8x16xf32>)
// CHECK: scf.for %[[KW:.*]] = %c0 to %c3 step %c1 iter_args(%[[A1:.*]] = %[[A0]]) -> (vector<8x16xf32>)
// CHECK: scf.for %[[C:.*]] = %c0 to %c4 step %c1 iter_args(%[[A2:.*]] = %[[A1]]) -> (vector<8x16xf32>)
// CHECK: %[[AT:.*]] = affine.apply #[[$AT]](%[[N1]], %[[KH]], %[[KW]])
// CHECK: vector.transfer_read %arg0[%[[G]], %[[C]], %c0, %c0, %[[AT]]]{{.*}} : tensor<4x4x1x1x120xf32>, vector<1x16xf32>
// CHECK: vector.contract {{.*}} into vector<8x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x1x16xf32>, tensor<1x1x8x1x16xf32>
// FMA-LABEL: func.func @grouped_in_place
// FMA: scf.for %[[FC:.*]] = %c0 to %c4 step %c2 iter_args(
// FMA: vector.load %arg0[%{{.*}}, %[[FC]], %c0, %c0, %{{.*}}] : memref<4x4x1x1x120xf32>, vector<16xf32>
// FMA-COUNT-16: vector.fma {{.*}} : vector<16xf32>
#run = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, 0, 0, d2 * 10 + d3 + d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
func.func @grouped_in_place(%x: tensor<4x4x1x1x120xf32>, %w: tensor<4x8x36xf32>) -> tensor<4x8x96xf32> {
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
