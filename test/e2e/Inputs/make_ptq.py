#!/usr/bin/python3
"""Writes a small CNN for int8 post-training quantization tests.

    make_ptq.py OUT_DIR

OUT_DIR/cnn.onnx (conv + batch norm + ReLU, strided conv + ReLU, max pool,
a depthwise conv that stays f32, a residual add, a 1x1 conv, average pool,
a linear layer), OUT_DIR/cal/*.npy (calibration inputs), x.npy, and the
references: y.float.npy (PyTorch f32) and y.fq.npy (utils/ptqref.py: the
same model fake-quantized as yzc --quantize=int8 quantizes it). And a
model of two inputs: two.onnx, cal2/<sample>/{a,b}.npy, two.{a,b}.npy,
two.fq.npy.
"""
# Part of Yizhuang.
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
import ptqref  # noqa: E402


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.relu1 = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(16, 24, 3, stride=2, padding=1)
        self.relu2 = torch.nn.ReLU()
        self.pool = torch.nn.MaxPool2d(2)
        self.dw = torch.nn.Conv2d(24, 24, 3, padding=1, groups=24)
        self.conv3 = torch.nn.Conv2d(24, 24, 1)
        self.head = torch.nn.Linear(24, 10)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        x = self.pool(self.relu2(self.conv2(x)))
        x = x + self.conv3(self.dw(x))
        x = torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(x)


class Two(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.b = torch.nn.Conv2d(3, 4, 1)

    def forward(self, a, b):
        return self.a(a) * self.b(b)


out = sys.argv[1]
os.makedirs(os.path.join(out, "cal"), exist_ok=True)
torch.manual_seed(3)
net = Net().eval()
with torch.no_grad():  # a batch norm that does something
    net.bn1.running_mean.uniform_(-0.5, 0.5)
    net.bn1.running_var.uniform_(0.5, 2.0)
    net.bn1.weight.uniform_(0.5, 1.5)
    net.bn1.bias.uniform_(-0.2, 0.2)
rng = np.random.default_rng(5)
shape = (2, 3, 16, 16)
x = rng.standard_normal(shape).astype(np.float32)
torch.onnx.export(net, torch.from_numpy(x), os.path.join(out, "cnn.onnx"),
                  input_names=["x"], output_names=["y"], opset_version=13)
cal = [rng.standard_normal(shape).astype(np.float32) for _ in range(6)]
for i, c in enumerate(cal):
    np.save(os.path.join(out, "cal", f"{i}.npy"), c)
np.save(os.path.join(out, "x.npy"), x)
with torch.no_grad():
    np.save(os.path.join(out, "y.float.npy"), net(torch.from_numpy(x)).numpy())

fused = torch.ao.quantization.fuse_modules(
    net, [["conv1", "bn1", "relu1"], ["conv2", "relu2"]])
fq = ptqref.FakeQuant(fused)
fq.calibrate(cal)
np.save(os.path.join(out, "y.fq.npy"), fq.run(x).numpy())

two = Two().eval()
inputs = lambda: (rng.standard_normal((1, 2, 5, 5)).astype(np.float32),
                  rng.standard_normal((1, 3, 5, 5)).astype(np.float32))
ab = inputs()
torch.onnx.export(two, tuple(map(torch.from_numpy, ab)),
                  os.path.join(out, "two.onnx"), input_names=["a", "b"],
                  output_names=["y"], opset_version=13)
cal2 = [inputs() for _ in range(4)]
for i, sample in enumerate(cal2):
    os.makedirs(os.path.join(out, "cal2", str(i)), exist_ok=True)
    for name, v in zip("ab", sample):
        np.save(os.path.join(out, "cal2", str(i), f"{name}.npy"), v)
for name, v in zip("ab", ab):
    np.save(os.path.join(out, f"two.{name}.npy"), v)
fq = ptqref.FakeQuant(two)
fq.calibrate(cal2)
np.save(os.path.join(out, "two.fq.npy"), fq.run(ab).numpy())
