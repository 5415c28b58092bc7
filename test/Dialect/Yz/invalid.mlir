// RUN: yz-opt %s -split-input-file -verify-diagnostics

func.func @matmul_rank(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{yz.matmul operands must have rank >= 2, got 'tensor<8xf32>' and 'tensor<8x4xf32>'}}
  %0 = yz.matmul %a, %b : tensor<8xf32>, tensor<8x4xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<2x8xf32>, %b: tensor<8x4xf16>) {
  // expected-error @+1 {{yz.matmul operands must have the same element type, got 'f32' and 'f16'}}
  %0 = yz.matmul %a, %b : tensor<2x8xf32>, tensor<8x4xf16>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x8xf32>, %b: tensor<7x4xf32>) {
  // expected-error @+1 {{yz.matmul contraction dimensions differ: lhs has K = 8, rhs has K = 7}}
  %0 = yz.matmul %a, %b : tensor<2x8xf32>, tensor<7x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<3x2x8xf32>, %b: tensor<5x8x4xf32>) {
  // expected-error @+1 {{yz.matmul batch dimensions do not broadcast: dimension 0 of the result: 3 vs 5}}
  %0 = yz.matmul %a, %b : tensor<3x2x8xf32>, tensor<5x8x4xf32>
  return
}

// -----

func.func @add_element_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{yz.add operands must have the same element type, got 'f32' and 'i32'}}
  %0 = yz.add %a, %b : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

func.func @sub_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{yz.sub operand shapes 'tensor<2x3xf32>' and 'tensor<4x3xf32>' do not broadcast: dimension 0 of the result: 2 vs 4}}
  %0 = yz.sub %a, %b : tensor<2x3xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @mul_broadcast(%a: tensor<5x3xi8>, %b: tensor<2xi8>) {
  // expected-error @+1 {{yz.mul operand shapes 'tensor<5x3xi8>' and 'tensor<2xi8>' do not broadcast: dimension 1 of the result: 3 vs 2}}
  %0 = yz.mul %a, %b : tensor<5x3xi8>, tensor<2xi8>
  return
}

// -----

// A result type that disagrees with inference (only writable in generic form).
func.func @wrong_result(%a: tensor<4xf32>) {
  // expected-error @+2 {{'yz.add' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<8xf32>'}}
  // expected-error @+1 {{'yz.add' op failed to infer returned types}}
  %0 = "yz.add"(%a, %a) : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @relu_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'yz.relu' op requires the same type for all operands and results}}
  %0 = "yz.relu"(%a) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'yz.relu' op operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = "yz.relu"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @constant_not_tensor() {
  // expected-error @+1 {{'yz.constant' op result #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'vector<4xf32>'}}
  %0 = yz.constant dense<1.0> : vector<4xf32>
  return
}
