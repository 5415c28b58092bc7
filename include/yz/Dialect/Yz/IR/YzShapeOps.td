//===- YzShapeOps.td - constants and data movement ---------*- tablegen -*-===//
//
// Part of Yizhuang. Ops that move elements without computing on them;
// constant folding moves constant bytes the same way (ConstantFolding.cpp),
// which is how the importer evaluates ONNX shape subgraphs.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZSHAPEOPS_TD
#define YZ_DIALECT_YZ_IR_YZSHAPEOPS_TD

include "yz/Dialect/Yz/IR/YzBase.td"

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
  let arguments = (ins Yz_Tensor:$data, Yz_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$data `,` $indices prop-dict attr-dict `:` type($data) `,` type($indices)";
}

def Yz_GatherElementsOp : Yz_Op<"gather_elements", [Pure, InferTypeOpAdaptor]> {
  let summary = "data at the indices given per element along `axis`";
  let description = [{
    out[i0, .., ik, ..] = data[i0, .., indices[i0, .., ik, ..], ..] with the
    index in dimension `axis` (ONNX GatherElements; negative indices count
    from the end). The result has the indices' shape.
  }];
  let arguments = (ins Yz_Tensor:$data, Yz_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$data `,` $indices prop-dict attr-dict `:` type($data) `,` type($indices)";
}

def Yz_ConcatOp : Yz_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Joins tensors along `axis`";
  let arguments = (ins Variadic<Yz_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$inputs prop-dict attr-dict `:` type($inputs)";
}

#endif // YZ_DIALECT_YZ_IR_YZSHAPEOPS_TD
