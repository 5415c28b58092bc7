#!/usr/bin/python3
"""NPU utilization of ResNet-18's convolutions (int8) in the cycle model,
per layer and in total, double buffering vs single buffering.

    bench/npu_conv.py [--build DIR] [--target host] [--layers a,b,...]

Each distinct convolution of torchvision's ResNet-18 at 224 x 224 (stem,
3x3 and 1x1 downsample layers, every stage) is compiled as one yz.qconv2d
with random int8 weights, run on the NPU simulator through yz-run
(--profile-json), and checked bit-exactly against the numpy reference
(utils/qref.py). Printed: cycles, MACs, utilization = MACs / (DIM^2 x
cycles), bytes moved, and the double-buffering speedup; the total weights
each layer by how often ResNet-18 uses it. Figures come from the cycle model
(docs/npu-isa.md), not from wall-clock time. The whole quantized network
is bench/npu_resnet18.py.
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
import qref  # noqa: E402
from npulib import profile  # noqa: E402

# name: (C, H, F, kernel, stride, pad, uses in ResNet-18)
LAYERS = {
    "conv1": (3, 224, 64, 7, 2, 3, 1),
    "l1.3x3": (64, 56, 64, 3, 1, 1, 4),
    "l2.3x3s2": (64, 56, 128, 3, 2, 1, 1),
    "l2.3x3": (128, 28, 128, 3, 1, 1, 3),
    "l2.down": (64, 56, 128, 1, 2, 0, 1),
    "l3.3x3s2": (128, 28, 256, 3, 2, 1, 1),
    "l3.3x3": (256, 14, 256, 3, 1, 1, 3),
    "l3.down": (128, 28, 256, 1, 2, 0, 1),
    "l4.3x3s2": (256, 14, 512, 3, 2, 1, 1),
    "l4.3x3": (512, 7, 512, 3, 1, 1, 3),
    "l4.down": (256, 14, 512, 1, 2, 0, 1),
}


def build_case(work, name, c, h, f, k, s, p):
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    x = rng.integers(-128, 128, (1, c, h, h), dtype=np.int8)
    w = rng.integers(-128, 128, (f, c, k, k), dtype=np.int8)
    b = rng.integers(-5000, 5000, f, dtype=np.int32)
    mult = (rng.uniform(0.5, 2.0, f) / (64 * c * k * k)).astype(np.float32)
    y = qref.qconv2d(x, w, b, s, (p,) * 4, 1, 1, 2, mult, -1, -1, 127)
    m = Model("conv")
    props = (f"clamp_max = 127 : i64, clamp_min = -1 : i64, dilations = array<i64: 1, 1>, "
             f"groups = 1 : i64, input_zero_point = 2 : i64, "
             f"multipliers = array<f32: {', '.join(repr(float(v)) for v in mult)}>, "
             f"output_zero_point = -1 : i64, pads = array<i64: {p}, {p}, {p}, {p}>, "
             f"strides = array<i64: {s}, {s}>")
    vy = m.op("qconv2d", y.shape, np.int8, m.input("x", x), m.constant("w", w),
              m.constant("b", b), props=props)
    src = os.path.join(work, f"{name}.mlir")
    with open(src, "w") as fh:
        fh.write(m.text([("y", vy)]))
    np.save(os.path.join(work, f"{name}.x.npy"), x)
    np.save(os.path.join(work, f"{name}.y.npy"), y)
    return src


def run_case(tools, work, name, src, double_buffer, target):
    return profile(tools, src, os.path.join(work, f"{name}_{int(double_buffer)}.o"),
                   os.path.join(work, f"{name}.x.npy"), os.path.join(work, f"{name}.y.npy"),
                   double_buffer, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--target", default="host", choices=["host", "riscv64"])
    parser.add_argument("--layers", default=",".join(LAYERS))
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    print("ResNet-18 int8 convolutions on the NPU cycle model (DIM=16, 256 KiB scratchpad, "
          f"64 KiB accumulator, 16 B/cycle DMA); built for {args.target}")
    print(f"{'layer':>9} {'uses':>4} | {'MACs':>10} | {'double-buffered':^27} | "
          f"{'single':^18} | {'speedup':>7}")
    print(f"{'':>9} {'':>4} | {'':>10} | {'cycles':>10} {'util':>6} {'MB moved':>9} | "
          f"{'cycles':>10} {'util':>6} |")
    totals = {"macs": 0, "dbl": 0, "sgl": 0}
    with tempfile.TemporaryDirectory() as work:
        for name in args.layers.split(","):
            c, h, f, k, s, p, uses = LAYERS[name]
            start = time.time()
            src = build_case(work, name, c, h, f, k, s, p)
            dbl = run_case(tools, work, name, src, True, args.target)
            sgl = run_case(tools, work, name, src, False, args.target)
            moved = (dbl["bytes_in"] + dbl["bytes_out"]) / 1e6
            print(f"{name:>9} {uses:>4} | {dbl['macs']:>10} | {dbl['cycles']:>10} "
                  f"{100 * dbl['utilization']:>5.1f}% {moved:>9.2f} | {sgl['cycles']:>10} "
                  f"{100 * sgl['utilization']:>5.1f}% | {sgl['cycles'] / dbl['cycles']:>6.2f}x"
                  f"  ({time.time() - start:.1f} s)")
            totals["macs"] += uses * dbl["macs"]
            totals["dbl"] += uses * dbl["cycles"]
            totals["sgl"] += uses * sgl["cycles"]
    dim2 = 16 * 16
    print(f"all convolutions (each layer x its uses): {totals['dbl']} cycles double-buffered, "
          f"{totals['sgl']} single; utilization {100 * totals['macs'] / (dim2 * totals['dbl']):.1f}%"
          f" vs {100 * totals['macs'] / (dim2 * totals['sgl']):.1f}%; "
          f"double buffering {totals['sgl'] / totals['dbl']:.2f}x faster")
    print("util = MACs / (DIM^2 x cycles) (the target is >= 60% over the conv layers).")


if __name__ == "__main__":
    main()
