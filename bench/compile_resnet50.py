#!/usr/bin/python3
"""Import + compile time and peak memory of ResNet-50 to a riscv64 object.

    bench/compile_resnet50.py [--build DIR] [--model resnet50] [--runs 3]

Exports torchvision's ResNet-50 (random weights, 1x3x224x224) to ONNX once,
then times `yzc model.onnx --target=riscv64 -o model.o` (wall clock, best
and median of --runs) and reports its peak resident memory and the stage
breakdown from --mlir-timing. Target (issue 4): under 10 s on this machine.
The peer, measured in the same run: PyTorch's own torch.onnx.export of the
same model (the step a user already pays before compiling).
"""
# Part of Yizhuang.
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(name, path):
    import torch
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    start = time.perf_counter()
    torch.onnx.export(model, x, path, opset_version=13, input_names=["x"], output_names=["y"])
    seconds = time.perf_counter() - start
    params = sum(p.numel() for p in model.parameters())
    return params, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--model", default="resnet50")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    yzc = os.path.join(args.build, "bin", "yzc")
    with tempfile.TemporaryDirectory() as work:
        onnx_path = os.path.join(work, f"{args.model}.onnx")
        params, export_s = export(args.model, onnx_path)
        size_mb = os.path.getsize(onnx_path) / 1e6
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([yzc, onnx_path, "--target=riscv64", "-o",
                            os.path.join(work, "model.o")], check=True)
            times.append(time.perf_counter() - start)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        timing = subprocess.run([yzc, onnx_path, "--target=riscv64", "-o",
                                 os.path.join(work, "model.o"), "--mlir-timing"],
                                check=True, capture_output=True, text=True).stderr
        obj_mb = os.path.getsize(os.path.join(work, "model.o")) / 1e6
    print(f"{args.model}: {params / 1e6:.1f} M parameters, {size_mb:.0f} MB ONNX -> "
          f"{obj_mb:.0f} MB riscv64 object")
    print(f"yzc import + compile: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"over {args.runs} runs; peak RSS {peak_mb:.0f} MB (target: < 10 s)")
    print(f"peer: torch.onnx.export of the same model {export_s:.2f} s; "
          f"yzc/export = {min(times) / export_s:.2f}x")
    print("stages (one run, --mlir-timing):")
    for line in timing.splitlines():
        if any(k in line for k in ("Import", "MLIR pipeline", "Translate", "LLVM optimization",
                                   "Code generation", "Write output", "Total")):
            print("  " + line.strip())


if __name__ == "__main__":
    sys.exit(main())
