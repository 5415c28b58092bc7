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

    The optional epilogue (`yz-fuse-bias-activation` builds it) adds `bias`,
    which broadcasts to the result, then clamps to [`clamp_min`,
    `clamp_max`] (ReLU is `clamp_min = 0`).

    ```mlir
    %y = yz.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
    %z = yz.matmul %x, %w, %b {clamp_min = 0.0 : f32}
        : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs,
                       Optional<Yz_Tensor>:$bias,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` type($lhs) `,` type($rhs)
    (`,` type($bias)^)?
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
      build($_builder, $_state, lhs, rhs, ::mlir::Value(), nullptr, nullptr);
    }]>
  ];
  let hasVerifier = 1;
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
def Yz_DivOp : Yz_BroadcastBinaryOp<"div", "Elementwise division">;
def Yz_PowOp : Yz_BroadcastBinaryOp<"pow", "Elementwise power (floats)">;
def Yz_MaxOp : Yz_BroadcastBinaryOp<"max", "Elementwise maximum">;
def Yz_MinOp : Yz_BroadcastBinaryOp<"min", "Elementwise minimum">;

def Yz_FloatTensor : RankedTensorOf<[AnyFloat]>;

/// Elementwise math on floats; the CPU lowering maps each to math/arith.
class Yz_UnaryFloatOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = desc;
  let arguments = (ins Yz_FloatTensor:$input);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Yz_SigmoidOp : Yz_UnaryFloatOp<"sigmoid", "1 / (1 + exp(-x))">;
def Yz_TanhOp : Yz_UnaryFloatOp<"tanh", "Hyperbolic tangent">;
def Yz_ErfOp : Yz_UnaryFloatOp<"erf", "Error function">;
def Yz_ExpOp : Yz_UnaryFloatOp<"exp", "Exponential">;
def Yz_LogOp : Yz_UnaryFloatOp<"log", "Natural logarithm">;
def Yz_SqrtOp : Yz_UnaryFloatOp<"sqrt", "Square root">;
def Yz_ReciprocalOp : Yz_UnaryFloatOp<"reciprocal", "1 / x">;
def Yz_NegOp : Yz_UnaryFloatOp<"neg", "-x">;
def Yz_AbsOp : Yz_UnaryFloatOp<"abs", "|x|">;

def Yz_ReluOp : Yz_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "Rectified linear unit, max(x, 0)";
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW)
//===----------------------------------------------------------------------===//

def Yz_Conv2DOp : Yz_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution, NCHW x FCHW, with groups and optional bias";
  let description = [{
    `input` is [N, C, H, W], `filter` [F, C / groups, KH, KW], `bias` [F].
    `pads` are [top, left, bottom, right]; groups == C == F is depthwise.
    The result is clamped to [`clamp_min`, `clamp_max`] when they are set
    (a fused ReLU or Clip, see `yz-fuse-bias-activation`).
  }];
  let arguments = (ins Yz_Tensor:$input, Yz_Tensor:$filter,
                       Optional<Yz_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$groups,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? prop-dict attr-dict `:` type($input)
    `,` type($filter) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantization (int8, per-tensor activations, per-channel weights)
//===----------------------------------------------------------------------===//

def Yz_I8Tensor : RankedTensorOf<[I8]>;

def Yz_QuantizeOp : Yz_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "f32 -> i8: clamp(round_half_even(x / scale) + zero_point)";
  let description = [{
    As ONNX QuantizeLinear with an int8 output: the division is in f32,
    ties round to even, the result saturates to [-128, 127].

    ```mlir
    %q = yz.quantize %x {scale = 0.05 : f32, zero_point = -3}
        : tensor<1x8xf32> -> tensor<1x8xi8>
    ```
  }];
  let arguments = (ins Yz_FloatTensor:$input, F32Attr:$scale,
                       I64Attr:$zero_point);
  let results = (outs Yz_I8Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Yz_DequantizeOp : Yz_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "i8 -> f32: (q - zero_point) * scale";
  let arguments = (ins Yz_I8Tensor:$input, F32Attr:$scale,
                       I64Attr:$zero_point);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Yz_QConv2DOp : Yz_Op<"qconv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "int8 2-D convolution with requantization (NCHW x FCHW)";
  let description = [{
    The integer convolution of an NPU or of an int8 kernel library: with
    `input` [N, C, H, W] i8 (zero point `input_zero_point`; padding is that
    zero point), `filter` [F, C / groups, KH, KW] i8 (symmetric), `bias` [F]
    i32, each output is

      acc = bias[f] + sum (x - input_zero_point) * w          (i32)
      y   = clamp(round_half_even(f32(acc) * multipliers[f])
                  + output_zero_point, clamp_min, clamp_max)   (i8)

    `multipliers` has one f32 per output channel (input scale x weight scale
    / output scale), or a single one for all. ReLU is `clamp_min =
    output_zero_point`. `yz-quantize` builds it; the NPU runs it with the
    requantization on its DMA out.
  }];
  let arguments = (ins Yz_I8Tensor:$input, Yz_I8Tensor:$filter,
                       Optional<RankedTensorOf<[I32]>>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$groups,
                       I64Attr:$input_zero_point,
                       DenseF32ArrayAttr:$multipliers,
                       I64Attr:$output_zero_point,
                       I64Attr:$clamp_min, I64Attr:$clamp_max);
  let results = (outs Yz_I8Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? prop-dict attr-dict `:` type($input)
    `,` type($filter) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def Yz_MaxPool2DOp : Yz_Op<"max_pool2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D max pooling over NCHW (padding never wins)";
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_AvgPool2DOp : Yz_Op<"avg_pool2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D average pooling over NCHW";
  let description = [{
    With `count_include_pad`, every window divides by KH * KW; without, by
    the number of input (non-padding) elements it covers.
  }];
  let arguments = (ins Yz_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       BoolAttr:$count_include_pad);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Reductions and normalization
//===----------------------------------------------------------------------===//

class Yz_ReduceOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = desc # " over `axes` (sorted, unique, non-negative)";
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_ReduceSumOp : Yz_ReduceOp<"reduce_sum", "Sum">;
def Yz_ReduceMeanOp : Yz_ReduceOp<"reduce_mean", "Mean">;
def Yz_ReduceMaxOp : Yz_ReduceOp<"reduce_max", "Maximum">;

def Yz_SoftmaxOp : Yz_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "exp(x - max) / sum(exp(x - max)) along `axis`";
  let arguments = (ins Yz_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Yz_ConcatOp : Yz_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Joins tensors along `axis`";
  let arguments = (ins Variadic<Yz_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$inputs prop-dict attr-dict `:` type($inputs)";
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

def Yz_TransposeOp : Yz_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permutes the dimensions: result dim i is input dim perm[i]";
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input `,` $perm attr-dict `:` type($input)";
}

def Yz_ReshapeOp : Yz_Op<"reshape", [Pure]> {
  let summary = "The same elements, in row-major order, in another shape";
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Yz_SliceOp : Yz_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "A strided box of the input: sizes[i] elements per dimension";
  let description = [{
    Element j of dimension i is input element starts[i] + j * strides[i];
    the box must lie inside the input.
  }];
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_GatherOp : Yz_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "Selects slices of `data` along `axis` by integer indices";
  let description = [{
    The result is data.shape[:axis] + indices.shape + data.shape[axis+1:];
    negative indices count from the end, as in ONNX Gather.
  }];
  let arguments = (ins Yz_Tensor:$data, RankedTensorOf<[I32, I64]>:$indices,
                       I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$data `,` $indices prop-dict attr-dict `:` type($data) `,` type($indices)";
}

def Yz_IdentityOp : Yz_Op<"identity", [Pure, SameOperandsAndResultType]> {
  let summary = "The input, unchanged (ONNX Identity, inference Dropout)";
  let description = [{
    Kept by the importer so that graph passes see the model as written;
    `yz-remove-identities` forwards the input to the users.
  }];
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Yz_BroadcastToOp : Yz_Op<"broadcast_to", [Pure]> {
  let summary = "Stretches size-1 dimensions to the result shape (numpy)";
  let description = [{
    The input broadcasts to the result type's shape as in numpy: aligned at
    the right, a dimension of size 1 stretches, missing ones are added.
  }];
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Yz_CastOp : Yz_Op<"cast", [Pure]> {
  let summary = "Converts each element to the result's element type";
  let description = [{
    Float to integer rounds toward zero; integers are signed; `i1` is
    boolean (non-zero is true). The shape does not change.
  }];
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Yz_SelectOp : Yz_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "condition ? lhs : rhs, elementwise with numpy broadcasting";
  let arguments = (ins RankedTensorOf<[I1]>:$condition, Yz_Tensor:$lhs,
                       Yz_Tensor:$rhs);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` type($condition) `,`
    type($lhs) `,` type($rhs)
  }];
}

/// Floats compare ordered (NaN is never equal); integers are signed.
class Yz_CompareOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "lhs " # desc # " rhs as i1, with numpy broadcasting";
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Yz_EqualOp : Yz_CompareOp<"equal", "==">;
def Yz_LessOp : Yz_CompareOp<"less", "<">;
def Yz_LessEqualOp : Yz_CompareOp<"less_equal", "<=">;
def Yz_GreaterOp : Yz_CompareOp<"greater", ">">;
def Yz_GreaterEqualOp : Yz_CompareOp<"greater_equal", ">=">;

#endif // YZ_DIALECT_YZ_IR_YZOPS_TD
