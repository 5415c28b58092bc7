"""Yizhuang: compile PyTorch and ONNX models ahead of time for RISC-V + NPU
(or the host) and run them on numpy arrays.

    import yizhuang
    model = yizhuang.compile(torch_module, example_inputs=(x,), target="host")
    y, = model.run(x.numpy())

Compilation goes through the compiler's C++ API (the `_core` extension);
compiler diagnostics are raised as `yizhuang.CompileError`.
"""
# Part of Yizhuang.
import os as _os

# The runtimes models link with: carried by a pip-installed package
# (python/setup.py), or those of the prefix a `cmake --install`ed package
# lives in (<prefix>/lib/python3/dist-packages/yizhuang -> <prefix>/lib/
# yizhuang); a build-tree package uses the build's (compiled into the
# extension).
_here = _os.path.dirname(_os.path.abspath(__file__))
for _runtime in (_os.path.join(_here, "runtime"),
                 _os.path.join(_here, "..", "..", "..", "yizhuang")):
    for _var, _rel in (("YZ_HOST_RUNNER_LIB", "host/libyz_runner.a"),
                       ("YZ_HOST_NPU_SIM_LIB", "host/libyz_npu_sim.a"),
                       ("YZ_RISCV64_RUNNER_LIB", "riscv64/libyz_runner.a"),
                       ("YZ_RISCV64_NPU_SIM", "riscv64/libyz_npu_sim.so")):
        if _os.path.exists(_os.path.join(_runtime, _rel)):
            _os.environ.setdefault(_var, _os.path.normpath(_os.path.join(_runtime, _rel)))

from ._model import (CompiledModel, TensorSpec, bf16_bits, bf16_to_float,
                     compile, load)
from ._decoder import CompiledDecoder, compile_decoder
from ._core import CompileError, supported_onnx_ops

__all__ = ["CompiledDecoder", "CompiledModel", "CompileError", "TensorSpec",
           "bf16_bits", "bf16_to_float", "compile", "compile_decoder", "load",
           "supported_onnx_ops"]
