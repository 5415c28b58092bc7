// -O0: plain loops (no packing, no vectors); -O1 and up: the CPU strategy.
// The RVV register tile follows VLEN: 6 rows of four vector registers
// (LMUL 4), 32 floats at VLEN 256, 64 at VLEN 512, updated by vfmacc.vf
// (or vfmadd.vf) from a scalar load per row; the K loop runs two steps per
// iteration. riscv64's default description has load-ahead=1, so the K loop
// is software-pipelined: its last steps (here 2, one left over from the
// 95 after the prologue's load, one the pipeline's epilogue) follow it.
// RUN: yzc %s --npu=none -O0 --emit=asm -o - | FileCheck %s --check-prefix=O0
// RUN: yzc %s --npu=none -O1 --emit=asm -o - | FileCheck %s --check-prefix=V256
// RUN: yzc %s --npu=none --emit=asm -o - | FileCheck %s --check-prefix=V256
// RUN: yzc %s --npu=none --vlen=512 --emit=asm -o - | FileCheck %s --check-prefix=V512
// Pass timing, the strategy's passes included:
// RUN: yzc %s --npu=none -o %t.o --mlir-timing 2>&1 | FileCheck %s --check-prefix=TIMING

// O0-NOT: vfmacc
// O0: fmul.s
// O0: fadd.s
// O0-NOT: vfmacc

// V256: vsetvli zero, {{.*}}, e32, m4, ta, ma
// V256-COUNT-12: {{vfmacc|vfmadd}}.vf
// V256: {{bne|bnez|bltu}} {{.*}}, .LBB
// V256-COUNT-12: {{vfmacc|vfmadd}}.vf
// V256-NOT: {{vfmacc|vfmadd}}.vf
// V512: vsetvli zero, {{.*}}, e32, m4, ta, ma
// V512-COUNT-12: {{vfmacc|vfmadd}}.vf
// V512: {{bne|bnez|bltu}} {{.*}}, .LBB
// V512-COUNT-12: {{vfmacc|vfmadd}}.vf
// V512-NOT: {{vfmacc|vfmadd}}.vf

// TIMING: YzPackMatmuls
// TIMING: YzTileAndVectorize
// TIMING: YzOptimizeVectors
// TIMING: Code generation
func.func @mm(%a: tensor<64x96xf32>, %b: tensor<96x80xf32>) -> tensor<64x80xf32> {
  %0 = yz.matmul %a, %b : tensor<64x96xf32>, tensor<96x80xf32>
  return %0 : tensor<64x80xf32>
}
