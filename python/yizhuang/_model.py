"""compile(), CompiledModel and load(). See the package docstring."""
# Part of Yizhuang.
import io
import json
import os
import shutil
import tempfile
from collections import namedtuple

import numpy as np

from . import _core

#: One model input or output: name, numpy dtype, shape.
TensorSpec = namedtuple("TensorSpec", ["name", "dtype", "shape"])

# numpy has no bfloat16: bf16 tensors travel as uint16 arrays of their bits.
_DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
           "bf16": np.uint16, "i8": np.int8, "i16": np.int16, "i32": np.int32,
           "i64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32,
           "u64": np.uint64, "bool": np.bool_}
_FORMAT_VERSION = 1


def _spec(entry):
    name, dtype, shape = entry
    if dtype not in _DTYPES:
        raise TypeError(f"tensor '{name}' has element type {dtype}, which numpy "
                        "cannot hold")
    return TensorSpec(name, np.dtype(_DTYPES[dtype]), tuple(shape))


def bf16_bits(a):
    """float array -> the bits of bfloat16 (rounded to nearest even), as
    uint16: the form bf16 inputs take and bf16 outputs come back in."""
    u = np.ascontiguousarray(a, np.float32).view(np.uint32).astype(np.uint64)
    nan = np.isnan(np.asarray(a, np.float32))
    bits = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    return np.where(nan, np.uint16(0x7FC0), bits)


def bf16_to_float(bits):
    """uint16 bfloat16 bits -> float32."""
    return (np.asarray(bits, np.uint16).astype(np.uint32) << 16).view(np.float32)


def _onnx_bytes(model, example_inputs, opset):
    """The serialized ONNX model and a name for diagnostics."""
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        with open(path, "rb") as f:
            data = f.read()
        fmt = "mlir" if path.endswith(".mlir") else "onnx"
        return data, fmt, path
    if type(model).__name__ == "ModelProto":
        name = model.graph.name or "model"
        return model.SerializeToString(), "onnx", f"{name}.onnx"
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a Debian package here
        torch = None
    if torch is not None and isinstance(model, torch.nn.Module):
        # torch.onnx in Debian's torch (1.13) writes opsets 7 to 17; yzc
        # itself reads ONNX files up to opset 23.
        if not isinstance(opset, int) or not 7 <= opset <= 17:
            raise ValueError(f"opset must be 7 to 17 for a torch.nn.Module "
                             f"(what torch.onnx exports), got {opset!r}")
        if example_inputs is None:
            raise ValueError("compiling a torch.nn.Module needs example_inputs "
                             "(a tensor or a tuple of tensors)")
        if isinstance(example_inputs, torch.Tensor):
            example_inputs = (example_inputs,)
        example_inputs = tuple(example_inputs)
        buffer = io.BytesIO()
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                out = model(*example_inputs)  # to name every output
                count = len(out) if isinstance(out, (tuple, list)) else 1
                torch.onnx.export(
                    model, example_inputs, buffer, opset_version=opset,
                    input_names=[f"input{i}" for i in range(len(example_inputs))],
                    output_names=[f"output{i}" for i in range(count)],
                    do_constant_folding=True)
        finally:
            model.train(was_training)
        # The model is named after its class (yz_model_<name> in the object).
        return buffer.getvalue(), "onnx", f"{type(model).__name__.lower()}.onnx"
    raise TypeError("model must be a torch.nn.Module, an onnx.ModelProto or a "
                    f"path to a .onnx or .mlir file, not {type(model).__name__}")


def compile(model, example_inputs=None, target="riscv64", npu="default",
            quantize=None, calibration=None, *, npu_dtype="int8",
            npu_double_buffer=True, input_shapes=None, vlen=256, opt_level=2,
            opset=13, threads=1):
    """Compiles `model` and returns a CompiledModel.

    model: a torch.nn.Module (exported through torch.onnx in memory, with
    `example_inputs`), an onnx.ModelProto, or a path to .onnx or .mlir.
    target: "riscv64" (runs under qemu + the NPU simulator) or "host".
    npu: "default", "none" (CPU only) or a description ("dim=8,...").
    input_shapes: {input name: shape} for dynamic dimensions (ONNX).
    quantize="int8" with calibration: int8 post-training quantization of the
    convolutions (docs/quantization.md); calibration is a directory (as for
    yzc --calibration) or a list of samples, each an array or, for several
    inputs, a tuple of arrays.
    threads: the threads the model runs on (yzc --threads; 1: no thread
    machinery); the environment variable YZ_THREADS overrides it at run
    time.
    Raises CompileError with the compiler's diagnostics on failure.
    """
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    if (quantize is None) != (calibration is None):
        raise ValueError("quantize='int8' and calibration= go together")
    data, fmt, source = _onnx_bytes(model, example_inputs, opset)
    shapes = [(k, [int(d) for d in v]) for k, v in (input_shapes or {}).items()]
    with tempfile.TemporaryDirectory(prefix="yizhuang-cal-") as tmp:
        cal_dir = "" if calibration is None else \
            _calibration_dir(calibration, data, fmt, tmp)
        result = _core.compile(data, fmt, source, target, npu, npu_dtype,
                               npu_double_buffer, shapes, vlen, opt_level,
                               cal_dir, threads)
    meta = {"format": _FORMAT_VERSION, "name": result["name"], "target": target,
            "vlen": vlen, "inputs": result["inputs"], "outputs": result["outputs"]}
    return CompiledModel(result["object"], result["header"], meta)


def _input_names(data, fmt):
    if fmt != "onnx":
        raise ValueError("calibration samples for a several-input .mlir model "
                         "must be given as a directory")
    import onnx
    graph = onnx.load_from_string(data).graph
    weights = {t.name for t in graph.initializer}
    return [i.name for i in graph.input if i.name not in weights]


def _calibration_dir(calibration, data, fmt, tmp):
    """A directory yzc --calibration reads: `calibration` itself if it is
    one, else the samples written into `tmp`."""
    if isinstance(calibration, (str, os.PathLike)):
        return os.fspath(calibration)
    samples = list(calibration)
    if not samples:
        raise ValueError("calibration has no samples")
    names = None
    for i, sample in enumerate(samples):
        if isinstance(sample, (tuple, list)):
            names = names or _input_names(data, fmt)
            if len(sample) != len(names):
                raise ValueError(f"calibration sample {i} has {len(sample)} "
                                 f"arrays; the model takes {len(names)} inputs")
            os.makedirs(os.path.join(tmp, f"{i:06d}"))
            for name, a in zip(names, sample):
                np.save(os.path.join(tmp, f"{i:06d}", f"{name}.npy"), _array(a))
        else:
            np.save(os.path.join(tmp, f"{i:06d}.npy"), _array(sample))
    return tmp


def _array(a):
    if hasattr(a, "detach"):  # a torch tensor
        a = a.detach().cpu().numpy()
    return np.ascontiguousarray(a)


class CompiledModel:
    """A compiled model: its object code, C header and signature."""

    def __init__(self, object_code, header, meta):
        self.object = object_code
        self.header = header
        self._meta = meta
        self.name = meta["name"]
        self.target = meta["target"]
        self.inputs = [_spec(e) for e in meta["inputs"]]
        self._bf16_inputs = {e[0] for e in meta["inputs"] if e[1] == "bf16"}
        self.outputs = [_spec(e) for e in meta["outputs"]]
        self._dir = None

    def __repr__(self):
        sig = lambda ts: ", ".join(f"{t.name}: {t.dtype}{list(t.shape)}" for t in ts)
        return (f"<CompiledModel {self.name} ({self.target}) "
                f"({sig(self.inputs)}) -> ({sig(self.outputs)})>")

    def _workdir(self):
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="yizhuang-")
            with open(os.path.join(self._dir, "model.o"), "wb") as f:
                f.write(self.object)
        return self._dir

    def __del__(self):
        if getattr(self, "_dir", None):
            shutil.rmtree(self._dir, ignore_errors=True)

    def _check_inputs(self, arrays):
        if len(arrays) != len(self.inputs):
            raise ValueError(f"model '{self.name}' takes {len(self.inputs)} "
                             f"inputs, got {len(arrays)}")
        checked = []
        for spec, a in zip(self.inputs, arrays):
            if hasattr(a, "detach"):  # a torch tensor
                a = a.detach().cpu().numpy()
            a = np.asarray(a)
            if a.shape != spec.shape:
                raise ValueError(f"input '{spec.name}' must have shape "
                                 f"{spec.shape}, got {a.shape}")
            if spec.name in self._bf16_inputs and a.dtype.kind == "f":
                a = bf16_bits(a)  # floats round to bf16; uint16 are bits
            if a.dtype != spec.dtype:
                if not np.can_cast(a.dtype, spec.dtype, casting="same_kind"):
                    raise TypeError(f"input '{spec.name}' must be {spec.dtype}, "
                                    f"got {a.dtype}")
                a = a.astype(spec.dtype)
            checked.append(np.ascontiguousarray(a))
        return checked

    def _execute(self, arrays, profile, host_cycles=False):
        arrays = self._check_inputs(arrays)
        work = self._workdir()
        run_dir = tempfile.mkdtemp(dir=work)
        try:
            paths = []
            for i, a in enumerate(arrays):
                paths.append(os.path.join(run_dir, f"in{i}.npy"))
                np.save(paths[-1], a)
            out_dir = os.path.join(run_dir, "out")
            report = os.path.join(run_dir, "npu.json") if profile else ""
            trace = os.path.join(run_dir, "trace.json") if profile else ""
            log = os.path.join(run_dir, "log.txt")
            status = _core.run(os.path.join(work, "model.o"), paths, out_dir,
                               report, trace, log, self._meta["vlen"],
                               host_cycles)
            if status != 0:
                with open(log, errors="replace") as f:
                    text = f.read().strip()
                raise RuntimeError(f"running '{self.name}' failed (status "
                                   f"{status}): {text}")
            outputs = [np.load(os.path.join(out_dir, f"{t.name}.npy"))
                       for t in self.outputs]
            prof = None
            if profile:
                # The simulator writes the report if the NPU ran; with
                # host_cycles, yz-run adds (or writes only) "host".
                if os.path.exists(report):
                    with open(report) as f:
                        prof = json.load(f)
                else:
                    prof = {}
                prof["npu_used"] = "cycles" in prof
                if prof["npu_used"]:
                    with open(trace) as f:
                        prof["trace"] = json.load(f)
            return outputs, prof
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)

    def run(self, *arrays):
        """Runs the model on numpy arrays (or torch tensors) and returns the
        outputs as a list of numpy arrays: natively for the host target,
        under qemu-riscv64 with the NPU simulator for riscv64."""
        return self._execute(arrays, profile=False)[0]

    def profile(self, *arrays, host_cycles=False):
        """Runs the model and returns the NPU cycle report as a dict (the
        fields of `yz-run --profile-json`, plus "npu_used", "outputs" and
        the Chrome trace-event timeline under "trace"). With host_cycles
        (riscv64 models), also the host core's estimated cycles under
        "host", as yz-run --host-cycles computes them."""
        if host_cycles and self._meta.get("target") != "riscv64":
            raise ValueError("host_cycles estimates the target core's "
                             "cycles: compile with target='riscv64'")
        outputs, prof = self._execute(arrays, profile=True,
                                      host_cycles=host_cycles)
        prof["outputs"] = outputs
        return prof

    def save(self, path):
        """Writes PATH.o (object), PATH.h (C header) and PATH.json (metadata)."""
        base = path[:-2] if str(path).endswith(".o") else os.fspath(path)
        with open(base + ".o", "wb") as f:
            f.write(self.object)
        with open(base + ".h", "w") as f:
            f.write(self.header)
        with open(base + ".json", "w") as f:
            json.dump(self._meta, f, indent=1)
        return base


def load(path):
    """Loads a model written by CompiledModel.save (PATH or PATH.o)."""
    base = path[:-2] if str(path).endswith(".o") else os.fspath(path)
    with open(base + ".json") as f:
        meta = json.load(f)
    if meta.get("format") != _FORMAT_VERSION:
        raise ValueError(f"'{base}.json' is not a saved yizhuang model of format "
                         f"{_FORMAT_VERSION}")
    with open(base + ".o", "rb") as f:
        object_code = f.read()
    with open(base + ".h") as f:
        header = f.read()
    return CompiledModel(object_code, header, meta)
