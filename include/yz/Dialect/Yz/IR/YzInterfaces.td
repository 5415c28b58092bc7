//===- YzInterfaces.td - what passes ask of yz ops ---------*- tablegen -*-===//
//
// Part of Yizhuang. Passes ask these interfaces rather than switching over
// op classes, so that a new op joins every pass by implementing them.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZINTERFACES_TD
#define YZ_DIALECT_YZ_IR_YZINTERFACES_TD

include "mlir/IR/OpBase.td"

def Yz_ElementwiseOpInterface : OpInterface<"ElementwiseOpInterface"> {
  let cppNamespace = "::mlir::yz";
  let description = [{
    An op whose every result element is a function of the operand elements
    at the same index, the operands broadcasting to the result shape as in
    numpy. `buildScalar` emits that function once; it is the op's only
    definition of its arithmetic: the CPU lowering makes it the body of a
    linalg.generic, and constant folding evaluates it.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits the result element computed from `args`, one scalar per
        operand, of the operands' element types made signless (unsigned
        types are read from the op's own operand types).
      }], "::mlir::Value", "buildScalar",
      (ins "::mlir::OpBuilder &":$b, "::mlir::Location":$loc,
           "::mlir::ValueRange":$args)>,
  ];
}

def Yz_ContractionOpInterface : OpInterface<"ContractionOpInterface"> {
  let cppNamespace = "::mlir::yz";
  let description = [{
    A matmul or convolution: the ops the NPU runs, quantization converts and
    the per-layer profile lists.
  }];
  let methods = [
    InterfaceMethod<"The multiply-accumulates it computes (0 if unknown)",
      "uint64_t", "getMacCount">,
  ];
}

def Yz_EpilogueOpInterface : OpInterface<"EpilogueOpInterface"> {
  let cppNamespace = "::mlir::yz";
  let description = [{
    A contraction with a fused epilogue: `bias` added to the result, then a
    clamp to [`clamp_min`, `clamp_max`] (ReLU is clamp_min = 0). Operands
    0 and 1 are the contraction's, operand 2 the optional bias.
    `yz-fuse-bias-activation` moves adds and clamps into it; the CPU
    lowering and the NPU apply them on the way out.
  }];
  let methods = [
    InterfaceMethod<"The bias, or null", "::mlir::Value", "getBias">,
    InterfaceMethod<"The lower clamp, or null", "::mlir::FloatAttr",
      "getClampMinAttr">,
    InterfaceMethod<"The upper clamp, or null", "::mlir::FloatAttr",
      "getClampMaxAttr">,
    InterfaceMethod<[{
        Whether a tensor of `type` added to the result can become the bias
        (reshaped to `biasShape(type)`).
      }], "bool", "acceptsBias", (ins "::mlir::RankedTensorType":$type)>,
    InterfaceMethod<"The shape an accepted bias takes",
      "::llvm::SmallVector<int64_t>", "biasShape",
      (ins "::mlir::RankedTensorType":$type)>,
    InterfaceMethod<[{
        A copy of this op, before it, with the given epilogue (null:
        none) in place of its own.
      }], "::mlir::Operation *", "cloneWithEpilogue",
      (ins "::mlir::OpBuilder &":$b, "::mlir::Value":$bias,
           "::mlir::FloatAttr":$lo, "::mlir::FloatAttr":$hi),
      /*methodBody=*/"", /*defaultImplementation=*/[{
        return ::mlir::yz::cloneWithEpilogue($_op, b, bias, lo, hi);
      }]>,
  ];
}

def Yz_DecomposableOpInterface : OpInterface<"DecomposableOpInterface"> {
  let cppNamespace = "::mlir::yz";
  let description = [{
    A composite op (softmax, layer normalization; recurrent cells and
    attention to come) that stays whole through the graph passes, so that
    placement and quantization can claim it, and is broken into simpler yz
    ops when it is lowered.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits the op as simpler yz ops at `b`'s insertion point and returns
        its results' replacements.
      }], "::llvm::SmallVector<::mlir::Value>", "decompose",
      (ins "::mlir::OpBuilder &":$b)>,
  ];
}

#endif // YZ_DIALECT_YZ_IR_YZINTERFACES_TD
