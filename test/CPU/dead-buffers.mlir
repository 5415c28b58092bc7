// yz-optimize-vectors first erases buffers that are only written (a
// product whose epilogue yz-tile-and-vectorize applied on its register
// tiles, which still stored each tile), and their stores; a buffer that is
// read stays.
// RUN: yz-opt %s --yz-optimize-vectors | FileCheck %s

// CHECK-LABEL: func.func @written_only
// CHECK-NOT: memref.alloc
// CHECK: vector.store %arg0, %arg1[%{{.*}}]
// CHECK-NOT: vector.store
// CHECK: return
func.func @written_only(%v: vector<8xf32>, %out: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<8x16xf32>
  %s = memref.subview %a[0, 0] [1, 16] [1, 1] : memref<8x16xf32> to memref<16xf32, strided<[1]>>
  vector.transfer_write %v, %s[%c0] {in_bounds = [true]} : vector<8xf32>, memref<16xf32, strided<[1]>>
  vector.transfer_write %v, %out[%c0] {in_bounds = [true]} : vector<8xf32>, memref<16xf32>
  memref.dealloc %a : memref<8x16xf32>
  return
}

// CHECK-LABEL: func.func @read_back
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: vector.store %arg0, %[[A]]
// CHECK: vector.load %[[A]]
func.func @read_back(%v: vector<8xf32>, %out: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<16xf32>
  vector.transfer_write %v, %a[%c0] {in_bounds = [true]} : vector<8xf32>, memref<16xf32>
  %r = vector.transfer_read %a[%c0], %z {in_bounds = [true]} : memref<16xf32>, vector<8xf32>
  vector.transfer_write %r, %out[%c0] {in_bounds = [true]} : vector<8xf32>, memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  return
}
