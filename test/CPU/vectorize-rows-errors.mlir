// RUN: yz-opt %s --yz-tile-and-vectorize -verify-diagnostics
// RUN: not yz-opt %s --yz-tile-and-vectorize="cpu=bogus=1" 2>&1 | FileCheck %s --check-prefix=BADCPU
// BADCPU: error: yz-tile-and-vectorize: bad cpu option: unknown CPU key 'bogus'

// An op marked yz.row_vector that the linalg vectorizer cannot take (a
// gather: a tensor.extract at computed indices of a 2-D tensor) is an
// error naming it, not loops left behind silently.
func.func @gather_marked(%x: tensor<4x6xf32>, %idx: tensor<4x8xindex>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-error@+1 {{yz-tile-and-vectorize: cannot vectorize these rows}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"], yz.row_vector = 8 : i64} ins(%idx : tensor<4x8xindex>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%i: index, %out: f32):
    %r = linalg.index 0 : index
    %v = tensor.extract %x[%i, %r] : tensor<4x6xf32>
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %g : tensor<4x8xf32>
}
