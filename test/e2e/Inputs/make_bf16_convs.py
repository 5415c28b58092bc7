#!/usr/bin/python3
"""Writes f32 convolutions for the NPU in bf16 (--npu-dtype=bf16).

    make_bf16_convs.py OUT_DIR

For each case: <case>.mlir (a yz.conv2d with constant weights, a bias and
a fused ReLU or ReLU6 in some), <case>.x.npy, <case>.y.bf16.npy (what the
NPU computes: utils/qref.bf16_conv, exact) and <case>.y.f32.npy (float64
numpy, which bf16 matches to about 1e-2 relative).
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model, conv_props  # noqa: E402
import qref  # noqa: E402

CASES = {
    # name: (x shape, w shape, stride, pads, dilation, bias?, activation)
    "k3relu": ((1, 5, 9, 9), (7, 5, 3, 3), 1, (1, 1, 1, 1), 1, True, "relu"),
    "k7s2": ((1, 3, 17, 17), (8, 3, 7, 7), 2, (3, 3, 3, 3), 1, False, None),
    "k1relu6": ((2, 19, 6, 6), (21, 19, 1, 1), 1, (0, 0, 0, 0), 1, True, "relu6"),
    "c40": ((1, 40, 6, 7), (35, 40, 3, 3), 1, (1, 1, 1, 1), 1, True, None),
    "dil2": ((1, 4, 9, 9), (5, 4, 3, 3), 1, (2, 2, 2, 2), 2, True, "relu"),
}
CLAMPS = {None: "", "relu": "clamp_min = 0.0 : f32, ",
          "relu6": "clamp_max = 6.0 : f32, clamp_min = 0.0 : f32, "}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(9)
for name, (xs, ws, stride, pads, dil, bias, act) in CASES.items():
    x = rng.standard_normal(xs, dtype=np.float32)
    w = (rng.standard_normal(ws, dtype=np.float32) / np.sqrt(ws[1] * ws[2] * ws[3])
         ).astype(np.float32)
    b = rng.standard_normal(ws[0], dtype=np.float32) if bias else None
    y = qref.bf16_conv(x, w, b, stride, pads, dil, act)
    y64 = qref.conv_nchw(x.astype(np.float64), w, stride, pads, dil, 1)
    if bias:
        y64 += b[None, :, None, None]
    if act:
        y64 = np.clip(y64, 0, 6 if act == "relu6" else None)
    m = Model(name)
    operands = [m.input("x", x), m.constant("w", w)]
    if bias:
        operands.append(m.constant("b", b))
    props = conv_props(stride, pads, dil, 1, CLAMPS[act])
    vy = m.op("conv2d", y.shape, np.float32, *operands, props=props)
    with open(os.path.join(out, f"{name}.mlir"), "w") as f:
        f.write(m.text([("y", vy)]))
    np.save(os.path.join(out, f"{name}.x.npy"), x)
    np.save(os.path.join(out, f"{name}.y.bf16.npy"), y)
    np.save(os.path.join(out, f"{name}.y.f32.npy"), y64.astype(np.float32))
