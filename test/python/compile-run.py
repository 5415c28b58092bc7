# RUN: %python %s %t | FileCheck %s
# The yizhuang package end to end: a torch MLP and a small CNN compiled from
# Python and run on numpy arrays, on the host and on riscv64 (qemu + NPU
# simulator), against PyTorch (f32: rtol 1e-4, atol 1e-5); ONNX ModelProto
# and file inputs; save/load; the NPU profile and the host's share.
import os
import sys

import numpy as np
import onnx
import torch

import yizhuang
from yizhuang.testing import assert_close

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)

mlp = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
x = torch.randn(3, 8)
m = yizhuang.compile(mlp, example_inputs=(x,), target="host")
# CHECK: <CompiledModel sequential (host) (input0: float32[3, 8]) -> (output0: float32[3, 4])>
print(m)
y, = m.run(x.numpy())
assert np.allclose(y, mlp(x).detach().numpy(), rtol=1e-4, atol=1e-5)
# CHECK: mlp host ok
print("mlp host ok")
assert_close(mlp, [x], target="riscv64")
# CHECK: mlp riscv64 ok
print("mlp riscv64 ok")


class SmallCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.conv2 = torch.nn.Conv2d(4, 8, 3, stride=2)
        self.fc = torch.nn.Linear(8 * 3 * 3, 5)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv1(x)))
        x = torch.nn.functional.relu6(self.conv2(x))
        return torch.softmax(self.fc(x.flatten(1)), dim=1), x.mean()


cnn = SmallCNN().eval()
with torch.no_grad():  # non-trivial batch-norm statistics
    cnn.bn.running_mean.uniform_(-1, 1)
    cnn.bn.running_var.uniform_(0.5, 2)
img = torch.randn(2, 1, 8, 8)
for target in ("host", "riscv64"):
    got = assert_close(cnn, [img], target=target)
    # CHECK: cnn host ok: 2 outputs
    # CHECK: cnn riscv64 ok: 2 outputs
    print(f"cnn {target} ok: {len(got)} outputs")

# An onnx.ModelProto and a path.
path = os.path.join(out, "mlp.onnx")
torch.onnx.export(mlp, (x,), path, input_names=["x"], output_names=["y"])
proto = onnx.load(path)
for model in (proto, path):
    c = yizhuang.compile(model, target="host")
    assert [t.name for t in c.inputs] == ["x"] and [t.name for t in c.outputs] == ["y"]
    assert np.allclose(c.run(x.numpy())[0], y, rtol=1e-4, atol=1e-5)
# CHECK: onnx inputs ok
print("onnx inputs ok")

# Save and load: the object, the C header and the metadata.
base = m.save(os.path.join(out, "saved"))
assert all(os.path.exists(base + ext) for ext in (".o", ".h", ".json"))
assert "yz_model_sequential" in open(base + ".h").read()
loaded = yizhuang.load(base + ".o")
assert np.array_equal(loaded.run(x.numpy())[0], y)
# CHECK: save/load ok
print("save/load ok")

# The NPU profile: f32 matmuls on the NPU in bf16.
npu = yizhuang.compile(mlp, example_inputs=(x,), target="host", npu_dtype="bf16")
prof = npu.profile(x.numpy())
assert prof["npu_used"] and prof["trace"], prof.keys()
assert np.allclose(prof["outputs"][0], y, rtol=0.05, atol=0.05)
# CHECK: profile: npu used, cycles > 0: True
print(f"profile: npu used, cycles > 0: {prof['cycles'] > 0}")
# CHECK: layers: npu npu
print("layers:", " ".join(layer["where"] for layer in prof["layers"]))
cpu = m.profile(x.numpy())
assert cpu["npu_used"] is False

# The host's share (riscv64): the host core's estimated cycles per layer
# beside the NPU's, under "host" (yz-run --host-cycles); host models are
# refused.
rv = yizhuang.compile(mlp, example_inputs=(x,), target="riscv64",
                      npu_dtype="bf16")
prof = rv.profile(x.numpy(), host_cycles=True)
host = prof["host"]
assert prof["npu_used"] and host["cycles"] > 0, host
assert abs(sum(l["host_cycles"] for l in host["layers"]) - host["cycles"]) < 1
# CHECK: host cycles: spacemit-x60, layers with NPU cycles: True, model ms >= NPU ms: True
print(f"host cycles: {host['mcpu']}, layers with NPU cycles: "
      f"{any(l['npu_cycles'] > 0 for l in host['layers'])}, model ms >= NPU "
      f"ms: {host['model_ms'] >= host['npu_ms']}")
try:
    npu.profile(x.numpy(), host_cycles=True)
except ValueError as e:
    # CHECK: ValueError: host_cycles estimates the target core's cycles: compile with target='riscv64'
    print("ValueError:", e)
