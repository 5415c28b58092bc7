// yz-optimize-vectors on a register tile stored transposed (pixels as rows,
// back to NCHW) with its epilogue: the bias add and the ReLU move before the
// transpose (upstream's sink patterns: 16 vectors of 16 lanes on AVX-512,
// not 32 of 8), the ReLU's max with +0 loses IEEE maximum's +0-for-0 rule
// (nsz: one vmaxps, NaN still kept), and with shuffle-transposes=1 (x86) the
// transpose is one shuffle of the flattened tile, which LLVM lowers to
// rounds of two-source permutes; without (RVV) lanes move one by one.
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512,shuffle-transposes=1" | FileCheck %s
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=256,strided-vectors=1" | FileCheck %s --check-prefix=LANES

// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: vector.transpose
// CHECK: %[[SUM:.*]] = arith.addf %arg0, %{{.*}} : vector<8x32xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} fastmath<nsz> : vector<8x32xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 32, 64, 96, 128, 160, 192, 224, 1, 33,
// CHECK-SAME: : vector<256xf32>, vector<256xf32>
// CHECK-COUNT-32: vector.store %{{.*}} : memref<32x8xf32>, vector<8xf32>
// CHECK-NOT: vector.transpose
// LANES-LABEL: func.func @epilogue
// LANES: arith.maximumf %{{.*}} fastmath<nsz> : vector<8x32xf32>
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

// A scalar ReLU too (in a loop LLVM's vectorizer widens: a ReLU pass of
// its own, a residual add's).
// CHECK-LABEL: func.func @scalar_relu
// CHECK: arith.maximumf %arg0, %{{.*}} fastmath<nsz> : f32
func.func @scalar_relu(%x: f32) -> f32 {
  %zero = arith.constant 0.0 : f32
  %r = arith.maximumf %x, %zero : f32
  return %r : f32
}

// Only a max with +0 (ReLU) drops signed zeros: a max with 6, with -0 or
// with a variable, and a min, keep IEEE semantics.
// CHECK-LABEL: func.func @other_clamps
// CHECK: arith.maximumf %arg0, %{{.*}} : vector<16xf32>
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: arith.maximumf %{{.*}}, %arg1 : vector<16xf32>
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT: nsz
func.func @other_clamps(%x: vector<16xf32>, %y: vector<16xf32>) -> vector<16xf32> {
  %six = arith.constant dense<6.0> : vector<16xf32>
  %negzero = arith.constant dense<-0.0> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %a = arith.maximumf %x, %six : vector<16xf32>
  %b = arith.maximumf %a, %negzero : vector<16xf32>
  %c = arith.maximumf %b, %y : vector<16xf32>
  %d = arith.minimumf %c, %zero : vector<16xf32>
  return %d : vector<16xf32>
}
