#!/usr/bin/python3
"""Models for what a new user meets first (issue: first contact).

    make_first_contact.py OUT_DIR

- NAME.onnx for NAME in model, invoke, run, main, 2-layer.net.v1: the same
  small graph, y = relu(x * w + k) with k different per model, so that the
  C names of several models in one program must not collide and each run
  must pick its own model; NAME.x.npy and NAME.y.npy;
- dropout_train.onnx (training_mode = true, ratio 0.5: must be refused),
  dropout_mask.onnx (inference Dropout with its mask output),
  dropout.x.npy, dropout.y.npy, dropout.mask.npy;
- bf16.onnx: a bf16 input and output (numpy stores bf16 as uint16 bits),
  bf16.x.npy (uint16), bf16.y.npy (f32), bf16.z.npy (uint16 bits).
"""
# Part of Yizhuang.
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NAMES = ["model", "invoke", "run", "main", "2-layer.net.v1"]


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs,
                              [numpy_helper.from_array(a, n) for n, a in inits])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def bf16_bits(a):
    """float32 -> bfloat16 bits, rounding to nearest even."""
    u = np.ascontiguousarray(a, np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(3)
    n = helper.make_node
    F = TensorProto.FLOAT
    x = rng.standard_normal((2, 5)).astype(np.float32)
    w = rng.standard_normal((5,)).astype(np.float32)
    for i, name in enumerate(NAMES):
        k = np.full((5,), float(i), np.float32)
        m = model([n("Mul", ["x", "w"], ["t"]), n("Add", ["t", "k"], ["u"]),
                   n("Relu", ["u"], ["y"])],
                  [helper.make_tensor_value_info("x", F, [2, 5])],
                  [helper.make_tensor_value_info("y", F, [2, 5])],
                  [("w", w), ("k", k)])
        onnx.save(m, f"{out}/{name}.onnx")
        np.save(f"{out}/{name}.x.npy", x)
        np.save(f"{out}/{name}.y.npy", np.maximum(x * w + k, 0))

    # Dropout: refused in training mode, the identity (mask all true) else.
    io = ([helper.make_tensor_value_info("x", F, [2, 5])],
          [helper.make_tensor_value_info("y", F, [2, 5])])
    train = model([n("Dropout", ["x", "ratio", "training"], ["y"], name="drop")],
                  *io, [("ratio", np.array(0.5, np.float32)),
                        ("training", np.array(True))])
    onnx.save(train, f"{out}/dropout_train.onnx")
    mask = model([n("Dropout", ["x", "ratio"], ["y", "mask"], name="drop")],
                 io[0], io[1] + [helper.make_tensor_value_info(
                     "mask", TensorProto.BOOL, [2, 5])],
                 [("ratio", np.array(0.3, np.float32))])
    onnx.save(mask, f"{out}/dropout_mask.onnx")
    np.save(f"{out}/dropout.x.npy", x)
    np.save(f"{out}/dropout.y.npy", x)
    np.save(f"{out}/dropout.mask.npy", np.ones((2, 5), bool))

    # bf16 in and out: y = f32(x) * 2, z = bf16(y).
    B = TensorProto.BFLOAT16
    m = model([n("Cast", ["x"], ["xf"], to=F),
               n("Mul", ["xf", "two"], ["y"]),
               n("Cast", ["y"], ["z"], to=B)],
              [helper.make_tensor_value_info("x", B, [3, 4])],
              [helper.make_tensor_value_info("y", F, [3, 4]),
               helper.make_tensor_value_info("z", B, [3, 4])],
              [("two", np.array(2.0, np.float32))])
    onnx.save(m, f"{out}/bf16.onnx")
    xb = bf16_bits(rng.standard_normal((3, 4)).astype(np.float32))
    xf = (xb.astype(np.uint32) << 16).view(np.float32)
    np.save(f"{out}/bf16.x.npy", xb)
    np.save(f"{out}/bf16.y.npy", xf * 2)
    np.save(f"{out}/bf16.z.npy", bf16_bits(xf * 2))


if __name__ == "__main__":
    main()
