// A model with a syntax error.
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yz.add %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
