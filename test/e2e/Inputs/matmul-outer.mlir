// A matmul with N = 1 feeding one with K = 1 (fuzz/random_models.py seed 758).
func.func @f(%x: tensor<8x8xf32>, %w: tensor<8x1xf32>, %v: tensor<1x4xf32>) -> tensor<8x4xf32> {
  %a = yz.matmul %x, %w : tensor<8x8xf32>, tensor<8x1xf32>
  %y = yz.matmul %a, %v : tensor<8x1xf32>, tensor<1x4xf32>
  return %y : tensor<8x4xf32>
}
