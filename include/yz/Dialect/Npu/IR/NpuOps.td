//===- NpuOps.td - the npu dialect -------------------------*- tablegen -*-===//
//
// Part of Yizhuang. The NPU's instructions at memref level, one op per
// instruction (runtime/include/yz/npu/isa.def), and the target description.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_IR_NPUOPS_TD
#define YZ_DIALECT_NPU_IR_NPUOPS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Npu_Dialect : Dialect {
  let name = "npu";
  let cppNamespace = "::mlir::npu";
  let summary = "The accelerator's instructions";
  let description = [{
    One op per NPU instruction, on memrefs and index values; loops around
    them stay `scf` loops. Every op is checked against the `#npu.target`
    description on the enclosing module (attribute `npu.target`).
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Npu_TargetAttr : AttrDef<Npu_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "The parametric hardware: array size, memories, DMA, queues";
  let parameters = (ins "uint32_t":$dim, "uint32_t":$sp_rows,
                        "uint32_t":$acc_rows, "uint32_t":$dma_bandwidth,
                        "uint32_t":$dma_latency, "uint32_t":$queue_depth,
                        "uint32_t":$issue_cost);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Npu_DataType : I32EnumAttr<"DataType", "multiply data type", [
    I32EnumAttrCase<"i8", 0>, I32EnumAttrCase<"bf16", 1>]> {
  let cppNamespace = "::mlir::npu";
}
def Npu_Activation : I32EnumAttr<"Activation", "activation on DMA out", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"relu", 1>,
    I32EnumAttrCase<"relu6", 2>]> {
  let cppNamespace = "::mlir::npu";
}
def Npu_CounterId : I32EnumAttr<"CounterId", "performance counter", [
    I32EnumAttrCase<"cycles", 0>, I32EnumAttrCase<"macs", 1>,
    I32EnumAttrCase<"bytes_in", 2>, I32EnumAttrCase<"bytes_out", 3>,
    I32EnumAttrCase<"instructions", 4>]> {
  let cppNamespace = "::mlir::npu";
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

class Npu_Op<string mnemonic, list<Trait> traits = []>
    : Op<Npu_Dialect, mnemonic, traits> {
  let hasVerifier = 1;
}

def Npu_ConfigTargetOp : Npu_Op<"config_target"> {
  let summary = "config.target: declare the NPU the code was compiled for";
  let assemblyFormat = "attr-dict";
}

def Npu_ConfigExecOp : Npu_Op<"config_exec"> {
  let summary = "config.exec: select i8 or bf16 multiplication";
  let arguments = (ins Npu_DataType:$data_type);
  let assemblyFormat = "$data_type attr-dict";
}

def Npu_ConfigLoadOp : Npu_Op<"config_load"> {
  let summary = "config.load: the source row stride and type, from a memref";
  let description = [{
    The stride of `source`'s rows and its element type become the DMA-in
    configuration: i8, bf16, or f32 (rounded to bf16) into the scratchpad;
    with `to_acc`, raw i32/f32 into the accumulator.
  }];
  let arguments = (ins AnyMemRef:$source, UnitAttr:$to_acc);
  let assemblyFormat = "$source attr-dict `:` type($source)";
}

def Npu_ConfigStoreOp : Npu_Op<"config_store"> {
  let summary = "config.store: destination stride, requantization, activation";
  let description = [{
    With `scales %row`, `dma_out.q` adds the i32 in accumulator row `%row +
    1`, column c, then scales by the f32 in row `%row`, column c (per-channel
    bias and requantization; `scale` is unused).
  }];
  let arguments = (ins AnyMemRef:$dest, Optional<Index>:$scale_row,
                       DefaultValuedAttr<Npu_Activation, "Activation::none">:$activation,
                       DefaultValuedAttr<F32Attr, "1.0f">:$scale,
                       DefaultValuedAttr<I32Attr, "0">:$zero_point,
                       DefaultValuedAttr<I32Attr, "-128">:$clamp_min,
                       DefaultValuedAttr<I32Attr, "127">:$clamp_max);
  let assemblyFormat =
      "$dest (`scales` $scale_row^)? attr-dict `:` type($dest)";
}

class Npu_DmaOp<string mnemonic, string what>
    : Npu_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = what;
  let arguments = (ins AnyMemRef:$memref, Variadic<Index>:$indices,
                       Index:$row, Index:$rows, Index:$cols);
  let assemblyFormat = [{
    $memref `[` $indices `]` `,` `row` $row `,` `rows` $rows `,` `cols` $cols
    attr-dict `:` type($memref)
  }];
}

def Npu_DmaInOp : Npu_DmaOp<"dma_in",
    "dma_in: memory rows x cols -> scratchpad rows (zero-filled past cols)">;
def Npu_DmaInAccOp : Npu_DmaOp<"dma_in_acc",
    "dma_in.acc: memory rows of i32/f32 -> accumulator rows">;
def Npu_DmaOutOp : Npu_DmaOp<"dma_out",
    "dma_out: scratchpad rows -> memory">;
def Npu_DmaOutQOp : Npu_DmaOp<"dma_out_q",
    "dma_out.q: accumulator rows, requantized to i8 -> memory">;
def Npu_DmaOutAccOp : Npu_DmaOp<"dma_out_acc",
    "dma_out.acc: accumulator rows as i32/f32 -> memory">;

def Npu_MatmulOp : Npu_Op<"matmul", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "matmul: C (+)= A x B on scratchpad and accumulator rows";
  let arguments = (ins Index:$a_row, Index:$b_row, Index:$c_row, Index:$m,
                       Index:$n, Index:$k, I1:$accumulate,
                       UnitAttr:$transpose_a, UnitAttr:$transpose_b);
  let assemblyFormat = [{
    $a_row `,` $b_row `->` $c_row `,` `m` $m `,` `n` $n `,` `k` $k `,`
    `accumulate` $accumulate attr-dict
  }];
}

def Npu_FenceOp : Npu_Op<"fence", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "fence: wait for every queued instruction";
  let assemblyFormat = "attr-dict";
}

def Npu_CounterOp : Npu_Op<"counter", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "counter: read a performance counter";
  let arguments = (ins Npu_CounterId:$counter);
  let results = (outs I64:$value);
  let assemblyFormat = "$counter attr-dict";
}

def Npu_LayerOp : Npu_Op<"layer", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "layer: a profile marker naming the layer that follows";
  let description = [{
    The simulator counts the NPU instructions after it for layer `name`
    (cycles, MACs, bytes) in the per-layer profile; with `on_cpu`, the layer
    runs on the CPU and the profile lists it with `macs`. Costs no cycles.

    ```mlir
    npu.layer "/conv1/Conv" macs 1769472
    ```
  }];
  let arguments = (ins StrAttr:$name, I64Attr:$macs, UnitAttr:$on_cpu);
  let assemblyFormat = "$name `macs` $macs (`on_cpu` $on_cpu^)? attr-dict";
}

//===----------------------------------------------------------------------===//
// Whole layers, before they become instructions
//===----------------------------------------------------------------------===//

def Npu_Conv2DOp : Npu_Op<"conv2d", [DestinationStyleOpInterface,
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "A convolution for the NPU (implicit GEMM), int8 or bf16, on "
                "tensors or memrefs";
  let description = [{
    `input` [N, Hp, Wp, C] is already padded (NHWC); `weights` [KH * KW * C,
    F] hold the filter with rows in (kh, kw, c) order. The result is
    [N, OH, OW, F].

    int8 (i8 input, weights and result): `epilogue` [2, F] i32 holds the
    per-channel requantization scales (f32 bits) in row 0 and the biases in
    row 1, and

      y = clamp(round_half_even(f32(bias[f] + sum x * w) * scale[f])
                + zero_point, clamp_min, clamp_max)

    bf16 (f32 input and result, f32 or bf16 weights, f32 rounded to bf16 as
    it loads):
    `epilogue` [1, F] f32 holds the biases, and y = activation(bias[f] +
    sum x * w) with f32 sums; `activation` is none, relu or relu6, and the
    zero point and clamps are unused.

    `yz-convs-to-npu` builds it from `yz.qconv2d` and from f32 `yz.conv2d`
    placed on the NPU; on tensors it bufferizes like a linalg op (the result
    is `init`), and `convert-linalg-to-npu` expands the memref form into the
    NPU program.
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$weights,
                       AnyShaped:$epilogue, AnyShaped:$init,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations, I64Attr:$zero_point,
                       I64Attr:$clamp_min, I64Attr:$clamp_max,
                       DefaultValuedAttr<Npu_Activation, "Activation::none">:$activation);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $weights `,` $epilogue `:` type($input) `,`
    type($weights) `,` type($epilogue) `)` `outs` `(` $init `:` type($init)
    `)` attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

#endif // YZ_DIALECT_NPU_IR_NPUOPS_TD
