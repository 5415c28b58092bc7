#!/usr/bin/python3
"""Writes int8 convolutions (yz.qconv2d) of the shape classes the NPU meets.

    make_qconvs.py OUT_DIR

For each case: OUT_DIR/<case>.mlir, <case>.x.npy and <case>.y.ref.npy (the
numpy reference in utils/qref.py: bit-exact). Per-channel multipliers,
non-zero zero points, ReLU-style clamps; channel counts that are not
multiples of DIM (16), strides, padding, 1x1, 3x3, 7x7, dilation, a batch,
and a depthwise conv (which stays on the CPU). Also qdq: quantize then
dequantize, f32 in and out.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model, conv_props  # noqa: E402
import qref  # noqa: E402

CASES = {
    # name: (x shape, w shape, stride, pads [t, l, b, r], dilation, groups, bias?)
    "k3pad": ((1, 5, 9, 9), (7, 5, 3, 3), 1, (1, 1, 1, 1), 1, 1, True),
    "k3c40": ((1, 40, 6, 7), (35, 40, 3, 3), 1, (1, 1, 1, 1), 1, 1, True),
    "k1": ((1, 19, 6, 6), (10, 19, 1, 1), 1, (0, 0, 0, 0), 1, 1, False),
    "k1s2": ((1, 24, 7, 7), (40, 24, 1, 1), 2, (0, 0, 0, 0), 1, 1, True),
    "k7s2": ((1, 3, 17, 17), (8, 3, 7, 7), 2, (3, 3, 3, 3), 1, 1, True),
    "k3s2": ((1, 16, 11, 10), (33, 16, 3, 3), 2, (1, 1, 1, 1), 1, 1, True),
    "batchdil": ((2, 4, 8, 8), (5, 4, 3, 3), 1, (1, 2, 2, 1), 2, 1, False),
    "wide": ((1, 32, 20, 20), (48, 32, 3, 3), 1, (1, 1, 1, 1), 1, 1, True),
    "depthwise": ((1, 6, 8, 8), (6, 1, 3, 3), 1, (1, 1, 1, 1), 1, 6, True),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)
for name, (xs, ws, stride, pads, dil, groups, bias) in CASES.items():
    x = rng.integers(-128, 128, xs, dtype=np.int8)
    w = rng.integers(-128, 128, ws, dtype=np.int8)
    b = rng.integers(-20000, 20000, ws[0], dtype=np.int32) if bias else None
    k = ws[1] * ws[2] * ws[3]
    mult = (rng.uniform(0.5, 2.0, ws[0]) / (64 * k)).astype(np.float32)
    izp, ozp = int(rng.integers(-10, 10)), int(rng.integers(-10, 10))
    lo = ozp if name in ("k3pad", "wide") else -128  # a fused ReLU
    y = qref.qconv2d(x, w, b, stride, pads, dil, groups, izp, mult, ozp, lo, 127)
    m = Model(name)
    operands = [m.input("x", x), m.constant("w", w)]
    if bias:
        operands.append(m.constant("b", b))
    props = conv_props(
        stride, pads, dil, groups,
        f"clamp_max = 127 : i64, clamp_min = {lo} : i64, "
        f"input_zero_point = {izp} : i64, "
        f"multipliers = array<f32: {', '.join(repr(float(v)) for v in mult)}>, "
        f"output_zero_point = {ozp} : i64, ")
    vy = m.op("qconv2d", y.shape, np.int8, *operands, props=props)
    with open(os.path.join(out, f"{name}.mlir"), "w") as f:
        f.write(m.text([("y", vy)]))
    np.save(os.path.join(out, f"{name}.x.npy"), x)
    np.save(os.path.join(out, f"{name}.y.ref.npy"), y)

# quantize -> dequantize (ONNX QuantizeLinear/DequantizeLinear), with values
# on rounding ties and beyond the i8 range.
x = np.concatenate([rng.standard_normal(60).astype(np.float32) * 4,
                    np.float32([0.25, 0.75, -0.25, -1.25, 100.0, -100.0])])
scale, zp = 0.5, -3
m = Model("qdq")
params = f"scale = {scale} : f32, zero_point = {zp} : i64"
q = m.op("quantize", x.shape, np.int8, m.input("x", x), attrs=params, arrow=True)
y = m.op("dequantize", x.shape, np.float32, q, attrs=params, arrow=True)
with open(os.path.join(out, "qdq.mlir"), "w") as f:
    f.write(m.text([("y", y)]))
np.save(os.path.join(out, "qdq.x.npy"), x)
np.save(os.path.join(out, "qdq.y.ref.npy"), qref.dequantize(qref.quantize(x, scale, zp), scale, zp))
