#!/usr/bin/python3
"""A small GPT decoder (yizhuang.gpt.Gpt) as yz-generate runs it
(docs/decoding.md): its two ONNX models, and PyTorch's greedy decoding of it
as the reference.

    tiny_gpt.py OUT_DIR [--context T] [--chunk S] [--layers L]

Writes OUT_DIR/step.onnx (1 token) and OUT_DIR/prefill.onnx (S tokens),
both reading the KV cache [L, 1, H, T, D] and returning their tokens' keys
and values, the same two in the "decoder with past" form exporters write
(step_past.onnx, prefill_past.onnx: GptWithPast), and prints one line per
case: "<name> <prompt ids> <tokens>"
with the tokens PyTorch generates greedily from that prompt (prefill in one
call, then one step per token, with its own cache).
"""
# Part of Yizhuang.
import argparse

import numpy as np
import torch

from yizhuang.gpt import Gpt, GptWithPast, export_decoder, past_names, torch_generate


def export_past(model, path, s):
    """The "decoder with past" form of `model` (GptWithPast)."""
    layers, _, heads, t, head = model.cache_shape()
    past = [torch.zeros(1, heads, t, head) for _ in range(2 * layers)]
    args = (torch.zeros(1, s, dtype=torch.int64), torch.ones(1, t + s, dtype=torch.int64),
            torch.zeros(1, s, dtype=torch.int64), *past)
    inputs, outputs = past_names(layers)
    torch.onnx.export(GptWithPast(model), args, path, opset_version=17,
                      input_names=inputs, output_names=outputs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--context", type=int, default=80)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--layers", type=int, default=2)
    a = ap.parse_args()
    torch.manual_seed(0)
    model = Gpt(layers=a.layers, context=a.context, chunk=a.chunk).eval()
    export_decoder(model, f"{a.out}/step.onnx", 1)
    export_decoder(model, f"{a.out}/prefill.onnx", a.chunk)
    export_past(model, f"{a.out}/step_past.onnx", 1)
    export_past(model, f"{a.out}/prefill_past.onnx", a.chunk)
    rng = np.random.default_rng(1)
    cases = [("short", [5, 17, 42], 64), ("one", [7], 64),
             ("chunks", rng.integers(0, 64, 13).tolist(), 64),
             ("full", rng.integers(0, 64, a.context).tolist(), 1)]
    for name, prompt, tokens in cases:
        out = torch_generate(model, prompt, tokens)
        print(name, ",".join(map(str, prompt)), " ".join(map(str, out)))


if __name__ == "__main__":
    main()
