// RUN: yz-opt %s --yz-free-after-last-use -split-input-file | FileCheck %s

// Each buffer is freed right after the last op that uses it or a view of
// it; a use inside a loop counts as the loop's.
// CHECK-LABEL: func @chain
// CHECK: %[[A:.*]] = memref.alloc()
// CHECK: linalg.fill {{.*}} outs(%[[A]]
// CHECK: %[[B:.*]] = memref.alloc()
// CHECK: %[[V:.*]] = memref.collapse_shape %[[A]]
// CHECK: scf.for
// CHECK:   memref.load %[[V]]
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK: memref.copy %[[B]], %arg0
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK-NEXT: return
func.func @chain(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<2x4xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<2x4xf32>)
  %b = memref.alloc() : memref<8xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %v[%i] : memref<8xf32>
    memref.store %x, %b[%i] : memref<8xf32>
  }
  memref.copy %b, %out : memref<8xf32> to memref<8xf32>
  memref.dealloc %a : memref<2x4xf32>
  memref.dealloc %b : memref<8xf32>
  return
}

// -----

// A view of the buffer leaves the function: its dealloc stays.
// CHECK-LABEL: func @returned_view
// CHECK: memref.subview
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: memref.dealloc
func.func @returned_view() -> memref<4xf32, strided<[1], offset: 4>> {
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<8xf32>
  %s = memref.subview %a[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  linalg.fill ins(%zero : f32) outs(%a : memref<8xf32>)
  memref.dealloc %a : memref<8xf32>
  return %s : memref<4xf32, strided<[1], offset: 4>>
}

// -----

// A buffer a loop carries (its result may be the buffer): the dealloc
// stays after the loop's last reader.
// (A buffer nothing uses keeps its dealloc too.)
// CHECK-LABEL: func @carried
// CHECK: %[[A:.*]] = memref.alloc()
// CHECK: scf.for
// CHECK: memref.copy
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: return
func.func @carried(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%x = %a) -> memref<4xf32> {
    scf.yield %x : memref<4xf32>
  }
  %unrelated = memref.alloc() : memref<4xf32>
  memref.copy %r, %out : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  memref.dealloc %unrelated : memref<4xf32>
  return
}
