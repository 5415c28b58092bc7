// RUN: yz-opt %s --yz-approximate-math | FileCheck %s
// The approximations' accuracy is checked end to end: the ONNX Exp, Log,
// Tanh, Erf and Sigmoid tests (test/e2e/onnx-ops.test, onnx-node-suite.test)
// compare against numpy on the host and under qemu.

// f32 scalars and vectors become arithmetic: no math call is left.
// CHECK-LABEL: func.func @scalar
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: arith.mulf
// CHECK: return
func.func @scalar(%x: f32) -> (f32, f32, f32) {
  %e = math.exp %x : f32
  %t = math.tanh %x : f32
  %r = math.erf %x : f32
  return %e, %t, %r : f32, f32, f32
}

// CHECK-LABEL: func.func @vector
// CHECK-NOT: math.exp
// CHECK: arith.mulf {{.*}} : vector<8xf32>
// CHECK: return
func.func @vector(%x: vector<8xf32>) -> vector<8xf32> {
  %e = math.exp %x : vector<8xf32>
  return %e : vector<8xf32>
}

// log: subnormal inputs are scaled by 2^23 before the approximation and
// 23 ln 2 is taken off after.
// CHECK-LABEL: func.func @log
// CHECK-DAG: %[[MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 0x4B000000 : f32
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 15.9423847 : f32
// CHECK: %[[SUB:.*]] = arith.cmpf olt, %arg0, %[[MIN]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %arg0, %[[SCALE]] : f32
// CHECK: %[[IN:.*]] = arith.select %[[SUB]], %[[SCALED]], %arg0 : f32
// CHECK-NOT: math.log
// CHECK: %[[LESS:.*]] = arith.subf %[[LOG:.*]], %[[SHIFT]] : f32
// CHECK: %[[R:.*]] = arith.select %[[SUB]], %[[LESS]], %[[LOG]] : f32
// CHECK: return %[[R]]
func.func @log(%x: f32) -> f32 {
  %l = math.log %x : f32
  return %l : f32
}

// Other element types and other functions stay libm's.
// CHECK-LABEL: func.func @kept
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.exp %{{.*}} : f16
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.log1p %{{.*}} : f32
func.func @kept(%d: f64, %h: f16, %x: f32) -> (f64, f16, f32, f32) {
  %a = math.exp %d : f64
  %b = math.exp %h : f16
  %c = math.sin %x : f32
  %e = math.log1p %x : f32
  return %a, %b, %c, %e : f64, f16, f32, f32
}

// yz.sigmoid's body, fma(tanh(x * 0.5), 0.5, 0.5), becomes one rational
// function of x, clamped to twice tanh's bound: no half, no small-input
// select.
// CHECK-LABEL: func.func @sigmoid
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<15.9976234> : vector<16xf32>
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<-15.9976234> : vector<16xf32>
// CHECK-DAG: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK: %[[A:.*]] = arith.cmpf ule, %arg0, %[[HI]]
// CHECK: %[[X1:.*]] = arith.select %[[A]], %arg0, %[[HI]]
// CHECK: %[[B:.*]] = arith.cmpf uge, %[[X1]], %[[LO]]
// CHECK: %[[X:.*]] = arith.select %[[B]], %[[X1]], %[[LO]]
// CHECK: %[[S:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK-COUNT-9: math.fma %{{.*}}, %[[S]], %{{.*}} : vector<16xf32>
// CHECK: %[[XP:.*]] = arith.mulf %[[X]], %{{.*}}
// CHECK: %[[R:.*]] = arith.divf %[[XP]], %{{.*}}
// CHECK: %[[Y:.*]] = arith.addf %[[R]], %[[HALF]]
// CHECK-NOT: arith.select
// CHECK: return %[[Y]]
func.func @sigmoid(%x: vector<16xf32>) -> vector<16xf32> {
  %h = arith.constant dense<0.5> : vector<16xf32>
  %y = arith.mulf %x, %h : vector<16xf32>
  %t = math.tanh %y : vector<16xf32>
  %s = math.fma %t, %h, %h : vector<16xf32>
  return %s : vector<16xf32>
}

// A tanh read by anything else keeps upstream's approximation.
// CHECK-LABEL: func.func @tanh_kept
// CHECK: math.absf
// CHECK: arith.select
func.func @tanh_kept(%x: f32) -> (f32, f32) {
  %h = arith.constant 0.5 : f32
  %y = arith.mulf %x, %h : f32
  %t = math.tanh %y : f32
  %s = math.fma %t, %h, %h : f32
  return %s, %t : f32, f32
}

// The half on either side of the product.
// CHECK-LABEL: func.func @sigmoid_half_first
// CHECK: arith.cmpf ule, %arg0,
// CHECK-NOT: math.absf
// CHECK: arith.divf
// CHECK-NOT: math.tanh
func.func @sigmoid_half_first(%x: f32) -> f32 {
  %h = arith.constant 0.5 : f32
  %y = arith.mulf %h, %x : f32
  %t = math.tanh %y : f32
  %s = math.fma %t, %h, %h : f32
  return %s : f32
}
