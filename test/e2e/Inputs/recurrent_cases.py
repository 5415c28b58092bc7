#!/usr/bin/python3
"""ONNX RNN, GRU, LSTM and ReverseSequence over their attributes, with a
numpy reference written from the ONNX operator definitions (onnx 1.12 has
no reference runtime, and its test helpers cover only forward layers
without lengths).

    recurrent_cases.py OUT_DIR

Writes OUT_DIR/recurrent.onnx (one graph; every case a node of its own on
shared inputs x, xb (batch-major) and lens), x.npy, xb.npy, lens.npy and
<output>.npy per output, and prints the output names in graph order.
"""
# Part of Yizhuang.
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

T, B, I, H = 5, 3, 4, 6
rng = np.random.default_rng(7)
f32 = np.float32

PARAMS = {"Affine": 2, "LeakyRelu": 1, "ThresholdedRelu": 1, "ScaledTanh": 2,
          "HardSigmoid": 2, "Elu": 1}
DEFAULTS = {"Affine": (1.0, 0.0), "LeakyRelu": (0.01, 0), "ThresholdedRelu": (1.0, 0),
            "ScaledTanh": (1.0, 1.0), "HardSigmoid": (0.2, 0.5), "Elu": (1.0, 0)}


def act(name, a, b):
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))
    return {
        "Relu": lambda x: np.maximum(x, 0),
        "Tanh": np.tanh,
        "Sigmoid": sigmoid,
        "Softsign": lambda x: x / (1 + np.abs(x)),
        "Softplus": lambda x: np.log1p(np.exp(x)),
        "Affine": lambda x: a * x + b,
        "LeakyRelu": lambda x: np.where(x < 0, a * x, x),
        "ThresholdedRelu": lambda x: np.where(x > a, x, 0),
        "ScaledTanh": lambda x: a * np.tanh(b * x),
        "HardSigmoid": lambda x: np.clip(a * x + b, 0, 1),
        "Elu": lambda x: np.where(x < 0, a * (np.exp(x) - 1), x),
    }[name]


def functions(names, alphas, betas):
    """The activation functions, alpha/beta taken in order by those that
    use them (as onnxruntime reads the attributes)."""
    alphas, betas, out = list(alphas), list(betas), []
    for n in names:
        a, b = DEFAULTS.get(n, (0, 0))
        if PARAMS.get(n, 0) >= 1 and alphas:
            a = alphas.pop(0)
        if PARAMS.get(n, 0) >= 2 and betas:
            b = betas.pop(0)
        out.append(act(n, a, b))
    return out


def reference(cell, x, w, r, bias, lens, h0, c0, p, direction, layout, clip,
              lbr, input_forget, names, alphas, betas):
    """Y, Y_h, Y_c by the operator definitions, one batch entry and step at
    a time, in float64."""
    x = x.astype(np.float64)
    if layout == 1:
        x = x.swapaxes(0, 1)
        h0 = None if h0 is None else h0.swapaxes(0, 1)
        c0 = None if c0 is None else c0.swapaxes(0, 1)
    t_, b_, _ = x.shape
    H = r.shape[-1]  # noqa: N806 (the hidden size, as in the ONNX text)
    dirs = 2 if direction == "bidirectional" else 1
    g = {"RNN": 1, "GRU": 3, "LSTM": 4}[cell]
    per = {"RNN": 1, "GRU": 2, "LSTM": 3}[cell]
    fns = functions(names, alphas, betas)
    y = np.zeros((t_, dirs, b_, H))
    yh = np.zeros((dirs, b_, H))
    yc = np.zeros((dirs, b_, H))
    cl = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    for d in range(dirs):
        f, gf, hf = (fns[d * per:(d + 1) * per] + [None, None])[:3]
        wd, rd = w[d].astype(np.float64), r[d].astype(np.float64)
        bd = np.zeros(2 * g * H) if bias is None else bias[d].astype(np.float64)
        wb, rb = bd[:g * H], bd[g * H:]
        pd = np.zeros(3 * H) if p is None else p[d].astype(np.float64)
        reverse = direction == "reverse" or d == 1
        for bi in range(b_):
            n = t_ if lens is None else int(lens[bi])
            h = np.zeros(H) if h0 is None else h0[d, bi].astype(np.float64)
            c = np.zeros(H) if c0 is None else c0[d, bi].astype(np.float64)
            for t in (range(n - 1, -1, -1) if reverse else range(n)):
                xw = wd @ x[t, bi] + wb
                hr = rd @ h + rb
                if cell == "RNN":
                    h = f(cl(xw + hr))
                elif cell == "GRU":
                    z = f(cl(xw[:H] + hr[:H]))
                    rr = f(cl(xw[H:2 * H] + hr[H:2 * H]))
                    if lbr:
                        hh = gf(cl(xw[2 * H:] + rr * hr[2 * H:]))
                    else:
                        hh = gf(cl(xw[2 * H:] + rd[2 * H:] @ (rr * h) + rb[2 * H:]))
                    h = (1 - z) * hh + z * h
                else:
                    s = xw + hr
                    i = f(cl(s[:H] + pd[:H] * c))
                    fg = 1 - i if input_forget else f(cl(s[2 * H:3 * H] + pd[2 * H:] * c))
                    c = fg * c + i * gf(cl(s[3 * H:]))
                    o = f(cl(s[H:2 * H] + pd[H:2 * H] * c))
                    h = o * hf(c)
                y[t, d, bi] = h
            yh[d, bi], yc[d, bi] = h, c
    if layout == 1:
        y, yh, yc = y.transpose(2, 0, 1, 3), yh.swapaxes(0, 1), yc.swapaxes(0, 1)
    return [a.astype(f32) for a in (y, yh, yc)]


# name, cell, attributes, {initial_h, initial_c, P, lens}, outputs wanted
CASES = [
    ("rnn", "RNN", {}, {"h0"}, "y yh"),
    ("rnn_rev_lens", "RNN", {"direction": "reverse", "activations": ["LeakyRelu"],
                             "activation_alpha": [0.2]}, {"lens"}, "y yh"),
    ("rnn_bi_b1", "RNN", {"direction": "bidirectional", "layout": 1,
                          "activations": ["ScaledTanh", "HardSigmoid"],
                          "activation_alpha": [0.9, 0.3], "activation_beta": [1.1, 0.4]},
     {"h0", "lens"}, "y yh"),
    ("gru", "GRU", {}, {"lens"}, "y yh"),
    ("gru_rev_lbr", "GRU", {"direction": "reverse", "linear_before_reset": 1, "clip": 0.8},
     {"h0"}, "yh"),
    ("gru_bi_b1", "GRU", {"direction": "bidirectional", "layout": 1,
                          "activations": ["HardSigmoid", "Softsign", "Sigmoid", "Tanh"],
                          "activation_alpha": [0.25], "activation_beta": [0.45]},
     {"lens"}, "y yh"),
    ("lstm_peep", "LSTM", {}, {"h0", "c0", "P", "lens"}, "y yh yc"),
    ("lstm_rev_if", "LSTM", {"direction": "reverse", "input_forget": 1, "clip": 1.5},
     set(), "y yc"),
    ("lstm_bi_b1", "LSTM", {"direction": "bidirectional", "layout": 1,
                            "activations": ["Sigmoid", "Elu", "Softplus",
                                            "HardSigmoid", "Tanh", "Affine"],
                            "activation_alpha": [0.7, 0.3, 0.5],
                            "activation_beta": [0.6, 0.1]},
     {"h0", "c0", "lens"}, "y yh yc"),
]


def main():
    out = sys.argv[1]
    x = rng.standard_normal((T, B, I)).astype(f32)
    xb = rng.standard_normal((B, T, I)).astype(f32)
    lens = np.array([5, 2, 3], np.int32)
    nodes, inits, outputs, results = [], [], [], []

    def const(name, a):
        inits.append(numpy_helper.from_array(a, name))
        return name

    for name, cell, attrs, extra, wanted in CASES:
        g = {"RNN": 1, "GRU": 3, "LSTM": 4}[cell]
        dirs = 2 if attrs.get("direction") == "bidirectional" else 1
        layout = attrs.get("layout", 0)
        w = (rng.standard_normal((dirs, g * H, I)) * 0.5).astype(f32)
        r = (rng.standard_normal((dirs, g * H, H)) * 0.5).astype(f32)
        bias = (rng.standard_normal((dirs, 2 * g * H)) * 0.3).astype(f32)
        st = (B, dirs, H) if layout else (dirs, B, H)
        h0 = rng.standard_normal(st).astype(f32) if "h0" in extra else None
        c0 = rng.standard_normal(st).astype(f32) if "c0" in extra else None
        p = (rng.standard_normal((dirs, 3 * H)) * 0.5).astype(f32) if "P" in extra else None
        ins = ["xb" if layout else "x", const(name + ".W", w), const(name + ".R", r),
               const(name + ".B", bias), "lens" if "lens" in extra else "",
               const(name + ".h0", h0) if h0 is not None else ""]
        if cell == "LSTM":
            ins += [const(name + ".c0", c0) if c0 is not None else "",
                    const(name + ".P", p) if p is not None else ""]
        while ins[-1] == "":
            ins.pop()
        outs = [f"{name}.{o}" if o in wanted.split() else "" for o in ("y", "yh", "yc")]
        if cell != "LSTM":
            outs = outs[:2]
        while outs[-1] == "":
            outs.pop()
        nodes.append(helper.make_node(cell, ins, outs, name=name, hidden_size=H, **attrs))
        ref = reference(cell, xb if layout else x, w, r, bias,
                        lens if "lens" in extra else None, h0, c0, p,
                        attrs.get("direction", "forward"), layout, attrs.get("clip"),
                        attrs.get("linear_before_reset", 0), attrs.get("input_forget", 0),
                        attrs.get("activations", {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"],
                                                  "LSTM": ["Sigmoid", "Tanh", "Tanh"]}[cell] * dirs),
                        attrs.get("activation_alpha", []), attrs.get("activation_beta", []))
        for o, a in zip(outs, ref):
            if o:
                outputs.append(helper.make_tensor_value_info(o, TensorProto.FLOAT, a.shape))
                results.append((o, a))

    # ReverseSequence, batch-major.
    nodes.append(helper.make_node("Cast", ["lens"], ["lens64"], to=TensorProto.INT64))
    nodes.append(helper.make_node("ReverseSequence", ["xb", "lens64"], ["rev.y"],
                                  batch_axis=0, time_axis=1))
    rev = xb.copy()
    for bi, n in enumerate(lens):
        rev[bi, :n] = xb[bi, :n][::-1]
    outputs.append(helper.make_tensor_value_info("rev.y", TensorProto.FLOAT, rev.shape))
    results.append(("rev.y", rev))

    graph = helper.make_graph(
        nodes, "recurrent",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape),
         helper.make_tensor_value_info("xb", TensorProto.FLOAT, xb.shape),
         helper.make_tensor_value_info("lens", TensorProto.INT32, lens.shape)],
        outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.checker.check_model(model)
    onnx.save(model, f"{out}/recurrent.onnx")
    for n, a in (("x", x), ("xb", xb), ("lens", lens)):
        np.save(f"{out}/{n}.npy", a)
    for o, a in results:
        np.save(f"{out}/{o}.npy", a)
        print(o)


if __name__ == "__main__":
    main()
