// RUN: yz-opt %s --yz-to-llvm-pipeline | FileCheck %s
// yz-opt reproduces exactly what yzc runs, given the CPU description yzc
// derives for riscv64 at its default VLEN of 256:
// RUN: yz-opt %s --yz-to-llvm-pipeline="cpu=vector-bits=256,vector-registers=32,l1=32768,l2=524288,fma-scalar-loads=1,load-ahead=1" -o %t.opt.mlir
// RUN: yzc %s --emit=mlir --npu=none -o %t.yzc.mlir
// RUN: diff %t.opt.mlir %t.yzc.mlir

// Unreachable private functions are dropped.
// CHECK-NOT: unused
// Everything is in the LLVM dialect: no tensor values (only the weights'
// initializer, packed at compile time into N0 x 1 panels and flattened to
// 1-D; these weights are a splat, so what is left is the one N0 x 1 panel
// step every step reads), memrefs or loops left.
// CHECK: llvm.mlir.global private constant @__constant_4x1xf32(dense<5.000000e-01> : tensor<4xf32>)
// CHECK-NOT: tensor<
// CHECK-NOT: memref<
// CHECK-NOT: scf.
// CHECK-NOT: linalg.

// Each top-level loop nest is a no-inline function of its own, taking the
// buffers it uses (those the model allocates marked noalias): here the
// LHS pack.
// CHECK-LABEL: llvm.func internal @net_nest0(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr) attributes {passthrough = ["noinline", ["yz-layer", "{{.*}}"]]
// CHECK-NOT: llvm.fadd
// CHECK: llvm.return

// One bare pointer per input, then per output; the packed LHS and the
// result are heap-allocated, and each is freed right after its last use
// (yz-free-after-last-use): the LHS after the K loop, the result after
// the copy into the output.
// The matmul is a register tile of 2 x 4 accumulators (vector<4xf32> at
// the default 128-bit vectors), each updated by an FMA of a broadcast LHS value by the
// RHS vector; its K loop carries the accumulators, so it stays here. K = 3
// runs as one iteration of two steps and a last step: 6 FMAs. K is one
// cache block, so the accumulators start at zero in registers: the packed
// result is not filled first, and the first FMAs add to a zero constant.
// The epilogue, bias + relu, is applied on the accumulators (an add then
// a maximum per row), and only its result is stored.
// CHECK-LABEL: llvm.func @net(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: llvm.return
// CHECK: %[[ZERO:.*]] = llvm.mlir.constant(dense<0.000000e+00> : vector<4xf32>)
// CHECK: %[[LHS:.*]] = llvm.call @_mlir_memref_to_llvm_alloc
// CHECK: llvm.call @net_nest0(
// CHECK: %[[OUT:.*]] = llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT: llvm.call
// CHECK-COUNT-2: llvm.intr.fmuladd({{.*}}, %[[ZERO]]) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
// CHECK-COUNT-4: llvm.intr.fmuladd({{.*}}) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
// CHECK-NOT: llvm.intr.fmuladd
// CHECK: llvm.call @_mlir_memref_to_llvm_free(%[[LHS]])
// CHECK-COUNT-2: llvm.fadd
// CHECK-COUNT-2: llvm.intr.maximum
// CHECK-COUNT-2: llvm.store {{.*}} : vector<4xf32>, !llvm.ptr
// The epilogue wrote the result in the packed result's layout, of which
// the output is a reshape: a small copy into the output, two vector loads
// and stores (yz-optimize-vectors), not a loop of scalars.
// CHECK-COUNT-2: llvm.load {{.*}} -> vector<4xf32>
// CHECK-COUNT-2: llvm.store {{.*}} : vector<4xf32>, !llvm.ptr
// CHECK-NOT: llvm.store
// CHECK: llvm.call @_mlir_memref_to_llvm_free(%[[OUT]])
// CHECK-NEXT: llvm.return
func.func @net(%x: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %w = yz.constant dense<0.5> : tensor<3x4xf32>
  %0 = yz.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32>
  %1 = yz.add %0, %b : tensor<2x4xf32>, tensor<4xf32>
  %2 = yz.relu %1 : tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

func.func private @unused(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yz.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
