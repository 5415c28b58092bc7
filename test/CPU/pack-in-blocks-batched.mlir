// A batched product's run-time RHS pack (3 MB here) is packed batch by
// batch, just before each batch's product, from an eighth of L2 (l2 = 4
// MiB: 512 KB); below that it is packed whole, before the product (l2 =
// 32 MiB). Unbatched and on one thread, the bound is L2 itself
// (pack-in-blocks.mlir).
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32,l2=4194304" --yz-tile-and-vectorize="cpu=vector-bits=512,vector-registers=32,l2=4194304" --canonicalize | FileCheck %s
// RUN: yz-opt %s --yz-pack-matmuls="cpu=vector-bits=512,vector-registers=32,l2=4194304" --yz-tile-and-vectorize="cpu=vector-bits=512,vector-registers=32,l2=33554432" --canonicalize | FileCheck %s --check-prefix=WHOLE

// CHECK-LABEL: func.func @batched
// CHECK: scf.for %[[B:.*]] = %c0 to %c4 step %c1
// CHECK: %[[X:.*]] = tensor.extract_slice %arg1[%[[B]], 0, 0] [1, 96, 2048]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x96x1x64x32xf32>) outs(%{{.*}} : tensor<1x64x96x32x1xf32>)
// WHOLE-LABEL: func.func @batched
// WHOLE: linalg.transpose ins(%{{.*}} : tensor<4x96x1x64x32xf32>) outs(%{{.*}} : tensor<4x64x96x32x1xf32>)
// WHOLE: scf.for %{{.*}} = %c0 to %c4 step %c1
func.func @batched(%a: tensor<4x64x96xf32>, %b: tensor<4x96x2048xf32>) -> tensor<4x64x2048xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x2048xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x64x2048xf32>) -> tensor<4x64x2048xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x64x96xf32>, tensor<4x96x2048xf32>) outs(%f : tensor<4x64x2048xf32>) -> tensor<4x64x2048xf32>
  return %r : tensor<4x64x2048xf32>
}
