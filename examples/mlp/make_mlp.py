#!/usr/bin/python3
"""Writes the bundled example: a two-layer MLP in the yz dialect with its
weights as dense resources, an input, and numpy's output for it.

    make_mlp.py OUT_DIR [--batch 4] [--sizes 8,16,4] [--seed 0]

OUT_DIR receives mlp.mlir, input.npy and expected.npy.
"""
# Part of Yizhuang.
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "utils"))
from mlirgen import Model  # noqa: E402


def mlp(batch, sizes, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, sizes[0]), dtype=np.float32)
    model = Model("mlp")
    cur, y = model.input("x", x), x
    for i, (k, n) in enumerate(zip(sizes, sizes[1:])):
        w = rng.standard_normal((k, n), dtype=np.float32) / np.float32(np.sqrt(k))
        b = rng.standard_normal((n,), dtype=np.float32) * np.float32(0.1)
        wv = model.constant(f"fc{i + 1}_weight", w)
        bv = model.constant(f"fc{i + 1}_bias", b)
        mm = model.op("matmul", (batch, n), np.float32, cur, wv)
        add = model.op("add", (batch, n), np.float32, mm, bv)
        cur = model.op("relu", (batch, n), np.float32, add)
        y = np.maximum(y @ w + b, np.float32(0))
    return model.text([("y", cur)]), x, y


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--sizes", default="8,16,4",
                        help="layer widths, input first (default 8,16,4)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) < 2 or min(sizes) < 1 or args.batch < 1:
        parser.error("--sizes needs at least two positive widths, --batch >= 1")
    text, x, y = mlp(args.batch, sizes, args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "mlp.mlir"), "w") as f:
        f.write(text)
    np.save(os.path.join(args.out_dir, "input.npy"), x)
    np.save(os.path.join(args.out_dir, "expected.npy"), y)


if __name__ == "__main__":
    main()
