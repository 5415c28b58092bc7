// RUN: yz-opt %s --split-input-file --yz-convs-to-npu -verify-diagnostics

// A convolution marked for the NPU that it cannot run is an error, not a
// silent CPU fallback (yz-place-on-npu never marks one).
func.func @grouped_on_npu(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x3x3xi8> {
  %w = yz.constant dense<1> : tensor<2x1x3x3xi8>
  // expected-error @+1 {{placed on the NPU, which cannot run it: depthwise convolution}}
  %y = yz.qconv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 2, input_zero_point = 0, multipliers = array<f32: 0.5>, output_zero_point = 0, clamp_min = -128, clamp_max = 127}> {yz.placement = "npu"} : tensor<1x2x3x3xi8>, tensor<2x1x3x3xi8>
  return %y : tensor<1x2x3x3xi8>
}

// -----

func.func @f32_clamp_on_npu(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = yz.constant dense<1.0> : tensor<2x2x1x1xf32>
  // expected-error @+1 {{placed on the NPU, which cannot run it: a clamp other than ReLU or ReLU6}}
  %y = yz.conv2d %x, %w <{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1, clamp_min = -1.0 : f32}> {yz.placement = "npu"} : tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>
  return %y : tensor<1x2x3x3xf32>
}
