// Elementwise ops fuse into each other and into the reduction that consumes
// them (upstream linalg elementwise fusion, run by yzc after lowering): a
// residual block's tail, add + ReLU + global average, is one loop nest.
// RUN: yz-opt %s --convert-yz-to-linalg --canonicalize --linalg-fuse-elementwise-ops | FileCheck %s --check-prefix=FUSED
// LLVM's loop vectorizer then vectorizes that loop nest, the sum included:
// it may be reassociated, so it is a vector sum reduced once at the end
// (RVV vfredusum; packed maxps/addps on the host, whatever its vector
// width), not a scalar chain.
// RUN: yzc %s --npu=none --emit=asm -o - | FileCheck %s --check-prefix=RVV
// RUN: yzc %s --npu=none --target=host --emit=asm -o - | FileCheck %s --check-prefix=HOST

// FUSED-LABEL: func.func @tail
// FUSED: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// FUSED: arith.addf
// FUSED: arith.maximumf
// FUSED: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// FUSED: linalg.yield
// The mean's division by 28 * 28 is the only other loop nest.
// FUSED: linalg.generic
// FUSED: arith.divf
// FUSED-NOT: linalg.generic

// RVV-LABEL: tail_nest
// RVV: vfadd.vv
// RVV: vfmax.vv
// RVV: vfadd.vv
// RVV: vfredusum.vs

// HOST-LABEL: tail_nest
// HOST: {{v?}}maxps
// HOST: {{v?}}addps
func.func @tail(%a: tensor<1x64x28x28xf32>, %b: tensor<1x64x28x28xf32>) -> tensor<1x64x1x1xf32> {
  %0 = yz.add %a, %b : tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>
  %1 = yz.relu %0 : tensor<1x64x28x28xf32>
  %2 = yz.reduce_mean %1 <{axes = array<i64: 2, 3>, keepdims = true}> : tensor<1x64x28x28xf32>
  return %2 : tensor<1x64x1x1xf32>
}
