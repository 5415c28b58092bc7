// RUN: yz-opt %s --yz-distinct-results -split-input-file -verify-diagnostics | FileCheck %s

// A buffer returned three times: the repeats return copies of it, so that
// buffer-results-to-out-params gives every result its own parameter.
// CHECK-LABEL: func @thrice
// CHECK: %[[A:.*]] = memref.alloc() : memref<1x7xf32>
// CHECK: %[[C1:.*]] = memref.alloc() : memref<1x7xf32>
// CHECK: memref.copy %[[A]], %[[C1]]
// CHECK: %[[C2:.*]] = memref.alloc() : memref<1x7xf32>
// CHECK: memref.copy %[[A]], %[[C2]]
// CHECK: return %[[A]], %[[C1]], %[[C2]], %arg0
func.func @thrice(%x: memref<4xf32>) -> (memref<1x7xf32>, memref<1x7xf32>, memref<1x7xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<1x7xf32>
  return %a, %a, %a, %x : memref<1x7xf32>, memref<1x7xf32>, memref<1x7xf32>, memref<4xf32>
}

// -----

func.func @dynamic(%n: index) -> (memref<?xf32>, memref<?xf32>) {
  %a = memref.alloc(%n) : memref<?xf32>
  // expected-error @+1 {{a buffer of dynamic shape is returned twice}}
  return %a, %a : memref<?xf32>, memref<?xf32>
}
