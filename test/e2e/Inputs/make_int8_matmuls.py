#!/usr/bin/python3
"""Writes int8 matmuls (yz.matmul i8 x i8 -> i32) of many shapes.

    make_int8_matmuls.py OUT_DIR

For each case OUT_DIR/<case>.mlir, <case>.a.npy (and <case>.b.npy when B
is an input) and <case>.ref.npy (numpy's exact sums). Shapes with tails in
M, N and K against the SpacemiT IME tiles (4 x 8 x 4, register blocks of up
to 16 x 12), single rows and columns, a long K, batches, and constant
right-hand sides (weights, packed at compile time). Values span the whole
int8 range.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model  # noqa: E402

CASES = {
    # name: (A shape, B shape, B constant?)
    "one": ((1, 1), (1, 1), False),
    "tile": ((4, 8), (8, 4), False),
    "tails": ((3, 5), (5, 7), False),
    "block": ((16, 64), (64, 12), False),
    "block_tails": ((17, 9), (9, 13), True),
    "row": ((1, 100), (100, 37), True),
    "column": ((45, 24), (24, 1), False),
    "long_k": ((6, 1000), (1000, 10), True),
    "square": ((64, 64), (64, 64), True),
    "wide": ((33, 50), (50, 130), False),
    "batch": ((3, 7, 19), (3, 19, 11), False),
    "batch_const": ((2, 20, 16), (2, 16, 9), True),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(5)
for name, (ash, bsh, const) in CASES.items():
    a = rng.integers(-128, 128, ash, dtype=np.int8)
    b = rng.integers(-128, 128, bsh, dtype=np.int8)
    m = Model("mm")
    va = m.input("a", a)
    vb = m.constant("w", b) if const else m.input("b", b)
    ref = np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(np.int32)
    vy = m.op("matmul", ref.shape, np.int32, va, vb)
    with open(os.path.join(out, name + ".mlir"), "w") as f:
        f.write(m.text([("y", vy)]))
    np.save(os.path.join(out, name + ".a.npy"), a)
    if not const:
        np.save(os.path.join(out, name + ".b.npy"), b)
    np.save(os.path.join(out, name + ".ref.npy"), ref)
