//===- YzQuantOps.td - int8 quantization -------------------*- tablegen -*-===//
//
// Part of Yizhuang. int8, per-tensor activations, per-channel weights
// (docs/quantization.md). quantize and dequantize are elementwise: their
// arithmetic is their `scalar`, shared by the lowering and folding.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZQUANTOPS_TD
#define YZ_DIALECT_YZ_IR_YZQUANTOPS_TD

include "yz/Dialect/Yz/IR/YzBase.td"

def Yz_QuantizeOp : Yz_ElementwiseOp<"quantize", [SameOperandsAndResultShape]> {
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
  let scalar = [{
    Value x = args[0];
    if (!x.getType().isF32())
      x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    Value scale = floatLike(b, loc, x, getScale().convertToFloat());
    return roundToI8(b, loc, arith::DivFOp::create(b, loc, x, scale),
                     getZeroPointAttr().getInt(), -128, 127);
  }];
}

def Yz_DequantizeOp : Yz_ElementwiseOp<"dequantize", [SameOperandsAndResultShape]> {
  let summary = "i8 -> f32: (q - zero_point) * scale";
  let arguments = (ins Yz_I8Tensor:$input, F32Attr:$scale,
                       I64Attr:$zero_point);
  let results = (outs Yz_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let scalar = [{
    Type f32 = b.getF32Type();
    Value q = arith::SIToFPOp::create(b, loc, f32, args[0]);
    q = arith::SubFOp::create(
        b, loc, q, floatLike(b, loc, q, double(getZeroPointAttr().getInt())));
    Value v = arith::MulFOp::create(
        b, loc, q, floatLike(b, loc, q, getScale().convertToFloat()));
    Type elt = getType().getElementType();
    return elt == f32 ? v : Value(arith::TruncFOp::create(b, loc, elt, v));
  }];
}

def Yz_QConv2DOp : Yz_Op<"qconv2d", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Yz_ContractionOpInterface>]> {
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

#endif // YZ_DIALECT_YZ_IR_YZQUANTOPS_TD
