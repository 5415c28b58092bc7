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
    the box must lie inside the input. A negative stride walks backwards.
  }];
  let arguments = (ins Yz_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
}

def Yz_DynamicSliceOp : Yz_Op<"dynamic_slice", [Pure]> {
  let summary = "A strided box whose start and steps are known at run time";
  let description = [{
    Element j of dimension d is input element offsets[d] + j * steps[d]
    (`offsets` and `steps` are i64 vectors with one entry per dimension,
    steps non-zero); the result type gives the box's size. The offsets must
    keep the box inside the input: the importer clamps them as ONNX Slice
    does.
  }];
  let arguments = (ins Yz_Tensor:$input, RankedTensorOf<[I64]>:$offsets,
                       RankedTensorOf<[I64]>:$steps);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $input `[` $offsets `,` $steps `]` attr-dict `:` type($input) `,`
    type($offsets) `,` type($steps) `->` type($result)
  }];
  let hasVerifier = 1;
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

def Yz_GatherNDOp : Yz_Op<"gather_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "Slices of `data` at index tuples (ONNX GatherND)";
  let description = [{
    The last dimension of `indices` holds tuples of k indices into the
    dimensions of `data` after its first `batch_dims` (which `indices`
    shares); each tuple selects an element, or a slice of the remaining
    dimensions. The result is indices.shape[:-1] + data.shape[batch_dims+k:];
    negative indices count from the end.
  }];
  let arguments = (ins Yz_Tensor:$data, Yz_IndexTensor:$indices,
                       I64Attr:$batch_dims);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$data `,` $indices prop-dict attr-dict `:` type($data) `,` type($indices)";
}

/// The combining function of a scatter: "none" (replace), "add", "mul",
/// "max" or "min".
class Yz_ScatterOp<string mnemonic, string desc>
    : Yz_Op<mnemonic, [Pure, AllTypesMatch<["data", "result"]>]> {
  let summary = desc;
  let arguments = (ins Yz_Tensor:$data, Yz_IndexTensor:$indices,
                       Yz_Tensor:$updates, StrAttr:$reduction);
  let results = (outs Yz_Tensor:$result);
  let hasVerifier = 1;
}

def Yz_ScatterElementsOp : Yz_ScatterOp<"scatter_elements",
    "`data` with each update written at its index along `axis`"> {
  let description = [{
    result = data, then for every position p of `updates` (the shape of
    `indices`): result[p with p[axis] = indices[p]] = updates[p], combined
    with the element already there by `reduction` (ONNX ScatterElements).
    Updates are applied in row-major order of p.
  }];
  let arguments = (ins Yz_Tensor:$data, Yz_IndexTensor:$indices,
                       Yz_Tensor:$updates, I64Attr:$axis, StrAttr:$reduction);
  let assemblyFormat = [{
    $data `[` $indices `]` `,` $updates prop-dict attr-dict `:` type($data)
    `,` type($indices) `,` type($updates)
  }];
}

def Yz_ScatterNDOp : Yz_ScatterOp<"scatter_nd",
    "`data` with slices written at index tuples"> {
  let description = [{
    The last dimension of `indices` holds tuples of k indices; the update
    slice updates[i] (of shape data.shape[k:]) is written at data[tuple i],
    combined by `reduction` (ONNX ScatterND), in row-major order of i.
  }];
  let assemblyFormat = [{
    $data `[` $indices `]` `,` $updates prop-dict attr-dict `:` type($data)
    `,` type($indices) `,` type($updates)
  }];
}

def Yz_PadOp : Yz_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pads each dimension by `low` and `high` elements";
  let description = [{
    `mode` says what the new elements are: "constant" (`value`, a rank-0
    tensor, or 0), "edge" (the nearest input element), "reflect" (mirrored
    without repeating the edge) or "wrap" (the input repeated), as in ONNX
    Pad. Pads are not negative (the importer crops first).
  }];
  let arguments = (ins Yz_Tensor:$input, Optional<Yz_Tensor>:$value,
                       DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high,
                       StrAttr:$mode);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $input (`,` $value^)? prop-dict attr-dict `:` type($input)
    (`,` type($value)^)?
  }];
}

def Yz_ConcatOp : Yz_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Joins tensors along `axis`";
  let arguments = (ins Variadic<Yz_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$inputs prop-dict attr-dict `:` type($inputs)";
}

#endif // YZ_DIALECT_YZ_IR_YZSHAPEOPS_TD
