// RUN: yzc %s --emit=asm --target=riscv64 | FileCheck %s --check-prefix=V256
// RUN: yzc %s --emit=asm --target=riscv64 --vlen=512 --mattr=+zba,+zbb | FileCheck %s --check-prefix=V512
// RUN: yzc %s --target=riscv64 -o %t.o && llvm-objdump -t -d %t.o | FileCheck %s --check-prefix=OBJ
// RUN: yzc %s --emit=llvm --target=host | FileCheck %s --check-prefix=HOST

// RV64GC + V (1.0), lp64d, VLEN from --vlen.
// V256: .attribute 5, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_v1p0
// V256-SAME: zvl256b1p0
// V256-NOT: zvl512b
// V256: vsetvli
// V512: .attribute 5, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_v1p0
// V512-SAME: _zba1p0_zbb1p0
// V512-SAME: zvl512b1p0

// The object exports the descriptor and the invoke wrapper, and hides the
// entry (named `main` here, which would clash with a C program's main).
// OBJ: file format elf64-littleriscv
// OBJ-DAG: g     O {{.*}} yz_model_main
// OBJ-DAG: g     F .text{{.*}} yz_invoke_main
// OBJ-NOT: g     F .text{{.*}} main{{$}}
// OBJ: Disassembly of section .text:

// HOST: target triple = "x86_64

func.func @main(%a: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<64xf32> {
  %0 = yz.mul %a, %b : tensor<64xf32>, tensor<64xf32>
  return %0 : tensor<64xf32>
}
