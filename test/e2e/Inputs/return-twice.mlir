// A model whose two outputs are the same tensor (as an ONNX graph with two
// identity reshapes of one value imports; fuzz/random_models.py seed 3665).
func.func @twice(%x: tensor<1x7xf32> {yz.name = "x"}) -> (tensor<1x7xf32> {yz.name = "a"}, tensor<1x7xf32> {yz.name = "b"}) {
  %y = yz.add %x, %x : tensor<1x7xf32>, tensor<1x7xf32>
  return %y, %y : tensor<1x7xf32>, tensor<1x7xf32>
}
