#!/usr/bin/python3
"""Writes small yz models covering every op, with inputs and numpy outputs.

    make_ops.py OUT_DIR

For each case: OUT_DIR/<case>.mlir, <case>.<input>.npy, <case>.<output>.ref.npy.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model  # noqa: E402

rng = np.random.default_rng(7)
f32 = np.float32


def batched():
    """Broadcast batch matmul, sub/mul with broadcasting, relu; two outputs."""
    m = Model("batched")
    a = rng.standard_normal((2, 4, 8), dtype=f32)
    b = rng.standard_normal((3, 1, 8, 5), dtype=f32)
    d = rng.standard_normal((1, 4, 1), dtype=f32)
    c = rng.standard_normal((5,), dtype=f32)
    va, vb, vd = m.input("a", a), m.input("b", b), m.input("d", d)
    vc = m.constant("c", c)
    mm = m.op("matmul", (3, 2, 4, 5), f32, va, vb)
    sub = m.op("sub", (3, 2, 4, 5), f32, mm, vc)
    mul = m.op("mul", (3, 2, 4, 5), f32, sub, vd)
    out = m.op("relu", (3, 2, 4, 5), f32, mul)
    ref_mm = a @ b
    ref = np.maximum((ref_mm - c) * d, f32(0))
    return m.text([("r", out), ("mm", mm)]), {"a": a, "b": b, "d": d}, \
        {"r": ref, "mm": ref_mm}


def batch3():
    """Same-size batches: the linalg.batch_matmul path."""
    m = Model("batch3")
    a = rng.standard_normal((3, 5, 7), dtype=f32)
    w = rng.standard_normal((3, 7, 2), dtype=f32)
    out = m.op("matmul", (3, 5, 2), f32, m.input("a", a), m.constant("w", w))
    return m.text([("y", out)]), {"a": a}, {"y": a @ w}


def int8():
    """i8 x i8 -> i32 matmul, then i32 bias and relu: bit-exact."""
    m = Model("int8")
    x = rng.integers(-128, 128, (3, 7), dtype=np.int8)
    w = rng.integers(-128, 128, (7, 5), dtype=np.int8)
    bias = rng.integers(-20000, 20000, (5,), dtype=np.int32)
    mm = m.op("matmul", (3, 5), np.int32, m.input("x", x), m.constant("w", w))
    add = m.op("add", (3, 5), np.int32, mm, m.constant("bias", bias))
    out = m.op("relu", (3, 5), np.int32, add)
    ref = np.maximum(x.astype(np.int32) @ w.astype(np.int32) + bias, 0)
    return m.text([("y", out)]), {"x": x}, {"y": ref.astype(np.int32)}


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for case in (batched, batch3, int8):
        text, inputs, outputs = case()
        with open(os.path.join(out_dir, f"{case.__name__}.mlir"), "w") as f:
            f.write(text)
        for name, array in inputs.items():
            np.save(os.path.join(out_dir, f"{case.__name__}.{name}.npy"), array)
        for name, array in outputs.items():
            np.save(os.path.join(out_dir, f"{case.__name__}.{name}.ref.npy"), array)


if __name__ == "__main__":
    main()
