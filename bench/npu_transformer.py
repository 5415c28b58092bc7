#!/usr/bin/python3
"""A GPT-style decoder on the NPU: utilization per layer kind, int8 against
bf16 in the same run.

    bench/npu_transformer.py [--build DIR] [--width 256] [--tokens 128]
                             [--layers 2] [--heads 4]

The GPT of test/e2e/Inputs/sequence_models.py (random weights; token and
position embeddings, causal attention, tanh-GELU MLP) at the given size is
exported to ONNX and compiled for the host with the NPU simulator twice:
--quantize=int8 (calibrated on 4 random prompts; linear layers and the
attention matmuls Q K^T and A V in int8) and --npu-dtype=bf16. Each build
runs one prompt through yz-run --profile-json; the int8 output must be
within 5% of PyTorch's largest output, the bf16 one within 1%. Printed per
layer kind (qkv projection, Q K^T, A V, output projection, MLP up, MLP
down, LM head): MACs, cycles and utilization = MACs / (DIM^2 x cycles),
summed over the layers; then all NPU layers and the whole run. Figures
come from the cycle model (docs/npu-isa.md); the CPU work between layers
(layer norms, softmax, GELU, transposes) is not timed.
"""
# Part of Yizhuang.
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e", "Inputs"))
import sequence_models  # noqa: E402

# Layer kinds by the ONNX node names torch.onnx gives the GPT's layers.
KINDS = [("qkv projection", lambda n: "/attn/qkv/" in n),
         ("Q K^T", lambda n: n.endswith("/attn/MatMul")),
         ("A V", lambda n: n.endswith("/attn/MatMul_1")),
         ("output projection", lambda n: "/attn/proj/" in n),
         ("MLP up", lambda n: "/fc/" in n),
         ("MLP down", lambda n: "/out/" in n),
         ("LM head", lambda n: n.startswith("/head/"))]


def kind_of(name):
    return next((kind for kind, match in KINDS if match(name)), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    args = ap.parse_args()
    tools = os.path.join(args.build, "bin")
    torch.manual_seed(0)
    vocab = 256
    model = sequence_models.GPT(vocab=vocab, d=args.width, heads=args.heads,
                                layers=args.layers, context=args.tokens).eval()
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, vocab, (1, args.tokens), generator=g)
    with torch.no_grad():
        want = model(ids).numpy()
    reports = {}
    with tempfile.TemporaryDirectory(prefix="yz-transformer-") as d:
        onnx_path = os.path.join(d, "gpt.onnx")
        torch.onnx.export(model, (ids,), onnx_path, opset_version=17,
                          input_names=["ids"], output_names=["y"])
        np.save(os.path.join(d, "ids.npy"), ids.numpy())
        cal = os.path.join(d, "cal")
        os.makedirs(cal)
        for i in range(4):
            np.save(os.path.join(cal, f"{i}.npy"),
                    torch.randint(0, vocab, (1, args.tokens), generator=g).numpy())
        for mode, flags, tol in (("int8", ["--quantize=int8", "--calibration", cal], 0.05),
                                 ("bf16", ["--npu-dtype=bf16"], 0.01)):
            obj = os.path.join(d, f"{mode}.o")
            start = time.time()
            subprocess.run([os.path.join(tools, "yzc"), onnx_path, "--target=host",
                            "-o", obj] + flags, check=True)
            print(f"{mode}: compiled in {time.time() - start:.1f} s", file=sys.stderr)
            out_dir = os.path.join(d, f"out-{mode}")
            report = os.path.join(d, f"{mode}.json")
            subprocess.run([os.path.join(tools, "yz-run"), obj, "--input",
                            os.path.join(d, "ids.npy"), "--quiet", "--profile-json",
                            report, "--output-dir", out_dir], check=True,
                           stdout=subprocess.DEVNULL)
            got = np.load(os.path.join(out_dir, "y.npy"))
            err = np.abs(got - want).max() / np.abs(want).max()
            print(f"{mode} vs PyTorch f32: largest error {err:.2%} of the largest "
                  f"output", file=sys.stderr)
            if err > tol:
                sys.exit(f"{mode} result too far from PyTorch's")
            with open(report) as f:
                reports[mode] = json.load(f)

    dim = int(reports["int8"]["target"].split("dim=")[1].split(",")[0])
    print(f"GPT decoder, width {args.width}, {args.tokens} tokens, {args.layers} "
          f"layers, {args.heads} heads; NPU {reports['int8']['target']}")
    print(f"{'layer kind':20} {'MACs':>11} {'int8 cycles':>12} {'util':>6} "
          f"{'bf16 cycles':>12} {'util':>6} {'int8 speedup':>12}")
    rows = {}
    for mode, report in reports.items():
        for layer in report["layers"]:
            kind = kind_of(layer["name"])
            if layer["where"] != "npu" or kind is None:
                continue
            r = rows.setdefault(kind, {"macs": 0})
            r[mode] = r.get(mode, 0) + layer["cycles"]
            if mode == "int8":
                r["macs"] += layer["macs"]
    total = {"macs": 0, "int8": 0, "bf16": 0}
    for kind, _ in KINDS:
        r = rows.get(kind)
        if not r or "int8" not in r or "bf16" not in r:
            continue
        for k in total:
            total[k] += r[k]
        u8 = r["macs"] / (dim * dim * r["int8"])
        u16 = r["macs"] / (dim * dim * r["bf16"])
        print(f"{kind:20} {r['macs']:>11} {r['int8']:>12} {100 * u8:>5.1f}% "
              f"{r['bf16']:>12} {100 * u16:>5.1f}% {r['bf16'] / r['int8']:>11.2f}x")
    u8 = total["macs"] / (dim * dim * total["int8"])
    u16 = total["macs"] / (dim * dim * total["bf16"])
    print(f"{'all NPU layers':20} {total['macs']:>11} {total['int8']:>12} "
          f"{100 * u8:>5.1f}% {total['bf16']:>12} {100 * u16:>5.1f}% "
          f"{total['bf16'] / total['int8']:>11.2f}x")
    c8, c16 = reports["int8"]["cycles"], reports["bf16"]["cycles"]
    print(f"whole run: {c8} cycles int8 vs {c16} bf16 ({c16 / c8:.2f}x); "
          f"utilization {100 * reports['int8']['utilization']:.1f}% vs "
          f"{100 * reports['bf16']['utilization']:.1f}%")


if __name__ == "__main__":
    main()
