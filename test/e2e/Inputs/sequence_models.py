#!/usr/bin/python3
"""Small sequence models and transformers in PyTorch (random weights),
exported with torch.onnx at opset 17, with PyTorch's outputs.

    sequence_models.py NAME OUT_DIR

NAME:
  gpt      a GPT-style decoder: token and position embeddings, arange
           positions, a causal mask by triu + masked_fill, the qkv split,
           tanh-GELU
  bert     a BERT-style encoder classifier taking token ids and a padding
           mask
  kws_lstm a keyword spotter: Conv1d, then an LSTM, then LogSoftmax
  kws_gru  the same with a GRU
  tagger   a bidirectional LSTM tagger over embeddings
  vit      a patch-embedding ViT (x.flatten(2), a class token, ArgMax)

Writes NAME.onnx, NAME.<input>.npy per input, NAME.<output>.npy per
output and calibration samples for --quantize=int8 in NAME.cal/; prints
each output's scale (max |y|).
"""
# Part of Yizhuang.
import math
import os
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.heads = heads

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q = q.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, d)
        return self.proj(y)


class GPTBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, heads)
        self.fc, self.out = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, layers=2, context=16):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(context, d)
        self.blocks = nn.Sequential(*[GPTBlock(d, heads) for _ in range(layers)])
        self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = self.tok(ids) + self.pos(pos)
        return self.head(self.ln(self.blocks(x)))


class BERT(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, layers=2, context=16, classes=3):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(context, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.cls = nn.Linear(d, classes)

    def forward(self, ids, mask):
        pos = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = self.tok(ids) + self.pos(pos)
        x = self.encoder(x, src_key_padding_mask=mask == 0)
        # Mean over the real tokens.
        m = mask.unsqueeze(-1).to(x.dtype)
        return self.cls((x * m).sum(1) / m.sum(1))


class KWS(nn.Module):
    def __init__(self, cell, classes=6):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(10, 16, 5, 2, 2), nn.ReLU())
        self.rnn = getattr(nn, cell)(16, 24, batch_first=True)
        self.fc = nn.Linear(24, classes)

    def forward(self, x):
        h, _ = self.rnn(self.conv(x).transpose(1, 2))
        return F.log_softmax(self.fc(h[:, -1]), -1)


class Tagger(nn.Module):
    def __init__(self, vocab=50, d=16, hidden=20, tags=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.lstm = nn.LSTM(d, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, tags)

    def forward(self, ids):
        h, _ = self.lstm(self.emb(ids))
        return self.fc(h)


class ViT(nn.Module):
    def __init__(self, d=32, heads=4, patch=4, classes=5):
        super().__init__()
        self.embed = nn.Conv2d(3, d, patch, patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, d))
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1)
        logits = self.head(self.encoder(x)[:, 0])
        return logits, logits.argmax(-1)


def build(name, seed=1):
    g = torch.Generator().manual_seed(seed)
    if name == "gpt":
        return GPT(), {"ids": torch.randint(0, 64, (1, 16), generator=g)}
    if name == "bert":
        mask = torch.ones(2, 12, dtype=torch.long)
        mask[1, 7:] = 0
        return BERT(), {"ids": torch.randint(0, 64, (2, 12), generator=g), "mask": mask}
    if name in ("kws_lstm", "kws_gru"):
        return KWS(name[4:].upper()), {"x": torch.randn(2, 10, 40, generator=g)}
    if name == "tagger":
        return Tagger(), {"ids": torch.randint(0, 50, (2, 9), generator=g)}
    if name == "vit":
        return ViT(), {"x": torch.randn(1, 3, 16, 16, generator=g)}
    raise SystemExit(f"unknown model {name}")


OUTPUTS = {"vit": ["logits", "label"]}
CALIBRATION_SAMPLES = 16


def main():
    name, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    model, inputs = build(name)
    model.eval()
    with torch.no_grad():
        ys = model(*inputs.values())
    ys = ys if isinstance(ys, tuple) else (ys,)
    outputs = OUTPUTS.get(name, ["y"])
    torch.onnx.export(model, tuple(inputs.values()), f"{out}/{name}.onnx",
                      opset_version=17, input_names=list(inputs),
                      output_names=outputs)
    for k, v in inputs.items():
        np.save(f"{out}/{name}.{k}.npy", v.numpy())
    for o, y in zip(outputs, ys):
        np.save(f"{out}/{name}.{o}.npy", y.numpy())
        print(f"{name}.{o}: {list(y.shape)}, scale max |y| = {float(y.abs().max()):.3g}")
    # Calibration samples for --quantize=int8: other draws of the inputs
    # (one .npy per sample, or a directory per sample of several inputs).
    cal = f"{out}/{name}.cal"
    os.makedirs(cal, exist_ok=True)
    for i in range(CALIBRATION_SAMPLES):
        sample = build(name, seed=100 + i)[1]
        if len(sample) == 1:
            np.save(f"{cal}/{i}.npy", next(iter(sample.values())).numpy())
            continue
        os.makedirs(f"{cal}/{i}", exist_ok=True)
        for k, v in sample.items():
            np.save(f"{cal}/{i}/{k}.npy", v.numpy())


if __name__ == "__main__":
    main()
