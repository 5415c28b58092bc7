// RUN: yz-opt %s --convert-yz-to-linalg --split-input-file -verify-diagnostics

func.func @dynamic(%a: tensor<?x8xf32>, %b: tensor<8x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{cannot lower 'yz.matmul' with dynamic shape 'tensor<?x4xf32>': give static input shapes}}
  %0 = yz.matmul %a, %b : tensor<?x8xf32>, tensor<8x4xf32>
  return %0 : tensor<?x4xf32>
}
