#!/usr/bin/python3
"""Writes f32 matmuls of every shape class the CPU strategy meets.

    make_matmuls.py OUT_DIR

For each case: OUT_DIR/<case>.mlir (y = a x b, b an input or a constant),
<case>.a.npy, <case>.b.npy when b is an input, and <case>.y.ref.npy (numpy,
in float64 then rounded). Cases: tiny (1x1x1), a matrix-vector product, odd
sizes in every dimension (edges padded), exact multiples of the register
tiles, K large enough to be split into cache blocks, and a batched matmul.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model  # noqa: E402

CASES = {
    # name: (a shape, b shape, b constant?)
    "tiny": ((1, 1), (1, 1), False),
    "matvec": ((1, 37), (37, 19), True),
    "odd": ((13, 29), (29, 23), False),
    "tiles": ((48, 64), (64, 96), True),
    "deepk": ((9, 1500), (1500, 33), False),
    "batch": ((3, 10, 12), (3, 12, 20), False),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)
for name, (ashape, bshape, const) in CASES.items():
    a = rng.standard_normal(ashape, dtype=np.float32)
    b = rng.standard_normal(bshape, dtype=np.float32)
    m = Model(name)
    va = m.input("a", a)
    vb = m.constant("b", b) if const else m.input("b", b)
    y = a.astype(np.float64) @ b.astype(np.float64)
    vy = m.op("matmul", y.shape, np.float32, va, vb)
    with open(os.path.join(out, f"{name}.mlir"), "w") as f:
        f.write(m.text([("y", vy)]))
    np.save(os.path.join(out, f"{name}.a.npy"), a)
    if not const:
        np.save(os.path.join(out, f"{name}.b.npy"), b)
    np.save(os.path.join(out, f"{name}.y.ref.npy"), y.astype(np.float32))
