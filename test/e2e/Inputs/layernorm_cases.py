#!/usr/bin/python3
"""LayerNormalization over nearly constant groups, where a float32 mean
loses the deviations (found by fuzz/random_models.py, seeds 1818 and 2455):
a group broadcast from one value (variance 0: the output is the bias), and
a group clamped to a value far from 0 but for a few elements.

    layernorm_cases.py OUT_DIR

Writes OUT_DIR/ln.onnx, x.npy and the float64 references y1.npy, y2.npy.
"""
# Part of Yizhuang.
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def layer_norm(x, scale, bias, axis, eps=1e-5):
    axes = tuple(range(axis, x.ndim))
    d = x - x.mean(axis=axes, keepdims=True)
    return d / np.sqrt((d * d).mean(axis=axes, keepdims=True) + eps) * scale + bias


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
    s1, b1 = rng.standard_normal((26,)).astype(np.float32), rng.standard_normal((26,)).astype(np.float32)
    s2, b2 = (rng.standard_normal((4, 10, 3)).astype(np.float32) for _ in range(2))
    floor = np.float32(-2.1835995)
    inits = [numpy_helper.from_array(a, n) for n, a in (
        ("shape", np.array([2, 4, 5, 26], np.int64)), ("s1", s1), ("b1", b1),
        ("floor", np.array(floor)), ("s2", s2), ("b2", b2))]
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["col"], axes=[3], keepdims=1),
        helper.make_node("Expand", ["col", "shape"], ["wide"]),
        helper.make_node("LayerNormalization", ["wide", "s1", "b1"], ["y1"], axis=3),
        helper.make_node("Min", ["floor", "x"], ["low"]),
        helper.make_node("Concat", ["low", "low"], ["both"], axis=2),
        helper.make_node("LayerNormalization", ["both", "s2", "b2"], ["y2"], axis=1),
    ]
    x64 = x.astype(np.float64)
    wide = np.broadcast_to(x.mean(axis=3, keepdims=True), (2, 4, 5, 26)).astype(np.float64)
    low = np.minimum(np.float64(floor), x64)
    y1 = layer_norm(wide, s1, b1, 3)
    y2 = layer_norm(np.concatenate([low, low], 2), s2, b2, 1)
    graph = helper.make_graph(
        nodes, "ln", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y1", TensorProto.FLOAT, y1.shape),
         helper.make_tensor_value_info("y2", TensorProto.FLOAT, y2.shape)], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              f"{out}/ln.onnx")
    np.save(f"{out}/x.npy", x)
    np.save(f"{out}/y1.npy", y1.astype(np.float32))
    np.save(f"{out}/y2.npy", y2.astype(np.float32))


if __name__ == "__main__":
    main()
