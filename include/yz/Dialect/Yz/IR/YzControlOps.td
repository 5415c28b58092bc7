//===- YzControlOps.td - loops ------------------------------*- tablegen -*-===//
//
// Part of Yizhuang. A counted loop over yz ops, for recurrences (ONNX RNN,
// GRU, LSTM): its body is yz ops, lowered with the rest, so each step's
// matmuls take the same CPU or NPU path as any other.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZCONTROLOPS_TD
#define YZ_DIALECT_YZ_IR_YZCONTROLOPS_TD

include "yz/Dialect/Yz/IR/YzBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Yz_LoopOp : Yz_Op<"loop", [RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"YieldOp">, InferTypeOpAdaptor]> {
  let summary = "Runs its body `count` times, carrying tensors";
  let description = [{
    The body's arguments are the step (a rank-0 i64 tensor, 0 to count - 1)
    and the carried values, which start as `inits`; `yz.yield` gives the
    next ones, and the last are the results.

    ```mlir
    %sum = yz.loop 4 (%x) : tensor<2xf32> {
    ^bb0(%t: tensor<i64>, %acc: tensor<2xf32>):
      %next = yz.add %acc, %acc : tensor<2xf32>, tensor<2xf32>
      yz.yield %next : tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins I64Attr:$count, Variadic<Yz_Tensor>:$inits);
  let results = (outs Variadic<Yz_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $count ` ` `(` $inits `)` `:` type($inits) attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
}

def Yz_YieldOp : Yz_Op<"yield", [Pure, Terminator, ReturnLike,
                                 HasParent<"LoopOp">]> {
  let summary = "The carried values of the next step of a yz.loop";
  let arguments = (ins Variadic<Yz_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ /* for the implicit terminator */ }]>];
}

#endif // YZ_DIALECT_YZ_IR_YZCONTROLOPS_TD
