// RUN: yz-opt %s --split-input-file --convert-linalg-to-npu --canonicalize | FileCheck %s
// RUN: yz-opt %s --split-input-file --convert-linalg-to-npu=double-buffer=false --canonicalize | FileCheck %s --check-prefix=SINGLE

// A matmul smaller than one block (blocks 32 x 32 x 48 after rounding up to
// DIM): the block loop and the prefetch fold away, leaving strips and tiles.
// CHECK-LABEL: func @small
// CHECK-SAME: (%[[A:.*]]: memref<20x40xi8>, %[[B:.*]]: memref<40x24xi8>, %[[C:.*]]: memref<20x24xi32>)
// CHECK: npu.config_target
// CHECK-NEXT: npu.config_exec i8
// CHECK-NEXT: npu.config_load %[[A]]
// A: 3 strips of 16 columns, 32 rows apart; the last strip is 8 wide.
// CHECK: scf.for %[[S:.*]] = %c0 to %c3 step %c1
// CHECK:   %[[KK:.*]] = arith.muli %[[S]], %c16
// CHECK:   %[[COLS:.*]] = arith.minsi %{{.*}}, %c16
// CHECK:   npu.dma_in %[[A]][%c0, %[[KK]]], row %{{.*}}, rows %c20, cols %[[COLS]]
// B: after A's 3 x 32 rows, 2 strips 48 rows apart.
// CHECK: npu.config_load %[[B]]
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:   arith.addi %{{.*}}, %c96
// CHECK:   npu.dma_in %[[B]]{{.*}} rows %c40
// Tiles: jj, kk, then ii innermost (the B tile stays in the array).
// CHECK: scf.for %{{.*}} = %c0 to %c24 step %c16
// CHECK:   scf.for %[[K:.*]] = %c0 to %c40 step %c16
// CHECK:     %[[ACC:.*]] = arith.cmpi ne, %[[K]], %c0
// CHECK:     scf.for %{{.*}} = %c0 to %c20 step %c16
// CHECK:       npu.matmul {{.*}}, accumulate %[[ACC]]
// CHECK: npu.config_store %[[C]]
// CHECK: scf.for
// CHECK:   npu.dma_out_acc %[[C]]{{.*}} rows %c20
// CHECK: npu.fence
// CHECK-NOT: linalg.matmul
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @small(%a: memref<20x40xi8>, %b: memref<40x24xi8>, %c: memref<20x24xi32>) {
    linalg.matmul {yz.placement = "npu"} ins(%a, %b : memref<20x40xi8>, memref<40x24xi8>) outs(%c : memref<20x24xi32>)
    return
  }
}

// -----

// 512^3: blocks of 64 x 128 x 256 (A 64 x 256 and B 256 x 128 fill 3072 of
// the 4096 rows of a scratchpad half; C 64 x 128 fills the 512 rows of an
// accumulator half): 8 x 4 x 2 = 64 blocks. Block 0 is loaded first; each
// block then prefetches the next into the other half, a slice per jj.
// CHECK-LABEL: func @large
// CHECK: npu.dma_in
// CHECK: scf.for %[[BLK:.*]] = %c0 to %c64 step %c1
// The scratchpad half is the block's parity (x 4096 rows).
// CHECK:   arith.remui %[[BLK]], %c2
// CHECK:   arith.muli %{{.*}}, %c4096
// CHECK:   %[[NEXT:.*]] = arith.addi %[[BLK]], %c1
// CHECK:   %[[HAS:.*]] = arith.cmpi ult, %[[NEXT]], %c64
// CHECK:   scf.for %{{.*}} = %c0 to %{{.*}} step %c16
// CHECK:     scf.if %[[HAS]]
// CHECK:       npu.dma_in
// CHECK:     scf.for
// CHECK:       scf.for
// CHECK:         npu.matmul
// The C block leaves after its last K block.
// CHECK:   scf.if
// CHECK:     npu.dma_out_acc
// Without double buffering: load, then compute, block by block; no parity.
// SINGLE-LABEL: func @large
// SINGLE-NOT: arith.remui %{{.*}}, %c2
// SINGLE: scf.for %{{.*}} = %c0 to %c64 step %c1
// SINGLE-NOT: scf.if
// SINGLE: npu.dma_in
// SINGLE: npu.matmul
// SINGLE: scf.if
// SINGLE: npu.fence
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @large(%a: memref<512x512xi8>, %b: memref<512x512xi8>, %c: memref<512x512xi32>) {
    linalg.matmul {yz.placement = "npu"} ins(%a, %b : memref<512x512xi8>, memref<512x512xi8>) outs(%c : memref<512x512xi32>)
    return
  }
}

// -----

// f32 runs in bf16 (the DMA rounds); unplaced matmuls are left alone.
// CHECK-LABEL: func @float
// CHECK: npu.config_exec bf16
// CHECK: npu.config_load %{{.*}} : memref<8x8xf32>
// CHECK: npu.dma_out_acc %{{.*}} : memref<8x8xf32>
// CHECK: linalg.matmul ins
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @float(%a: memref<8x8xf32>, %c: memref<8x8xf32>) {
    linalg.matmul {yz.placement = "npu"} ins(%a, %a : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
    linalg.matmul ins(%a, %a : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
    return
  }
}

// -----

// A batch: a loop over it, each iteration the 2-D program on that batch's
// slices (strided views whose offsets the DMAs read).
// CHECK-LABEL: func @batched
// CHECK-SAME: (%[[A:.*]]: memref<3x20x40xi8>, %[[B:.*]]: memref<3x40x24xi8>, %[[C:.*]]: memref<3x20x24xi32>)
// CHECK: scf.for %[[I:.*]] = %c0 to %c3 step %c1
// CHECK-DAG: %[[AI:.*]] = memref.subview %[[A]][%[[I]], 0, 0] [1, 20, 40] [1, 1, 1] : memref<3x20x40xi8> to memref<20x40xi8, strided<[40, 1], offset: ?>>
// CHECK-DAG: %[[BI:.*]] = memref.subview %[[B]][%[[I]], 0, 0] [1, 40, 24] [1, 1, 1]
// CHECK-DAG: %[[CI:.*]] = memref.subview %[[C]][%[[I]], 0, 0] [1, 20, 24] [1, 1, 1]
// CHECK: npu.config_target
// CHECK: npu.config_load %[[AI]]
// CHECK: npu.dma_in %[[AI]]
// CHECK: npu.dma_in %[[BI]]
// CHECK: npu.dma_out_acc %[[CI]]
// CHECK: npu.fence
// CHECK-NOT: linalg.batch_matmul
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @batched(%a: memref<3x20x40xi8>, %b: memref<3x40x24xi8>, %c: memref<3x20x24xi32>) {
    linalg.batch_matmul {yz.placement = "npu"} ins(%a, %b : memref<3x20x40xi8>, memref<3x40x24xi8>) outs(%c : memref<3x20x24xi32>)
    return
  }
}
