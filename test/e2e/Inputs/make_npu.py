#!/usr/bin/python3
"""Writes NPU matmul models with inputs and numpy references.

    make_npu.py OUT_DIR

int8 cases (one batched): <name>.mlir, <name>.a.npy, <name>.c.ref.npy
(exact int32).
bf16 case: bf16.mlir (f32 model), bf16.a.npy, and two references:
  bf16.c.exact.npy  inputs rounded to bf16, products summed in f32 in order
                    of k - what the NPU computes, so it must match exactly;
  bf16.c.f32.npy    plain f32 numpy, which it matches to about bf16 precision.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model  # noqa: E402
from qref import bf16_round  # noqa: E402

INT8_SHAPES = {  # name: ([batch,] M, K, N)
    "row": (1, 19, 37),            # a single row
    "odd": (33, 45, 17),           # nothing a multiple of DIM
    "deep": (5, 700, 21),          # K much larger than DIM: several K blocks
    "blocks": (150, 100, 140),     # several M and N blocks
    "batched": (3, 20, 40, 24),    # a batch on both sides: a loop of programs
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(3)
    for name, shape in INT8_SHAPES.items():
        *batch, m, k, n = shape
        model = Model(name)
        a = rng.integers(-128, 128, (*batch, m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (*batch, k, n), dtype=np.int8)
        c = model.op("matmul", (*batch, m, n), np.int32, model.input("a", a),
                     model.constant("b", b))
        open(f"{out}/{name}.mlir", "w").write(model.text([("c", c)]))
        np.save(f"{out}/{name}.a.npy", a)
        np.save(f"{out}/{name}.c.ref.npy",
                np.matmul(a.astype(np.int32), b.astype(np.int32)))

    m, k, n = 24, 50, 20
    model = Model("bf16")
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = model.op("matmul", (m, n), np.float32, model.input("a", a),
                 model.constant("b", b))
    open(f"{out}/bf16.mlir", "w").write(model.text([("c", c)]))
    np.save(f"{out}/bf16.a.npy", a)
    ab, bb = bf16_round(a), bf16_round(b)
    exact = np.zeros((m, n), np.float32)
    for kk in range(k):
        exact = exact + np.outer(ab[:, kk], bb[kk, :]).astype(np.float32)
    np.save(f"{out}/bf16.c.exact.npy", exact)
    np.save(f"{out}/bf16.c.f32.npy", a @ b)


if __name__ == "__main__":
    main()
