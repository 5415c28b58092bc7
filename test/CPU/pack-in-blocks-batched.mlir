// A batched product's run-time RHS pack (3 MB here) is packed batch by
// batch, just before each batch's product, from an eighth of L2 (l2 = 4
// MiB: 512 KB); below that it is packed whole, before the product (l2 =
// 32 MiB), or panel by panel (below). Unbatched and on one thread, the bound is L2 itself
// (pack-in-blocks.mlir).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32,l2=4194304" --yz-tile-and-vectorize="cpu=vector-bits=512,vector-registers=32,l2=4194304" --canonicalize | FileCheck %s
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32,l2=4194304" --yz-tile-and-vectorize="cpu=vector-bits=512,vector-registers=32,l2=33554432" --canonicalize | FileCheck %s --check-prefix=WHOLE

// CHECK-LABEL: func.func @batched
// CHECK: scf.for %[[B:.*]] = %c0 to %c4 step %c1
// CHECK: %[[X:.*]] = tensor.extract_slice %arg1[%[[B]], 0, 0] [1, 96, 2048]
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x16xf32>, tensor<64x96x32xf32>
// Below the bound, on one thread with the N panels outside the M panels,
// each batch's RHS panel is packed just before its M panels read it.
// WHOLE-LABEL: func.func @batched
// WHOLE: scf.for %{{.*}} = %c0 to %c4 step %c1
// WHOLE: scf.for %{{.*}} = %c0 to %c64 step %c1
// WHOLE: tensor.extract_slice %arg1[%{{.*}}, 0, %{{.*}}] [1, 96, 32] [1, 1, 1] : tensor<4x96x2048xf32> to tensor<1x96x32xf32>
// WHOLE: tensor.insert_slice %{{.*}} [1, 16] [1, 1] : tensor<1x16xf32> into tensor<96x32xf32>
func.func @batched(%a: tensor<4x64x96xf32>, %b: tensor<4x96x2048xf32>) -> tensor<4x64x2048xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x2048xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x64x2048xf32>) -> tensor<4x64x2048xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x64x96xf32>, tensor<4x96x2048xf32>) outs(%f : tensor<4x64x2048xf32>) -> tensor<4x64x2048xf32>
  return %r : tensor<4x64x2048xf32>
}
