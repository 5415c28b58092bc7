// Without strided vector loads (x86), a vector read at a stride of 2 (a
// stride-2 depthwise stencil's window row) becomes a masked read of twice
// the elements at stride 1, deinterleaved: its even lanes. Lane k of the
// wide read is valid where lane k / 2 of the original was, but for the
// last odd one, which would read past the row: 2n - 1 lanes for n.
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512" --canonicalize | FileCheck %s
// With strided loads (RVV's vlse32.v) the reads are left as they are.
// RUN: yz-opt %s --yz-optimize-vectors="cpu=vector-bits=512,strided-vectors=1" --canonicalize | FileCheck %s --check-prefix=STRIDED

// CHECK-LABEL: func.func @row
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [4, 15], strides: [20, 1]
// CHECK: %[[MASK:.*]] = vector.constant_mask [15] : vector<16xi1>
// CHECK: %[[WIDE:.*]] = vector.maskedload %[[VIEW]][%arg1, %c0], %[[MASK]], %{{.*}} : memref<4x15xf32, strided<[20, 1]>>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: %[[EVEN:.*]], %{{.*}} = vector.deinterleave %[[WIDE]] : vector<16xf32> -> vector<8xf32>
// CHECK: return %[[EVEN]]
// STRIDED-LABEL: func.func @row
// STRIDED-NOT: vector.deinterleave
func.func @row(%m: memref<4x8xf32, strided<[20, 2]>>, %i: index) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %p = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%i, %c0], %p {in_bounds = [true]} : memref<4x8xf32, strided<[20, 2]>>, vector<8xf32>
  return %v : vector<8xf32>
}

// A row's masked last vector, of a dynamic size: the wide read's mask
// counts 2n - 1 lanes, its view's row 2W - 1 elements.
// CHECK-LABEL: func.func @tail
// CHECK: %[[N2:.*]] = arith.muli %arg2, %c2
// CHECK: %[[N:.*]] = arith.subi %[[N2]], %c1
// CHECK: %{{.*}}, %{{.*}}, %[[W:.*]], %{{.*}} = memref.extract_strided_metadata %arg0
// CHECK: %[[W2:.*]] = arith.muli %[[W]], %c2
// CHECK: %[[ROW:.*]] = arith.subi %[[W2]], %c1
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %arg0 to offset: [%{{.*}}], sizes: [%[[ROW]]], strides: [1]
// CHECK: %[[I:.*]] = arith.muli %arg1, %c2
// CHECK: %[[MASK:.*]] = vector.create_mask %[[N]] : vector<32xi1>
// CHECK: %[[WIDE:.*]] = vector.maskedload %[[VIEW]][%[[I]]], %[[MASK]]
// CHECK: vector.deinterleave %[[WIDE]] : vector<32xf32> -> vector<16xf32>
func.func @tail(%m: memref<?xf32, strided<[2], offset: ?>>, %i: index, %n: index) -> vector<16xf32> {
  %p = arith.constant 0.0 : f32
  %mask = vector.create_mask %n : vector<16xi1>
  %v = vector.transfer_read %m[%i], %p, %mask {in_bounds = [true]} : memref<?xf32, strided<[2], offset: ?>>, vector<16xf32>
  return %v : vector<16xf32>
}

// A row shorter than the vector (14 of 16 lanes): canonicalization has
// folded its create_mask into a constant, a vector.constant_mask or a
// dense i1 constant. Both read 27 lanes of a row of 27, deinterleaved.
// CHECK-LABEL: func.func @short_row
// CHECK: %[[MASK:.*]] = vector.constant_mask [27] : vector<32xi1>
// CHECK: %[[WIDE:.*]] = vector.maskedload %{{.*}}, %[[MASK]]
// CHECK: vector.deinterleave %[[WIDE]] : vector<32xf32> -> vector<16xf32>
// CHECK: %[[MASK2:.*]] = vector.constant_mask [27] : vector<32xi1>
// CHECK: %[[WIDE2:.*]] = vector.maskedload %{{.*}}, %[[MASK2]]
// CHECK: vector.deinterleave %[[WIDE2]] : vector<32xf32> -> vector<16xf32>
// CHECK-NOT: vector.gather
func.func @short_row(%m: memref<14xf32, strided<[2], offset: ?>>, %i: index) -> (vector<16xf32>, vector<16xf32>) {
  %p = arith.constant 0.0 : f32
  %mask = vector.constant_mask [14] : vector<16xi1>
  %v = vector.transfer_read %m[%i], %p, %mask {in_bounds = [true]} : memref<14xf32, strided<[2], offset: ?>>, vector<16xf32>
  %dense = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, true, true, false, false]> : vector<16xi1>
  %w = vector.transfer_read %m[%i], %p, %dense {in_bounds = [true]} : memref<14xf32, strided<[2], offset: ?>>, vector<16xf32>
  return %v, %w : vector<16xf32>, vector<16xf32>
}

// A mask that is not a leading run of lanes is left alone (its odd lanes
// would not follow from it).
// CHECK-LABEL: func.func @holes
// CHECK-NOT: vector.deinterleave
func.func @holes(%m: memref<4xf32, strided<[2], offset: ?>>, %i: index) -> vector<4xf32> {
  %p = arith.constant 0.0 : f32
  %mask = arith.constant dense<[true, false, true, false]> : vector<4xi1>
  %v = vector.transfer_read %m[%i], %p, %mask {in_bounds = [true]} : memref<4xf32, strided<[2], offset: ?>>, vector<4xf32>
  return %v : vector<4xf32>
}
