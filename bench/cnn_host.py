#!/usr/bin/python3
"""Host CNN latency, single thread: yzc's code against PyTorch, side by side.

    bench/cnn_host.py [--build DIR] [--models resnet18,mobilenet_v2] [-O 3]
                      [--rounds 3]

For each torchvision model (random weights, seeded; eval mode), exports it
to ONNX, compiles it with `yzc --target=host --npu=none`, links it into a
shared library with the C runtime and calls its entry through ctypes on a
1x3x224x224 input. Checks the output against PyTorch's on the same input,
then times both (the best run over alternating rounds of about a second
each, after a warm-up; PyTorch with torch.set_num_threads(1) under
torch.no_grad()). Prints milliseconds and yzc/PyTorch (below 1: yzc is
faster).
"""
# Part of Yizhuang.
import argparse
import ctypes
import os
import sys
import tempfile

import numpy as np
import torch
import torchvision

from hostlib import best_time, compile_and_load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def compile_model(build, work, name, model, x, opt):
    onnx_path = os.path.join(work, f"{name}.onnx")
    torch.onnx.export(model, x, onnx_path, opset_version=17,
                      input_names=["x"], output_names=["y"])
    return compile_and_load(build, onnx_path, os.path.join(work, f"{name}.o"),
                            "net", ["--target=host", "--npu=none", f"-O{opt}",
                                    "--model-name=net"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--models", default="resnet18,mobilenet_v2")
    parser.add_argument("-O", dest="opt", default="3")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating timing rounds (best of each side)")
    args = parser.parse_args()

    torch.set_num_threads(1)
    print(f"1x3x224x224 f32, one thread; PyTorch {torch.__version__} "
          f"(oneDNN: {torch.backends.mkldnn.is_available()}); "
          f"yzc -O{args.opt} --target=host")
    print(f"{'model':>14} {'yzc ms':>8} {'PyTorch ms':>11} {'ratio':>6} "
          f"{'rel. diff':>11} {'compile s':>10}")
    with tempfile.TemporaryDirectory() as work:
        for name in args.models.split(","):
            torch.manual_seed(0)
            model = getattr(torchvision.models, name)().eval()
            x = torch.from_numpy(np.random.default_rng(0).standard_normal(
                (1, 3, 224, 224), dtype=np.float32))
            invoke, compile_s = compile_model(args.build, work, name, model,
                                              x, args.opt)
            xn = x.numpy()
            with torch.no_grad():
                ref = model(x).numpy()
            y = np.empty_like(ref)
            ptrs = (ctypes.c_void_p * 2)(xn.ctypes.data, y.ctypes.data)

            def ours():
                invoke(ptrs)

            def pytorch():
                with torch.no_grad():
                    model(x)

            ours()
            # Relative to the outputs' scale: random weights can make them
            # tiny (MobileNetV2's are ~1e-11).
            diff = float(np.abs(y - ref).max() / np.abs(ref).max())
            if not diff < 1e-4:
                sys.exit(f"{name}: yzc's output differs from PyTorch's "
                         f"(max |diff| / max |ref| = {diff})")
            pytorch()
            # Alternating rounds, best of each: a slow spell of a shared
            # machine then hits both sides, not one.
            t_ours = t_torch = float("inf")
            for _ in range(args.rounds):
                t_ours = min(t_ours, best_time(ours, budget=1.0, least=5))
                t_torch = min(t_torch, best_time(pytorch, budget=1.0,
                                                 least=5))
            print(f"{name:>14} {t_ours * 1e3:>8.1f} {t_torch * 1e3:>11.1f} "
                  f"{t_ours / t_torch:>6.2f} {diff:>11.2e} "
                  f"{compile_s:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
