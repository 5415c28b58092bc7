#!/usr/bin/python3
"""Host CNN latency: yzc's code against onnxruntime and PyTorch, same run.

    bench/cnn_host.py [--build DIR] [--models resnet18,mobilenet_v2,...]
                      [--threads 1,2] [-O 3] [--rounds 3] [--ort DIR]

For each torchvision model (random weights, seeded; eval mode), exports it
to ONNX (opset 17), compiles it with `yzc --target=host --npu=none
--threads=T` for each T, links it into a shared library with the C runtime
and calls its entry through ctypes on a 1x3x224x224 input. The output is
checked against PyTorch's and onnxruntime's. Peers, on the same ONNX file
and input: onnxruntime 1.30 through onnxruntime-node (`npm install
onnxruntime-node --ignore-scripts` in DIR, default build/ort; run by
bench/ort_time.js with intraOpNumThreads T, graph optimizations 'all'),
and PyTorch (oneDNN) at one thread. Timing: the best run of alternating
rounds (about a second per side per round, after a warm-up), so a slow
spell of a shared machine hits every side. Prints milliseconds, yzc/ORT
per thread count (below 1: yzc is faster), yzc's speed-up from 1 to T
threads, and the geometric means.
"""
# Part of Yizhuang.
import argparse
import ctypes
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision

from hostlib import best_time, compile_and_load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = ("resnet18,mobilenet_v2,mobilenet_v3_small,shufflenet_v2_x1_0,"
          "efficientnet_b0,regnet_x_400mf")


def ort_time(args, onnx_path, x_bin, threads, out_bin):
    """onnxruntime-node's best time (s) on `x_bin`; writes its output."""
    env = dict(os.environ, NODE_PATH=os.path.join(args.ort, "node_modules"))
    run = subprocess.run(
        ["node", os.path.join(ROOT, "bench", "ort_time.js"), onnx_path, x_bin,
         "1x3x224x224", str(threads), out_bin, "1"],
        env=env, capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"onnxruntime-node failed: {run.stderr.strip()}\n(install it "
                 f"with: npm install onnxruntime-node --ignore-scripts "
                 f"--prefix {args.ort})")
    return json.loads(run.stdout)["best_ms"] / 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--models", default=MODELS)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("-O", dest="opt", default="3")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating timing rounds (best of each side)")
    parser.add_argument("--ort", default=os.path.join(ROOT, "build", "ort"))
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",")]

    torch.set_num_threads(1)
    print(f"1x3x224x224 f32; yzc -O{args.opt} --target=host; onnxruntime-node"
          f" (intraOpNumThreads = T); PyTorch {torch.__version__} one thread")
    head = f"{'model':>19}"
    for t in counts:
        head += f" {'yzc ' + str(t) + 't':>8} {'ORT ' + str(t) + 't':>8}" \
                f" {'yzc/ORT':>7}"
    head += f" {'1t/' + str(counts[-1]) + 't':>6} {'PyTorch':>8} " \
            f"{'rel. diff':>9} {'compile s':>9}"
    print(head + "\n" + " " * 20 + "(ms)")
    ratios = {t: [] for t in counts}
    speedups = []
    with tempfile.TemporaryDirectory() as work:
        for name in args.models.split(","):
            torch.manual_seed(0)
            model = getattr(torchvision.models, name)().eval()
            x = torch.from_numpy(np.random.default_rng(0).standard_normal(
                (1, 3, 224, 224), dtype=np.float32))
            onnx_path = os.path.join(work, f"{name}.onnx")
            torch.onnx.export(model, x, onnx_path, opset_version=17,
                              input_names=["x"], output_names=["y"])
            xn = x.numpy()
            x_bin = os.path.join(work, "x.bin")
            xn.tofile(x_bin)
            with torch.no_grad():
                ref = model(x).numpy()
            calls, compile_s = {}, 0
            for t in counts:
                invoke, seconds = compile_and_load(
                    args.build, onnx_path, os.path.join(work, f"{name}{t}.o"),
                    "net", ["--target=host", "--npu=none", f"-O{args.opt}",
                            "--model-name=net", f"--threads={t}"])
                compile_s = max(compile_s, seconds)
                y = np.empty_like(ref)
                ptrs = (ctypes.c_void_p * 2)(xn.ctypes.data, y.ctypes.data)
                # The lambda keeps `y` alive: `ptrs` holds only its address,
                # and the next thread count rebinds `y` (the model would
                # write into freed memory: glibc then faulted in malloc).
                calls[t] = (lambda invoke=invoke, ptrs=ptrs, y=y: invoke(ptrs))
                calls[t]()
                # Relative to the outputs' scale: random weights can make
                # them tiny (MobileNetV2's are ~1e-11).
                diff = float(np.abs(y - ref).max() / np.abs(ref).max())
                if not diff < 1e-4:
                    sys.exit(f"{name}: yzc's output differs from PyTorch's "
                             f"(max |diff| / max |ref| = {diff})")
            out_bin = os.path.join(work, "y.bin")
            ort_time(args, onnx_path, x_bin, 1, out_bin)
            ort_y = np.fromfile(out_bin, np.float32).reshape(ref.shape)
            ort_diff = float(np.abs(y - ort_y).max() / np.abs(ref).max())
            if not ort_diff < 1e-4:
                sys.exit(f"{name}: yzc's output differs from onnxruntime's "
                         f"({ort_diff})")

            def pytorch():
                with torch.no_grad():
                    model(x)

            ours = {t: float("inf") for t in counts}
            theirs = {t: float("inf") for t in counts}
            t_torch = float("inf")
            for _ in range(args.rounds):
                for t in counts:
                    ours[t] = min(ours[t], best_time(calls[t], 1.0, 5))
                    theirs[t] = min(theirs[t], ort_time(args, onnx_path,
                                                        x_bin, t, out_bin))
                t_torch = min(t_torch, best_time(pytorch, 1.0, 5))
            line = f"{name:>19}"
            for t in counts:
                ratios[t].append(ours[t] / theirs[t])
                line += f" {ours[t] * 1e3:>8.1f} {theirs[t] * 1e3:>8.1f}" \
                        f" {ours[t] / theirs[t]:>7.2f}"
            speedups.append(ours[counts[0]] / ours[counts[-1]])
            line += f" {speedups[-1]:>6.2f} {t_torch * 1e3:>8.1f}" \
                    f" {diff:>9.1e} {compile_s:>9.1f}"
            print(line, flush=True)

    def geomean(v):
        return math.exp(sum(map(math.log, v)) / len(v))
    for t in counts:
        print(f"yzc / ORT at {t} thread(s): geometric mean "
              f"{geomean(ratios[t]):.2f}, worst {max(ratios[t]):.2f}")
    print(f"yzc {counts[0]} -> {counts[-1]} threads: geometric mean speed-up "
          f"{geomean(speedups):.2f}")


if __name__ == "__main__":
    main()
