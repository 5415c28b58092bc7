// A model whose op does not verify.
func.func @f(%a: tensor<2x8xf32>, %b: tensor<7x4xf32>) -> tensor<2x4xf32> {
  %0 = yz.matmul %a, %b : tensor<2x8xf32>, tensor<7x4xf32>
  return %0 : tensor<2x4xf32>
}
