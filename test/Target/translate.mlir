// RUN: yz-opt %s --yz-to-llvm-pipeline | yz-translate --mlir-to-llvmir | FileCheck %s

// yz-translate turns the pipeline's output into LLVM IR (without the
// model ABI, which yzc adds).
// CHECK: define void @f(ptr %0, ptr %1)
// CHECK: fmul float
func.func @f(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = yz.mul %a, %a : tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<8xf32>
}
