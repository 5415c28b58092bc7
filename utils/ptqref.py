# Part of Yizhuang. The fake-quantized reference for yzc --quantize=int8
# (docs/quantization.md), on a torch model whose batch norms are folded
# (torch.ao.quantization.fuse_modules): every convolution of one group and
# every linear layer reads its input quantized per tensor, computes with
# per-channel int8 weights and an i32 bias exactly (float64 sums of
# integers), and requantizes as the NPU does; every matmul of two
# activations (attention's Q K^T and A V) quantizes both operands
# symmetrically per tensor and rescales the exact integer product;
# everything else stays f32.
import contextlib

import numpy as np
import torch
from torch.overrides import TorchFunctionMode

import qref

f32 = np.float32


def qparams(lo, hi):
    """yz-quantize's chooseQuantParams, in f32."""
    lo, hi = min(f32(lo), f32(0)), max(f32(hi), f32(0))
    scale = f32(hi - lo) / f32(255)
    if not (scale > 0) or not np.isfinite(scale):
        scale = f32(1)
    zp = np.clip(np.rint(f32(-128) - f32(lo) / scale), -128, 127)
    return scale, int(zp)


def symmetric_scale(lo, hi):
    """yz-quantize's symmetricScale, in f32: max |x| / 127."""
    m = max(abs(f32(lo)), abs(f32(hi)))
    return m / f32(127) if m > 0 and np.isfinite(m) else f32(1)


def _is_activation_matmul(func, args):
    return func in (torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__) \
        and len(args) == 2 and \
        not any(isinstance(a, torch.nn.Parameter) for a in args)


class _Matmuls(TorchFunctionMode):
    """Calls `fn(index, a, b)` for each matmul of two activations, in call
    order, in place of the matmul when `replace`."""

    def __init__(self, fn, replace):
        super().__init__()
        self.fn, self.replace, self.count = fn, replace, 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if not _is_activation_matmul(func, args) or kwargs:
            return func(*args, **(kwargs or {}))
        i, self.count = self.count, self.count + 1
        if self.replace:
            return self.fn(i, *args)
        self.fn(i, *args)
        return func(*args)


def _tensors(x):
    return [torch.from_numpy(a) for a in (x if isinstance(x, tuple) else (x,))]


def _conv_of(module):
    """(conv, relu?) for nn.Conv2d, the fused ConvReLU2d, and nn.Linear
    (yzc quantizes a linear layer as a 1x1 convolution)."""
    if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
        return module, False
    if type(module).__name__ == "ConvReLU2d":
        return module[0], True
    return None, False


class FakeQuant:
    """Calibrates a model's convolutions, then runs it fake-quantized."""

    def __init__(self, model):
        self.model = model.eval()
        self.convs = {}
        inner = {id(m[0]) for m in model.modules()
                 if type(m).__name__ == "ConvReLU2d"}
        for name, module in model.named_modules():
            conv, _ = _conv_of(module)
            if conv is not None and getattr(conv, "groups", 1) == 1 and \
                    id(module) not in inner:
                self.convs[name] = module
        self.ranges = {}
        self.order = []  # the convolutions in the order they first ran

    @contextlib.contextmanager
    def _hooks(self, hook):
        handles = [m.register_forward_hook(hook(name))
                   for name, m in self.convs.items()]
        try:
            yield
        finally:
            for h in handles:
                h.remove()

    def _record(self, name, pairs):
        if name not in self.order:
            self.order.append(name)
        for key, t in pairs:
            lo, hi = self.ranges.get((name, key), (np.inf, -np.inf))
            self.ranges[(name, key)] = (min(lo, float(t.min())),
                                        max(hi, float(t.max())))

    @torch.no_grad()
    def calibrate(self, samples):
        def hook(name):
            return lambda module, inputs, output: self._record(
                name, (("in", inputs[0]), ("out", output)))

        def matmul(i, a, b):
            self._record(f"matmul#{i}", (("in", a), ("rhs", b)))
        with self._hooks(hook):
            for x in samples:
                with _Matmuls(matmul, replace=False):
                    self.model(*_tensors(x))

    @torch.no_grad()
    def load_onnx_weights(self, onnx_path, example):
        """Takes the convolutions' weights and biases from the ONNX model
        the compiler reads (its Conv nodes in order; linear layers keep
        theirs; `example` is an input
        that runs the model once to find the order). torch.onnx.export folds
        batch norms itself, rounding a little differently from
        fuse_conv_bn_eval, and a weight scale one ulp apart moves roundings."""
        import onnx
        from onnx import numpy_helper
        graph = onnx.load(onnx_path).graph
        init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        nodes = [n for n in graph.node if n.op_type == "Conv"
                 and n.input[1] in init]
        self.ranges, self.order = {}, []
        self.calibrate([example])
        order = [name for name in self.order if name in self.convs and
                 not isinstance(self.convs[name], torch.nn.Linear)]
        if len(nodes) != len(order):
            raise ValueError(f"{onnx_path} has {len(nodes)} convolutions with "
                             f"constant weights, the model {len(order)}")
        for name, node in zip(order, nodes):
            conv, _ = _conv_of(self.convs[name])
            conv.weight.copy_(torch.from_numpy(init[node.input[1]]))
            if len(node.input) > 2:
                if conv.bias is None:
                    conv.bias = torch.nn.Parameter(torch.zeros(conv.out_channels))
                conv.bias.copy_(torch.from_numpy(init[node.input[2]]))
        self.ranges, self.order = {}, []

    def use_table(self, table, rtol=1e-5):
        """Quantizes with the ranges yzc --calibration-table wrote (program
        order = the order the convolutions ran in calibrate), after checking
        they agree with this reference's own calibration to `rtol` of each
        range's width. Returns the largest disagreement found."""
        if len(table) != len(self.order):
            raise ValueError(f"the table has {len(table)} convolutions, the "
                             f"model {len(self.order)}")
        worst = 0.0
        keys = {"in": "input", "out": "output", "rhs": "rhs"}
        for name, entry in zip(self.order, table):
            for key in (("in", "rhs") if name.startswith("matmul#") else ("in", "out")):
                theirs = entry[keys[key]]
                ours = self.ranges[(name, key)]
                width = max(ours[1] - ours[0], 1e-30)
                err = max(abs(a - b) for a, b in zip(theirs, ours)) / width
                if err > rtol:
                    raise ValueError(f"{name} ({entry['layer']}) {key}put "
                                     f"range {theirs} vs {ours}")
                worst = max(worst, err)
                self.ranges[(name, key)] = tuple(theirs)
        return worst

    def _quantized_conv(self, name, module, x):
        conv, relu = _conv_of(module)
        linear = isinstance(conv, torch.nn.Linear)
        sx, zx = qparams(*self.ranges[(name, "in")])
        sy, zy = qparams(*self.ranges[(name, "out")])
        w = conv.weight.detach().numpy().astype(f32)
        batch = x.shape[:-1]
        if linear:  # [M, K] as [M, K, 1, 1], on [N, K, 1, 1] (N: all rows)
            x = x.reshape(-1, x.shape[-1])
            w, x = w[:, :, None, None], x[:, :, None, None]
        f = w.shape[0]
        ws = np.abs(w.reshape(f, -1)).max(axis=1).astype(f32) / f32(127)
        ws[ws == 0] = f32(1)
        qw = np.clip(np.rint(w / ws[:, None, None, None]), -127, 127)
        acc_scale = np.float64(sx) * ws.astype(np.float64)
        qb = np.zeros(f) if conv.bias is None else \
            np.rint(conv.bias.detach().numpy().astype(f32).astype(np.float64) / acc_scale)
        mult = (acc_scale / np.float64(sy)).astype(f32)
        qx = qref.quantize(x.numpy(), sx, zx).astype(np.float64) - zx
        stride, pad, dilation = (1, 0, 1) if linear else \
            (conv.stride, conv.padding, conv.dilation)
        acc = torch.nn.functional.conv2d(
            torch.from_numpy(qx), torch.from_numpy(qw.astype(np.float64)),
            torch.from_numpy(qb), stride, pad, dilation).numpy()
        lo = -128
        if relu:
            lo = int(np.clip(np.rint(f32(0) / sy) + zy, -128, 127))
        y = qref.requantize(acc.astype(np.int64).astype(np.int32), mult, zy, lo, 127)
        y = qref.dequantize(y, sy, zy)
        if linear:
            y = y[:, :, 0, 0].reshape(*batch, -1)
        return torch.from_numpy(y)

    def _quantized_matmul(self, i, a, b):
        """int8 x int8 -> i32 with symmetric per-tensor scales, times the
        f32 product of the scales."""
        sa = symmetric_scale(*self.ranges[(f"matmul#{i}", "in")])
        sb = symmetric_scale(*self.ranges[(f"matmul#{i}", "rhs")])
        qa = qref.quantize(a.numpy(), sa, 0).astype(np.float64)
        qb = qref.quantize(b.numpy(), sb, 0).astype(np.float64)
        acc = np.matmul(qa, qb).astype(np.int32)
        return torch.from_numpy(acc.astype(f32) * (f32(sa) * f32(sb)))

    @torch.no_grad()
    def run(self, x):
        """The model's outputs with its convolutions fake-quantized; `x` is
        an array or a tuple of arrays (several inputs), as in calibrate."""
        def hook(name):
            return lambda module, inputs, output: \
                self._quantized_conv(name, module, inputs[0])
        with self._hooks(hook), _Matmuls(self._quantized_matmul, replace=True):
            return self.model(*_tensors(x))
