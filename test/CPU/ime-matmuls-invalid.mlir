// yz-ime-matmuls refuses what yz-pack-matmuls would not have produced.
// RUN: yz-opt %s --split-input-file --yz-ime-matmuls -verify-diagnostics

func.func @tensors(%a: tensor<1x1x4x8xi8>, %b: tensor<1x1x4x8xi8>, %c: tensor<1x1x4x4xi32>) -> tensor<1x1x4x4xi32> {
  // expected-error @+1 {{yz-ime-matmuls: runs after bufferization}}
  %r = linalg.mmt4d {yz.ime_tile = array<i64: 1, 1>} ins(%a, %b : tensor<1x1x4x8xi8>, tensor<1x1x4x8xi8>) outs(%c : tensor<1x1x4x4xi32>) -> tensor<1x1x4x4xi32>
  return %r : tensor<1x1x4x4xi32>
}

// -----

func.func @shape(%a: memref<1x1x8x8xi8>, %b: memref<1x1x4x8xi8>, %c: memref<1x1x8x4xi32>) {
  // expected-error @+1 {{yz-ime-matmuls: block shapes do not match yz.ime_tile}}
  linalg.mmt4d {yz.ime_tile = array<i64: 1, 1>} ins(%a, %b : memref<1x1x8x8xi8>, memref<1x1x4x8xi8>) outs(%c : memref<1x1x8x4xi32>)
  return
}

// -----

func.func @k(%a: memref<1x1x4x4xi8>, %b: memref<1x1x4x4xi8>, %c: memref<1x1x4x4xi32>) {
  // expected-error @+1 {{yz-ime-matmuls: an operand is not a packed, contiguous block of 8-wide IME tiles}}
  linalg.mmt4d {yz.ime_tile = array<i64: 1, 1>} ins(%a, %b : memref<1x1x4x4xi8>, memref<1x1x4x4xi8>) outs(%c : memref<1x1x4x4xi32>)
  return
}
