# RUN: %python %s %t | FileCheck %s
# Every failure is a Python exception with the compiler's message; the
# interpreter never aborts.
import os
import sys

import numpy as np
import torch
from onnx import TensorProto, helper

import yizhuang

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
mlp = torch.nn.Sequential(torch.nn.Linear(4, 2))
x = torch.randn(1, 4)


def expect(exc, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc as e:
        print(f"{exc.__name__}: {e}")
        return
    raise AssertionError(f"expected {exc.__name__}")


# CHECK: ValueError: unknown target 'arm' (expected riscv64 or host)
expect(ValueError, yizhuang.compile, mlp, (x,), target="arm")
# CHECK: ValueError: npu: unknown key 'bogus'
expect(ValueError, yizhuang.compile, mlp, (x,), npu="bogus=1")
# CHECK: ValueError: npu_dtype must be 'int8' or 'bf16', got 'fp8'
expect(ValueError, yizhuang.compile, mlp, (x,), npu_dtype="fp8")
# CHECK: ValueError: compiling a torch.nn.Module needs example_inputs
expect(ValueError, yizhuang.compile, mlp)
# CHECK: ValueError: opset must be 7 to 17 for a torch.nn.Module (what torch.onnx exports), got 18
expect(ValueError, yizhuang.compile, mlp, (x,), opset=18)
# CHECK: TypeError: model must be a torch.nn.Module, an onnx.ModelProto or a path
expect(TypeError, yizhuang.compile, 42)
# CHECK: ValueError: threads must be 1 to 256, got 0
expect(ValueError, yizhuang.compile, mlp, (x,), threads=0)
# CHECK: ValueError: quantize must be None or 'int8', got 'int4'
expect(ValueError, yizhuang.compile, mlp, (x,), quantize="int4", calibration=[])
# CHECK: ValueError: quantize='int8' and calibration= go together
expect(ValueError, yizhuang.compile, mlp, (x,), quantize="int8")
# CHECK: ValueError: calibration has no samples
expect(ValueError, yizhuang.compile, mlp, (x,), quantize="int8", calibration=[])
# CHECK: ValueError: calibration: '{{.*}}nope' is not a directory
expect(ValueError, yizhuang.compile, mlp, (x,), quantize="int8",
       calibration=os.path.join(out, "nope"))
# CHECK: ValueError: calibration sample 0 has 2 arrays; the model takes 1 inputs
expect(ValueError, yizhuang.compile, mlp, (x,), quantize="int8",
       calibration=[(x, x)])
conv = torch.nn.Conv2d(1, 2, 1)
img = torch.randn(1, 1, 3, 3)
# CHECK: CompileError: {{.*}}calibration sample '{{.*}}000000.npy': input 0 ('input0') must have shape 1x1x3x3, got 2x4
expect(yizhuang.CompileError, yizhuang.compile, conv, (img,), quantize="int8",
       calibration=[np.zeros((2, 4), np.float32)])

# Unsupported ops: every one named, in one exception.
F = TensorProto.FLOAT
g = helper.make_graph(
    [helper.make_node("Relu", ["a"], ["r"]),
     helper.make_node("RandomUniformLike", ["r"], ["b"], name="random1"),
     helper.make_node("RandomNormalLike", ["b"], ["c"], name="random2")], "g",
    [helper.make_tensor_value_info("a", F, [2])],
    [helper.make_tensor_value_info("c", F, [2])])
# CHECK: CompileError: random1: unsupported ONNX op RandomUniformLike (opset 13) at node 'random1'
# CHECK-NEXT: random2: unsupported ONNX op RandomNormalLike (opset 13) at node 'random2'
# CHECK-NEXT: g.onnx: 2 nodes use ops the importer does not support
expect(yizhuang.CompileError, yizhuang.compile,
       helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), target="host")

# A truncated file.
good = os.path.join(out, "m.onnx")
torch.onnx.export(mlp, (x,), good)
bad = os.path.join(out, "bad.onnx")
with open(good, "rb") as f, open(bad, "wb") as g:
    g.write(f.read()[:40])
# CHECK: CompileError: {{.*}}bad.onnx
expect(yizhuang.CompileError, yizhuang.compile, bad, target="host")
# CHECK: FileNotFoundError
expect(FileNotFoundError, yizhuang.compile, os.path.join(out, "missing.onnx"))

# Running with the wrong inputs.
m = yizhuang.compile(mlp, (x,), target="host")
# CHECK: ValueError: model 'sequential' takes 1 inputs, got 2
expect(ValueError, m.run, x.numpy(), x.numpy())
# CHECK: ValueError: input 'input0' must have shape (1, 4), got (4,)
expect(ValueError, m.run, np.zeros(4, np.float32))
# CHECK: TypeError: input 'input0' must be float32, got complex64
expect(TypeError, m.run, np.zeros((1, 4), np.complex64))
# float64 converts to float32 (same kind)
assert m.run(np.zeros((1, 4)))[0].dtype == np.float32

# Loading something that is not a saved model.
junk = os.path.join(out, "junk")
with open(junk + ".json", "w") as f:
    f.write("{}")
# CHECK: ValueError: {{.*}}junk.json' is not a saved yizhuang model
expect(ValueError, yizhuang.load, junk)
# CHECK: ValueError: opt_level must be 0 to 3, got 7
expect(ValueError, yizhuang.compile, mlp, (x,), opt_level=7)
mlir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools",
                    "Inputs", "entries.mlir")
# CHECK: ValueError: input_shapes apply to ONNX models only
expect(ValueError, yizhuang.compile, mlir, input_shapes={"x": (1,)})

# A model that does not match its reference: the output, the count and the
# worst element are named.
from yizhuang.testing import assert_close
# CHECK: AssertionError: output 'output0': 2 of 2 elements differ beyond rtol=0.0001, atol=1e-05; worst at (0, {{[01]}})
expect(AssertionError, assert_close, mlp, [x], target="host",
       reference=[np.full((1, 2), 1e6, np.float32)])
# CHECK: done
print("done")
