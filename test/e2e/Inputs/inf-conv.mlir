// A convolution whose input is 1 / x: a calibration sample of zeros makes
// it infinite (quantize.test).
func.func @inf(%x: tensor<1x1x2x2xf32> {yz.name = "x"}) -> (tensor<1x1x2x2xf32> {yz.name = "y"}) {
  %r = yz.reciprocal %x : tensor<1x1x2x2xf32>
  %w = yz.constant dense<1.0> : tensor<1x1x1x1xf32>
  %y = yz.conv2d %r, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1}> : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %y : tensor<1x1x2x2xf32>
}
