// Functions that are, or are not, usable as a model entry.
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yz.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yz.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32>
func.func @c(%x: tensor<4xf32>) {
  return
}
func.func private @unused(%x: tensor<4xf32>)
func.func @dyn(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}
func.func @f8(%x: tensor<4xf8E4M3FN>) -> tensor<4xf8E4M3FN> {
  return %x : tensor<4xf8E4M3FN>
}
func.func @dup(%x: tensor<4xf32> {yz.name = "x"}) -> (tensor<4xf32> {yz.name = "x"}) {
  return %x : tensor<4xf32>
}
