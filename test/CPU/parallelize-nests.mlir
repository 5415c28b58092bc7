// RUN: yz-opt %s --yz-parallelize-nests=threads=2 | FileCheck %s
// RUN: yz-opt %s --yz-parallelize-nests=threads=1 | FileCheck %s --check-prefix=ONE

// An outlined nest over 3 x 64 x 32: tasks over the outer dimensions until
// each of the 2 threads has 4 (3 x 64 = 192 tasks); the innermost stays a
// loop. The body runs task i on the buffers, which keep the nest's noalias.
// CHECK-LABEL: func.func private @relu_body(%arg0: memref<3x64x32xf32> {llvm.noalias}, %arg1: memref<3x64x32xf32>, %arg2: index)
// CHECK: arith.remui %arg2, %c64
// CHECK: arith.divui %arg2, %c64
// CHECK: scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c32{{.*}}) step (%c1{{.*}})
// CHECK: arith.maximumf
// CHECK: return
// The task rebuilds the buffers from their addresses in ctx and calls it.
// CHECK-LABEL: llvm.func internal @relu_task(%arg0: !llvm.ptr, %arg1: i64)
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %arg0[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<2 x ptr>
// CHECK: %[[P0:.*]] = llvm.load %[[SLOT0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[X:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> to memref<3x64x32xf32>
// CHECK: %[[Y:.*]] = builtin.unrealized_conversion_cast
// CHECK: %[[I:.*]] = arith.index_cast %arg1 : i64 to index
// CHECK: call @relu_body(%[[X]], %[[Y]], %[[I]])
// CHECK: llvm.return
// CHECK-LABEL: func.func private @relu
// CHECK: %[[CTX:.*]] = llvm.alloca %{{.*}} x !llvm.array<2 x ptr>
// CHECK-COUNT-2: llvm.store
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @relu_task : !llvm.ptr
// CHECK: call @yz_parallel_for(%c2_i32, %c192_i64, %[[FN]], %[[CTX]]) : (i32, i64, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NOT: scf.parallel
// ONE-NOT: yz_parallel_for
// ONE-NOT: _task
// ONE-NOT: _body
func.func private @relu(%x: memref<3x64x32xf32> {llvm.noalias}, %y: memref<3x64x32xf32>) attributes {yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c3, %c64, %c32) step (%c1, %c1, %c1) {
    %v = memref.load %x[%i, %j, %k] : memref<3x64x32xf32>
    %r = arith.maximumf %v, %zero : f32
    memref.store %r, %y[%i, %j, %k] : memref<3x64x32xf32>
    scf.reduce
  }
  return
}

// Too small to pay for the threads (64 iterations): stays.
// CHECK-LABEL: func.func private @tiny
// CHECK: scf.parallel
func.func private @tiny(%x: memref<64xf32>) attributes {yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %zero, %x[%i] : memref<64xf32>
    scf.reduce
  }
  return
}

// A padded plane's left border column, 160 channels x 16 rows (2560
// iterations): small, but left on the caller's thread it would take each
// row's first line into that core's cache, which the other thread's share
// of the next nest then reads from there. Split by channels.
// CHECK-LABEL: func.func private @border_column(
// CHECK: call @yz_parallel_for(%c2_i32, %c8_i64
func.func private @border_column(%x: memref<160x16x16xf32>) attributes {yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c160 = arith.constant 160 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%c, %r) = (%c0, %c0) to (%c160, %c16) step (%c1, %c1) {
    memref.store %zero, %x[%c, %r, %c0] : memref<160x16x16xf32>
    scf.reduce
  }
  return
}

// A nest that calls a function (it might drive the NPU): stays.
// CHECK-LABEL: func.func private @calls
// CHECK: scf.parallel
func.func private @effect(index)
func.func private @calls(%x: memref<8192xf32>) attributes {yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 8192 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    func.call @effect(%i) : (index) -> ()
    scf.reduce
  }
  return
}

// Not made by yz-outline-loop-nests (no yz.nest): stays.
// CHECK-LABEL: func.func @model
// CHECK: scf.parallel
func.func @model(%x: memref<8192xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 8192 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %zero, %x[%i] : memref<8192xf32>
    scf.reduce
  }
  return
}

// One long loop (H x W x C merged by yz-collapse-inner-loops): 8 tasks, 4
// per thread, each a chunk of 2352 iterations, not a task per iteration.
// The body is internal like the nest: no symbol of the object.
// CHECK-LABEL: func.func private @flat_body(%arg0: memref<18816xf32>, %arg1: index)
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK: %[[SPAN:.*]] = arith.muli %c2352, %c1
// CHECK: %[[OFF:.*]] = arith.muli %arg1, %[[SPAN]]
// CHECK: %[[LO:.*]] = arith.addi %c0, %[[OFF]]
// CHECK: %[[END:.*]] = arith.addi %[[LO]], %[[SPAN]]
// CHECK: %[[HI:.*]] = arith.minsi %[[END]], %c18816
// CHECK: scf.parallel (%{{.*}}) = (%[[LO]]) to (%[[HI]]) step (%c1)
// CHECK-LABEL: func.func private @flat
// CHECK: call @yz_parallel_for(%c2_i32, %c8_i64, %{{.*}}, %{{.*}})
func.func private @flat(%x: memref<18816xf32>) attributes {llvm.linkage = #llvm.linkage<internal>, yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 18816 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %zero, %x[%i] : memref<18816xf32>
    scf.reduce
  }
  return
}

// 576 x 7 = 4032 iterations, but each a row of 16 FMAs (a depthwise
// stencil's): weighted by the body's operations, worth the threads (the
// 576 channels in 8 chunks of 72).
// CHECK-LABEL: func.func private @stencil(
// CHECK: call @yz_parallel_for(%c2_i32, %c8_i64
func.func private @stencil(%x: memref<576x7xf32>, %y: memref<576x7xf32>) attributes {yz.nest} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c576 = arith.constant 576 : index
  %w = arith.constant 0.5 : f32
  scf.parallel (%c) = (%c0) to (%c576) step (%c1) {
    scf.for %r = %c0 to %c7 step %c1 {
      %v = memref.load %x[%c, %r] : memref<576x7xf32>
      %a0 = math.fma %v, %w, %v : f32
      %a1 = math.fma %a0, %w, %v : f32
      %a2 = math.fma %a1, %w, %v : f32
      %a3 = math.fma %a2, %w, %v : f32
      %a4 = math.fma %a3, %w, %v : f32
      %a5 = math.fma %a4, %w, %v : f32
      %a6 = math.fma %a5, %w, %v : f32
      %a7 = math.fma %a6, %w, %v : f32
      %a8 = math.fma %a7, %w, %v : f32
      %a9 = math.fma %a8, %w, %v : f32
      %a10 = math.fma %a9, %w, %v : f32
      %a11 = math.fma %a10, %w, %v : f32
      %a12 = math.fma %a11, %w, %v : f32
      %a13 = math.fma %a12, %w, %v : f32
      %a14 = math.fma %a13, %w, %v : f32
      %a15 = math.fma %a14, %w, %v : f32
      memref.store %a15, %y[%c, %r] : memref<576x7xf32>
    }
    scf.reduce
  }
  return
}
