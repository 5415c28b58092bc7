#!/usr/bin/python3
"""Whole models at opsets 18 and 23, with PyTorch's outputs.

    opset_models.py OUT_DIR

- cnn<N>.onnx, transformer<N>.onnx (N = 18, 23): a small CNN (convolutions,
  batch norms, a residual, a spatial mean, a linear layer) and a small
  transformer encoder (torch.nn.TransformerEncoder, 2 layers), exported by
  torch (opset 17, the newest torch 1.13 writes) and rewritten to opset N
  as a current exporter writes it: reductions take their axes as an input.
- llm23.onnx: a decoder block in the opset-23 ops current LLM exports use -
  RMSNormalization, RotaryEmbedding, causal grouped-query Attention and
  Gelu (tanh) - its reference a PyTorch module computing the same.

Each NAME has NAME.x.npy and NAME.y.npy; prints one line per model.
"""
# Part of Yizhuang.
import io
import math
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

from export_torch import randomize_norms

REDUCTIONS = {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
              "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}


def rewrite(model, opset):
    """`model` (opset 17) at `opset`: attributes that became inputs moved."""
    graph = model.graph
    for i, node in enumerate(graph.node):
        if node.op_type not in REDUCTIONS:
            continue
        axes = [a for a in node.attribute if a.name == "axes"]
        if not axes:
            continue
        name = f"{node.output[0]}_axes"
        graph.initializer.append(
            numpy_helper.from_array(np.array(axes[0].ints, np.int64), name))
        node.attribute.remove(axes[0])
        node.input.append(name)
    del model.opset_import[:]
    model.opset_import.append(helper.make_opsetid("", opset))
    model.ir_version = 10 if opset >= 21 else 9
    return model


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.b1 = torch.nn.BatchNorm2d(8)
        self.c2 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.b2 = torch.nn.BatchNorm2d(8)
        self.fc = torch.nn.Linear(8, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.b1(self.c1(x))), 2)
        x = torch.relu(x + self.b2(self.c2(x)))
        return self.fc(x.mean((2, 3)))


def exported(module, x):
    # With gradients on: under no_grad the encoder takes a fused path that
    # does not export.
    buf = io.BytesIO()
    with torch.enable_grad():
        torch.onnx.export(module, x, buf, opset_version=17, input_names=["x"],
                          output_names=["y"])
    return onnx.load_from_string(buf.getvalue())


class LlmBlock(torch.nn.Module):
    """x + attention(rope(rmsnorm(x))), then + mlp(rmsnorm(.)): 4 query
    heads sharing 2 key-value heads, head size 8."""

    def __init__(self, d=32, heads=4, kv_heads=2):
        super().__init__()
        self.d, self.h, self.kv, self.hd = d, heads, kv_heads, d // heads
        self.n1 = torch.nn.Parameter(torch.rand(d) + 0.5)
        self.n2 = torch.nn.Parameter(torch.rand(d) + 0.5)
        self.wq = torch.nn.Parameter(torch.randn(d, d) / math.sqrt(d))
        self.wk = torch.nn.Parameter(torch.randn(d, kv_heads * self.hd) / math.sqrt(d))
        self.wv = torch.nn.Parameter(torch.randn(d, kv_heads * self.hd) / math.sqrt(d))
        self.wo = torch.nn.Parameter(torch.randn(d, d) / math.sqrt(d))
        self.w1 = torch.nn.Parameter(torch.randn(d, 2 * d) / math.sqrt(d))
        self.w2 = torch.nn.Parameter(torch.randn(2 * d, d) / math.sqrt(2 * d))

    def tables(self, seq):
        inv = 1.0 / (10000 ** (torch.arange(0, self.hd, 2).double() / self.hd))
        angles = torch.arange(seq).double()[:, None] * inv[None, :]
        return torch.cos(angles).float(), torch.sin(angles).float()

    @staticmethod
    def rms(x, w):
        return x / torch.sqrt((x * x).mean(-1, keepdim=True) + 1e-6) * w

    def rope(self, t, cos, sin):  # t: [B, H, S, D], halves rotated
        half = self.hd // 2
        t1, t2 = t[..., :half], t[..., half:]
        return torch.cat([cos * t1 - sin * t2, sin * t1 + cos * t2], -1)

    def forward(self, x):
        b, s, _ = x.shape
        cos, sin = self.tables(s)
        h = self.rms(x, self.n1)
        q = (h @ self.wq).reshape(b, s, self.h, self.hd).transpose(1, 2)
        k = (h @ self.wk).reshape(b, s, self.kv, self.hd).transpose(1, 2)
        v = (h @ self.wv).reshape(b, s, self.kv, self.hd).transpose(1, 2)
        q, k = self.rope(q, cos, sin), self.rope(k, cos, sin)
        k = k.repeat_interleave(self.h // self.kv, 1)
        v = v.repeat_interleave(self.h // self.kv, 1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        scores = scores + torch.triu(torch.full((s, s), float("-inf")), 1)
        a = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, s, self.d)
        x = x + a @ self.wo
        m = torch.nn.functional.gelu(self.rms(x, self.n2) @ self.w1, approximate="tanh")
        return x + m @ self.w2

    def onnx(self, seq):
        """The block as opset-23 ONNX, the same weights."""
        def w(name, t):
            return numpy_helper.from_array(t.detach().numpy().astype(np.float32), name)
        cos, sin = self.tables(seq)
        n = helper.make_node
        nodes = [
            n("RMSNormalization", ["x", "n1"], ["h"], epsilon=1e-6),
            n("MatMul", ["h", "wq"], ["q"]),
            n("MatMul", ["h", "wk"], ["k"]),
            n("MatMul", ["h", "wv"], ["v"]),
            n("RotaryEmbedding", ["q", "cos", "sin", "pos"], ["qr"], num_heads=self.h),
            n("RotaryEmbedding", ["k", "cos", "sin", "pos"], ["kr"], num_heads=self.kv),
            n("Attention", ["qr", "kr", "v"], ["a"], is_causal=1,
              q_num_heads=self.h, kv_num_heads=self.kv),
            n("MatMul", ["a", "wo"], ["ao"]),
            n("Add", ["x", "ao"], ["x1"]),
            n("RMSNormalization", ["x1", "n2"], ["h2"], epsilon=1e-6),
            n("MatMul", ["h2", "w1"], ["m1"]),
            n("Gelu", ["m1"], ["g"], approximate="tanh"),
            n("MatMul", ["g", "w2"], ["m2"]),
            n("Add", ["x1", "m2"], ["y"]),
        ]
        inits = [w("n1", self.n1), w("n2", self.n2), w("wq", self.wq), w("wk", self.wk),
                 w("wv", self.wv), w("wo", self.wo), w("w1", self.w1), w("w2", self.w2),
                 w("cos", cos), w("sin", sin),
                 numpy_helper.from_array(np.arange(seq, dtype=np.int64)[None, :], "pos")]
        graph = helper.make_graph(
            nodes, "llm23",
            [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, seq, self.d])],
            [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, seq, self.d])],
            inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
        model.ir_version = 10
        return model


def save(out, name, model, x, y):
    onnx.save(model, f"{out}/{name}.onnx")
    np.save(f"{out}/{name}.x.npy", x.numpy())
    np.save(f"{out}/{name}.y.npy", y.numpy())
    print(f"{name}: opset {model.opset_import[0].version}, "
          f"{len(model.graph.node)} nodes, max |y| = {float(y.abs().max()):.3g}")


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    with torch.no_grad():
        cnn = Cnn()
        randomize_norms(cnn)
        cnn.eval()
        x = torch.randn(1, 3, 16, 16)
        layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64,
                                                 dropout=0.0, batch_first=True)
        encoder = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False).eval()
        t = torch.randn(1, 6, 32)
        for opset in [18, 23]:
            save(out, f"cnn{opset}", rewrite(exported(cnn, x), opset), x, cnn(x))
            save(out, f"transformer{opset}", rewrite(exported(encoder, t), opset), t,
                 encoder(t))
        block = LlmBlock().eval()
        xs = torch.randn(1, 7, 32)
        save(out, "llm23", block.onnx(7), xs, block(xs))


if __name__ == "__main__":
    main()
