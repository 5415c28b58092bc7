//===- YzNNOps.td - contractions, windows, reductions ------*- tablegen -*-===//
//
// Part of Yizhuang. Matmuls and convolutions (ContractionOpInterface, with
// their epilogue through EpilogueOpInterface), pooling, reductions and the
// composite normalizations (DecomposableOpInterface).
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZNNOPS_TD
#define YZ_DIALECT_YZ_IR_YZNNOPS_TD

include "yz/Dialect/Yz/IR/YzBase.td"

/// A contraction with a bias and clamp epilogue.
class Yz_EpilogueContractionOp<string mnemonic, list<Trait> traits = []>
    : Yz_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor,
          DeclareOpInterfaceMethods<Yz_ContractionOpInterface>,
          DeclareOpInterfaceMethods<Yz_EpilogueOpInterface,
                                    ["acceptsBias", "biasShape"]>])> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Yz_MatmulOp : Yz_EpilogueContractionOp<"matmul"> {
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
}

def Yz_Conv2DOp : Yz_EpilogueContractionOp<"conv2d"> {
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
}

//===----------------------------------------------------------------------===//
// Pooling (NCHW)
//===----------------------------------------------------------------------===//

def Yz_MaxPool2DOp : Yz_Op<"max_pool2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D max pooling over NCHW (padding never wins)";
  let description = [{
    With `ceil_mode`, the output size rounds up: a last window that runs
    past the padded input still counts (what it overhangs never wins).
  }];
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_AvgPool2DOp : Yz_Op<"avg_pool2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D average pooling over NCHW";
  let description = [{
    With `count_include_pad`, every window divides by the elements it covers
    of the padded input; without, by those of the input itself. With
    `ceil_mode`, the output size rounds up, and the part of a last window
    past the padded input counts for nothing.
  }];
  let arguments = (ins Yz_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       BoolAttr:$count_include_pad,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The shared inference: `axes` dropped, or kept as 1 with `keepdims`.
class Yz_ReduceOp<string mnemonic, string desc, list<Trait> traits = []>
    : Yz_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let summary = desc # " over `axes` (sorted, unique, non-negative)";
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (!adaptor.getAxesAttr() || !adaptor.getKeepdimsAttr())
        return ::mlir::emitOptionalError(loc, getOperationName(),
                                         " needs axes and keepdims");
      return ::mlir::yz::inferReduce(getOperationName(), loc,
                                     adaptor.getInput(), adaptor.getAxes(),
                                     adaptor.getKeepdims(), types);
    }
  }];
}

def Yz_ReduceSumOp : Yz_ReduceOp<"reduce_sum", "Sum">;
def Yz_ReduceProdOp : Yz_ReduceOp<"reduce_prod", "Product">;
def Yz_ReduceMaxOp : Yz_ReduceOp<"reduce_max", "Maximum">;
def Yz_ReduceMinOp : Yz_ReduceOp<"reduce_min", "Minimum">;
def Yz_ReduceMeanOp : Yz_ReduceOp<"reduce_mean", "Mean (the sum, divided)",
    [DeclareOpInterfaceMethods<Yz_DecomposableOpInterface>]>;

/// Index of the largest (smallest) element along `axis`, as i64: the first
/// one of several, or the last with `select_last_index`.
class Yz_ArgOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = desc # " along `axis` (i64), dropped or kept as 1";
  let arguments = (ins Yz_Tensor:$input, I64Attr:$axis, BoolAttr:$keepdims,
                       BoolAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *ctx, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (!adaptor.getAxisAttr() || !adaptor.getKeepdimsAttr())
        return ::mlir::emitOptionalError(loc, getOperationName(),
                                         " needs axis and keepdims");
      int64_t axis = adaptor.getAxisAttr().getInt();
      if (failed(::mlir::yz::inferReduce(getOperationName(), loc,
                                         adaptor.getInput(), {axis},
                                         adaptor.getKeepdims(), types)))
        return ::mlir::failure();
      types[0] = ::llvm::cast<::mlir::RankedTensorType>(types[0]).clone(
          ::mlir::IntegerType::get(ctx, 64));
      return ::mlir::success();
    }
  }];
}

def Yz_ArgMaxOp : Yz_ArgOp<"arg_max", "Index of the maximum">;
def Yz_ArgMinOp : Yz_ArgOp<"arg_min", "Index of the minimum">;

def Yz_TopKOp : Yz_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "The `k` largest (or smallest) elements along `axis`";
  let description = [{
    `values` holds them in order, best first, and `indices` their positions
    along `axis`; of equal elements, the one at the lower position comes
    first (ONNX TopK). The results have the input's shape with `k` along
    `axis`.
  }];
  let arguments = (ins Yz_Tensor:$input, I64Attr:$k, I64Attr:$axis,
                       BoolAttr:$largest);
  let results = (outs Yz_Tensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_CumSumOp : Yz_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Running sum along `axis`";
  let description = [{
    Element i is the sum of elements 0..i (0..i-1 with `exclusive`), or of
    i..n-1 (i+1..n-1) with `reverse` (ONNX CumSum).
  }];
  let arguments = (ins Yz_Tensor:$input, I64Attr:$axis, BoolAttr:$exclusive,
                       BoolAttr:$reverse);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Composite normalizations (decomposed when lowered)
//===----------------------------------------------------------------------===//

def Yz_SoftmaxOp : Yz_Op<"softmax", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Yz_DecomposableOpInterface>]> {
  let summary = "exp(x - max) / sum(exp(x - max)) along `axis`";
  let arguments = (ins Yz_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Yz_LogSoftmaxOp : Yz_Op<"log_softmax", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<Yz_DecomposableOpInterface>]> {
  let summary = "x - max - log(sum(exp(x - max))) along `axis`";
  let arguments = (ins Yz_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Yz_LayerNormOp : Yz_Op<"layer_norm", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Yz_DecomposableOpInterface>]> {
  let summary = "(x - mean) / sqrt(var + epsilon) * scale + bias";
  let description = [{
    Mean and variance are over the dimensions `axis` and after; `scale`
    and the optional `bias` broadcast to the input as in numpy (ONNX
    LayerNormalization).
  }];
  let arguments = (ins Yz_FloatTensor:$input, Yz_FloatTensor:$scale,
                       Optional<Yz_FloatTensor>:$bias, I64Attr:$axis,
                       F32Attr:$epsilon);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? prop-dict attr-dict `:` type($input) `,`
    type($scale) (`,` type($bias)^)?
  }];
}

#endif // YZ_DIALECT_YZ_IR_YZNNOPS_TD
