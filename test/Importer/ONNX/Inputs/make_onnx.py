#!/usr/bin/python3
"""Writes small ONNX models (onnx.helper), their inputs and numpy outputs,
and broken files for the importer's error tests.

    make_onnx.py OUT_DIR

Per model NAME: NAME.onnx, NAME.in<i>.npy, NAME.out<i>.npy.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(11)
F = TensorProto.FLOAT


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def save(out, name, nodes, inputs, outputs, inits=(), opset=13):
    """inputs/outputs: [(name, array)]; inits: [(name, array)]."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], a.shape)
         for n, a in inputs],
        [helper.make_tensor_value_info(n, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], a.shape)
         for n, a in outputs],
        [numpy_helper.from_array(a, n) for n, a in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.save(model, f"{out}/{name}.onnx")
    for i, (_, a) in enumerate(inputs):
        np.save(f"{out}/{name}.in{i}.npy", a)
    for i, (_, a) in enumerate(outputs):
        np.save(f"{out}/{name}.out{i}.npy", a)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = helper.make_node

    # Gemm with both transposes, alpha and beta; MatMul with a 1-D operand.
    a, b, c = f32(5, 3), f32(4, 5), f32(4)
    save(out, "gemm", [n("Gemm", ["a", "b", "c"], ["y"], transA=1, transB=1, alpha=0.5, beta=2.0)],
         [("a", a)], [("y", 0.5 * (a.T @ b.T) + 2.0 * c)], [("b", b), ("c", c)])
    v, m = f32(6), f32(2, 6, 3)
    save(out, "matvec", [n("MatMul", ["v", "m"], ["y"])], [("v", v)], [("y", v @ m)], [("m", m)])

    # Elementwise, broadcasting, and every unary op.
    x, y = np.abs(f32(2, 3)) + 0.5, f32(3)
    ys = {"Add": x + y, "Sub": x - y, "Mul": x * y, "Div": x / y, "Pow": np.power(x, y),
          "Max": np.maximum(x, y), "Min": np.minimum(x, y)}
    nodes = [n(op, ["x", "y"], [op.lower()]) for op in ys]
    save(out, "binary", nodes, [("x", x), ("y", y)], [(k.lower(), v) for k, v in ys.items()])
    import math
    erf = np.vectorize(math.erf)
    us = {"Relu": np.maximum(x - 1, 0), "Sigmoid": sigmoid(x - 1), "Tanh": np.tanh(x - 1),
          "Erf": erf(x - 1).astype(np.float32), "Exp": np.exp(x - 1), "Log": np.log(x),
          "Sqrt": np.sqrt(x), "Reciprocal": 1 / x, "Neg": -x, "Abs": np.abs(x - 1),
          "Floor": np.floor(3 * (x - 1))}
    one = np.ones((), np.float32)
    nodes = [n("Sub", ["x", "one"], ["xm1"]), n("Mul", ["xm1", "three"], ["x3"])]
    for op in us:
        src = "x" if op in ("Log", "Sqrt", "Reciprocal", "Neg") else \
              "x3" if op == "Floor" else "xm1"
        nodes.append(n(op, [src], [op.lower()]))
    save(out, "unary", nodes, [("x", x)], [(k.lower(), v.astype(np.float32)) for k, v in us.items()],
         [("one", one), ("three", np.array(3, np.float32))])

    # Shapes: Transpose, Reshape (with 0 and -1), Flatten, Squeeze,
    # Unsqueeze, Identity, Dropout, Clip, Constant.
    t = f32(2, 3, 4)
    shape = np.array([0, -1], np.int64)
    axes = np.array([0], np.int64)
    nodes = [n("Transpose", ["t"], ["tt"], perm=[2, 0, 1]),
             n("Reshape", ["t", "shape"], ["r"]),
             n("Flatten", ["tt"], ["f"], axis=2),
             n("Unsqueeze", ["r", "axes"], ["u"]),
             n("Squeeze", ["u", "axes"], ["s"]),
             n("Identity", ["s"], ["i"]),
             n("Dropout", ["i"], ["d"]),
             n("Constant", [], ["lo"], value=numpy_helper.from_array(np.array(-0.5, np.float32))),
             n("Clip", ["d", "lo", ""], ["clip"])]
    save(out, "shapes", nodes, [("t", t)],
         [("tt", t.transpose(2, 0, 1)), ("f", t.transpose(2, 0, 1).reshape(8, 3)),
          ("clip", np.maximum(t.reshape(2, 12), -0.5))],
         [("shape", shape), ("axes", axes)])

    # Comparisons, Where, Cast (bool and integers both ways) and Expand.
    FL, I64 = TensorProto.FLOAT, TensorProto.INT64
    x, y = f32(2, 3), f32(3)
    three = np.array(3.0, np.float32)
    nodes = [n("Less", ["x", "y"], ["lt"]), n("Cast", ["lt"], ["less"], to=FL),
             n("GreaterOrEqual", ["x", "y"], ["ge"]), n("Cast", ["ge"], ["ge_f"], to=FL),
             n("LessOrEqual", ["x", "y"], ["le"]), n("Cast", ["le"], ["le_f"], to=FL),
             n("Greater", ["x", "y"], ["gt"]), n("Where", ["gt", "x", "y"], ["where"]),
             n("Mul", ["x", "three"], ["x3"]), n("Cast", ["x3"], ["xi"], to=I64),
             n("Cast", ["xi"], ["trunc"], to=FL),
             n("Equal", ["xi", "zero"], ["eq"]), n("Cast", ["eq"], ["equal"], to=FL),
             n("Expand", ["y", "eshape"], ["expand"])]
    xi = (x * 3).astype(np.int64)
    save(out, "logic", nodes, [("x", x), ("y", y)],
         [("less", (x < y).astype(np.float32)), ("ge_f", (x >= y).astype(np.float32)),
          ("le_f", (x <= y).astype(np.float32)), ("where", np.where(x > y, x, y)),
          ("trunc", xi.astype(np.float32)), ("equal", (xi == 0).astype(np.float32)),
          ("expand", np.broadcast_to(y, (2, 1, 3)).copy())],
         [("three", three), ("zero", np.zeros((), np.int64)),
          ("eshape", np.array([2, 1, 3], np.int64))])

    # The graph passes' model: Conv + BatchNormalization + Relu through
    # Identity and Dropout, and a node nothing reads (dead code).
    xc, wc, bc = f32(1, 2, 5, 5), f32(3, 2, 3, 3), f32(3)
    scale, bias, mean = f32(3), f32(3), f32(3)
    var = np.abs(f32(3)) + 0.5
    conv = np.zeros((1, 3, 5, 5), np.float32)
    xp = np.pad(xc, ((0, 0), (0, 0), (1, 1), (1, 1)))
    for i in range(5):
        for j in range(5):
            conv[0, :, i, j] = np.tensordot(wc, xp[0, :, i:i + 3, j:j + 3], 3) + bc
    a = scale / np.sqrt(var + 1e-5)
    bn = conv * a[:, None, None] + (bias - mean * a)[:, None, None]
    nodes = [n("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
             n("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["bn"]),
             n("Identity", ["bn"], ["id"]), n("Relu", ["id"], ["r"]),
             n("Dropout", ["r"], ["y"]), n("Sigmoid", ["x"], ["unused"])]
    save(out, "convbn", nodes, [("x", xc)], [("y", np.maximum(bn, 0).astype(np.float32))],
         [("w", wc), ("b", bc), ("scale", scale), ("bias", bias), ("mean", mean), ("var", var)])

    # A dynamic batch, resolved with --input-shape.
    w = f32(8, 4)
    graph = helper.make_graph(
        [n("MatMul", ["x", "w"], ["y"])], "dynamic",
        [helper.make_tensor_value_info("x", F, ["batch", 8])],
        [helper.make_tensor_value_info("y", F, ["batch", 4])], [numpy_helper.from_array(w, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              f"{out}/dynamic.onnx")
    xd = f32(3, 8)
    np.save(f"{out}/dynamic.in0.npy", xd)
    np.save(f"{out}/dynamic.out0.npy", xd @ w)

    # Broken inputs.
    good = open(f"{out}/gemm.onnx", "rb").read()
    open(f"{out}/truncated.onnx", "wb").write(good[: len(good) // 2])
    open(f"{out}/garbage.onnx", "wb").write(b"\x08\x07" + bytes(range(256)) * 4)
    graph = helper.make_graph(
        [n("Relu", ["x"], ["y"]), n("RandomNormalLike", ["y"], ["s"], name="random"),
         n("RandomUniformLike", ["s"], ["l"], name="coin"), n("MyOp", ["l"], ["z"], domain="custom", name="mine")],
        "unsupported", [helper.make_tensor_value_info("x", F, [2, 3])],
        [helper.make_tensor_value_info("z", F, [2, 3])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                     helper.make_opsetid("custom", 1)])
    onnx.save(model, f"{out}/unsupported.onnx")
    graph = helper.make_graph(  # fails the checker: an undefined input
        [n("Relu", ["nowhere"], ["y"])], "unchecked",
        [helper.make_tensor_value_info("x", F, [2])], [helper.make_tensor_value_info("y", F, [2])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              f"{out}/unchecked.onnx")
    # Found by the fuzzer: an opset newer than libonnx knows, and an output
    # no node produces (libonnx's version converter crashed on both).
    graph = helper.make_graph(
        [n("MatMul", ["x", "w"], ["\xff"])], "future",
        [helper.make_tensor_value_info("x", F, [2, 2])],
        [helper.make_tensor_value_info("y", F, [2, 2])],
        [numpy_helper.from_array(np.eye(2, dtype=np.float32), "w")])
    future = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 91)])
    open(f"{out}/future.onnx", "wb").write(future.SerializeToString())
    future.opset_import[0].version = 9
    open(f"{out}/orphan.onnx", "wb").write(future.SerializeToString())
    graph = helper.make_graph(
        [n("Gemm", ["a", "a"], ["y"], transA=2, name="bad_gemm")], "badattr",
        [helper.make_tensor_value_info("a", F, [3, 3])], [helper.make_tensor_value_info("y", F, [3, 3])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              f"{out}/badattr.onnx")
    # Cast, Where and Expand arguments the importer refuses.
    I64 = TensorProto.INT64
    bad = {
        "badcast": ([n("Cast", ["a"], ["y"], to=TensorProto.STRING, name="to_string")],
                    [("a", F, [3])], [("y", TensorProto.STRING, [3])]),
        "badwhere": ([n("Where", ["a", "a", "a"], ["y"], name="float_cond")],
                     [("a", F, [3])], [("y", F, [3])]),
        "dynexpand": ([n("Expand", ["a", "s"], ["y"], name="runtime_shape")],
                      [("a", F, [3]), ("s", I64, [2])], [("y", F, ["p", "q"])]),
        "badexpand": ([n("Expand", ["a", "s"], ["y"], name="wrong_shape")],
                      [("a", F, [2, 3])], [("y", F, ["p", "q"])]),
    }
    # QuantizeLinear / DequantizeLinear forms the importer refuses.
    U8, I8 = TensorProto.UINT8, TensorProto.INT8
    bad.update({
        "q_nozp": ([n("QuantizeLinear", ["a", "sc"], ["y"], name="q_u8")],
                   [("a", F, [3])], [("y", U8, [3])]),
        "q_u8zp": ([n("QuantizeLinear", ["a", "sc", "zu"], ["y"], name="q_zu8")],
                   [("a", F, [3])], [("y", U8, [3])]),
        "q_axis": ([n("QuantizeLinear", ["a", "sc2", "z2"], ["y"], name="q_axis", axis=0)],
                   [("a", F, [2])], [("y", I8, [2])]),
        "q_varscale": ([n("QuantizeLinear", ["a", "s_in", "z"], ["y"], name="q_var")],
                       [("a", F, [3]), ("s_in", F, [])], [("y", I8, [3])]),
        "dq_badscale": ([n("DequantizeLinear", ["qa", "neg", "z"], ["y"], name="dq_neg")],
                        [("qa", I8, [3])], [("y", F, [3])]),
        "dq_axis": ([n("DequantizeLinear", ["qa", "sc2", "z2"], ["y"], name="dq_axis", axis=0)],
                    [("qa", I8, [2])], [("y", F, [2])]),
        "q_int": ([n("QuantizeLinear", ["ia", "sc", "z"], ["y"], name="q_int")],
                  [("ia", TensorProto.INT32, [3])], [("y", I8, [3])]),
        "dq_float": ([n("DequantizeLinear", ["a", "sc", "z"], ["y"], name="dq_float")],
                     [("a", F, [3])], [("y", F, [3])]),
        "dq_axis_size": ([n("DequantizeLinear", ["w3", "sc2", "z2"], ["y"],
                            name="dq_size", axis=1)],
                         [], [("y", F, [2, 3])]),
        "q_varzp": ([n("QuantizeLinear", ["a", "sc", "zin"], ["y"], name="q_varzp")],
                    [("a", F, [3]), ("zin", I8, [])], [("y", I8, [3])]),
        "dq_i32var": ([n("DequantizeLinear", ["ib", "sc"], ["y"], name="dq_i32")],
                      [("ib", TensorProto.INT32, [3])], [("y", F, [3])]),
        "q_zpsize": ([n("QuantizeLinear", ["a", "sc", "z2"], ["y"], name="q_zp2")],
                     [("a", F, [3])], [("y", I8, [3])]),
    })
    qinits = [numpy_helper.from_array(a, name) for a, name in [
        (np.array(0.5, np.float32), "sc"), (np.array(3, np.uint8), "zu"),
        (np.array([0.5, 0.25], np.float32), "sc2"), (np.array([0, 1], np.int8), "z2"),
        (np.array(0, np.int8), "z"), (np.array(-1.0, np.float32), "neg"),
        (np.ones((2, 3), np.int8), "w3")]]
    for name, (nodes, ins, outs) in bad.items():
        inits = [numpy_helper.from_array(np.array([4, 3], np.int64), "s")] \
            if name == "badexpand" else []
        if name.startswith(("q_", "dq_")):
            used = {i for node in nodes for i in node.input}
            inits = [t for t in qinits if t.name in used]
        graph = helper.make_graph(
            nodes, name, [helper.make_tensor_value_info(*i) for i in ins],
            [helper.make_tensor_value_info(*o) for o in outs], inits)
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
                  f"{out}/{name}.onnx")


if __name__ == "__main__":
    main()
