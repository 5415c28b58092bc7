#!/usr/bin/python3
"""The bundled demo: a small CNN for scikit-learn's digits, int8 on the NPU.

    digits.py WORK_DIR [--yzc PATH] [--yz-run PATH] [--target riscv64|host]

Trains a CNN on the 8x8 digits bundled with scikit-learn (no download),
exports it to ONNX, compiles it with yzc --quantize=int8 calibrated on its
own split, runs the test split on the simulated RISC-V + NPU (qemu +
simulator) with yz-run --profile (and, for riscv64, --host-cycles), and
prints the float (PyTorch) and int8 (compiled) accuracies, the NPU profile
and the host core's estimated share. Exits 1 if the int8 accuracy is more
than 1 point below the float one.
"""
# Part of Yizhuang.
import argparse
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import torch
from sklearn.datasets import load_digits


class DigitsCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.conv3 = torch.nn.Conv2d(32, 32, 3, padding=1)
        self.fc = torch.nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x))
        return self.fc(x.flatten(1))


def splits():
    """Train / calibration / test, fixed: 1077 / 360 / 360 images."""
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]  # [N, 1, 8, 8]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    return (x[:1077], y[:1077]), x[1077:1437], (x[1437:], y[1437:])


def train(x, y):
    torch.manual_seed(0)
    net = DigitsCNN()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(0)
    for _ in range(30):
        for idx in torch.randperm(len(x), generator=gen).split(64):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx]).backward()
            opt.step()
    return net.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work")
    ap.add_argument("--yzc", default="yzc")
    ap.add_argument("--yz-run", default="yz-run")
    ap.add_argument("--target", default="riscv64", choices=["riscv64", "host"])
    args = ap.parse_args()
    os.makedirs(os.path.join(args.work, "cal"), exist_ok=True)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")  # torch.onnx.export's notes

    (xtr, ytr), xcal, (xte, yte) = splits()
    start = time.time()
    net = train(xtr, ytr)
    with torch.no_grad():
        float_pred = net(torch.from_numpy(xte)).argmax(1).numpy()
    print(f"== trained DigitsCNN on {len(xtr)} images in "
          f"{time.time() - start:.1f} s")
    onnx_path = os.path.join(args.work, "digits.onnx")
    torch.onnx.export(net, torch.from_numpy(xte), onnx_path,
                      input_names=["image"], output_names=["logits"],
                      opset_version=13)
    np.save(os.path.join(args.work, "cal", "split.npy"), xcal)
    np.save(os.path.join(args.work, "test.npy"), xte)

    obj = os.path.join(args.work, "digits.o")
    cmd = [args.yzc, onnx_path, f"--target={args.target}", "--quantize=int8",
           "--calibration", os.path.join(args.work, "cal"),
           "--report-placement", "-o", obj]
    print("== " + " ".join(cmd))
    start = time.time()
    sys.stdout.flush()
    subprocess.run(cmd, check=True, stderr=subprocess.STDOUT)
    print(f"   compiled in {time.time() - start:.1f} s (calibration included)")

    out = os.path.join(args.work, "out")
    cmd = [args.yz_run, obj, "--input", os.path.join(args.work, "test.npy"),
           "--output-dir", out, "--quiet", "--profile"]
    if args.target == "riscv64":
        cmd.append("--host-cycles")
    print("== " + " ".join(cmd))
    sys.stdout.flush()
    subprocess.run(cmd, check=True)
    int8_pred = np.load(os.path.join(out, "logits.npy")).argmax(1)

    print(f"   first 16 predictions (int8): {' '.join(map(str, int8_pred[:16]))}")
    print(f"   their labels:                {' '.join(map(str, yte[:16]))}")
    acc_f = 100.0 * (float_pred == yte).mean()
    acc_q = 100.0 * (int8_pred == yte).mean()
    print(f"== accuracy on the {len(yte)} test images: float (PyTorch) "
          f"{acc_f:.2f}%, int8 (compiled, NPU) {acc_q:.2f}%, "
          f"difference {acc_q - acc_f:+.2f} points")
    print(f"   predictions that differ: {(float_pred != int8_pred).sum()}")
    if acc_q < acc_f - 1.0:
        print("error: int8 accuracy is more than 1 point below float")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
