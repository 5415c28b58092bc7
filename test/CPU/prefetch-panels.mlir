// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512,prefetch-panels=1" --cse -split-input-file | FileCheck %s
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512" -split-input-file | FileCheck %s --check-prefix=OFF

// With prefetch-panels=1 (x86 hosts), a K loop reading a constant packed
// RHS [N1, K, N0] (weights packed at compile time) prefetches the block read after this one: at step
// g = t * kc + k of the T = 3 tiles of kc = 16 steps, line g * L / (T * kc)
// of the L = 16 x 2 lines of block kb of panel n + 1, or after the last of
// the 4 panels of block kb + 16 (at most K - 16 = 48) of panel 0.
// CHECK-LABEL: func @panels
// CHECK: scf.for %[[KB:.*]] = %c0 to %c64 step %c16
// CHECK: scf.for %[[N:.*]] = %c0 to %c4 step %c1
// CHECK: scf.for %[[T:.*]] = %c0 to %c3 step %c1
// CHECK: scf.for %[[K:.*]] = %c0 to %c16 step %c2
// CHECK-DAG: %[[TK:.*]] = arith.muli %[[T]], %c16
// CHECK-DAG: %[[G:.*]] = arith.addi %[[TK]], %[[K]]
// CHECK-DAG: %[[GL:.*]] = arith.muli %[[G]], %c32
// CHECK-DAG: %[[LINE:.*]] = arith.divui %[[GL]], %c48
// CHECK-DAG: %[[NEXT:.*]] = arith.addi %[[N]], %c1
// CHECK-DAG: %[[WRAPS:.*]] = arith.cmpi eq, %[[NEXT]], %c4
// CHECK-DAG: %[[PANEL:.*]] = arith.select %[[WRAPS]], %c0, %[[NEXT]]
// CHECK-DAG: %[[KB16:.*]] = arith.addi %[[KB]], %c16
// CHECK-DAG: %[[LASTKB:.*]] = arith.minui %[[KB16]], %c48
// CHECK-DAG: %[[BLOCK:.*]] = arith.select %[[WRAPS]], %[[LASTKB]], %[[KB]]
// CHECK-DAG: %[[R:.*]] = arith.divui %[[LINE]], %c2
// CHECK-DAG: %[[ROW:.*]] = arith.addi %[[BLOCK]], %[[R]]
// CHECK-DAG: %[[C:.*]] = arith.remui %[[LINE]], %c2
// CHECK-DAG: %[[COL:.*]] = arith.muli %[[C]], %c16
// CHECK: memref.prefetch %{{.*}}[%[[PANEL]], %[[ROW]], %[[COL]]], read, locality<3>, data
// CHECK: vector.load
// OFF-NOT: memref.prefetch
memref.global "private" constant @weights : memref<4x64x32xf32> = dense<1.0>

func.func @panels(%lhs: memref<3x64x1xf32>, %out: memref<3x4x32xf32>) {
  %rhs = memref.get_global @weights : memref<4x64x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  scf.for %kb = %c0 to %c64 step %c16 {
    scf.for %n = %c0 to %c4 step %c1 {
      scf.for %t = %c0 to %c3 step %c1 {
        %init = vector.load %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
        %acc = scf.for %k = %c0 to %c16 step %c1 iter_args(%a = %init) -> (vector<32xf32>) {
          %kk = arith.addi %kb, %k : index
          %r = vector.load %rhs[%n, %kk, %c0] : memref<4x64x32xf32>, vector<32xf32>
          %l = memref.load %lhs[%t, %kk, %c0] : memref<3x64x1xf32>
          %b = vector.broadcast %l : f32 to vector<32xf32>
          %f = vector.fma %b, %r, %a : vector<32xf32>
          scf.yield %f : vector<32xf32>
        }
        vector.store %acc, %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
      }
    }
  }
  return
}

// -----

// A thread's task with its panel fixed (%n, a task index): the next block
// of the same panel. With K in one block (no kb): the next panel, at most
// the last.
// CHECK-LABEL: func @fixed_panel
// CHECK: arith.minui %{{.*}}, %c48
// CHECK: memref.prefetch %{{.*}}[%arg2, %{{.*}}, %{{.*}}]
// CHECK-LABEL: func @whole_k
// CHECK-DAG: %[[NEXT:.*]] = arith.addi %arg2, %c1
// CHECK-DAG: %[[PANEL:.*]] = arith.minui %[[NEXT]], %c3
// CHECK: memref.prefetch %{{.*}}[%[[PANEL]], %{{.*}}, %{{.*}}]
memref.global "private" constant @weights : memref<4x64x32xf32> = dense<1.0>

func.func @fixed_panel(%lhs: memref<3x64x1xf32>, %out: memref<3x4x32xf32>,
                       %n: index) {
  %rhs = memref.get_global @weights : memref<4x64x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  scf.for %kb = %c0 to %c64 step %c16 {
    scf.for %t = %c0 to %c3 step %c1 {
      %init = vector.load %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
      %acc = scf.for %k = %c0 to %c16 step %c1 iter_args(%a = %init) -> (vector<32xf32>) {
        %kk = arith.addi %kb, %k : index
        %r = vector.load %rhs[%n, %kk, %c0] : memref<4x64x32xf32>, vector<32xf32>
        %l = memref.load %lhs[%t, %kk, %c0] : memref<3x64x1xf32>
        %b = vector.broadcast %l : f32 to vector<32xf32>
        %f = vector.fma %b, %r, %a : vector<32xf32>
        scf.yield %f : vector<32xf32>
      }
      vector.store %acc, %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
    }
  }
  return
}

func.func @whole_k(%lhs: memref<3x64x1xf32>, %out: memref<3x4x32xf32>,
                   %n: index) {
  %rhs = memref.get_global @weights : memref<4x64x32xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  scf.for %t = %c0 to %c3 step %c1 {
    %init = vector.load %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
    %acc = scf.for %k = %c0 to %c64 step %c1 iter_args(%a = %init) -> (vector<32xf32>) {
      %r = vector.load %rhs[%n, %k, %c0] : memref<4x64x32xf32>, vector<32xf32>
      %l = memref.load %lhs[%t, %k, %c0] : memref<3x64x1xf32>
      %b = vector.broadcast %l : f32 to vector<32xf32>
      %f = vector.fma %b, %r, %a : vector<32xf32>
      scf.yield %f : vector<32xf32>
    }
    vector.store %acc, %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
  }
  return
}

// -----

// A RHS packed at run time (here an argument) was just written and is in
// cache: no prefetch.
// CHECK-LABEL: func @runtime_rhs
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @runtime_rhs(%rhs: memref<4x64x32xf32>, %lhs: memref<3x64x1xf32>,
                       %out: memref<3x4x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  scf.for %t = %c0 to %c3 step %c1 {
    %init = vector.load %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
    %acc = scf.for %k = %c0 to %c64 step %c1 iter_args(%a = %init) -> (vector<32xf32>) {
      %r = vector.load %rhs[%n, %k, %c0] : memref<4x64x32xf32>, vector<32xf32>
      %l = memref.load %lhs[%t, %k, %c0] : memref<3x64x1xf32>
      %b = vector.broadcast %l : f32 to vector<32xf32>
      %f = vector.fma %b, %r, %a : vector<32xf32>
      scf.yield %f : vector<32xf32>
    }
    vector.store %acc, %out[%t, %n, %c0] : memref<3x4x32xf32>, vector<32xf32>
  }
  return
}
