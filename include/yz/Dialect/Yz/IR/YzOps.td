//===- YzOps.td - yz op definitions ------------------------*- tablegen -*-===//
//
// Part of Yizhuang. Tensor ops of the yz dialect.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZOPS_TD
#define YZ_DIALECT_YZ_IR_YZOPS_TD

include "yz/Dialect/Yz/IR/YzDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Element types the yz ops compute on.
def Yz_Element : AnyTypeOf<[AnyFloat, AnySignlessInteger]>;
def Yz_Tensor : RankedTensorOf<[Yz_Element]>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Yz_ConstantOp : Yz_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "A constant tensor (weights are dense resources)";
  let description = [{
    Holds a constant tensor. Model weights use `dense_resource<...>` so that
    large blobs never go through text; small constants may be `dense<...>`.

    ```mlir
    %w = yz.constant dense_resource<fc1_weight> : tensor<8x16xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Yz_MatmulOp : Yz_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Matrix multiplication, 2-D or batched with broadcasting";
  let description = [{
    `lhs` is `[..., M, K]`, `rhs` is `[..., K, N]`; the batch dimensions
    broadcast as in numpy.matmul and the result is `[..., M, N]`. Float
    operands produce their own type; i8 operands accumulate into i32.

    ```mlir
    %y = yz.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Yz_BroadcastBinaryOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = desc # " with numpy broadcasting";
  let description = [{
    Both operands have the same element type; their shapes broadcast as in
    numpy (aligned at the right, a dimension of size 1 stretches).
  }];
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Yz_AddOp : Yz_BroadcastBinaryOp<"add", "Elementwise addition">;
def Yz_SubOp : Yz_BroadcastBinaryOp<"sub", "Elementwise subtraction">;
def Yz_MulOp : Yz_BroadcastBinaryOp<"mul", "Elementwise multiplication">;

def Yz_ReluOp : Yz_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "Rectified linear unit, max(x, 0)";
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

#endif // YZ_DIALECT_YZ_IR_YZOPS_TD
