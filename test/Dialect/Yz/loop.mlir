// RUN: yz-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @loop
// CHECK: %[[R:.*]]:2 = yz.loop 4 (%arg0, %arg1) : tensor<2xf32>, tensor<4x2xf32> {
// CHECK: ^bb0(%[[T:.*]]: tensor<i64>, %[[H:.*]]: tensor<2xf32>, %[[Y:.*]]: tensor<4x2xf32>):
// CHECK: yz.yield %{{.*}}, %[[Y]] : tensor<2xf32>, tensor<4x2xf32>
func.func @loop(%h: tensor<2xf32>, %y: tensor<4x2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>) {
  %r:2 = yz.loop 4 (%h, %y) : tensor<2xf32>, tensor<4x2xf32> {
  ^bb0(%t: tensor<i64>, %a: tensor<2xf32>, %b: tensor<4x2xf32>):
    %n = yz.add %a, %a : tensor<2xf32>, tensor<2xf32>
    yz.yield %n, %b : tensor<2xf32>, tensor<4x2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<4x2xf32>
}

// -----

func.func @negative(%h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'yz.loop' op count must not be negative, got -1}}
  %r = yz.loop -1 (%h) : tensor<2xf32> {
  ^bb0(%t: tensor<i64>, %a: tensor<2xf32>):
    yz.yield %a : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @no_step(%h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'yz.loop' op the body takes the step (tensor<i64>) and one argument per carried value}}
  %r = yz.loop 2 (%h) : tensor<2xf32> {
  ^bb0(%a: tensor<2xf32>):
    yz.yield %a : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @arg_type(%h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'yz.loop' op body argument 1 must have the type of init 0, 'tensor<2xf32>'}}
  %r = yz.loop 2 (%h) : tensor<2xf32> {
  ^bb0(%t: tensor<i64>, %a: tensor<3xf32>):
    yz.yield %h : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @yield_type(%h: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'yz.loop' op yz.yield must give one value per carried value, of its type}}
  %r = yz.loop 2 (%h) : tensor<2xf32> {
  ^bb0(%t: tensor<i64>, %a: tensor<2xf32>):
    yz.yield
  }
  return %r : tensor<2xf32>
}
