# RUN: %python %s | FileCheck %s
# yizhuang.compile(quantize="int8", calibration=[...]): a torch CNN
# quantized from Python, run on riscv64 (qemu + NPU simulator), matches the
# fake-quantized reference (utils/ptqref.py) to float rounding.
import os
import sys

import numpy as np
import torch

import yizhuang
from yizhuang.testing import assert_close

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "utils"))
import ptqref  # noqa: E402

torch.manual_seed(1)
net = torch.nn.Sequential(torch.nn.Conv2d(2, 8, 3, padding=1), torch.nn.ReLU(),
                          torch.nn.Conv2d(8, 4, 3, stride=2)).eval()
rng = np.random.default_rng(2)
cal = [rng.standard_normal((1, 2, 9, 9)).astype(np.float32) for _ in range(4)]
x = rng.standard_normal((1, 2, 9, 9)).astype(np.float32)

fused = torch.ao.quantization.fuse_modules(net, [["0", "1"]])
fq = ptqref.FakeQuant(fused)
fq.calibrate(cal)
expected = fq.run(x).numpy()

m = yizhuang.compile(net, (torch.from_numpy(x),), target="riscv64",
                     quantize="int8", calibration=cal)
assert_close(m, [x], rtol=0, atol=1e-6, reference=[expected])
# CHECK: int8 riscv64 matches the fake-quantized reference
print("int8 riscv64 matches the fake-quantized reference")
# The f32 model's outputs are further away than the tolerance.
err = np.abs(m.run(x)[0] - net(torch.from_numpy(x)).detach().numpy()).max()
# CHECK: differs from f32: True
print("differs from f32:", err > 1e-4)
