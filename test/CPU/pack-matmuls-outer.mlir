// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32" | FileCheck %s

// A K = 1 matmul is an outer product: it stays a plain linalg.matmul (no
// packing to reuse anything), while the matmul with N = 1 before it is
// packed. (Packed, the pair met an upstream canonicalization that built an
// invalid transfer_write: fuzz/random_models.py seed 758,
// test/e2e/matmul-outer.test.)
// CHECK-LABEL: func @chain
// CHECK: linalg.pack
// CHECK: linalg.mmt4d
// CHECK: linalg.unpack
// CHECK-NOT: linalg.pack
// CHECK: linalg.matmul
// CHECK-NOT: linalg.pack
func.func @chain(%x: tensor<8x8xf32>, %w: tensor<8x1xf32>, %v: tensor<1x4xf32>) -> tensor<8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x1xf32>
  %i1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<8x1xf32>) -> tensor<8x1xf32>
  %a = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x1xf32>) outs(%i1 : tensor<8x1xf32>) -> tensor<8x1xf32>
  %e2 = tensor.empty() : tensor<8x4xf32>
  %i2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %y = linalg.matmul ins(%a, %v : tensor<8x1xf32>, tensor<1x4xf32>) outs(%i2 : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}
