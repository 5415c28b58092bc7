#!/usr/bin/python3
"""Writes an ONNX QDQ model: two int8 convolutions in QuantizeLinear /
DequantizeLinear form, as quantization tools export them.

    make_qdq.py OUT_DIR

x -> Q -> DQ -> Conv(DQ(w1), DQ(b1)) -> Relu -> Q -> DQ -> Conv(DQ(w2)) ->
Q -> DQ -> y, with per-channel symmetric int8 weights (w2's largest |q| is
100, not 127) and int32 biases. Writes qdq.onnx, x.npy and y.ref.npy: the
int8 arithmetic the NPU does (utils/qref.py) with the model's own scales.
The float evaluation of the same graph (ONNX semantics) agrees with it to
one output step; the script checks that.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
import qref  # noqa: E402

f32 = np.float32
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
x = rng.standard_normal((1, 3, 8, 8)).astype(f32)
sx, zx = f32(0.03), -5
s1, z1 = f32(0.02), -128  # after the ReLU
sy, zy = f32(0.05), 3
w1 = rng.integers(-127, 128, (8, 3, 3, 3)).astype(np.int8)
w1[:, 0, 0, 0] = 127  # each channel spans the grid
ws1 = rng.uniform(0.002, 0.01, 8).astype(f32)
b1 = rng.integers(-3000, 3000, 8).astype(np.int32)
w2 = rng.integers(-100, 101, (6, 8, 1, 1)).astype(np.int8)
w2[:, 0, 0, 0] = 100
ws2 = rng.uniform(0.005, 0.02, 6).astype(f32)

init = [numpy_helper.from_array(a, n) for a, n in [
    (np.array(sx), "sx"), (np.array(zx, np.int8), "zx"),
    (np.array(s1), "s1"), (np.array(z1, np.int8), "z1"),
    (np.array(sy), "sy"), (np.array(zy, np.int8), "zy"),
    (w1, "w1q"), (ws1, "w1s"), (np.zeros(8, np.int8), "w1z"),
    (b1, "b1q"), ((sx * ws1).astype(f32), "b1s"),
    (w2, "w2q"), (ws2, "w2s"), (np.zeros(6, np.int8), "w2z")]]
N = helper.make_node
nodes = [
    N("QuantizeLinear", ["x", "sx", "zx"], ["xq"], name="q_x"),
    N("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="dq_x"),
    N("DequantizeLinear", ["w1q", "w1s", "w1z"], ["w1"], name="dq_w1", axis=0),
    N("DequantizeLinear", ["b1q", "b1s"], ["b1"], name="dq_b1", axis=0),
    N("Conv", ["xd", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
    N("Relu", ["c1"], ["r1"], name="relu1"),
    N("QuantizeLinear", ["r1", "s1", "z1"], ["h"], name="q_h"),
    N("DequantizeLinear", ["h", "s1", "z1"], ["hd"], name="dq_h"),
    N("DequantizeLinear", ["w2q", "w2s", "w2z"], ["w2"], name="dq_w2", axis=0),
    N("Conv", ["hd", "w2"], ["c2"], name="conv2", strides=[2, 2]),
    N("QuantizeLinear", ["c2", "sy", "zy"], ["yq"], name="q_y"),
    N("DequantizeLinear", ["yq", "sy", "zy"], ["y"], name="dq_y"),
]
graph = helper.make_graph(
    nodes, "qdq", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, (1, 6, 4, 4))], init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "qdq.onnx"))
np.save(os.path.join(out, "x.npy"), x)


def mult(s_in, ws, s_out):
    return (np.float64(s_in) * ws.astype(np.float64) / np.float64(s_out)).astype(f32)


# The NPU's arithmetic with the model's scales.
xq = qref.quantize(x, sx, zx)
h = qref.qconv2d(xq, w1, b1, 1, (1, 1, 1, 1), 1, 1, zx, mult(sx, ws1, s1), z1, z1, 127)
yq = qref.qconv2d(h, w2, None, 2, (0, 0, 0, 0), 1, 1, z1, mult(s1, ws2, sy), zy)
y = qref.dequantize(yq, sy, zy)
np.save(os.path.join(out, "y.ref.npy"), y)

# ONNX's float semantics of the same graph: one output step apart at most.
wd1 = w1.astype(f32) * ws1[:, None, None, None]
c1 = qref.conv_nchw(qref.dequantize(xq, sx, zx).astype(np.float64), wd1, 1,
                    (1, 1, 1, 1), 1, 1) + (b1 * (sx * ws1)).astype(f32)[None, :, None, None]
hd = qref.dequantize(qref.quantize(np.maximum(c1, 0), s1, z1), s1, z1)
c2 = qref.conv_nchw(hd.astype(np.float64), w2.astype(f32) * ws2[:, None, None, None],
                    2, (0, 0, 0, 0), 1, 1)
yf = qref.dequantize(qref.quantize(c2, sy, zy), sy, zy)
assert np.abs(yf - y).max() <= sy * 1.001, np.abs(yf - y).max()
