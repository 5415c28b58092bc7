// RUN: yzc %s --emit=llvm --target=riscv64 -O0 --model-name=tiny | FileCheck %s

// The entry is hidden behind the runtime ABI: an internal implementation,
// a void(void**) invoke wrapper, and a yz_model descriptor.
// CHECK: target triple = "riscv64-unknown-linux-gnu"
// CHECK-DAG: @yz.tiny.name = private unnamed_addr constant [5 x i8] c"tiny\00"
// CHECK-DAG: @yz.tiny.a.shape = private unnamed_addr constant [2 x i64] [i64 2, i64 3]
// CHECK-DAG: @yz.tiny.b.shape = private unnamed_addr constant [1 x i64] [i64 3]
// CHECK-DAG: @yz.tiny.output0.shape = private unnamed_addr constant [2 x i64] [i64 2, i64 3]
// i8 is yz_dtype 5, f32 is 1.
// CHECK-DAG: @yz.tiny.inputs = private unnamed_addr constant [3 x { ptr, i32, i32, ptr }] [{ ptr, i32, i32, ptr } { ptr @yz.tiny.a.name, i32 1, i32 2, ptr @yz.tiny.a.shape }, { ptr, i32, i32, ptr } { ptr @yz.tiny.b.name, i32 1, i32 1, ptr @yz.tiny.b.shape }, { ptr, i32, i32, ptr } { ptr @yz.tiny.input2.name, i32 5, i32 1, ptr @yz.tiny.input2.shape }]
// CHECK-DAG: @yz.tiny.outputs = private unnamed_addr constant [2 x { ptr, i32, i32, ptr }] [{ ptr, i32, i32, ptr } { ptr @yz.tiny.output0.name, i32 1, i32 2, ptr @yz.tiny.output0.shape }, { ptr, i32, i32, ptr } { ptr @yz.tiny.q.name, i32 5, i32 1, ptr @yz.tiny.q.shape }]
// CHECK-DAG: @yz_model_tiny = {{.*}}constant { i32, ptr, i32, i32, ptr, ptr, ptr } { i32 1, ptr @yz.tiny.name, i32 3, i32 2, ptr @yz.tiny.inputs, ptr @yz.tiny.outputs, ptr @yz_invoke_tiny }

// CHECK-LABEL: define internal void @yz_impl_tiny(ptr %0, ptr %1, ptr %2, ptr %3, ptr %4)
// CHECK-LABEL: define void @yz_invoke_tiny(ptr %0)
// CHECK: %[[G0:.*]] = getelementptr inbounds ptr, ptr %0, i64 0
// CHECK: %[[P0:.*]] = load ptr, ptr %[[G0]]
// CHECK: %[[G1:.*]] = getelementptr inbounds ptr, ptr %0, i64 1
// CHECK: %[[P1:.*]] = load ptr, ptr %[[G1]]
// CHECK: %[[G2:.*]] = getelementptr inbounds ptr, ptr %0, i64 2
// CHECK: %[[P2:.*]] = load ptr, ptr %[[G2]]
// CHECK: %[[G3:.*]] = getelementptr inbounds ptr, ptr %0, i64 3
// CHECK: %[[P3:.*]] = load ptr, ptr %[[G3]]
// CHECK: %[[G4:.*]] = getelementptr inbounds ptr, ptr %0, i64 4
// CHECK: %[[P4:.*]] = load ptr, ptr %[[G4]]
// CHECK: call void @yz_impl_tiny(ptr %[[P0]], ptr %[[P1]], ptr %[[P2]], ptr %[[P3]], ptr %[[P4]])
// CHECK: !{i32 1, !"target-abi", !"lp64d"}
func.func @main(%a: tensor<2x3xf32> {yz.name = "a"}, %b: tensor<3xf32> {yz.name = "b"},
                %c: tensor<4xi8>)
    -> (tensor<2x3xf32>, tensor<4xi8> {yz.name = "q"}) {
  %0 = yz.add %a, %b : tensor<2x3xf32>, tensor<3xf32>
  %1 = yz.relu %c : tensor<4xi8>
  return %0, %1 : tensor<2x3xf32>, tensor<4xi8>
}
