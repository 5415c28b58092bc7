#!/usr/bin/python3
"""Generative decoding: a GPT decoder (yizhuang.gpt.Gpt: 4 layers, width 256,
4 heads, context 256, vocabulary 256, prefill chunks of 32) compiled as a
step and a prefill model sharing the runtime's KV cache.

    bench/decode.py [--build DIR] [--tokens N] [--layers L] [--width W]

Prints, measured in this run:
- compile time of both models (host f32, and host with the NPU in bf16);
- that the compiled greedy tokens equal PyTorch's (--tokens of them);
- host decode speed, one thread: ms per token of yz-generate's loop
  against PyTorch running the same decode loop with its KV cache
  (torch.set_num_threads(1)), and the ratio;
- NPU (cycle model): cycles and bytes per decode step, bf16 (linear
  layers and attention matmuls) and int8 (W8A8, calibrated on PyTorch's
  own decode steps), against the DMA-bandwidth bound of the bytes a step
  must move (the weights, and the keys and values of the whole static
  context, which the step reads); the prefill's utilization; the int8
  build's agreement with the f32 one (greedy tokens, logits' error).
"""
# Part of Yizhuang.
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def yzc(build, src, obj, name, flags):
    subprocess.run([os.path.join(build, "bin", "yzc"), src, "-o", obj,
                    f"--model-name={name}"] + flags, check=True)


def generate(build, step, prefill, prompt, tokens, env=None):
    cmd = [os.path.join(build, "bin", "yz-generate"), step, "--prompt",
           ",".join(map(str, prompt)), "--tokens", str(tokens)]
    if prefill:
        cmd += ["--prefill", prefill]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    out = p.stdout
    got = [int(t) for t in re.search(r"^tokens:(.*)$", out, re.M).group(1).split()]
    decode = re.search(r"decode: ([0-9.]+) ms per token", out)
    return got, float(decode.group(1)) if decode else None


def npu_report(build, step, prefill, prompt, tokens, work, tag):
    path = os.path.join(work, f"npu-{tag}.json")
    env = dict(os.environ, YZ_NPU_JSON=path)
    generate(build, step, prefill, prompt, tokens, env)
    with open(path) as f:
        return json.load(f)


def per_step(build, step, prefill, prompt, work, tag, steps=16):
    """NPU cycles, bytes and MACs of one decode step: the report of
    1 + steps tokens less that of 1."""
    a = npu_report(build, step, prefill, prompt, 1, work, tag + "1")
    b = npu_report(build, step, prefill, prompt, 1 + steps, work, tag + "n")
    diff = {k: (b[k] - a[k]) / steps for k in ["cycles", "bytes_in", "bytes_out", "macs"]}
    return a, diff


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--width", type=int, default=256)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.build, "python"))
    from yizhuang.gpt import Gpt, export_decoder, torch_generate, write_calibration

    torch.manual_seed(0)
    chunk, context = 32, 256
    model = Gpt(vocab=256, width=a.width, heads=4, layers=a.layers,
                context=context, chunk=chunk).eval()
    params = sum(p.numel() for n, p in model.named_parameters()
                 if n.endswith("weight") and p.dim() == 2 and "embed" not in n
                 and "where" not in n)
    prompt = torch.randint(0, 256, (16,), generator=torch.Generator().manual_seed(1)).tolist()
    with tempfile.TemporaryDirectory(prefix="yz-decode-") as work:
        for s, name in [(1, "step"), (chunk, "prefill")]:
            export_decoder(model, os.path.join(work, f"{name}.onnx"), s)
        compiled = {}
        for kind, flags in [("f32", ["--target=host", "--npu=none"]),
                            ("npu", ["--target=host", "--npu-dtype=bf16"])]:
            t = time.perf_counter()
            for name in ["step", "prefill"]:
                yzc(a.build, os.path.join(work, f"{name}.onnx"),
                    os.path.join(work, f"{name}-{kind}.o"), f"{name}_{kind}", flags)
            compiled[kind] = time.perf_counter() - t
        step, prefill = (os.path.join(work, f"{n}-f32.o") for n in ["step", "prefill"])
        print(f"decoder: {a.layers} layers, width {a.width}, context {context}, "
              f"vocabulary 256, prefill chunk {chunk}")
        print(f"compile time (step + prefill): host f32 {compiled['f32']:.1f} s, "
              f"host + NPU bf16 {compiled['npu']:.1f} s")

        want = torch_generate(model, prompt, a.tokens)
        got, yz_ms = generate(a.build, step, prefill, prompt, a.tokens)
        same = sum(x == y for x, y in zip(got, want))
        print(f"greedy tokens equal to PyTorch's: {same} of {a.tokens}")

        # PyTorch's decode loop, one thread: steps after a prefill.
        torch.set_num_threads(1)
        shape = model.cache_shape()
        ck, cv = torch.zeros(shape), torch.zeros(shape)
        with torch.no_grad():
            _, k, v = model(torch.tensor([prompt]), torch.tensor([0]), ck, cv)
            ck[:, :, :, :len(prompt)], cv[:, :, :, :len(prompt)] = k, v
            token, pos, steps = 1, len(prompt), a.tokens - 1
            start = time.perf_counter()
            for _ in range(steps):
                logits, k, v = model(torch.tensor([[token]]), torch.tensor([pos]), ck, cv)
                ck[:, :, :, pos:pos + 1], cv[:, :, :, pos:pos + 1] = k, v
                token, pos = int(logits[0, -1].argmax()), pos + 1
            torch_ms = (time.perf_counter() - start) * 1e3 / steps
        print(f"host decode, 1 thread: yzc {yz_ms:.3f} ms/token "
              f"({1e3 / yz_ms:.0f} tokens/s), PyTorch {torch_ms:.3f} ms/token "
              f"({1e3 / torch_ms:.0f} tokens/s); yzc/PyTorch {yz_ms / torch_ms:.2f}")

        nstep, nprefill = (os.path.join(work, f"{n}-npu.o") for n in ["step", "prefill"])
        full = prompt + [1] * (chunk - len(prompt))  # one whole prefill chunk
        first, step_bf16 = per_step(a.build, nstep, nprefill, full, work, "bf16")
        target = dict(kv.split("=") for kv in first["target"].split(","))
        bw = float(target["dma-bw"])
        heads, head = model.heads, model.head
        kv_bytes = 2 * a.layers * heads * context * head

        # int8: W8A8, calibrated on the step model's inputs while PyTorch
        # reads the prompt and its own greedy tokens; the prompt runs
        # through the step model.
        decoded = torch.tensor(prompt + want)
        t = time.perf_counter()
        yzc(a.build, os.path.join(work, "step.onnx"), os.path.join(work, "step-int8.o"),
            "step_int8", ["--target=host", "--quantize=int8", "--calibration",
                          write_calibration(model, [decoded], 1,
                                            os.path.join(work, "calibration"), 24)])
        int8_compile = time.perf_counter() - t
        import numpy as np
        fl, ql = os.path.join(work, "f32.npy"), os.path.join(work, "int8.npy")
        for obj, path in [(step, fl), (os.path.join(work, "step-int8.o"), ql)]:
            subprocess.run([os.path.join(a.build, "bin", "yz-generate"), obj,
                            "--prompt", ",".join(map(str, prompt)), "--tokens",
                            str(a.tokens), "--logits-out", path],
                           capture_output=True, check=True)
        f32_logits, int8_logits = np.load(fl), np.load(ql)
        # Each build feeds back its own tokens: compare the logits while
        # the inputs are the same, up to the first differing token.
        differ = np.nonzero(f32_logits.argmax(1) != int8_logits.argmax(1))[0]
        same = int(differ[0]) if len(differ) else a.tokens
        upto = min(same + 1, a.tokens)
        err = (np.abs(f32_logits - int8_logits).max(1) /
               np.abs(f32_logits).max(1))[:upto]
        _, step_int8 = per_step(a.build, os.path.join(work, "step-int8.o"), None,
                                prompt, work, "int8")

        print(f"NPU ({first['target']}):")
        print(f"  prefill of {chunk} tokens (bf16): {first['cycles']} cycles, "
              f"utilization {100 * first['utilization']:.1f}%")
        for kind, st, wbytes in [("bf16", step_bf16, 2), ("int8", step_int8, 1)]:
            must = params * wbytes + kv_bytes * wbytes
            moved = st["bytes_in"] + st["bytes_out"]
            print(f"  decode step, {kind}: {st['cycles']:.0f} cycles, "
                  f"{moved / 1e6:.2f} MB moved; must move {must / 1e6:.2f} MB "
                  f"({kind} weights and the context's KV) = {must / bw:.0f} cycles "
                  f"at {bw:.0f} B/cycle: {100 * must / bw / st['cycles']:.0f}% of "
                  f"the DMA bound")
        print(f"  int8 (W8A8, compile {int8_compile:.1f} s) against the f32 "
              f"build: greedy tokens identical for the first {same} of "
              f"{a.tokens}; logits error relative to their scale over those "
              f"steps: mean {100 * err.mean():.1f}%, max {100 * err.max():.1f}%")


if __name__ == "__main__":
    main()
