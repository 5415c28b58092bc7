#!/usr/bin/python3
"""Differential testing: random ONNX models, compiled by yzc, against
PyTorch.

    fuzz/random_models.py [--seeds A:B] [--configs O0,O3] [--jobs 2]
                          [--build build] [--work DIR] [--failures DIR]
    fuzz/random_models.py --write SEED DIR    # one case: model, inputs, refs

Each seed gives one model (onnx.helper, opset 17): a random graph over the
ops yzc supports (convolutions with random kernels, strides, pads,
dilations and groups; pooling; matmul and Gemm; elementwise ops with
broadcasting against values or constants; reductions; transposes,
reshapes, slices with negative steps, concat, split, pad, gather, expand,
where; transposed convolutions and nearest resizing; softmax, batch and
layer normalization; RNN/GRU/LSTM in every direction and layout, with the
numpy reference of test/e2e/Inputs/recurrent_cases.py; Einsum), on shapes with odd, prime and size-1 dimensions.
Every op takes its operands from any earlier value, so values have
several uses and the graph branches and reconverges. The reference is the
same graph evaluated op by op in PyTorch (float64, then rounded to f32).

Configurations: O0 and O3 (host, -O0/-O3), rv (riscv64 under qemu, -O2),
bf16 (host, --npu-dtype=bf16), int8 (host, --quantize=int8 calibrated on
the input). Outputs must match within TOLERANCES of their scale (max |y|),
plus ATOL.
A refusal (yzc exits 1 with a diagnostic) is counted apart; a crash, a
hang, a mismatch or an internal error (an op's verifier failing after a
pass) is a failure: its graph is minimized (outputs dropped
while it still fails the same way, then the nodes no output needs) and
saved under --failures with its seed. Prints one line per failure and the counts.
"""
# Part of Yizhuang.
import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e", "Inputs"))
import recurrent_cases  # noqa: E402  (the numpy reference of RNN/GRU/LSTM)
# Relative to the output's scale; int8 on random weights is coarse.
TOLERANCES = {"O0": 1e-4, "O3": 1e-4, "rv": 1e-4, "bf16": 5e-2, "int8": 0.25}
FLAGS = {"O0": ["--target=host", "-O0"], "O3": ["--target=host", "-O3"],
         "rv": ["--target=riscv64"], "bf16": ["--target=host", "--npu-dtype=bf16"],
         "int8": ["--target=host", "--quantize=int8"]}
TIMEOUT = 120
# An absolute floor: an output that cancels to 0 exactly (sum(concat(x, -x)))
# has scale 0, and float32 leaves the rounding of its terms (seed 4375).
ATOL = 1e-5


class Graph:
    """A random graph built op by op, with its PyTorch evaluation."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.values = [], [], {}  # name -> torch f64
        self.inputs = {}
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array):
        name = self.name("c")
        a = np.asarray(array)
        self.inits.append(numpy_helper.from_array(a, name))
        return name, torch.from_numpy(a.astype(np.float64) if a.dtype.kind == "f" else a)

    def weights(self, shape, scale=None):
        fan = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        scale = scale or 1 / np.sqrt(max(fan, 1))
        return (self.rng.standard_normal(shape) * scale).astype(np.float32)

    def add(self, op, ins, value, **attrs):
        out = self.name("v")
        self.nodes.append(helper.make_node(op, ins, [out], name=out, **attrs))
        self.values[out] = value
        return out

    def pick(self, pred=lambda v: True):
        names = [n for n, v in self.values.items() if pred(v)]
        return names[self.rng.integers(len(names))] if names else None

    def dim(self, lo=1, hi=9):
        return int(self.rng.choice(list(range(lo, hi)) + [1, 3, 5, 7, 11, 13]))


def shape_of(v):
    return tuple(v.shape)


# Each op: (graph) -> bool (False when no operand fits).

def op_conv(g):
    x = g.pick(lambda v: v.dim() == 4)
    if not x:
        return False
    n, c, h, w = shape_of(g.values[x])
    divisors = [d for d in range(1, c + 1) if c % d == 0]
    groups = int(g.rng.choice(divisors))
    f = groups * int(g.rng.integers(1, 4)) if groups > 1 else int(g.rng.integers(1, 9))
    kh, kw = int(g.rng.integers(1, 4)), int(g.rng.integers(1, 4))
    sh, sw = int(g.rng.integers(1, 3)), int(g.rng.integers(1, 3))
    dh, dw = int(g.rng.integers(1, 3)), int(g.rng.integers(1, 3))
    pads = [int(p) for p in g.rng.integers(0, 2, 4)]
    oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (w + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        return False
    wt = g.weights((f, c // groups, kh, kw))
    ins = [x, g.const(wt)[0]]
    b = None
    if g.rng.random() < 0.7:
        b = g.weights((f,), 0.1)
        ins.append(g.const(b)[0])
    xv = F.pad(g.values[x], (pads[1], pads[3], pads[0], pads[2]))
    y = F.conv2d(xv, torch.from_numpy(wt.astype(np.float64)),
                 None if b is None else torch.from_numpy(b.astype(np.float64)),
                 (sh, sw), 0, (dh, dw), groups)
    g.add("Conv", ins, y, kernel_shape=[kh, kw], strides=[sh, sw],
          dilations=[dh, dw], pads=pads, group=groups)
    return True


def op_pool(g):
    x = g.pick(lambda v: v.dim() == 4)
    if not x:
        return False
    _, _, h, w = shape_of(g.values[x])
    k = [int(g.rng.integers(1, 4)), int(g.rng.integers(1, 4))]
    s = [int(g.rng.integers(1, 3)), int(g.rng.integers(1, 3))]
    p = [int(g.rng.integers(0, k[0] // 2 + 1)), int(g.rng.integers(0, k[1] // 2 + 1))]
    if (h + 2 * p[0] - k[0]) < 0 or (w + 2 * p[1] - k[1]) < 0:
        return False
    xv = g.values[x]
    if g.rng.random() < 0.5:
        y = F.max_pool2d(xv, k, s, p)
        g.add("MaxPool", [x], y, kernel_shape=k, strides=s, pads=p + p)
    else:
        include = int(g.rng.integers(0, 2))
        y = F.avg_pool2d(xv, k, s, p, count_include_pad=bool(include))
        g.add("AveragePool", [x], y, kernel_shape=k, strides=s, pads=p + p,
              count_include_pad=include)
    return True


def broadcast_partner(g, shape):
    """An existing value or a new constant that broadcasts with `shape`."""
    same = g.pick(lambda v: shape_of(v) == shape)
    if same and g.rng.random() < 0.5:
        return same, g.values[same]
    # A constant with some dimensions set to 1 (or dropped from the front).
    cshape = [d if g.rng.random() < 0.5 else 1 for d in shape]
    drop = int(g.rng.integers(0, len(shape) + 1))
    cshape = cshape[drop:]
    return g.const(g.weights(tuple(cshape), 1.0))


def op_binary(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    op = str(g.rng.choice(["Add", "Sub", "Mul", "Div", "Max", "Min"]))
    if op == "Div":
        shape = [d if g.rng.random() < 0.5 else 1 for d in shape_of(xv)]
        c = np.abs(g.weights(tuple(shape), 1.0)) + np.float32(0.5)
        yname, yv = g.const(c)
    else:
        yname, yv = broadcast_partner(g, shape_of(xv))
    swap = op != "Div" and g.rng.random() < 0.5
    ins, (a, b) = ([yname, x], (yv, xv)) if swap else ([x, yname], (xv, yv))
    fn = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div,
          "Max": torch.maximum, "Min": torch.minimum}[op]
    g.add(op, ins, fn(a, b))
    return True


def op_unary(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    op = str(g.rng.choice(["Relu", "Sigmoid", "Tanh", "LeakyRelu", "Abs", "Neg",
                           "Elu", "HardSigmoid", "Clip", "Softplus", "Sqrt"]))
    if op == "Relu":
        g.add(op, [x], torch.relu(xv))
    elif op == "Sigmoid":
        g.add(op, [x], torch.sigmoid(xv))
    elif op == "Tanh":
        g.add(op, [x], torch.tanh(xv))
    elif op == "LeakyRelu":
        a = float(np.float32(g.rng.uniform(0.01, 0.5)))
        g.add(op, [x], F.leaky_relu(xv, a), alpha=a)
    elif op == "Abs":
        g.add(op, [x], xv.abs())
    elif op == "Neg":
        g.add(op, [x], -xv)
    elif op == "Elu":
        g.add(op, [x], F.elu(xv))
    elif op == "HardSigmoid":
        g.add(op, [x], torch.clamp(xv * 0.2 + 0.5, 0, 1))
    elif op == "Softplus":
        g.add(op, [x], F.softplus(xv))
    elif op == "Sqrt":
        a = g.add("Abs", [x], xv.abs())
        g.add(op, [a], g.values[a].sqrt())
    else:
        lo, hi = sorted(float(np.float32(v)) for v in g.rng.uniform(-1, 1, 2))
        lon, _ = g.const(np.float32(lo))
        hin, _ = g.const(np.float32(hi))
        g.add(op, [x, lon, hin], torch.clamp(xv, lo, hi))
    return True


def op_matmul(g):
    x = g.pick(lambda v: v.dim() >= 2)
    if not x:
        return False
    xv = g.values[x]
    k = xv.shape[-1]
    n = g.dim()
    other = g.pick(lambda v: v.dim() == xv.dim() and v.shape[-2] == k and
                   v.shape[:-2] == xv.shape[:-2])
    if other and g.rng.random() < 0.3:
        g.add("MatMul", [x, other], xv @ g.values[other])
        return True
    w = g.weights((k, n))
    if xv.dim() == 2 and g.rng.random() < 0.5:
        b = g.weights((n,), 0.1)
        ta = int(g.rng.integers(0, 2))
        wt = w.T.copy() if ta else w
        y = xv @ torch.from_numpy(w.astype(np.float64)) + torch.from_numpy(b.astype(np.float64))
        g.add("Gemm", [x, g.const(wt)[0], g.const(b)[0]], y, transB=ta)
        return True
    g.add("MatMul", [x, g.const(w)[0]], xv @ torch.from_numpy(w.astype(np.float64)))
    return True


def op_reduce(g):
    x = g.pick(lambda v: v.dim() >= 1)
    if not x:
        return False
    xv = g.values[x]
    r = xv.dim()
    norm = sorted(set(int(a) for a in g.rng.integers(0, r, int(g.rng.integers(1, r + 1)))))
    axes = [a - r if g.rng.random() < 0.3 else a for a in norm]  # some negative
    keep = int(g.rng.integers(0, 2))
    if not keep and len(norm) == r:
        keep = 1  # keep a rank >= 1 result
    op = str(g.rng.choice(["ReduceMean", "ReduceSum", "ReduceMax"]))
    if op == "ReduceMean":
        y = xv.mean(dim=norm, keepdim=bool(keep))
    elif op == "ReduceSum":
        y = xv.sum(dim=norm, keepdim=bool(keep))
    else:
        y = xv.amax(dim=norm, keepdim=bool(keep))
    if op == "ReduceSum":
        g.add(op, [x, g.const(np.array(axes, np.int64))[0]], y, keepdims=keep)
    else:
        g.add(op, [x], y, axes=axes, keepdims=keep)
    return True


def op_transpose(g):
    x = g.pick(lambda v: v.dim() >= 2)
    if not x:
        return False
    perm = [int(p) for p in g.rng.permutation(g.values[x].dim())]
    g.add("Transpose", [x], g.values[x].permute(*perm), perm=perm)
    return True


def op_reshape(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    total = xv.numel()
    shape = []
    rest = total
    for _ in range(int(g.rng.integers(1, 4))):
        ds = [d for d in range(1, rest + 1) if rest % d == 0]
        d = int(g.rng.choice(ds))
        shape.append(d)
        rest //= d
    shape.append(rest)
    onnx_shape = list(shape)
    if g.rng.random() < 0.3:
        onnx_shape[int(g.rng.integers(len(shape)))] = -1
    g.add("Reshape", [x, g.const(np.array(onnx_shape, np.int64))[0]], xv.reshape(shape))
    return True


def op_concat(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    axis = int(g.rng.integers(xv.dim()))
    other = g.pick(lambda v: v.dim() == xv.dim() and all(
        a == b for i, (a, b) in enumerate(zip(v.shape, xv.shape)) if i != axis))
    g.add("Concat", [x, other], torch.cat([xv, g.values[other]], axis), axis=axis)
    return True


def op_slice(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    axis = int(g.rng.integers(xv.dim()))
    n = xv.shape[axis]
    step = int(g.rng.choice([1, 1, 2, 3, -1, -2]))
    if step > 0:
        start = int(g.rng.integers(0, n))
        end = int(g.rng.integers(start + 1, n + 1))
        idx = list(range(start, end, step))
    else:
        start = int(g.rng.integers(0, n))
        end = int(g.rng.integers(-1, start))
        idx = list(range(start, end, step))
        if end == -1:
            end = -n - 1  # past the beginning
    y = xv.index_select(axis, torch.tensor(idx, dtype=torch.long))
    ins = [x, g.const(np.array([start], np.int64))[0], g.const(np.array([end], np.int64))[0],
           g.const(np.array([axis], np.int64))[0], g.const(np.array([step], np.int64))[0]]
    g.add("Slice", ins, y)
    return True


def op_softmax(g):
    x = g.pick(lambda v: v.dim() >= 1)
    if not x:
        return False
    axis = int(g.rng.integers(-g.values[x].dim(), g.values[x].dim()))
    op = str(g.rng.choice(["Softmax", "LogSoftmax"]))
    fn = torch.softmax if op == "Softmax" else torch.log_softmax
    g.add(op, [x], fn(g.values[x], axis), axis=axis)
    return True


def op_batchnorm(g):
    x = g.pick(lambda v: v.dim() == 4)
    if not x:
        return False
    c = g.values[x].shape[1]
    scale, bias = g.weights((c,), 1.0), g.weights((c,), 0.1)
    mean, var = g.weights((c,), 0.1), np.abs(g.weights((c,), 1.0)) + np.float32(0.5)
    t = [torch.from_numpy(a.astype(np.float64)) for a in (scale, bias, mean, var)]
    y = F.batch_norm(g.values[x], t[2], t[3], t[0], t[1], False, 0.0, 1e-5)
    g.add("BatchNormalization", [x] + [g.const(a)[0] for a in (scale, bias, mean, var)],
          y, epsilon=1e-5)
    return True


def op_layernorm(g):
    x = g.pick(lambda v: v.dim() >= 2)
    if not x:
        return False
    xv = g.values[x]
    axis = int(g.rng.integers(1, xv.dim()))
    shape = tuple(xv.shape[axis:])
    s, b = g.weights(shape, 1.0), g.weights(shape, 0.1)
    y = F.layer_norm(xv, shape, torch.from_numpy(s.astype(np.float64)),
                     torch.from_numpy(b.astype(np.float64)), 1e-5)
    g.add("LayerNormalization", [x, g.const(s)[0], g.const(b)[0]], y, axis=axis,
          epsilon=1e-5)
    return True


def op_pad(g):
    x = g.pick(lambda v: v.dim() == 4)
    if not x:
        return False
    xv = g.values[x]
    mode = str(g.rng.choice(["constant", "reflect", "edge"]))
    p = [int(v) for v in g.rng.integers(0, 3, 4)]  # h0, w0, h1, w1
    if mode == "reflect" and (p[0] >= xv.shape[2] or p[2] >= xv.shape[2] or
                              p[1] >= xv.shape[3] or p[3] >= xv.shape[3]):
        mode = "constant"
    tm = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}[mode]
    y = F.pad(xv, (p[1], p[3], p[0], p[2]), mode=tm)
    pads = np.array([0, 0, p[0], p[1], 0, 0, p[2], p[3]], np.int64)
    g.add("Pad", [x, g.const(pads)[0]], y, mode=mode)
    return True


def op_global_pool(g):
    x = g.pick(lambda v: v.dim() == 4)
    if not x:
        return False
    xv = g.values[x]
    if g.rng.random() < 0.5:
        g.add("GlobalAveragePool", [x], xv.mean(dim=(2, 3), keepdim=True))
    else:
        g.add("GlobalMaxPool", [x], xv.amax(dim=(2, 3), keepdim=True))
    return True


def op_split(g):
    x = g.pick(lambda v: v.dim() >= 1)
    if not x:
        return False
    xv = g.values[x]
    axis = int(g.rng.integers(xv.dim()))
    n = xv.shape[axis]
    if n < 2:
        return False
    first = int(g.rng.integers(1, n))
    outs = [g.name("v"), g.name("v")]
    g.nodes.append(helper.make_node(
        "Split", [x, g.const(np.array([first, n - first], np.int64))[0]], outs,
        name=outs[0], axis=axis))
    a, b = torch.split(xv, [first, n - first], axis)
    g.values[outs[0]], g.values[outs[1]] = a, b
    return True


def op_gather(g):
    x = g.pick(lambda v: v.dim() >= 1)
    if not x:
        return False
    xv = g.values[x]
    axis = int(g.rng.integers(xv.dim()))
    n = xv.shape[axis]
    idx = g.rng.integers(-n, n, int(g.rng.integers(1, 5))).astype(np.int64)
    y = xv.index_select(axis, torch.from_numpy(idx % n))
    g.add("Gather", [x, g.const(idx)[0]], y, axis=axis)
    return True


def op_where(g):
    x = g.pick()
    if not x:
        return False
    xv = g.values[x]
    yname, yv = broadcast_partner(g, shape_of(xv))
    cmp = str(g.rng.choice(["Greater", "Less"]))
    cond = (xv > yv) if cmp == "Greater" else (xv < yv)
    c = g.name("b")  # a bool value: not an operand for the other ops
    g.nodes.append(helper.make_node(cmp, [x, yname], [c], name=c))
    g.add("Where", [c, x, yname], torch.where(cond, xv, yv))
    return True


def op_conv_transpose(g):
    x = g.pick(lambda v: v.dim() == 4 and v.shape[2] * v.shape[3] <= 400)
    if not x:
        return False
    _, c, h, w = shape_of(g.values[x])
    f, k, s = int(g.rng.integers(1, 6)), int(g.rng.integers(1, 4)), int(g.rng.integers(1, 3))
    p = int(g.rng.integers(0, k))
    if min((h - 1) * s - 2 * p + k, (w - 1) * s - 2 * p + k) < 1:
        return False
    wt = g.weights((c, f, k, k))
    y = F.conv_transpose2d(g.values[x], torch.from_numpy(wt.astype(np.float64)), None, s, p)
    if min(y.shape[2:]) < 1:
        return False
    g.add("ConvTranspose", [x, g.const(wt)[0]], y, kernel_shape=[k, k],
          strides=[s, s], pads=[p, p, p, p])
    return True


def op_resize(g):
    x = g.pick(lambda v: v.dim() == 4 and v.shape[2] * v.shape[3] <= 400)
    if not x:
        return False
    sh, sw = int(g.rng.integers(1, 4)), int(g.rng.integers(1, 4))
    y = F.interpolate(g.values[x], scale_factor=(sh, sw), mode="nearest")
    scales = np.array([1, 1, sh, sw], np.float32)
    g.add("Resize", [x, "", g.const(scales)[0]], y, mode="nearest",
          coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    return True


def op_expand(g):
    x = g.pick(lambda v: v.dim() >= 1 and 1 in v.shape)
    if not x:
        return False
    xv = g.values[x]
    shape = [d if d != 1 else g.dim(1, 5) for d in xv.shape]
    g.add("Expand", [x, g.const(np.array(shape, np.int64))[0]], xv.expand(*shape))
    return True


def op_recurrent(g):
    x = g.pick(lambda v: v.dim() == 3)
    if not x:
        return False
    xv = g.values[x]
    cell = str(g.rng.choice(["RNN", "GRU", "LSTM"]))
    direction = str(g.rng.choice(["forward", "reverse", "bidirectional"]))
    layout = int(g.rng.integers(0, 2))
    t, b, i = shape_of(xv) if layout == 0 else (xv.shape[1], xv.shape[0], xv.shape[2])
    hidden = g.dim(1, 9)
    gates = {"RNN": 1, "GRU": 3, "LSTM": 4}[cell]
    dirs = 2 if direction == "bidirectional" else 1
    w = g.weights((dirs, gates * hidden, i))
    r = g.weights((dirs, gates * hidden, hidden))
    bias = g.weights((dirs, 2 * gates * hidden), 0.1)
    attrs = {"hidden_size": hidden, "direction": direction, "layout": layout}
    lbr = int(g.rng.integers(0, 2)) if cell == "GRU" else 0
    if cell == "GRU":
        attrs["linear_before_reset"] = lbr
    names = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"],
             "LSTM": ["Sigmoid", "Tanh", "Tanh"]}[cell] * dirs
    ys = recurrent_cases.reference(
        cell, xv.numpy(), w, r, bias, None, None, None, None, direction, layout,
        None, lbr, 0, names, [], [])
    outs = [g.name("v"), g.name("v")]
    g.nodes.append(helper.make_node(
        cell, [x, g.const(w)[0], g.const(r)[0], g.const(bias)[0]], outs,
        name=outs[0], **attrs))
    g.values[outs[0]] = torch.from_numpy(ys[0].astype(np.float64))
    g.values[outs[1]] = torch.from_numpy(ys[1].astype(np.float64))
    return True


EINSUMS = ["ij,jk->ik", "bij,bjk->bik", "ij,kj->ik", "bij,bkj->bik", "i,j->ij",
           "bi,bi->b", "ij->ji", "bij->bji", "...ij,jk->...ik"]


def op_einsum(g):
    eq = str(g.rng.choice(EINSUMS))
    lhs, out = eq.split("->")
    terms = lhs.split(",")
    first = terms[0].replace("...", "")
    x = g.pick(lambda v: v.dim() == len(first) + (v.dim() - len(first) if "..." in terms[0] else 0)
               and v.dim() >= len(first))
    if not x:
        return False
    xv = g.values[x]
    sizes = dict(zip(first, xv.shape[xv.dim() - len(first):]))
    ins, arrays = [x], [xv.numpy()]
    for term in terms[1:]:
        shape = tuple(sizes.get(c, g.dim()) for c in term)
        for c, d in zip(term, shape):
            sizes[c] = d
        name, _ = g.const(g.weights(shape, 1.0))
        ins.append(name)
        arrays.append(numpy_helper.to_array(g.inits[-1]).astype(np.float64))
    y = np.einsum(eq, *arrays)
    g.add("Einsum", ins, torch.from_numpy(np.array(y, np.float64)), equation=eq)
    return True


OPS = [(op_conv, 4), (op_pool, 2), (op_binary, 4), (op_unary, 3), (op_matmul, 2),
       (op_reduce, 2), (op_transpose, 1), (op_reshape, 1), (op_concat, 2),
       (op_slice, 1), (op_softmax, 1), (op_batchnorm, 1), (op_layernorm, 1),
       (op_pad, 1), (op_global_pool, 1), (op_split, 1), (op_gather, 1),
       (op_where, 1), (op_conv_transpose, 1), (op_resize, 1), (op_expand, 1),
       (op_recurrent, 1), (op_einsum, 1)]


def generate(seed):
    """(model, inputs {name: array}, references {name: array})."""
    g = Graph(seed)
    # Mostly NCHW images; sometimes [T, B, I] sequences or [N, K] rows.
    rank = int(g.rng.choice([4, 4, 4, 3, 3, 2]))
    shape = (int(g.rng.choice([1, 1, 2])), g.dim(1, 9), g.dim(1, 14), g.dim(1, 14))[:rank]
    x = g.rng.standard_normal(shape).astype(np.float32)
    g.inputs["x"] = x
    g.values["x"] = torch.from_numpy(x.astype(np.float64))
    if g.rng.random() < 0.3:  # a second input, broadcasting with x
        s2 = tuple(d if g.rng.random() < 0.6 else 1 for d in shape)
        y = g.rng.standard_normal(s2).astype(np.float32)
        g.inputs["y"] = y
        g.values["y"] = torch.from_numpy(y.astype(np.float64))
    ops, weights = zip(*OPS)
    p = np.array(weights, np.float64) / sum(weights)
    target = int(g.rng.integers(2, 20))
    tries = 0
    while len(g.nodes) < target and tries < 200:
        tries += 1
        op = ops[g.rng.choice(len(ops), p=p)]
        if g.values and max(v.numel() for v in g.values.values()) > 200000:
            break
        op(g)
    used = {i for n in g.nodes for i in n.input}
    produced = [o for n in g.nodes for o in n.output]
    sinks = [o for o in produced if o not in used] or produced[-1:]
    outs = sinks[:3]
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, a.shape)
              for n, a in g.inputs.items()]
    refs = {o: g.values[o].numpy().astype(np.float32) for o in outs}
    outputs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, refs[o].shape)
               for o in outs]
    graph = helper.make_graph(g.nodes, f"random{seed}", inputs, outputs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return model, g.inputs, refs


def write_case(model, inputs, refs, d):
    os.makedirs(d, exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    for n, a in inputs.items():
        np.save(os.path.join(d, f"in.{n}.npy"), a)
    for n, a in refs.items():
        np.save(os.path.join(d, f"ref.{n}.npy"), np.ascontiguousarray(a))
    if len(inputs) == 1:
        os.makedirs(os.path.join(d, "cal"), exist_ok=True)
        np.save(os.path.join(d, "cal", "0.npy"), next(iter(inputs.values())))
    else:
        os.makedirs(os.path.join(d, "cal", "0"), exist_ok=True)
        for n, a in inputs.items():
            np.save(os.path.join(d, "cal", "0", f"{n}.npy"), a)


def run_config(build, d, model, inputs, refs, config):
    """'pass', 'refused', or a failure kind with its detail."""
    tools = os.path.join(build, "bin")
    obj = os.path.join(d, f"{config}.o")
    flags = list(FLAGS[config])
    if config == "int8":
        flags += ["--calibration", os.path.join(d, "cal")]
    try:
        p = subprocess.run([os.path.join(tools, "yzc"), os.path.join(d, model), "-o", obj]
                           + flags, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "hang", "yzc"
    if p.returncode == 1 and "error:" in p.stderr:
        first = p.stderr.strip().splitlines()[0]
        # An op's own verifier speaking after a pass, not a diagnostic of
        # the importer or the driver about the model: a compiler bug.
        if re.search(r"'[a-z_]+\.[a-z_.]+' op ", first) and "node '" not in first:
            return "internal", first
        return "refused", first
    if p.returncode != 0:
        return "crash", f"yzc exit {p.returncode}: " + (p.stderr.strip().splitlines() or [""])[-1]
    cmd = [os.path.join(tools, "yz-run"), obj, "--quiet", "--rtol", "0",
           "--atol", str(ATOL), "--scale-tol", str(TOLERANCES[config])]
    for n in inputs:
        cmd += ["--input", os.path.join(d, f"in.{n}.npy")]
    for n in refs:
        cmd += ["--compare", os.path.join(d, f"ref.{n}.npy")]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "hang", "yz-run"
    if p.returncode == 3:
        bad = [l for l in p.stdout.splitlines() if "MISMATCH" in l]
        return "mismatch", (bad or [p.stdout.strip()])[0]
    if p.returncode != 0:
        return "crash", f"yz-run exit {p.returncode}: " + (p.stderr.strip().splitlines() or [""])[-1]
    return "pass", ""


def check(build, model, inputs, refs, config, work):
    d = tempfile.mkdtemp(dir=work)
    try:
        write_case(model, inputs, refs, d)
        return run_config(build, d, "model.onnx", inputs, refs, config)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def minimize(build, model, inputs, refs, config, kind, work):
    """Drops outputs while the case still fails as `kind`, then the nodes
    no remaining output needs. (Changing a node would need a new reference:
    the references are the generator's, per output.)"""
    def sliced(m, keep):
        m2 = onnx.ModelProto()
        m2.CopyFrom(m)
        outs = [v for v in m2.graph.output if v.name in keep]
        del m2.graph.output[:]
        m2.graph.output.extend(outs)
        needed, live = set(keep), []
        for n in reversed(list(m2.graph.node)):
            if any(o in needed for o in n.output):
                live.append(n)
                needed.update(n.input)
        del m2.graph.node[:]
        m2.graph.node.extend(reversed(live))
        inits = [t for t in m2.graph.initializer if t.name in needed]
        del m2.graph.initializer[:]
        m2.graph.initializer.extend(inits)
        return m2

    keep = list(refs)
    for o in list(keep):
        if len(keep) == 1:
            break
        trial = [k for k in keep if k != o]
        if check(build, sliced(model, trial), inputs, {k: refs[k] for k in trial},
                 config, work)[0] == kind:
            keep = trial
    return sliced(model, keep), {k: refs[k] for k in keep}


def run_seed(args, seed):
    try:
        model, inputs, refs = generate(seed)
    except Exception as e:  # a generator bug, not a compiler one
        return seed, [("generator", "skip", repr(e))]
    results = []
    work = tempfile.mkdtemp(prefix=f"yz-rand{seed}-", dir=args.work)
    try:
        write_case(model, inputs, refs, work)
        for config in args.configs:
            kind, detail = run_config(args.build, work, "model.onnx", inputs, refs, config)
            if kind not in ("pass", "refused") and args.failures:
                small, small_refs = minimize(args.build, model, inputs, refs, config, kind,
                                             args.work)
                out = os.path.join(args.failures, f"seed{seed}-{config}")
                write_case(small, inputs, small_refs, out)
                with open(os.path.join(out, "failure.json"), "w") as f:
                    json.dump({"seed": seed, "config": config, "kind": kind,
                               "detail": detail, "nodes": len(small.graph.node)}, f)
            results.append((config, kind, detail))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return seed, results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0:100", help="A:B, seeds A to B-1")
    ap.add_argument("--configs", default="O0,O3")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--work", default=None, help="temporary files (default: /tmp)")
    ap.add_argument("--failures", default=None, help="save minimized failures here")
    ap.add_argument("--write", nargs=2, metavar=("SEED", "DIR"),
                    help="write one case (model, inputs, references) and exit")
    args = ap.parse_args()
    if args.write:
        model, inputs, refs = generate(int(args.write[0]))
        write_case(model, inputs, refs, args.write[1])
        print(" ".join(n.op_type for n in model.graph.node))
        return
    a, b = (int(v) for v in args.seeds.split(":"))
    args.configs = args.configs.split(",")
    for c in args.configs:
        if c not in FLAGS:
            sys.exit(f"unknown configuration {c} (known: {', '.join(FLAGS)})")
    args.work = args.work or tempfile.gettempdir()
    os.makedirs(args.work, exist_ok=True)
    if args.failures:
        os.makedirs(args.failures, exist_ok=True)
    counts = {}
    refusals = {}
    with multiprocessing.Pool(args.jobs) as pool:
        for seed, results in pool.imap_unordered(lambda_seed, [(args, s) for s in range(a, b)]):
            for config, kind, detail in results:
                counts[(config, kind)] = counts.get((config, kind), 0) + 1
                if kind == "refused":
                    key = detail.split("error:", 1)[-1].strip()[:100]
                    refusals[key] = refusals.get(key, 0) + 1
                elif kind != "pass":
                    print(f"seed {seed} {config}: {kind}: {detail}", flush=True)
    print(f"{b - a} models")
    for config in args.configs + ["generator"]:
        row = {k: n for (c, k), n in counts.items() if c == config}
        if row:
            print(f"{config}: " + ", ".join(f"{n} {k}" for k, n in sorted(row.items())))
    for key, n in sorted(refusals.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  refused {n}x: {key}")
    failed = sum(n for (c, k), n in counts.items() if k not in ("pass", "refused", "skip"))
    passed = sum(n for (c, k), n in counts.items() if k == "pass")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def lambda_seed(arg):
    return run_seed(*arg)


if __name__ == "__main__":
    main()
