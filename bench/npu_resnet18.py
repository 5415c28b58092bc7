#!/usr/bin/python3
"""The whole ResNet-18 in int8 on the NPU: per-layer and total utilization
in the cycle model, double vs single buffering.

    bench/npu_resnet18.py [--build DIR] [--size 224] [--dtype int8|bf16]

torchvision's ResNet-18 (random weights, batch norms with statistics) is
exported to ONNX and compiled with yzc --quantize=int8 (calibrated on 4
random inputs) for the host with the NPU simulator, once with double
buffering (the default) and once without (the peer, measured in the same
run). Each build runs one image through yz-run --profile-json and must
match the fake-quantized PyTorch reference (utils/ptqref.py). Printed, per
convolution (from the per-layer profile): cycles, MACs, utilization =
MACs / (DIM^2 x cycles), bytes moved; then the totals over the conv
layers and over all NPU layers (the linear head included): utilization =
their MACs / DIM^2 / their summed cycles; and the whole run's cycles. Figures come from the cycle model (docs/npu-isa.md); the CPU
work between layers (transposes, pooling, adds) is not timed. With
--dtype bf16 the float model is compiled with --npu-dtype=bf16 instead
(no quantization) and checked against PyTorch f32 (largest error within
5% of the largest output).

Then the host's share (int8; --no-host to skip): the same model compiled
for riscv64 runs under qemu with yz-run --host-cycles (docs/tools.md),
which prices the host code with llvm-mca on the SpacemiT X60 model. Per
layer: the host's estimated cycles (of which issuing NPU instructions)
beside the NPU's, and the whole model's time at --host-mhz / --npu-mhz.
"""
# Part of Yizhuang.
import argparse
import json

import numpy as np
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "test", "e2e", "Inputs", "make_resnet_ptq.py")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--dtype", choices=["int8", "bf16"], default="int8")
    ap.add_argument("--no-host", action="store_true",
                    help="skip the riscv64 run that estimates the host's cycles")
    ap.add_argument("--host-mhz", type=float, default=1600)
    ap.add_argument("--npu-mhz", type=float, default=1000)
    args = ap.parse_args()
    int8 = args.dtype == "int8"
    tools = os.path.join(args.build, "bin")
    py = "/usr/bin/python3"
    with tempfile.TemporaryDirectory(prefix="yz-resnet18-") as d:
        run([py, GEN, d, str(args.size)])
        reports = {}
        for double in (True, False):
            obj = os.path.join(d, f"r{int(double)}.o")
            start = time.time()
            mode = (["--quantize=int8", "--calibration", os.path.join(d, "cal"),
                     "--calibration-table", os.path.join(d, "table.json")]
                    if int8 else ["--npu-dtype=bf16"])
            run([os.path.join(tools, "yzc"), os.path.join(d, "resnet18.onnx"),
                 "--target=host", "-o", obj,
                 f"--npu-double-buffer={'true' if double else 'false'}"] + mode)
            print(f"compiled ({'double' if double else 'single'} buffering"
                  f"{', calibration included' if int8 else ''}) in "
                  f"{time.time() - start:.1f} s", file=sys.stderr)
            if double and int8:
                run([py, GEN, d, str(args.size), "--table",
                     os.path.join(d, "table.json")], stdout=sys.stderr)
            report = obj + ".json"
            check = (["--compare", os.path.join(d, "y.fq.npy"), "--rtol", "0",
                      "--atol", "1e-5"] if int8 else [])
            out_dir = os.path.join(d, f"out{int(double)}")
            out = subprocess.run(
                [os.path.join(tools, "yz-run"), obj, "--input",
                 os.path.join(d, "x.npy"), "--quiet", "--profile-json", report,
                 "--output-dir", out_dir] + check,
                capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"wrong result:\n{out.stdout}{out.stderr}")
            if not int8:
                got = np.load(os.path.join(out_dir, "y.npy"))
                want = np.load(os.path.join(d, "y.float.npy"))
                err = np.abs(got - want).max() / np.abs(want).max()
                print(f"bf16 vs PyTorch f32: largest error {err:.2%} of the "
                      f"largest output", file=sys.stderr)
                if err > 0.05:
                    sys.exit("bf16 result too far from PyTorch's")
            with open(report) as f:
                reports[double] = json.load(f)
        if int8 and not args.no_host:
            host = host_share(args, tools, d)

    dim = int(reports[True]["target"].split("dim=")[1].split(",")[0])
    single = {l["name"]: l for l in reports[False]["layers"]}
    print(f"ResNet-18 {args.dtype}, {args.size}x{args.size}, batch 1, NPU "
          f"{reports[True]['target']}")
    print(f"{'layer':46} {'cycles':>9} {'MACs':>10} {'util':>6} "
          f"{'single':>7} {'bytes in':>9} {'bytes out':>9}")
    totals = {"conv layers": [0, 0, 0], "all NPU layers": [0, 0, 0]}
    for l in reports[True]["layers"]:
        if l["where"] != "npu":
            print(f"{l['name']:46} {'-':>9} {l['macs']:>10} {'cpu':>6}")
            continue
        s = single[l["name"]]
        for key in totals:
            if key == "all NPU layers" or l["name"].endswith("/Conv"):
                totals[key][0] += l["macs"]
                totals[key][1] += l["cycles"]
                totals[key][2] += s["cycles"]
        print(f"{l['name']:46} {l['cycles']:>9} {l['macs']:>10} "
              f"{100 * l['utilization']:>5.1f}% {100 * s['utilization']:>6.1f}% "
              f"{l['bytes_in']:>9} {l['bytes_out']:>9}")
    for key, (macs, cycles, cycles1) in totals.items():
        util = macs / (dim * dim * cycles)
        util1 = macs / (dim * dim * cycles1)
        print(f"{key}: {macs} MACs in {cycles} cycles: utilization "
              f"{100 * util:.1f}% double-buffered vs {100 * util1:.1f}% single "
              f"({cycles1} cycles): {cycles1 / cycles:.2f}x")
    t2, t1 = reports[True]["cycles"], reports[False]["cycles"]
    print(f"whole run: {t2} cycles double-buffered vs {t1} single: "
          f"{t1 / t2:.2f}x; utilization {100 * reports[True]['utilization']:.1f}% "
          f"vs {100 * reports[False]['utilization']:.1f}%")
    if int8 and not args.no_host:
        print_host_share(host)


def host_share(args, tools, d):
    """The riscv64 build under qemu with yz-run --host-cycles: its report."""
    obj = os.path.join(d, "rv.o")
    start = time.time()
    run([os.path.join(tools, "yzc"), os.path.join(d, "resnet18.onnx"),
         "--target=riscv64", "--quantize=int8", "--calibration",
         os.path.join(d, "cal"), "-o", obj])
    print(f"compiled for riscv64 in {time.time() - start:.1f} s",
          file=sys.stderr)
    report = obj + ".json"
    start = time.time()
    out = subprocess.run(
        [os.path.join(tools, "yz-run"), obj, "--input", os.path.join(d, "x.npy"),
         "--quiet", "--host-cycles", "--profile-json", report,
         f"--host-mhz={args.host_mhz}", f"--npu-mhz={args.npu_mhz}",
         "--compare", os.path.join(d, "y.fq.npy"), "--rtol", "0",
         "--atol", "1e-5"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"riscv64 run failed:\n{out.stdout}{out.stderr}")
    print(f"ran under qemu with --host-cycles in {time.time() - start:.1f} s",
          file=sys.stderr)
    with open(report) as f:
        return json.load(f)["host"]


def print_host_share(h):
    print(f"\nhost share (riscv64, llvm-mca -mcpu={h['mcpu']}; host "
          f"{h['host_mhz']:.0f} MHz, NPU {h['npu_mhz']:.0f} MHz)")
    print(f"{'layer':46} {'host cyc':>10} {'NPU issue':>10} {'NPU cyc':>9} "
          f"{'time ms':>8}")
    for l in h["layers"]:
        other = (l["host_cycles"] - l["issue_cycles"]) / (h["host_mhz"] * 1e3)
        ms = other + max(l["issue_cycles"] / (h["host_mhz"] * 1e3),
                         l["npu_cycles"] / (h["npu_mhz"] * 1e3))
        print(f"{l['name']:46} {l['host_cycles']:>10.0f} "
              f"{l['issue_cycles']:>10.0f} {l['npu_cycles']:>9} {ms:>8.3f}")
    print(f"total: host {h['cycles']:.0f} cycles ({h['host_ms']:.2f} ms, "
          f"{h['issue_cycles'] / h['cycles']:.0%} of it issuing to the NPU), "
          f"NPU {h['npu_ms'] * h['npu_mhz'] * 1e3:.0f} cycles "
          f"({h['npu_ms']:.2f} ms); whole model {h['model_ms']:.2f} ms, "
          f"the NPU busy {h['npu_ms'] / h['model_ms']:.0%} of it")


if __name__ == "__main__":
    main()
