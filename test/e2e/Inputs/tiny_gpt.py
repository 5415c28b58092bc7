#!/usr/bin/python3
"""A small GPT decoder in the form yz-generate runs (docs/decoding.md), its
two ONNX models, and PyTorch's greedy decoding of it as the reference.

    tiny_gpt.py OUT_DIR [--context T] [--chunk S] [--layers L]

Writes OUT_DIR/step.onnx (1 token) and OUT_DIR/prefill.onnx (S tokens),
both reading the KV cache [L, 1, H, T, D] and returning their tokens' keys
and values, and prints one line per case: "<name> <prompt ids> <tokens>"
with the tokens PyTorch generates greedily from that prompt (prefill in one
call, then one step per token, with its own cache).
"""
# Part of Yizhuang.
import argparse
import math

import numpy as np
import torch


class TinyGpt(torch.nn.Module):
    def __init__(self, vocab=64, width=32, heads=4, layers=2, context=80, chunk=8):
        super().__init__()
        self.heads, self.head = heads, width // heads
        self.embed = torch.nn.Embedding(vocab, width)
        # Padded prefill chunks reach position context + chunk - 2.
        self.where = torch.nn.Embedding(context + chunk, width)
        self.blocks = torch.nn.ModuleList()
        for _ in range(layers):
            b = torch.nn.Module()
            b.ln1, b.ln2 = torch.nn.LayerNorm(width), torch.nn.LayerNorm(width)
            b.qkv = torch.nn.Linear(width, 3 * width)
            b.out = torch.nn.Linear(width, width)
            b.up, b.down = torch.nn.Linear(width, 4 * width), torch.nn.Linear(4 * width, width)
            self.blocks.append(b)
        self.ln = torch.nn.LayerNorm(width)
        self.head_out = torch.nn.Linear(width, vocab)

    def forward(self, input_ids, position, cache_key, cache_value):
        s, t = input_ids.shape[1], cache_key.shape[3]
        at = position + torch.arange(s)
        x = self.embed(input_ids) + self.where(at)[None]
        # Cache slots before `position`, then this chunk's tokens causally.
        seen = (torch.arange(t) < position)[None, :].expand(s, t)
        own = torch.ones(s, s, dtype=torch.bool).tril()
        allowed = torch.cat([seen, own], 1)
        keys, values = [], []
        for i, b in enumerate(self.blocks):
            q, k, v = b.qkv(b.ln1(x)).split(x.shape[-1], -1)
            q, k, v = (z.reshape(1, s, self.heads, self.head).transpose(1, 2)
                       for z in (q, k, v))
            keys.append(k)
            values.append(v)
            kk = torch.cat([cache_key[i], k], 2)
            vv = torch.cat([cache_value[i], v], 2)
            a = q @ kk.transpose(-1, -2) / math.sqrt(self.head)
            a = torch.softmax(a.masked_fill(~allowed, float("-inf")), -1) @ vv
            x = x + b.out(a.transpose(1, 2).reshape(1, s, -1))
            x = x + b.down(torch.nn.functional.gelu(b.up(b.ln2(x))))
        return self.head_out(self.ln(x)), torch.stack(keys), torch.stack(values)


def cache(model, context):
    return torch.zeros(len(model.blocks), 1, model.heads, context, model.head)


def greedy(model, prompt, tokens, context):
    """PyTorch's decoding: the prompt in one call, then a step per token."""
    ck, cv = cache(model, context), cache(model, context)
    out, pos = [], 0
    ids = torch.tensor([prompt])
    with torch.no_grad():
        while len(out) < tokens:
            logits, k, v = model(ids, torch.tensor([pos]), ck, cv)
            n = ids.shape[1]
            ck[:, :, :, pos:pos + n] = k
            cv[:, :, :, pos:pos + n] = v
            pos += n
            out.append(int(logits[0, -1].argmax()))
            if len(out) < tokens and pos >= context:
                break  # the context is full
            ids = torch.tensor([[out[-1]]])
    return out


def export(model, path, s, context):
    args = (torch.zeros(1, s, dtype=torch.int64), torch.zeros(1, dtype=torch.int64),
            cache(model, context), cache(model, context))
    torch.onnx.export(model, args, path, opset_version=17,
                      input_names=["input_ids", "position", "cache_key", "cache_value"],
                      output_names=["logits", "new_key", "new_value"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--context", type=int, default=80)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--layers", type=int, default=2)
    a = ap.parse_args()
    torch.manual_seed(0)
    model = TinyGpt(layers=a.layers, context=a.context, chunk=a.chunk).eval()
    export(model, f"{a.out}/step.onnx", 1, a.context)
    export(model, f"{a.out}/prefill.onnx", a.chunk, a.context)
    rng = np.random.default_rng(1)
    cases = [("short", [5, 17, 42], 64), ("one", [7], 64),
             ("chunks", rng.integers(0, 64, 13).tolist(), 64),
             ("full", rng.integers(0, 64, a.context).tolist(), 1)]
    for name, prompt, tokens in cases:
        out = greedy(model, prompt, tokens, a.context)
        print(name, ",".join(map(str, prompt)), " ".join(map(str, out)))


if __name__ == "__main__":
    main()
