#!/usr/bin/python3
"""Writes a one-node ONNX model, for importer tests of a single op.

    node.py OUT.onnx OP [--opset N] [-i NAME:TYPE:SHAPE]... [-c NAME:TYPE:SHAPE=V,V..]...
            [-a KEY=PYTHON_LITERAL]... [-o NAME]...

-i declares a graph input (SHAPE like 1x3x8x8, or "" for a scalar);
-c a constant initializer filled with the values (or with 0, 1, 2... when
no values are given); -a a node attribute; -o an output NAME[:TYPE[:SHAPE]] ('' skips an optional one; of the first input's type
and rank by default; "?" dimensions are left to inference). Inputs and constants are the node's inputs in command-line
order; "-i ''" leaves one out (an optional input).
"""
# Part of Yizhuang.
import argparse
import ast

import numpy as np
import onnx
from onnx import helper, numpy_helper

TYPES = {"f32": np.float32, "f16": np.float16, "f64": np.float64,
         "i8": np.int8, "u8": np.uint8, "i32": np.int32, "i64": np.int64,
         "bool": np.bool_}


def shape_of(text):
    return [int(d) for d in text.split("x")] if text else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("op")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("-i", action="append", default=[], dest="args",
                    type=lambda s: ("i", s))
    ap.add_argument("-c", action="append", default=[], dest="args",
                    type=lambda s: ("c", s))
    ap.add_argument("-a", action="append", default=[])
    ap.add_argument("-o", action="append", default=[])
    opts = ap.parse_args()
    names, inputs, inits = [], [], []
    for kind, spec in opts.args:
        if not spec:
            names.append("")
            continue
        decl, _, values = spec.partition("=")
        name, elt, shape = decl.split(":")
        names.append(name)
        dtype, dims = TYPES[elt], shape_of(shape)
        if kind == "i":
            inputs.append(helper.make_tensor_value_info(
                name, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(dtype)], dims))
        else:
            count = int(np.prod(dims)) if dims else 1
            data = ([ast.literal_eval(v) for v in values.split(",")]
                    if values else list(range(count)))
            inits.append(numpy_helper.from_array(
                np.array(data, dtype=dtype).reshape(dims), name))
    attrs = {}
    for a in opts.a:
        key, _, value = a.partition("=")
        attrs[key] = ast.literal_eval(value)
    node = helper.make_node(opts.op, names, [o.split(":")[0] for o in opts.o],
                            **attrs)
    first = inputs[0].type.tensor_type if inputs else None
    outputs = []
    for o in opts.o:
        name, elt, shape = (o.split(":") + ["", ""])[:3]
        if not name:  # an optional output not asked for
            continue
        code = (onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(TYPES[elt])]
                if elt else first.elem_type)
        dims = (shape.split("x") if shape else
                ["?"] * len(first.shape.dim))
        dims = [f"{name}_{i}" if d == "?" else int(d)
                for i, d in enumerate(dims)]
        outputs.append(helper.make_tensor_value_info(name, code, dims))
    graph = helper.make_graph([node], opts.op.lower(), inputs, outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opts.opset)])
    onnx.save(model, opts.out)


if __name__ == "__main__":
    main()
