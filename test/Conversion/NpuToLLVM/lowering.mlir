// RUN: yz-opt %s --convert-npu-to-llvm=target=riscv64 | FileCheck %s --check-prefix=RV
// RUN: yz-opt %s --convert-npu-to-llvm=target=host | FileCheck %s --check-prefix=HOST
// RUN: not yz-opt %s --convert-npu-to-llvm=target=arm 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: convert-npu-to-llvm: unknown target 'arm' (expected riscv64 or host)

// The layer names (see npu.layer below) are globals at the module's top.
// RV-DAG: llvm.mlir.global internal constant @yz_layer_name_0("fc\00")
// RV-DAG: llvm.mlir.global internal constant @yz_layer_name_1("/conv1/Conv\00")

module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @f(%a: memref<64x32xi8>, %i: index, %row: index, %t: i1) -> i64 {
    %c16 = arith.constant 16 : index
    %c8 = arith.constant 8 : index
    // config.target: rs1 = 16 | 8192 << 8 | 1024 << 32 = 0x40000200010,
    // rs2 = 16 | 64 << 16 | 8 << 32 | 4 << 40 = 0x40800400010.
    // RV: %[[T1:.*]] = llvm.mlir.constant(4398048608272 : i64)
    // RV: %[[T2:.*]] = llvm.mlir.constant(4432410443792 : i64)
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 0, x0, $0, $1", "r,r,~{memory}" %[[T1]], %[[T2]]
    npu.config_target
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 3, 0, x0, $0, $1"
    npu.config_exec i8
    // The row stride in bytes (32 x 1) goes in rs1; source type i8 (0) in rs2.
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 1, 0, x0, $0, $1"
    npu.config_load %a : memref<64x32xi8>
    // dma_in: rs1 is the address of %a[%i, 8]; rs2 packs row | rows << 32 | cols << 48.
    // RV: llvm.ptrtoint
    // RV: llvm.shl
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 1, x0, $0, $1"
    npu.dma_in %a[%i, %c8], row %row, rows %c16, cols %c16 : memref<64x32xi8>
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 3, x0, $0, $1"
    npu.matmul %row, %row -> %row, m %c16, n %c16, k %c8, accumulate %t {transpose_b}
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 4, x0, $0, $1"
    npu.fence
    // layer: rs1 is the address of the NUL-terminated name, a private
    // global; rs2 = MACs | OnCpu << 63 = 40 | 1 << 63.
    // RV: %[[NAME:.*]] = llvm.mlir.addressof @yz_layer_name_0
    // RV: %[[ADDR:.*]] = llvm.ptrtoint %{{.*}} : !llvm.ptr to i64
    // RV: %[[MACS:.*]] = llvm.mlir.constant(-9223372036854775768 : i64)
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 6, x0, $0, $1", "r,r,~{memory}" %[[ADDR]], %[[MACS]]
    npu.layer "fc" macs 40 on_cpu
    // RV: llvm.mlir.addressof @yz_layer_name_1
    npu.layer "/conv1/Conv" macs 7
    // counter writes rd.
    // RV: %[[N:.*]] = llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 5, $0, $1, $2", "=r,r,r,~{memory}" {{.*}} -> i64
    // RV: return %[[N]]
    %n = npu.counter macs
    return %n : i64
  }
}

// Host: one declaration, then calls with the instruction words the
// riscv64 build would execute (rd = a0, rs1 = a1, rs2 = a2).
// HOST: llvm.func @yz_npu_exec(i32, i64, i64) -> i64
// HOST-LABEL: func @f
// config.target: 0x00c5850b
// HOST: %[[W:.*]] = llvm.mlir.constant(12944651 : i32)
// HOST: llvm.call @yz_npu_exec(%[[W]], {{.*}}) : (i32, i64, i64) -> i64
// matmul: 0x06c5850b
// HOST: llvm.mlir.constant(113607947 : i32)
// counter: 0x0ac5850b
// HOST: %[[C:.*]] = llvm.mlir.constant(180716811 : i32)
// HOST: %[[N:.*]] = llvm.call @yz_npu_exec(%[[C]]
// HOST: return %[[N]]

// Per-channel requantization: the scale row goes to rs1[63:50] and the
// PerChannel bit to rs2[56]. rs2 = 0.5 (0x3f000000) | zp 3 << 32 |
// clamp_min 3 << 40 | clamp_max 100 << 48 | 1 << 56 = 0x01640303_3f000000.
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  // RV-LABEL: func @per_channel
  func.func @per_channel(%q: memref<64x64xi8>, %row: index) {
    // RV: %[[C50:.*]] = llvm.mlir.constant(50 : i64)
    // RV: llvm.shl %{{.*}}, %[[C50]]
    // RV: %[[RS2:.*]] = llvm.mlir.constant(100208404185743360 : i64)
    // RV: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 2, 0, x0, $0, $1", "r,r,~{memory}" %{{.*}}, %[[RS2]]
    npu.config_store %q scales %row {scale = 0.5 : f32, zero_point = 3 : i32, clamp_min = 3 : i32, clamp_max = 100 : i32} : memref<64x64xi8>
    return
  }
}
