// RUN: yz-opt %s --yz-casts-without-rtz | FileCheck %s
// The rewritten casts give the same results as fptosi; the e2e Cast tests
// (test/e2e/onnx-ops.test) run them under qemu against numpy.

// fptosi to i32: llrint, then one step toward zero where rounding went past
// the value, then truncated to 32 bits.
// CHECK-LABEL: llvm.func @to_i32
// CHECK: %[[R:.*]] = llvm.intr.llrint(%arg0) : (f32) -> i64
// CHECK: %[[FR:.*]] = llvm.sitofp %[[R]] : i64 to f32
// CHECK: %[[ZERO:.*]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// CHECK: %[[POS:.*]] = llvm.fcmp "ogt" %arg0, %[[ZERO]] : f32
// CHECK: %[[ABOVE:.*]] = llvm.fcmp "ogt" %[[FR]], %arg0 : f32
// CHECK: %[[DOWN:.*]] = llvm.and %[[POS]], %[[ABOVE]] : i1
// CHECK: %[[NEG:.*]] = llvm.fcmp "olt" %arg0, %[[ZERO]] : f32
// CHECK: %[[BELOW:.*]] = llvm.fcmp "olt" %[[FR]], %arg0 : f32
// CHECK: %[[UP:.*]] = llvm.and %[[NEG]], %[[BELOW]] : i1
// CHECK: %[[D:.*]] = llvm.zext %[[DOWN]] : i1 to i64
// CHECK: %[[S:.*]] = llvm.sub %[[R]], %[[D]] : i64
// CHECK: %[[U:.*]] = llvm.zext %[[UP]] : i1 to i64
// CHECK: %[[T:.*]] = llvm.add %[[S]], %[[U]] : i64
// CHECK: %[[I:.*]] = llvm.trunc %[[T]] : i64 to i32
// CHECK: llvm.return %[[I]]
// CHECK-NOT: llvm.fptosi
llvm.func @to_i32(%x: f32) -> i32 {
  %0 = llvm.fptosi %x : f32 to i32
  llvm.return %0 : i32
}

// Vectors (what LLVM would otherwise vectorize into vfcvt.rtz) and f64 to
// i64 (no truncation); fptoui below 64 bits too.
// CHECK-LABEL: llvm.func @vectors
// CHECK: llvm.intr.llrint(%arg0) : (vector<4xf32>) -> vector<4xi64>
// CHECK: llvm.mlir.constant(dense<0.000000e+00> : vector<4xf32>) : vector<4xf32>
// CHECK: llvm.trunc {{.*}} : vector<4xi64> to vector<4xi8>
// CHECK: llvm.intr.llrint(%arg1) : (f64) -> i64
// CHECK-NOT: llvm.trunc
// CHECK: llvm.return
llvm.func @vectors(%v: vector<4xf32>, %d: f64) -> !llvm.struct<(vector<4xi8>, i64)> {
  %0 = llvm.fptoui %v : vector<4xf32> to vector<4xi8>
  %1 = llvm.fptosi %d : f64 to i64
  %u = llvm.mlir.poison : !llvm.struct<(vector<4xi8>, i64)>
  %2 = llvm.insertvalue %0, %u[0] : !llvm.struct<(vector<4xi8>, i64)>
  %3 = llvm.insertvalue %1, %2[1] : !llvm.struct<(vector<4xi8>, i64)>
  llvm.return %3 : !llvm.struct<(vector<4xi8>, i64)>
}

// Left alone: unsigned 64-bit results (past i64's range) and half floats.
// CHECK-LABEL: llvm.func @kept
// CHECK: llvm.fptoui %arg0 : f32 to i64
// CHECK: llvm.fptosi %arg1 : f16 to i32
llvm.func @kept(%x: f32, %h: f16) -> i64 {
  %0 = llvm.fptoui %x : f32 to i64
  %1 = llvm.fptosi %h : f16 to i32
  %2 = llvm.sext %1 : i32 to i64
  %3 = llvm.add %0, %2 : i64
  llvm.return %3 : i64
}

// A value known to be whole (int8 quantization: round(x / s) + zp, clamped
// to [-128, 127]) needs only the rounding: lrint is the cast, at f32's
// width (one vfcvt.x.f.v, not a widening to i64).
// CHECK-LABEL: llvm.func @quantize
// CHECK: %[[C:.*]] = llvm.intr.minimum
// CHECK-NEXT: %[[R:.*]] = llvm.intr.lrint(%[[C]]) : (vector<4xf32>) -> vector<4xi32>
// CHECK-NEXT: %[[I:.*]] = llvm.trunc %[[R]] : vector<4xi32> to vector<4xi8>
// CHECK-NEXT: llvm.return %[[I]]
llvm.func @quantize(%x: vector<4xf32>, %s: vector<4xf32>) -> vector<4xi8> {
  %lo = llvm.mlir.constant(dense<-1.280000e+02> : vector<4xf32>) : vector<4xf32>
  %hi = llvm.mlir.constant(dense<1.270000e+02> : vector<4xf32>) : vector<4xf32>
  %zp = llvm.mlir.constant(dense<3.000000e+00> : vector<4xf32>) : vector<4xf32>
  %0 = llvm.fdiv %x, %s : vector<4xf32>
  %1 = llvm.intr.roundeven(%0) : (vector<4xf32>) -> vector<4xf32>
  %2 = llvm.fadd %1, %zp : vector<4xf32>
  %3 = llvm.intr.maximum(%2, %lo) : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  %4 = llvm.intr.minimum(%3, %hi) : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  %5 = llvm.fptosi %4 : vector<4xf32> to vector<4xi8>
  llvm.return %5 : vector<4xi8>
}

// A zero point of 0.5 is no whole number: the step toward zero stays.
// CHECK-LABEL: llvm.func @half_zero_point
// CHECK: llvm.intr.llrint
// CHECK: llvm.fcmp "ogt"
llvm.func @half_zero_point(%x: f32) -> i32 {
  %zp = llvm.mlir.constant(5.000000e-01 : f32) : f32
  %0 = llvm.intr.roundeven(%x) : (f32) -> f32
  %1 = llvm.fadd %0, %zp : f32
  %2 = llvm.fptosi %1 : f32 to i32
  llvm.return %2 : i32
}
