// RUN: yz-opt %s --yz-outline-loop-nests | FileCheck %s

// Each top-level loop nest moves into a no-inline, internal function that
// takes the buffers it uses; constants, views and globals' addresses are
// recomputed inside. Buffers the model allocates are noalias. Each names
// its layer for yz-run --host-cycles: the ONNX node in its location, else
// the file and line.
// CHECK-LABEL: func.func private @f_nest0(%{{.*}}: memref<4x8xf32> {llvm.noalias}, %{{.*}}: memref<4x8xf32>)
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline", ["yz-layer", "/block/Mul"]], yz.nest}
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: memref.subview
// CHECK: scf.for
// CHECK: return
// CHECK-LABEL: func.func private @f_nest1(%{{.*}}: memref<4x8xf32>)
// CHECK-SAME: passthrough = ["noinline", ["yz-layer", "{{.*}}outline-loop-nests.mlir:{{[0-9]+}}"]]
// CHECK: memref.get_global @table
// CHECK: scf.for
// The loop that yields a vector stays: only buffers and scalars cross calls.
// CHECK-LABEL: func.func @f(
// CHECK: %[[T:.*]] = memref.alloc()
// CHECK: call @f_nest0(%[[T]], %arg0) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
// CHECK: call @f_nest1(%arg1) : (memref<4x8xf32>) -> ()
// CHECK: scf.for {{.*}} -> (vector<8xf32>)
// CHECK: memref.dealloc %[[T]]
memref.global "private" constant @table : memref<8xf32> = dense<1.0>
func.func @f(%in: memref<4x8xf32>, %out: memref<4x8xf32>) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  %t = memref.alloc() : memref<4x8xf32>
  %view = memref.subview %in[0, 0] [4, 8] [1, 1] : memref<4x8xf32> to memref<4x8xf32, strided<[8, 1]>>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %view[%i, %j] : memref<4x8xf32, strided<[8, 1]>>
      %y = arith.mulf %x, %two : f32
      memref.store %y, %t[%i, %j] : memref<4x8xf32>
    }
  } loc(fused["/block/Mul", "/block/Add"])
  %g = memref.get_global @table : memref<8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %g[%j] : memref<8xf32>
      memref.store %x, %out[%i, %j] : memref<4x8xf32>
    }
  }
  %zero = arith.constant dense<0.0> : vector<8xf32>
  %acc = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %zero) -> (vector<8xf32>) {
    %v = vector.load %t[%i, %c0] : memref<4x8xf32>, vector<8xf32>
    %s = arith.addf %a, %v : vector<8xf32>
    scf.yield %s : vector<8xf32>
  }
  memref.dealloc %t : memref<4x8xf32>
  return %acc : vector<8xf32>
}

// A nest that allocates a buffer and frees it inside (a matmul's RHS block,
// packed where it is read) is outlined with it; one that frees a buffer
// allocated outside is not: freeing needs the allocated pointer, which a
// call passes only as the aligned one.
// CHECK-LABEL: func.func private @scratch_nest0(%{{.*}}: memref<4x8xf32>)
// CHECK: scf.for
// CHECK: %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK: memref.dealloc %[[B]]
// CHECK-LABEL: func.func @scratch(
// CHECK: call @scratch_nest0(%arg0)
// CHECK: %[[T:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: scf.for
// CHECK: memref.dealloc %[[T]]
// CHECK-NOT: call
func.func @scratch(%out: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %b = memref.alloc() : memref<8xf32>
    memref.store %one, %b[%c0] : memref<8xf32>
    %x = memref.load %b[%c0] : memref<8xf32>
    memref.store %x, %out[%i, %c0] : memref<4x8xf32>
    memref.dealloc %b : memref<8xf32>
  }
  %t = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %t[%c0] : memref<8xf32>
    memref.dealloc %t : memref<8xf32>
  }
  return
}
