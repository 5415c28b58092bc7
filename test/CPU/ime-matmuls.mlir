// int8 matmuls on SpacemiT's IME (ime=1 in the CPU description, as yzc
// derives it from xsmtvdot): yz-pack-matmuls packs them into blocks of
// 4 x 8 tiles, R x C per block (chooseImeTile), as a linalg.mmt4d marked
// yz.ime_tile; yz-ime-matmuls lowers it on buffers to loops around one
// inline assembly block per step of K.
// RUN: yz-opt %s --split-input-file --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,ime=1" | FileCheck %s --check-prefix=PACK
// Without ime, int8 matmuls are left as they are.
// RUN: yz-opt %s --split-input-file --yz-pack-matmuls | FileCheck %s --check-prefix=NOIME
// RUN: yz-opt %s --split-input-file --yz-pack-matmuls="cpu=vector-bits=256,vector-registers=32,ime=1" --yz-tile-and-vectorize --canonicalize --one-shot-bufferize="bufferize-function-boundaries" --yz-ime-matmuls | FileCheck %s --check-prefix=LOWER
// RUN: not yz-opt %s --split-input-file --yz-pack-matmuls="cpu=ime=1,vector-bits=512,vector-registers=32" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=VLEN
// VLEN: error: yz-pack-matmuls: ime=1 needs vector-bits=256 and 32 vector registers (the X60's IME tiles)

// 40 x 100 x 30: R = 4, C = 3 (16 x 8 LHS and 12 x 8 RHS blocks), every
// dimension padded with zeros.
// PACK-LABEL: func.func @mm
// PACK: linalg.pack %arg0 padding_value(%{{.*}} : i8) outer_dims_perm = [0, 1] inner_dims_pos = [0, 1] inner_tiles = [16, 8] {{.*}} -> tensor<3x13x16x8xi8>
// PACK: linalg.pack %arg1 padding_value(%{{.*}} : i8) outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [12, 8] {{.*}} -> tensor<3x13x12x8xi8>
// PACK: linalg.mmt4d {yz.ime_tile = array<i64: 4, 3>} ins({{.*}} : tensor<3x13x16x8xi8>, tensor<3x13x12x8xi8>) outs({{.*}} : tensor<3x3x16x12xi32>)
// PACK: linalg.unpack {{.*}} inner_tiles = [16, 12] {{.*}} -> tensor<40x30xi32>
// NOIME-LABEL: func.func @mm
// NOIME: linalg.matmul ins(%arg0, %arg1 : tensor<40x100xi8>, tensor<100x30xi8>)
// LOWER-LABEL: func.func @mm
// LOWER: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0{{.*}}) to (%c1{{.*}}, %c3{{.*}}, %c3{{.*}})
// The result was a zero fill: the accumulators start at zero instead.
// LOWER-NOT: linalg.fill
// LOWER-NOT: vector.load
// LOWER: %[[ZERO:.*]] = arith.constant dense<0> : vector<[4]xi32>
// LOWER: scf.for {{.*}} iter_args({{.*}} = %[[ZERO]], {{.*}} = %[[ZERO]],
// LOWER-SAME: -> (vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>, vector<[4]xi32>)
// LOWER: llvm.inline_asm has_side_effects "vsetvli zero, $14, e8, m4, ta, ma\0Avle8.v v24, ($12)\0Avsetvli zero, $15, e8, m4, ta, ma\0Avle8.v v28, ($13)\0Avsetvli zero, $14, e8, m1, ta, ma\0Asmt.vmadot v0, v24, v28\0Asmt.vmadot v2, v24, v29\0Asmt.vmadot v4, v24, v30\0Asmt.vmadot v6, v25, v28
// LOWER-SAME: smt.vmadot v22, v27, v30", "={v0},={v2},={v4},={v6},={v8},={v10},={v12},={v14},={v16},={v18},={v20},={v22},r,r,r,r,0,1,2,3,4,5,6,7,8,9,10,11,~{v24},~{v25},~{v26},~{v27},~{v28},~{v29},~{v30},~{v31},~{memory}"
// LOWER-COUNT-48: vector.store {{.*}} : memref<3x3x16x12xi32>, vector<4xi32>
func.func @mm(%a: tensor<40x100xi8>, %b: tensor<100x30xi8>) -> tensor<40x30xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<40x30xi32>
  %z = linalg.fill ins(%c0 : i32) outs(%e : tensor<40x30xi32>) -> tensor<40x30xi32>
  %r = linalg.matmul ins(%a, %b : tensor<40x100xi8>, tensor<100x30xi8>) outs(%z : tensor<40x30xi32>) -> tensor<40x30xi32>
  return %r : tensor<40x30xi32>
}

// -----

// One row by one column: R = C = 1, one smt.vmadot per step of K, LMUL 1
// loads of 32 bytes; a batch is one more loop. Accumulating into a given
// tensor, the tile is read first (row by row) and written back.
// PACK-LABEL: func.func @bmm
// PACK: linalg.batch_mmt4d {yz.ime_tile = array<i64: 1, 1>} ins({{.*}} : tensor<2x1x2x4x8xi8>, tensor<2x1x2x4x8xi8>) outs({{.*}} : tensor<2x1x1x4x4xi32>)
// LOWER-LABEL: func.func @bmm
// LOWER-COUNT-4: vector.load {{.*}} : memref<2x1x1x4x4xi32>, vector<4xi32>
// LOWER: vector.scalable.insert
// LOWER: llvm.inline_asm has_side_effects "vsetvli zero, $3, e8, m1, ta, ma\0Avle8.v v24, ($1)\0Avle8.v v28, ($2)\0Asmt.vmadot v0, v24, v28", "={v0},r,r,r,r,0,~{v24}
func.func @bmm(%a: tensor<2x1x9xi8>, %b: tensor<2x9x1xi8>, %z: tensor<2x1x1xi32>) -> tensor<2x1x1xi32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x1x9xi8>, tensor<2x9x1xi8>) outs(%z : tensor<2x1x1xi32>) -> tensor<2x1x1xi32>
  return %r : tensor<2x1x1xi32>
}

// -----

// A matmul that widens other than by sign extension is not an IME one.
// PACK-LABEL: func.func @unsigned
// PACK: linalg.matmul {cast = #linalg.type_fn<cast_unsigned>}
func.func @unsigned(%a: tensor<8x8xi8>, %b: tensor<8x8xi8>, %c: tensor<8x8xi32>) -> tensor<8x8xi32> {
  %r = linalg.matmul {cast = #linalg.type_fn<cast_unsigned>} ins(%a, %b : tensor<8x8xi8>, tensor<8x8xi8>) outs(%c : tensor<8x8xi32>) -> tensor<8x8xi32>
  return %r : tensor<8x8xi32>
}
