//===- Passes.td - yz transformation passes ----------------*- tablegen -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD
#define YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def YzPlaceOnNpu : Pass<"yz-place-on-npu", "::mlir::ModuleOp"> {
  let summary = "Decide which ops run on the NPU";
  let description = [{
    Marks every op the NPU will run with `yz.placement = "npu"`; the rest
    stay on the CPU. Nothing is placed unless the module carries an
    `npu.target`. Placed today: 2-D `yz.matmul` (and batches of them with
    the same batch on both sides) with i8 operands (i32
    result), and with f32 operands when `bf16` is set (computed in bf16 with
    f32 accumulation); `yz.qconv2d` with one group, static shapes and
    constant weights, and with `bf16` f32 `yz.conv2d` of the same kind
    whose clamp is none, ReLU or ReLU6. With `report`, every matmul and convolution gets a
    line on stderr saying where it runs and, for the CPU, why.

    Each of them also gets an `npu.layer` profile marker before it, named
    after its location (the ONNX node name), so that the simulator's
    per-layer profile (yz-run --profile) lists it, on the NPU or the CPU.
  }];
  let dependentDialects = ["::mlir::npu::NpuDialect"];
  let options = [
    Option<"bf16", "bf16", "bool", /*default=*/"false",
           "Place f32 matmuls and convolutions on the NPU, computed in bf16">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Print where each matmul and convolution runs, and why">,
  ];
  let statistics = [
    Statistic<"numNpu", "npu-ops", "Ops placed on the NPU">,
    Statistic<"numCpu", "cpu-matmuls", "Matmuls and convolutions left on the CPU">,
  ];
}

def YzQuantize : Pass<"yz-quantize"> {
  let summary = "Quantize calibrated f32 convolutions to int8";
  let description = [{
    Every `yz.conv2d`, and every 2-D `yz.matmul` by a constant matrix (a
    linear layer, as a 1x1 convolution between reshapes), carrying
    calibrated ranges (`yz.input_range`, `yz.output_range`: array<f32: lo,
    hi>) becomes `yz.quantize` -> `yz.qconv2d` -> `yz.dequantize`: activations per tensor and asymmetric,
    weights per output channel and symmetric in [-127, 127], the bias in
    i32 at the accumulator's scale, a fused ReLU/Clip as the int8 clamp.
    Grouped and depthwise convolutions lose their ranges and stay f32 (the
    NPU runs neither). A max pool of a dequantized tensor pools the int8
    values instead (dequantization is increasing, so the two commute) and
    dequantizes its smaller result. A dequantize -> quantize pair with the
    same parameters, between two quantized convolutions (or a quantized
    convolution, a max pool and another), cancels.

    A matmul of two activations (attention's Q K^T and A V) carrying
    `yz.input_range` and `yz.rhs_range` quantizes both operands per tensor
    and symmetrically (scale max |x| / 127, zero point 0), multiplies
    int8 x int8 into i32, and rescales by the f32 product of the scales.

    Imported QDQ models: `yz.dequantize -> yz.conv2d (or linear matmul) ->
    yz.quantize` (one group, constant weights dequantized at import)
    becomes one `yz.qconv2d` with the model's own activation parameters; the weights'
    int8 grid is recovered per channel (the largest |q| need not be 127).
    See docs/quantization.md.
  }];
  let statistics = [
    Statistic<"numConvs", "convs", "Convolutions quantized">,
    Statistic<"numLinear", "linear", "Linear layers (matmuls) quantized">,
    Statistic<"numActivationMatmuls", "activation-matmuls",
              "Matmuls of two activations quantized">,
    Statistic<"numQdq", "qdq-convs", "QDQ convolutions fused">,
    Statistic<"numCancelled", "cancelled", "Dequantize-quantize pairs cancelled">,
    Statistic<"numPooledInt8", "int8-max-pools",
              "Max pools of dequantized tensors moved to int8">,
  ];
}

def YzDistinctResults : Pass<"yz-distinct-results"> {
  let summary = "Return a copy where a function returns a buffer twice";
  let description = [{
    Between bufferization and `buffer-results-to-out-params`: each repeat of
    a returned buffer is replaced by a fresh copy of it, so that every
    out-parameter gets a buffer of its own (the upstream pass crashes on a
    buffer returned twice).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
  let statistics = [
    Statistic<"numCopies", "copies", "Returned buffers copied">,
  ];
}

def YzFreeAfterLastUse : Pass<"yz-free-after-last-use"> {
  let summary = "Move each buffer's dealloc to just after its last use";
  let description = [{
    After the buffer deallocation pipeline: upstream's ownership-based
    deallocation frees a function's buffers at the end of the block that
    allocated them, so every intermediate of a model stays live for the
    whole call (MobileNetV2: 45 MB live at once). Each layer then writes
    its result into memory untouched since the previous call, out of
    cache. Here an unconditional `memref.dealloc` of a `memref.alloc` in
    the same block moves up to just after the last op of that block that
    uses the buffer or a view of it (an op holding a use in its regions
    counts as a use). The runtime hands a freed block out again for the
    next buffer (of equal fits, the most recently freed), so layers reuse
    memory the layers before them have just touched.

    A buffer whose alias leaves through anything other than a view (a
    function's result, a region's yield, an op returning a memref that is
    not a view of it) keeps its dealloc where it is.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
  let statistics = [
    Statistic<"numMoved", "moved", "Deallocs moved up">,
  ];
}

def YzCopiesToLinalg : Pass<"yz-copies-to-linalg"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    Bufferization copies strided buffers (padding, slices) with memref.copy,
    which the LLVM lowering turns into calls to MLIR's C runner library
    (`memrefCopy`) unless both sides have identity layouts. As linalg.copy
    they become loops, which need no library and vectorize.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def YzFlattenGlobals : Pass<"yz-flatten-globals", "::mlir::ModuleOp"> {
  let summary = "Store N-D constant memref.globals as 1-D";
  let description = [{
    The LLVM translation turns an N-D global into nested arrays whose
    innermost dimension is one uniqued constant each: a [64, 3, 7, 7]
    convolution weight becomes 1344 constants of 7 floats, and a ResNet
    millions of them. As 1-D globals (read through memref.expand_shape,
    which costs nothing) every weight is a single constant.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def YzFoldConvAffine : Pass<"yz-fold-conv-affine"> {
  let summary = "Fold per-channel scales and shifts into convolutions";
  let description = [{
    `mul(conv(x, W, b), s)` and `add(conv(x, W, b), t)`, with constant W,
    b and per-output-channel constants s, t ([1, F, 1, 1], [F, 1, 1] or a
    scalar), become one convolution with W * s and b * s + t. This is how
    BatchNormalization (imported as a scale and a shift) disappears into
    the convolution before it. f32 only; weights stay dense resources.
  }];
  let statistics = [
    Statistic<"numFolded", "folded", "Scales and shifts folded">,
  ];
}

def YzFlattenMatmuls : Pass<"yz-flatten-matmuls"> {
  let summary = "Matmuls over batches in the 2-D or one-batch shapes the NPU runs";
  let description = [{
    `[..., M, K] x [K, N]` (a linear layer over a sequence) becomes one
    `[prod(...) * M, K] x [K, N]` matmul, its bias per column; `[b..., M, K]
    x [b..., K, N]` with the same batch dimensions on both sides (attention
    over heads) a batch over one dimension. Reshapes around them restore
    the shapes.
  }];
  let statistics = [
    Statistic<"numFlattened", "flattened", "Matmuls flattened">,
  ];
}

def YzFuseBiasActivation : Pass<"yz-fuse-bias-activation"> {
  let summary = "Fuse bias additions and ReLU/Clip into conv2d and matmul";
  let description = [{
    `add(P, b)`, `relu(P)`, `max(P, lo)` and `min(P, hi)` after a
    single-use yz.conv2d or yz.matmul P become P's bias and clamp bounds.
    A conv2d bias must be per output channel; a matmul bias any tensor that
    broadcasts to the result. Clamps fuse for float results, with constant
    scalar bounds, after any bias.
  }];
  let statistics = [
    Statistic<"numBias", "biases", "Bias additions fused">,
    Statistic<"numActivation", "activations", "Activations fused">,
  ];
}

def YzFoldConstants : Pass<"yz-fold-constants"> {
  let summary = "Evaluate yz ops whose operands are all constants";
  let description = [{
    Every elementwise op (evaluated from its own scalar definition, the one
    its lowering uses, with broadcasting, any element type), transposes,
    reshapes, slices, gathers, concatenations and identities of constants
    are computed at compile time, weights included (they stay dense
    resources). Integer divisions by zero and out-of-range conversions are
    left to the run time.
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", "1 << 24",
           "Largest result (in elements) to fold">,
  ];
  let statistics = [
    Statistic<"numFolded", "folded", "Ops evaluated">,
  ];
}

def YzRemoveIdentities : Pass<"yz-remove-identities"> {
  let summary = "Remove yz.identity and no-op reshapes, transposes and casts";
  let statistics = [
    Statistic<"numRemoved", "removed", "No-op ops removed">,
  ];
}

def YzDeadCodeElimination : Pass<"yz-dce"> {
  let summary = "Erase side-effect-free ops whose results are unused";
  let statistics = [
    Statistic<"numErased", "erased", "Dead ops erased">,
  ];
}

#endif // YZ_DIALECT_YZ_TRANSFORMS_PASSES_TD
