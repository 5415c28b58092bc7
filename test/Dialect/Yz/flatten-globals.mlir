// RUN: yz-opt %s --yz-flatten-globals | FileCheck %s

// N-D constant globals become 1-D; readers see the N-D shape through an
// expand_shape view. 1-D globals and uninitialized ones stay as they are.
// CHECK: memref.global "private" constant @w : memref<24xf32> = dense_resource<blob>
// CHECK: memref.global "private" constant @s : memref<6xi32> = dense<[1, 2, 3, 4, 5, 6]>
// CHECK: memref.global "private" constant @v : memref<4xf32> = dense<1.000000e+00>
// CHECK: memref.global "private" @u : memref<2x2xf32> = uninitialized
memref.global "private" constant @w : memref<2x3x4xf32> = dense_resource<blob>
memref.global "private" constant @s : memref<2x3xi32> = dense<[[1, 2, 3], [4, 5, 6]]>
memref.global "private" constant @v : memref<4xf32> = dense<1.0>
memref.global "private" @u : memref<2x2xf32> = uninitialized

// CHECK-LABEL: func @read
// CHECK: %[[W:.*]] = memref.get_global @w : memref<24xf32>
// CHECK: %[[WV:.*]] = memref.expand_shape %[[W]] {{\[\[}}0, 1, 2]] output_shape [2, 3, 4] : memref<24xf32> into memref<2x3x4xf32>
// CHECK: memref.get_global @v : memref<4xf32>
// CHECK: memref.get_global @u : memref<2x2xf32>
// CHECK: return %[[WV]]
func.func @read() -> (memref<2x3x4xf32>, memref<4xf32>, memref<2x2xf32>) {
  %0 = memref.get_global @w : memref<2x3x4xf32>
  %1 = memref.get_global @v : memref<4xf32>
  %2 = memref.get_global @u : memref<2x2xf32>
  return %0, %1, %2 : memref<2x3x4xf32>, memref<4xf32>, memref<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f0000803f"
    }
  }
#-}
