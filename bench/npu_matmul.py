#!/usr/bin/python3
"""NPU utilization of int8 matmuls in the cycle model, double buffering vs
single buffering, side by side.

    bench/npu_matmul.py [--build DIR] [--sizes 64,256,512,1024] [--target host]

For each N, compiles an N x N x N int8 matmul with yzc (with and without
--npu-double-buffer), runs it on the NPU simulator through yz-run, checks the
result against numpy, and prints cycles, utilization = MACs / (DIM^2 x
cycles), the roofline bound and the double-buffering speedup. Figures come
from the cycle model (docs/npu-isa.md), not from wall-clock time.
"""
# Part of Yizhuang.
import argparse
import os
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "utils"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from mlirgen import Model  # noqa: E402
from npulib import profile  # noqa: E402


def run_case(tools, work, n, double_buffer, target):
    rng = np.random.default_rng(n)
    a = rng.integers(-128, 128, (n, n), dtype=np.int8)
    b = rng.integers(-128, 128, (n, n), dtype=np.int8)
    model = Model("mm")
    c = model.op("matmul", (n, n), np.int32, model.input("a", a), model.constant("b", b))
    src = os.path.join(work, f"mm{n}.mlir")
    with open(src, "w") as f:
        f.write(model.text([("c", c)]))
    np.save(os.path.join(work, f"a{n}.npy"), a)
    np.save(os.path.join(work, f"c{n}.npy"), a.astype(np.int32) @ b.astype(np.int32))
    return profile(tools, src, os.path.join(work, f"mm{n}_{int(double_buffer)}.o"),
                   os.path.join(work, f"a{n}.npy"), os.path.join(work, f"c{n}.npy"),
                   double_buffer, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--sizes", default="64,256,512,1024")
    parser.add_argument("--target", default="host", choices=["host", "riscv64"],
                        help="host runs the simulator natively (fast); riscv64 under qemu")
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    print(f"int8 matmul on the NPU cycle model (default target: DIM=16, 256 KiB scratchpad,"
          f" 64 KiB accumulator, 16 B/cycle DMA); built for {args.target}")
    print(f"{'N^3':>6} | {'double-buffered':^34} | {'single-buffered':^34} | {'speedup':>7}")
    print(f"{'':>6} | {'cycles':>10} {'util':>7} {'of roofline':>14} | "
          f"{'cycles':>10} {'util':>7} {'of roofline':>14} |")
    with tempfile.TemporaryDirectory() as work:
        for n in (int(s) for s in args.sizes.split(",")):
            start = time.time()
            dbl = run_case(tools, work, n, True, args.target)
            sgl = run_case(tools, work, n, False, args.target)
            cells = []
            for r in (dbl, sgl):
                cells.append(f"{r['cycles']:>10} {100 * r['utilization']:>6.1f}% "
                             f"{100 * r['roofline_cycles'] / r['cycles']:>13.1f}%")
            print(f"{n:>6} | {cells[0]} | {cells[1]} | {sgl['cycles'] / dbl['cycles']:>6.2f}x"
                  f"   ({time.time() - start:.1f} s)")
    print("util = MACs / (DIM^2 x cycles); 'of roofline' = roofline-bound cycles / cycles;"
          " speedup = single / double cycles.")


if __name__ == "__main__":
    main()
