// yz-optimize-vectors on a register tile stored transposed (pixels as rows,
// back to NCHW) with its epilogue: the bias add and the ReLU move before the
// transpose (upstream's sink patterns: 16 vectors of 16 lanes on AVX-512,
// not 32 of 8), and with shuffle-transposes=1 (x86) the transpose is one
// shuffle of the flattened tile, which LLVM lowers to rounds of two-source
// permutes; without (RVV) lanes move one by one.
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512,shuffle-transposes=1" | FileCheck %s
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=256,strided-vectors=1" | FileCheck %s --check-prefix=LANES

// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: vector.transpose
// CHECK: %[[SUM:.*]] = arith.addf %arg0, %{{.*}} : vector<8x32xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<8x32xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 32, 64, 96, 128, 160, 192, 224, 1, 33,
// CHECK-SAME: : vector<256xf32>, vector<256xf32>
// CHECK-COUNT-32: vector.store %{{.*}} : memref<32x8xf32>, vector<8xf32>
// CHECK-NOT: vector.transpose
// LANES-LABEL: func.func @epilogue
// LANES: arith.maximumf %{{.*}} : vector<8x32xf32>
// LANES-NOT: vector.shuffle
// LANES-NOT: vector.transpose
// LANES: vector.store
func.func @epilogue(%acc: vector<8x32xf32>, %bias: vector<32xf32>, %out: memref<32x8xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant dense<0.0> : vector<32x8xf32>
  %t = vector.transpose %acc, [1, 0] : vector<8x32xf32> to vector<32x8xf32>
  %b = vector.broadcast %bias : vector<32xf32> to vector<8x32xf32>
  %bt = vector.transpose %b, [1, 0] : vector<8x32xf32> to vector<32x8xf32>
  %s = arith.addf %t, %bt : vector<32x8xf32>
  %r = arith.maximumf %s, %zero : vector<32x8xf32>
  vector.transfer_write %r, %out[%c0, %c0] {in_bounds = [true, true]} : vector<32x8xf32>, memref<32x8xf32>
  return
}
