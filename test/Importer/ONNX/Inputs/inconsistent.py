#!/usr/bin/python3
"""Models the ONNX checker accepts whose operands do not fit together, one
or more per importer, and a run of yzc on each: every one must be refused
with exactly one diagnostic and exit status 1 - never a crash.

    inconsistent.py OUT_DIR YZC [--opset N]

Prints "<case>: <the diagnostic, without its location>" per case, or
"<case>: BAD <why>" when yzc crashed, passed, or printed several errors.
Where ONNX shape inference (opsets up to 17) catches a case first, its
diagnostic is the one; from opset 18 the importer's own checks must.
"""
# Part of Yizhuang.
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def vi(name, elt, shape):
    return helper.make_tensor_value_info(name, elt, shape)


def res(rank=2, elt=F, name="z"):
    """A graph output of unknown dimensions (the checker wants a shape)."""
    return vi(name, elt, [f"{name}{i}" for i in range(rank)])


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def cases(opset):
    """(case name, nodes, inputs, outputs, initializers) at `opset`."""
    n = helper.make_node
    x23, y4 = vi("x", F, [2, 3]), vi("y", F, [4])
    out = [res()]
    for op in ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum"]:
        yield op.lower() + "_broadcast", [n(op, ["x", "y"], ["z"])], [x23, y4], out, []
    for op in ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"]:
        yield op.lower() + "_broadcast", [n(op, ["x", "y"], ["z"])], [x23, y4], \
            [res(2, B)], []
    yield "where_broadcast", [n("Where", ["c", "x", "y"], ["z"])], \
        [vi("c", B, [2, 3]), vi("x", F, [2, 3]), vi("y", F, [5])], out, []
    for op in ["Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Reciprocal", "Erf",
               "HardSigmoid", "HardSwish", "LeakyRelu"]:
        yield op.lower() + "_int", [n(op, ["x"], ["z"])], [vi("x", I64, [3])], \
            [res(1, I64)], []
    for op in ["Neg", "Abs", "Relu"]:
        yield op.lower() + "_bool", [n(op, ["x"], ["z"])], [vi("x", B, [3])], \
            [res(2, B)], []
    yield "cast_to_string", [n("Cast", ["x"], ["z"], to=TensorProto.STRING)], \
        [vi("x", F, [3])], [res(1, TensorProto.STRING)], []
    yield "clip_min_not_scalar", [n("Clip", ["x", "lo"], ["z"])], \
        [vi("x", F, [2, 3, 8])], [res(3)], [init("lo", np.zeros(3, np.float32))]
    yield "matmul_k", [n("MatMul", ["a", "b"], ["z"])], \
        [vi("a", F, [2, 3]), vi("b", F, [4, 5])], out, []
    yield "gemm_k", [n("Gemm", ["a", "b"], ["z"])], \
        [vi("a", F, [2, 3]), vi("b", F, [4, 5])], out, []
    yield "gemm_c", [n("Gemm", ["a", "b", "c"], ["z"])], \
        [vi("a", F, [2, 3]), vi("b", F, [3, 5]), vi("c", F, [4, 5])], out, []
    yield "conv_channels", [n("Conv", ["x", "w"], ["z"])], \
        [vi("x", F, [1, 3, 8, 8])], [res(4)], [init("w", np.ones((4, 2, 3, 3), np.float32))]
    yield "conv_rank", [n("Conv", ["x", "w"], ["z"])], \
        [vi("x", F, [1, 3, 8])], out, [init("w", np.ones((4, 3, 3, 3), np.float32))]
    yield "conv_groups", [n("Conv", ["x", "w"], ["z"], group=2)], \
        [vi("x", F, [1, 3, 8, 8])], [res(4)], [init("w", np.ones((4, 1, 3, 3), np.float32))]
    for op in ["MaxPool", "AveragePool"]:
        yield op.lower() + "_window", [n(op, ["x"], ["z"], kernel_shape=[9, 9])], \
            [vi("x", F, [1, 2, 4, 4])], [res(4)], []
    for op in ["GlobalAveragePool", "GlobalMaxPool"]:
        yield op.lower() + "_rank", [n(op, ["x"], ["z"])], [vi("x", F, [5])], [res(1)], []
    bn = [init(k, np.ones(5, np.float32)) for k in ["s", "b", "m", "v"]]
    yield "batchnorm_channels", [n("BatchNormalization", ["x", "s", "b", "m", "v"], ["z"])], \
        [vi("x", F, [1, 3, 4, 4])], [res(4)], bn
    for op, since in [("ReduceSum", 13), ("ReduceMean", 18), ("ReduceMax", 18)]:
        if opset >= since:
            yield op.lower() + "_axis", [n(op, ["x", "axes"], ["z"])], [x23], out, \
                [init("axes", np.array([5], np.int64))]
        else:
            yield op.lower() + "_axis", [n(op, ["x"], ["z"], axes=[5])], [x23], out, []
    yield "softmax_axis", [n("Softmax", ["x"], ["z"], axis=5)], [x23], out, []
    yield "layernorm_scale", [n("LayerNormalization", ["x", "s"], ["z"], axis=-1)], \
        [vi("x", F, [2, 8])], out, [init("s", np.ones(5, np.float32))]
    yield "layernorm_axis", [n("LayerNormalization", ["x", "s"], ["z"], axis=4)], \
        [vi("x", F, [2, 8])], out, [init("s", np.ones(8, np.float32))]
    yield "concat_dims", [n("Concat", ["x", "y"], ["z"], axis=0)], \
        [vi("x", F, [2, 3]), vi("y", F, [2, 4])], out, []
    yield "concat_axis", [n("Concat", ["x", "y"], ["z"], axis=3)], \
        [vi("x", F, [2, 3]), vi("y", F, [2, 3])], out, []
    yield "transpose_perm", [n("Transpose", ["x"], ["z"], perm=[0, 0])], [x23], out, []
    yield "reshape_count", [n("Reshape", ["x", "s"], ["z"])], [x23], out, \
        [init("s", np.array([4, 2], np.int64))]
    yield "flatten_axis", [n("Flatten", ["x"], ["z"], axis=4)], [x23], out, []
    yield "squeeze_size", [n("Squeeze", ["x", "a"], ["z"])], [x23], out, \
        [init("a", np.array([1], np.int64))]
    yield "unsqueeze_axis", [n("Unsqueeze", ["x", "a"], ["z"])], [x23], out, \
        [init("a", np.array([7], np.int64))]
    yield "slice_axis", [n("Slice", ["x", "s", "e", "a"], ["z"])], [x23], out, \
        [init("s", np.array([0], np.int64)), init("e", np.array([1], np.int64)),
         init("a", np.array([4], np.int64))]
    yield "gather_axis", [n("Gather", ["x", "i"], ["z"], axis=3)], [x23], out, \
        [init("i", np.array([0], np.int64))]
    yield "gather_index", [n("Gather", ["x", "i"], ["z"], axis=1)], [x23], out, \
        [init("i", np.array([7], np.int64))]
    yield "expand_shape", [n("Expand", ["x", "s"], ["z"])], [x23], out, \
        [init("s", np.array([4, 5], np.int64))]
    yield "constantofshape_negative", [n("ConstantOfShape", ["s"], ["z"])], [], out, \
        [init("s", np.array([2, -3], np.int64))]
    yield "dropout_training", [n("Dropout", ["x", "r", "t"], ["z"])], [x23], out, \
        [init("r", np.array(0.5, np.float32)), init("t", np.array(True))]
    yield "quantize_zp_size", [n("QuantizeLinear", ["x", "s", "zp"], ["z"])], [x23], \
        [res(2, TensorProto.INT8)], \
        [init("s", np.array([0.1, 0.2], np.float32)), init("zp", np.array([0], np.int8))]
    yield "dequantize_axis", [n("DequantizeLinear", ["w", "s"], ["z"], axis=0)], [], out, \
        [init("w", np.ones((2, 3), np.int8)), init("s", np.array([0.1, 0.2, 0.3], np.float32))]
    # What the importer does not produce is refused.
    yield "maxpool_indices", [n("MaxPool", ["x"], ["z", "i"], kernel_shape=[2, 2, 2])], \
        [vi("x", F, [1, 1, 4, 4, 4])], [res(5), res(5, I64, "i")], []


def main():
    out_dir, yzc = sys.argv[1], sys.argv[2]
    opset = int(sys.argv[4]) if len(sys.argv) > 4 else 17
    os.makedirs(out_dir, exist_ok=True)
    for name, nodes, inputs, outputs, inits in cases(opset):
        graph = helper.make_graph(nodes, name, inputs, outputs, inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        try:  # libonnx 1.12 knows opsets up to 17
            if opset <= 17:
                onnx.checker.check_model(model)
        except Exception as e:  # the checker's own refusals are not our test
            print(f"{name}: SKIP the checker rejects it: {str(e).splitlines()[0]}")
            continue
        path = os.path.join(out_dir, name + ".onnx")
        onnx.save(model, path)
        p = subprocess.run([yzc, path, "--target=host", "-o",
                            os.path.join(out_dir, name + ".o")],
                           capture_output=True, text=True, timeout=120)
        errors = [l for l in p.stderr.splitlines() if "error:" in l]
        if p.returncode != 1:
            print(f"{name}: BAD exit {p.returncode}: {p.stderr.strip()[:300]}")
        elif len(errors) != 1:
            print(f"{name}: BAD {len(errors)} errors: {' | '.join(errors)[:300]}")
        else:
            print(f"{name}: {re.sub(r'^.*?error: ', '', errors[0])}")


if __name__ == "__main__":
    main()
