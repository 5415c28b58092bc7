#!/usr/bin/python3
"""The second demo: a character-level GPT that writes like the project's
docs, generating on the simulated RISC-V + NPU.

    chargpt.py WORK_DIR [--yzc PATH] [--yz-generate PATH] [--seconds S]
                        [--chars N] [--prompt TEXT]

Trains a small GPT (yizhuang.gpt.Gpt: 2 layers, width 96, context 96) on
the project's own Markdown (README.md and docs/, shipped: no download) for
about --seconds of CPU time, exports it as a step and a prefill model
(docs/decoding.md), compiles them for riscv64 twice - f32 on the CPU, and
int8 on the NPU (W8A8, calibrated on the model reading the docs) - and
generates --chars characters from --prompt under qemu with the NPU
simulator (yz-generate). Prints the text, the time per token, the NPU
cycles and bytes per decode step against the DMA-bandwidth bound, and how
the int8 build agrees with the f32 one (identical greedy tokens, logits'
error relative to their scale).
"""
# Part of Yizhuang.
import argparse
import glob
import importlib.util
import json
import os
import re
import subprocess
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_gpt():
    """yizhuang.gpt by path: the demo needs only yzc and yz-generate built,
    not the Python extension."""
    spec = importlib.util.spec_from_file_location(
        "gpt", os.path.join(ROOT, "python", "yizhuang", "gpt.py"))
    gpt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gpt)
    return gpt


def corpus():
    files = [os.path.join(ROOT, "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "*.md")))
    text = "\n".join(open(f, encoding="utf-8").read() for f in files)
    return "".join(c for c in text if c.isascii())


def train(model, data, seconds, context):
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    gen = torch.Generator().manual_seed(0)
    start, steps, loss = time.time(), 0, None
    model.train()
    while time.time() - start < seconds:
        at = torch.randint(0, len(data) - context - 1, (32,), generator=gen)
        batch = torch.stack([data[i:i + context + 1] for i in at])
        logits = model.train_logits(batch[:, :-1])
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps += 1
        if steps % 100 == 0:
            print(f"  step {steps}: loss {loss.item():.2f}", flush=True)
    model.eval()
    return steps, loss.item()


def generate(tool, work, kind, prompt, chars, extra=()):
    cmd = [tool, os.path.join(work, f"step-{kind}.o"), "--prefill",
           os.path.join(work, f"prefill-{kind}.o"), "--prompt",
           ",".join(map(str, prompt)), "--tokens", str(chars), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    tokens = [int(t) for t in re.search(r"^tokens:(.*)$", out, re.M).group(1).split()]
    decode = re.search(r"decode: ([0-9.]+) ms per token", out)
    return tokens, float(decode.group(1)) if decode else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("work")
    ap.add_argument("--yzc", default=os.path.join(ROOT, "build", "bin", "yzc"))
    ap.add_argument("--yz-generate", default=os.path.join(ROOT, "build", "bin", "yz-generate"))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--chars", type=int, default=200)
    ap.add_argument("--prompt", default="The compiler ")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    gpt = load_gpt()

    text = corpus()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text])
    context, chunk = 96, 16
    model = gpt.Gpt(vocab=len(chars), width=96, heads=4, layers=2,
                    context=context, chunk=chunk)
    print(f"== training on the project's docs: {len(text)} characters, "
          f"vocabulary {len(chars)}, for {a.seconds:.0f} s")
    steps, loss = train(model, data, a.seconds, 64)
    print(f"  {steps} steps, final loss {loss:.2f}")

    print("== compiling the step and prefill models for riscv64: f32 (CPU), "
          "and int8 on the NPU (W8A8, calibrated on the model reading the docs)")
    for s, name, samples in [(1, "step", 48), (chunk, "prefill", 12)]:
        gpt.export_decoder(model, os.path.join(a.work, f"{name}.onnx"), s)
        gen = torch.Generator().manual_seed(1)
        starts = torch.randint(0, len(data) - context, (samples,), generator=gen)
        cal = gpt.write_calibration(model, [data[i:i + context] for i in starts], s,
                                    os.path.join(a.work, f"calibration-{name}"),
                                    samples)
        for kind, flags in [("f32", ["--npu=none"]),
                            ("npu", ["--quantize=int8", "--calibration", cal])]:
            subprocess.run([a.yzc, os.path.join(a.work, f"{name}.onnx"),
                            "--target=riscv64", f"--model-name={name}_{kind}",
                            "-o", os.path.join(a.work, f"{name}-{kind}.o")] + flags,
                           check=True)

    prompt = [index[c] for c in a.prompt if c in index]
    chars_out = min(a.chars, context - len(prompt))
    print(f"== generating {chars_out} characters under qemu-riscv64 + the NPU "
          f"simulator (top-5, temperature 0.8, seed 1)")
    sampled, ms = generate(a.yz_generate, a.work, "npu", prompt, chars_out,
                           ["--top-k", "5", "--temperature", "0.8", "--seed", "1"])
    print(a.prompt + "".join(chars[t] for t in sampled))
    print(f"  {ms:.2f} ms per token (simulated, wall clock)")

    # Agreement: greedy decoding of both builds, and their logits.
    lf, ln = os.path.join(a.work, "logits-f32.npy"), os.path.join(a.work, "logits-npu.npy")
    f32, _ = generate(a.yz_generate, a.work, "f32", prompt, chars_out, ["--logits-out", lf])
    npu, _ = generate(a.yz_generate, a.work, "npu", prompt, chars_out, ["--logits-out", ln])
    same = next((i for i, (x, y) in enumerate(zip(f32, npu)) if x != y), len(f32))
    # Logits compared while both builds have seen the same tokens.
    fl, nl = np.load(lf)[:same + 1], np.load(ln)[:same + 1]
    err = np.abs(fl - nl).max(1) / np.abs(fl).max(1)
    print(f"== int8 (NPU) against f32: greedy tokens identical for the first "
          f"{same} of {len(f32)}; logits error relative to their scale over "
          f"those steps: mean {100 * err.mean():.1f}%, max {100 * err.max():.1f}%")

    # The NPU per decode step: the report of 1 + n tokens less that of 1.
    reports = []
    for n in [1, 17]:
        path = os.path.join(a.work, f"npu-{n}.json")
        generate(a.yz_generate, a.work, "npu", prompt, n, ["--profile-json", path])
        reports.append(json.load(open(path)))
    target = dict(kv.split("=") for kv in reports[0]["target"].split(","))
    cycles = (reports[1]["cycles"] - reports[0]["cycles"]) / 16
    moved = sum(reports[1][k] - reports[0][k] for k in ["bytes_in", "bytes_out"]) / 16
    macs = (reports[1]["macs"] - reports[0]["macs"]) / 16
    dim = int(target["dim"])
    bound = moved / float(target["dma-bw"])
    print(f"== NPU per decode step ({reports[0]['target']}): {cycles:.0f} cycles, "
          f"{moved / 1e3:.0f} KB moved, {macs:.0f} MACs, utilization "
          f"{100 * macs / (dim * dim * cycles):.1f}%; the DMA bound of those bytes "
          f"is {bound:.0f} cycles: the step runs at {100 * bound / cycles:.0f}% "
          f"of it")


if __name__ == "__main__":
    main()
