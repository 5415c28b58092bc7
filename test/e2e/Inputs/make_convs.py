#!/usr/bin/python3
"""Writes f32 convolutions of the shape classes the CPU strategy meets.

    make_convs.py OUT_DIR

For each case: OUT_DIR/<case>.mlir (one yz.conv2d), <case>.x.npy,
<case>.w.npy when the filter is an input, and <case>.y.ref.npy (numpy, in
float64 then rounded). Cases: 3x3 with padding and a bias, 1x1 with odd
channel counts (the input is the columns), 1x1 with stride 2, 7x7 stride 2
(a ResNet stem), two images with dilation 2 and asymmetric padding (filter
an input), depthwise ones (NHWC, vectorized over channels), grouped ones,
and convolutions of one image by shifted columns.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
from mlirgen import Model, conv_props  # noqa: E402
import qref  # noqa: E402

CASES = {
    # name: (x shape, w shape, stride, pads [t, l, b, r], dilation, groups,
    #        bias?, filter constant?)
    "k3pad": ((1, 5, 9, 9), (7, 5, 3, 3), 1, (1, 1, 1, 1), 1, 1, True, True),
    "k1": ((1, 19, 6, 6), (10, 19, 1, 1), 1, (0, 0, 0, 0), 1, 1, False, True),
    "k1s2": ((1, 8, 7, 7), (12, 8, 1, 1), 2, (0, 0, 0, 0), 1, 1, True, True),
    "k7s2": ((1, 3, 17, 17), (8, 3, 7, 7), 2, (3, 3, 3, 3), 1, 1, False, True),
    "batchdil": ((2, 4, 8, 8), (5, 4, 3, 3), 1, (1, 2, 2, 1), 2, 1, False, False),
    # Depthwise (NHWC, vectorized over channels): 3x3; 5x5 stride 2 (on
    # x86 each row read twice as wide, deinterleaved); stride 3 with
    # asymmetric pads (on x86 through the input's stride phases); and
    # dilated, asymmetric pads, an odd channel count, two images and a
    # run-time filter.
    "depthwise": ((1, 6, 8, 8), (6, 1, 3, 3), 1, (1, 1, 1, 1), 1, 6, True, True),
    "dw5s2": ((1, 24, 11, 11), (24, 1, 5, 5), 2, (2, 2, 2, 2), 1, 24, True, True),
    "dw3s3": ((1, 8, 13, 14), (8, 1, 3, 3), 3, (1, 2, 1, 0), 1, 8, True, True),
    "dwbatch": ((2, 10, 7, 9), (10, 1, 3, 3), 1, (1, 0, 1, 2), 2, 10, False, False),
    # Grouped (a batch of per-group matmuls): 3 groups of 4 -> 6 channels,
    # strided; and over a batch of 2 with a run-time filter, dilated.
    "grouped": ((1, 12, 9, 9), (18, 4, 3, 3), 2, (1, 1, 1, 1), 1, 3, True, True),
    "groupbatch": ((2, 8, 7, 7), (4, 4, 3, 3), 1, (1, 1, 1, 1), 2, 2, False, False),
    # Shifted columns (one image): grouped, dilated, asymmetric pads, each
    # group's input in L1 (read in place); stride 2 with dilation 2 (the
    # stride phases); and a group's input beyond L1 (the packed copy).
    "gshift": ((1, 8, 10, 10), (16, 4, 3, 3), 1, (2, 1, 1, 2), 2, 2, True, True),
    "dils2": ((1, 6, 13, 13), (5, 6, 3, 3), 2, (1, 1, 1, 1), 2, 1, False, True),
    "gbig": ((1, 32, 30, 30), (32, 16, 3, 3), 1, (1, 1, 1, 1), 1, 2, True, True),
    # Small planes with many filters: the pixels as the product's M (the
    # filter transposed), one image and two (a run-time filter), and a 1x1
    # conv (its input transposed, folded into the pack).
    "plane7": ((1, 64, 7, 7), (128, 64, 3, 3), 1, (1, 1, 1, 1), 1, 1, True, True),
    "plane7x2": ((2, 32, 7, 7), (64, 32, 3, 3), 1, (1, 1, 1, 1), 1, 1, False, False),
    "pw7": ((1, 96, 7, 7), (192, 96, 1, 1), 1, (0, 0, 0, 0), 1, 1, True, True),
    # Small planes with a long K: on AVX-512 panels of 7 pixels, which
    # divide the rows, so the im2col rows fold into the LHS pack.
    "long14": ((1, 256, 14, 14), (96, 256, 3, 3), 1, (1, 1, 1, 1), 1, 1, True, False),
    "long7": ((1, 512, 7, 7), (64, 512, 3, 3), 1, (1, 1, 1, 1), 1, 1, False, False),
}


def conv_ref(x, w, b, stride, pads, dil, groups):
    """NCHW convolution in float64."""
    y = qref.conv_nchw(x.astype(np.float64), w, stride, pads, dil, groups)
    if b is not None:
        y += b.astype(np.float64)[None, :, None, None]
    return y


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
for name, (xs, ws, stride, pads, dil, groups, bias, const) in CASES.items():
    x = rng.standard_normal(xs, dtype=np.float32)
    w = rng.standard_normal(ws, dtype=np.float32)
    b = rng.standard_normal(ws[0], dtype=np.float32) if bias else None
    y = conv_ref(x, w, b, stride, pads, dil, groups)
    m = Model(name)
    operands = [m.input("x", x), m.constant("w", w) if const else m.input("w", w)]
    if bias:
        operands.append(m.constant("b", b))
    props = conv_props(stride, pads, dil, groups)
    vy = m.op("conv2d", y.shape, np.float32, *operands, props=props)
    with open(os.path.join(out, f"{name}.mlir"), "w") as f:
        f.write(m.text([("y", vy)]))
    np.save(os.path.join(out, f"{name}.x.npy"), x)
    if not const:
        np.save(os.path.join(out, f"{name}.w.npy"), w)
    np.save(os.path.join(out, f"{name}.y.ref.npy"), y.astype(np.float32))
