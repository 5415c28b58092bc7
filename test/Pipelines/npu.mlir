// With an NPU, int8 matmuls become NPU programs and the rest stays on the
// CPU; yz-opt reproduces what yzc runs for either target.
// RUN: yz-opt %s --yz-to-llvm-pipeline="target=riscv64" -o %t.opt.mlir
// RUN: yzc %s --emit=mlir --target=riscv64 -o %t.yzc.mlir
// RUN: diff %t.opt.mlir %t.yzc.mlir
// RUN: FileCheck %s --check-prefix=RV < %t.opt.mlir
// RUN: yz-opt %s --yz-to-llvm-pipeline="target=host" | FileCheck %s --check-prefix=HOST
// RUN: yzc %s --emit=mlir --npu=none | FileCheck %s --check-prefix=CPU

// RV-DAG: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 0, x0, $0, $1"
// RV-DAG: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 3, x0, $0, $1"
// RV-DAG: llvm.inline_asm has_side_effects ".insn r CUSTOM_0, 0, 4, x0, $0, $1"
// RV-NOT: yz_npu_exec
// HOST: llvm.func @yz_npu_exec(i32, i64, i64) -> i64
// HOST-NOT: inline_asm
// CPU-NOT: inline_asm
// CPU-NOT: yz_npu_exec
module attributes {npu.target = #npu.target<dim = 16, sp_rows = 8192, acc_rows = 1024, dma_bandwidth = 16, dma_latency = 64, queue_depth = 8, issue_cost = 4>} {
  func.func @mm(%a: tensor<20x40xi8>, %b: tensor<40x24xi8>) -> tensor<20x24xi32> {
    %0 = yz.matmul %a, %b : tensor<20x40xi8>, tensor<40x24xi8>
    %1 = yz.relu %0 : tensor<20x24xi32>
    return %1 : tensor<20x24xi32>
  }
}
