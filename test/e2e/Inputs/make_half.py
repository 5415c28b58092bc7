#!/usr/bin/python3
"""float16 models for riscv64 (no Zfh: the runtime's helpers; Zfh: the
instructions) and the host.

    make_half.py OUT_DIR

- cnn.onnx: a PyTorch CNN (conv, ReLU, max pool, linear, tanh) in half
  precision: exported in f32, its weights, inputs, outputs and computation
  then made f16 (PyTorch 1.13 has no f16 kernels on the CPU to trace or run
  `.half()` with, so the reference is PyTorch in f32 on the f16 weights and
  input - what `.half()` computes, up to f16 rounding per op);
  cnn.x.npy (f16), cnn.y.npy (f16 reference), cnn.atol (1e-2 of the
  output's scale);
- affine.onnx: y = x * 2 + 1 on f16 [4] (for the C program).
"""
# Part of Yizhuang.
import io
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper


def to_half(model):
    """Makes an f32 ONNX model f16: initializers, Constant values, graph
    inputs, outputs and value_info, and Casts to float."""
    g = model.graph
    for t in g.initializer:
        if t.data_type == TensorProto.FLOAT:
            t.CopyFrom(numpy_helper.from_array(
                numpy_helper.to_array(t).astype(np.float16), t.name))
    for n in g.node:
        for a in n.attribute:
            if a.name == "value" and a.t.data_type == TensorProto.FLOAT:
                a.t.CopyFrom(numpy_helper.from_array(
                    numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
            if n.op_type == "Cast" and a.name == "to" and a.i == TensorProto.FLOAT:
                a.i = TensorProto.FLOAT16
    for v in list(g.input) + list(g.output) + list(g.value_info):
        if v.type.tensor_type.elem_type == TensorProto.FLOAT:
            v.type.tensor_type.elem_type = TensorProto.FLOAT16
    return model


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(5)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 10),
        torch.nn.Tanh()).eval()
    x = torch.randn(2, 3, 8, 8)
    buf = io.BytesIO()
    torch.onnx.export(net, (x,), buf, opset_version=17, input_names=["x"],
                      output_names=["y"])
    model = to_half(onnx.load_from_string(buf.getvalue()))
    onnx.save(model, f"{out}/cnn.onnx")
    # PyTorch on the f16 weights and input, in f32.
    for p in net.parameters():
        p.data = p.data.half().float()
    xh = x.half()
    with torch.no_grad():
        y = net(xh.float()).numpy()
    np.save(f"{out}/cnn.x.npy", xh.numpy())
    np.save(f"{out}/cnn.y.npy", y.astype(np.float16))
    with open(f"{out}/cnn.atol", "w") as f:
        f.write("%g" % (1e-2 * np.abs(y).max()))

    H = TensorProto.FLOAT16
    n = helper.make_node
    graph = helper.make_graph(
        [n("Mul", ["x", "two"], ["t"]), n("Add", ["t", "one"], ["y"])], "affine",
        [helper.make_tensor_value_info("x", H, [4])],
        [helper.make_tensor_value_info("y", H, [4])],
        [numpy_helper.from_array(np.array(2, np.float16), "two"),
         numpy_helper.from_array(np.array(1, np.float16), "one")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              f"{out}/affine.onnx")


if __name__ == "__main__":
    main()
