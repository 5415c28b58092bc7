// RUN: yz-opt %s --yz-to-llvm-pipeline | yz-translate --mlir-to-llvmir | FileCheck %s

// yz-translate turns the pipeline's output into LLVM IR (without the
// model ABI, which yzc adds).
// The loop nest is a function of its own (yz-outline-loop-nests).
// CHECK-LABEL: define internal void @f_nest0(
// CHECK: fmul float
// CHECK-LABEL: define void @f(ptr %0, ptr %1)
// CHECK: call void @f_nest0(
func.func @f(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = yz.mul %a, %a : tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<8xf32>
}
