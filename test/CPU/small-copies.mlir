// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512" --canonicalize | FileCheck %s

// A small copy of contiguous rows (a RHS panel's row, packed just before
// its product) becomes vector loads and stores: as a loop, LLVM unrolled
// it into scalar moves (it cannot tell that the two sides do not overlap).
// CHECK-LABEL: func.func @row
// CHECK: %[[A:.*]] = memref.subview %arg0[0, 0] [1, 32] [1, 1]
// CHECK: %[[V:.*]] = vector.load %[[A]][%c0] : memref<32xf32, {{.*}}>, vector<32xf32>
// CHECK: %[[B:.*]] = memref.subview %arg1[0, 0] [1, 32] [1, 1]
// CHECK: vector.store %[[V]], %[[B]][%c0] : memref<32xf32, {{.*}}>, vector<32xf32>
// CHECK-NOT: memref.copy
func.func @row(%a: memref<1x32xf32, strided<[3136, 1], offset: ?>>, %b: memref<1x32xf32, strided<[32, 1], offset: ?>>) {
  memref.copy %a, %b : memref<1x32xf32, strided<[3136, 1], offset: ?>> to memref<1x32xf32, strided<[32, 1], offset: ?>>
  return
}

// Rows of several vectors: a vector each (unrolled).
// CHECK-LABEL: func.func @rows
// CHECK-COUNT-4: vector.load %arg0
// CHECK-NOT: memref.copy
func.func @rows(%a: memref<4x16xf32, strided<[64, 1]>>, %b: memref<4x16xf32>) {
  memref.copy %a, %b : memref<4x16xf32, strided<[64, 1]>> to memref<4x16xf32>
  return
}

// Kept: more than eight vectors (a loop of LLVM's, or memcpy), rows read
// at a stride, a row that neither fills whole vectors nor is a power of
// two, and booleans (a byte each in memory, a bit each in a vector).
// CHECK-LABEL: func.func @large
// CHECK: memref.copy
func.func @large(%a: memref<16x64xf32>, %b: memref<16x64xf32>) {
  memref.copy %a, %b : memref<16x64xf32> to memref<16x64xf32>
  return
}
// CHECK-LABEL: func.func @strided_row
// CHECK: memref.copy
func.func @strided_row(%a: memref<16xf32, strided<[2]>>, %b: memref<16xf32>) {
  memref.copy %a, %b : memref<16xf32, strided<[2]>> to memref<16xf32>
  return
}
// CHECK-LABEL: func.func @odd_row
// CHECK: memref.copy
func.func @odd_row(%a: memref<2x20xf32>, %b: memref<2x20xf32>) {
  memref.copy %a, %b : memref<2x20xf32> to memref<2x20xf32>
  return
}
// CHECK-LABEL: func.func @booleans
// CHECK: memref.copy
func.func @booleans(%a: memref<2x16xi1>, %b: memref<2x16xi1>) {
  memref.copy %a, %b : memref<2x16xi1> to memref<2x16xi1>
  return
}
