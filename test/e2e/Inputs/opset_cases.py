#!/usr/bin/python3
"""ONNX models at opsets 18 to 23 (which Debian's onnx 1.12 cannot check or
run): every op the importer supports in the form a newer version gave it,
with numpy references written from the ONNX operator specification.

    opset_cases.py OUT_DIR

Writes OUT_DIR/opset<N>.onnx for N in 18, 19, 20, 21, 23 (one graph of
independent cases each, on initializer-free inputs), the inputs and
expected outputs as .npy, and OUT_DIR/opset<N>.args (a yz-run response
file: --input and --compare for each); prints "<opset> <case>" per case.
"""
# Part of Yizhuang.
import math
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import onnx

F, I32, I64, B8 = TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64, TensorProto.BOOL
I8 = TensorProto.INT8
UINT4, INT4 = 21, 22  # newer than onnx 1.12's enum
ONNX_TYPES = {np.float32: F, np.int32: I32, np.int64: I64, np.bool_: B8,
              np.int8: I8}


class Model:
    """One opset's graph: cases add inputs, initializers, nodes, outputs."""

    def __init__(self, opset, out):
        self.opset, self.out = opset, out
        self.nodes, self.inputs, self.outputs, self.inits = [], [], [], []
        self.args, self.case = [], ""
        self.rng = np.random.default_rng(opset)

    def start(self, case):
        self.case = case
        print(f"{self.opset} {case}")

    def name(self, what):
        return f"{self.case}_{what}"

    def input(self, what, array):
        name = self.name(what)
        np.save(f"{self.out}/{name}.npy", array)
        self.inputs.append(helper.make_tensor_value_info(
            name, ONNX_TYPES[array.dtype.type], array.shape))
        self.args += ["--input", f"{self.out}/{name}.npy"]
        return name

    def rand(self, what, *shape, dtype=np.float32):
        return self.input(what, self.rng.standard_normal(shape).astype(dtype))

    def const(self, what, array):
        name = self.name(what)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def raw_const(self, what, data_type, dims, raw):
        t = TensorProto()
        t.name, t.data_type, t.raw_data = self.name(what), data_type, raw
        t.dims.extend(dims)
        self.inits.append(t)
        return t.name

    def node(self, op, inputs, outputs, **attrs):
        names = [self.name(o) if o else "" for o in outputs]
        self.nodes.append(helper.make_node(op, inputs, names, **attrs))
        return names

    def expect(self, name, array):
        array = np.ascontiguousarray(array)
        np.save(f"{self.out}/{name}.npy", array)
        self.outputs.append(helper.make_tensor_value_info(
            name, ONNX_TYPES[array.dtype.type], array.shape))
        self.args += ["--compare", f"{self.out}/{name}.npy"]

    def op(self, op, inputs, refs, **attrs):
        """One node whose outputs are `refs` (arrays, None for absent)."""
        outs = self.node(op, inputs, [f"y{i}" if r is not None else None
                                      for i, r in enumerate(refs)], **attrs)
        for name, r in zip(outs, refs):
            if r is not None:
                self.expect(name, r)

    def save(self):
        graph = helper.make_graph(self.nodes, f"opset{self.opset}", self.inputs,
                                  self.outputs, self.inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = 10 if self.opset >= 21 else 9
        onnx.save(model, f"{self.out}/opset{self.opset}.onnx")
        with open(f"{self.out}/opset{self.opset}.args", "w") as f:
            f.write("\n".join(self.args) + "\n")


def f32(a):
    return np.asarray(a, np.float32)


erf = np.vectorize(math.erf)

# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


def resize_axis(x, axis, out, scale, mode, transform, antialias=False,
                exclude_outside=False, a=-0.75):
    """ONNX Resize along one axis, as the specification computes it."""
    x = np.moveaxis(x.astype(np.float64), axis, -1)
    n = x.shape[-1]
    width = scale * n
    lim = min(scale, 1.0) if antialias else 1.0
    reach = 2 if mode == "cubic" else 1
    start = int(math.floor(-reach / lim)) + 1
    taps = 2 - 2 * start
    y = np.zeros(x.shape[:-1] + (out,))
    for o in range(out):
        if transform == "half_pixel":
            orig = (o + 0.5) / scale - 0.5
        elif transform == "half_pixel_symmetric":
            orig = n / 2 * (1 - out / width) + (o + 0.5) / scale - 0.5
        elif transform == "align_corners":
            orig = 0 if out == 1 else o * (n - 1) / (out - 1)
        else:  # asymmetric
            orig = o / scale
        ratio = orig - math.floor(orig) or 1.0
        idx = list(range(start, start + taps))
        if mode == "linear":
            c = [max(0.0, 1 - abs((i - ratio) * lim)) for i in idx]
        else:
            def k(t):
                t = abs(t)
                if t <= 1:
                    return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1
                return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a if t < 2 else 0
            c = [k((i - ratio) * lim) for i in idx]
        pos = [math.floor(orig) + i for i in idx]
        if ratio == 1.0:
            pos = [math.floor(orig) - 1 + i for i in idx]
        c = np.array(c)
        if exclude_outside:
            c = np.where([0 <= p < n for p in pos], c, 0)
        c = c / c.sum()
        for w, p in zip(c, pos):
            y[..., o] += w * x[..., min(max(p, 0), n - 1)]
    return np.moveaxis(y, -1, axis)


def pool_ref(x, kernel, strides, pads, dilations, ceil, reduce):
    """2-D pooling over NCHW with ONNX's output size; `reduce` gets the taps
    inside the input and the number inside the padded input."""
    n, c, h, w = x.shape
    outs = []
    for d, size in enumerate((h, w)):
        span = (kernel[d] - 1) * dilations[d] + 1
        total = size + pads[d] + pads[d + 2] - span
        o = (-(-total // strides[d]) if ceil else total // strides[d]) + 1
        if ceil and (o - 1) * strides[d] >= size + pads[d]:
            o -= 1
        outs.append(o)
    y = np.zeros((n, c, *outs), np.float64)
    for i in range(outs[0]):
        for j in range(outs[1]):
            vals, padded = [], 0
            for ki in range(kernel[0]):
                for kj in range(kernel[1]):
                    r = i * strides[0] - pads[0] + ki * dilations[0]
                    q = j * strides[1] - pads[1] + kj * dilations[1]
                    if r < h + pads[2] and q < w + pads[3]:
                        padded += 1
                    if 0 <= r < h and 0 <= q < w:
                        vals.append(x[:, :, r, q])
            y[:, :, i, j] = reduce(np.stack(vals, -1), padded)
    return y


def attention_ref(q, k, v, mask=None, past_k=None, past_v=None, scale=None,
                  causal=False, q_heads=None, kv_heads=None, softcap=0.0,
                  mode=0):
    three = q.ndim == 3
    if three:
        def heads(t, h):
            b, s, hd = t.shape
            return t.reshape(b, s, h, hd // h).transpose(0, 2, 1, 3)
        q, k, v = heads(q, q_heads), heads(k, kv_heads), heads(v, kv_heads)
    q, k, v = (t.astype(np.float64) for t in (q, k, v))
    if past_k is not None:
        k = np.concatenate([past_k, k], 2)
        v = np.concatenate([past_v, v], 2)
    present_k, present_v = k, v
    scale = 1 / math.sqrt(q.shape[3]) if scale is None else scale
    rep = q.shape[1] // k.shape[1]
    k, v = np.repeat(k, rep, 1), np.repeat(v, rep, 1)
    s = q @ k.transpose(0, 1, 3, 2) * scale
    raw = s
    bias = np.zeros(s.shape[-2:])
    if causal:
        bias = np.where(np.tril(np.ones(s.shape[-2:], bool)), 0, -np.inf)
    if mask is not None:
        bias = bias + (np.where(mask, 0, -np.inf) if mask.dtype == bool else mask)
    s = s + bias
    if mode == 1:
        raw = s
    if softcap > 0:
        s = softcap * np.tanh(s / softcap)
    if mode == 2:
        raw = s
    e = np.exp(s - s.max(-1, keepdims=True))
    p = e / e.sum(-1, keepdims=True)
    if mode == 3:
        raw = p
    y = p @ v
    if three:
        y = y.transpose(0, 2, 1, 3).reshape(y.shape[0], y.shape[2], -1)
    return f32(y), f32(present_k), f32(present_v), f32(raw)


def rotary_ref(x, cos, sin, pos=None, interleaved=False, rot=0, heads=0):
    shape = x.shape
    if x.ndim == 4:
        x = x.transpose(0, 2, 1, 3)
    else:
        x = x.reshape(shape[0], shape[1], heads, -1)
    x = x.astype(np.float64)
    d = x.shape[3]
    rot = rot or d
    if pos is not None:
        cos, sin = cos[pos], sin[pos]
    cos = cos[:, :, None, :rot // 2]
    sin = sin[:, :, None, :rot // 2]
    xr, xp = x[..., :rot], x[..., rot:]
    if interleaved:
        x1, x2 = xr[..., 0::2], xr[..., 1::2]
    else:
        x1, x2 = xr[..., :rot // 2], xr[..., rot // 2:]
    real, imag = cos * x1 - sin * x2, sin * x1 + cos * x2
    if interleaved:
        xr = np.stack([real, imag], -1).reshape(xr.shape)
    else:
        xr = np.concatenate([real, imag], -1)
    y = np.concatenate([xr, xp], -1)
    y = y.transpose(0, 2, 1, 3) if len(shape) == 4 else y.reshape(shape)
    return f32(y)


def layer_norm(x, axes, eps):
    m = x.mean(axes, keepdims=True)
    return (x - m) / np.sqrt(((x - m) ** 2).mean(axes, keepdims=True) + eps)


def dq_blocked(q, scale, zp, axis, block):
    rep = np.repeat(scale, block, axis).take(range(q.shape[axis]), axis)
    zrep = np.repeat(zp, block, axis).take(range(q.shape[axis]), axis)
    return f32((q.astype(np.float32) - zrep.astype(np.float32)) * rep)


def pack4(values):
    """Two 4-bit values per byte, the first in the low nibble."""
    v = (np.asarray(values).reshape(-1) & 0xF).astype(np.uint8)
    if v.size % 2:
        v = np.append(v, np.uint8(0))
    return (v[0::2] | (v[1::2] << 4)).tobytes()

# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def opset18(m):
    x = m.rng.standard_normal((2, 3, 4)).astype(np.float32)
    for op, fn in [("ReduceMean", np.mean), ("ReduceMax", np.max),
                   ("ReduceMin", np.min), ("ReduceProd", np.prod),
                   ("ReduceL1", lambda a, **k: np.abs(a).sum(**k)),
                   ("ReduceL2", lambda a, **k: np.sqrt((a * a).sum(**k))),
                   ("ReduceSumSquare", lambda a, **k: (a * a).sum(**k)),
                   ("ReduceLogSumExp", lambda a, **k: np.log(np.exp(a).sum(**k)))]:
        m.start(op.lower())
        xi = m.input("x", x)
        m.op(op, [xi, m.const("axes", np.array([-1, 0], np.int64))],
             [f32(fn(x.astype(np.float64), axis=(0, 2), keepdims=False))], keepdims=0)
    m.start("reducelogsum_noop")
    xi = m.input("x", np.abs(x) + 0.5)
    m.op("ReduceLogSum", [xi], [f32(np.log(np.abs(x) + 0.5))], noop_with_empty_axes=1)
    m.start("reducemean_all")
    m.op("ReduceMean", [m.input("x", x)], [f32(x.mean(keepdims=True))])

    m.start("split_num_outputs")
    x7 = m.rng.standard_normal((2, 7)).astype(np.float32)
    m.op("Split", [m.input("x", x7)], [x7[:, :3], x7[:, 3:6], x7[:, 6:]],
         axis=1, num_outputs=3)
    m.start("split_sizes")
    m.op("Split", [m.input("x", x7), m.const("s", np.array([2, 5], np.int64))],
         [x7[:, :2], x7[:, 2:]], axis=-1)

    x4 = m.rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    for mode in ["constant", "edge", "reflect"]:
        m.start(f"pad_axes_{mode}")
        ins = [m.input("x", x4), m.const("p", np.array([1, 2, 2, 1], np.int64))]
        kw = {}
        if mode == "constant":
            ins.append(m.const("v", np.array(1.5, np.float32)))
            kw["constant_values"] = 1.5
        else:
            ins.append("")
        ins.append(m.const("a", np.array([-1, 2], np.int64)))
        ref = np.pad(x4, [(0, 0), (0, 0), (2, 1), (1, 2)], mode=mode, **kw)
        m.op("Pad", ins, [ref], mode=mode)
    m.start("pad_axes_crop")
    m.op("Pad", [m.input("x", x4), m.const("p", np.array([-1, 1], np.int64)), "",
                 m.const("a", np.array([1], np.int64))],
         [np.pad(x4[:, 1:], [(0, 0), (0, 1), (0, 0), (0, 0)])])

    img = m.rng.standard_normal((1, 2, 12, 10)).astype(np.float32)
    for mode, exclude in [("linear", 0), ("cubic", 0), ("linear", 1)]:
        m.start(f"resize_antialias_{mode}{exclude}")
        sizes = np.array([5, 4], np.int64)
        ref = resize_axis(resize_axis(img, 2, 5, 5 / 12, mode, "half_pixel", True, exclude),
                          3, 4, 4 / 10, mode, "half_pixel", True, exclude)
        m.op("Resize", [m.input("x", img), "", "", m.const("sizes", sizes)],
             [f32(ref)], mode=mode, antialias=1, axes=[2, 3], exclude_outside=exclude)
    for policy in ["not_larger", "not_smaller"]:
        m.start(f"resize_{policy}")
        scale = (min if policy == "not_larger" else max)(6 / 12, 7 / 10)
        oh, ow = round(scale * 12), round(scale * 10)
        ref = resize_axis(resize_axis(img, 2, oh, scale, "linear", "half_pixel"),
                          3, ow, scale, "linear", "half_pixel")
        m.op("Resize", [m.input("x", img), "", "",
                        m.const("sizes", np.array([6, 7], np.int64))],
             [f32(ref)], mode="linear", axes=[2, 3], keep_aspect_ratio_policy=policy)
    m.start("resize_axes_scales")
    ref = resize_axis(img, 3, 20, 2.0, "cubic", "asymmetric")
    m.op("Resize", [m.input("x", img), "", m.const("scales", f32([2.0]))], [f32(ref)],
         mode="cubic", axes=[-1], coordinate_transformation_mode="asymmetric")

    data = m.rng.standard_normal((3, 4)).astype(np.float32)
    idx = np.array([[0, 0, 2, 1], [0, 0, 2, 1]], np.int64)
    upd = m.rng.standard_normal((2, 4)).astype(np.float32)
    for red, fn in [("max", np.maximum), ("min", np.minimum)]:
        m.start(f"scatterelements_{red}")
        ref = data.copy()
        for i in range(2):
            for j in range(4):
                ref[idx[i, j], j] = fn(ref[idx[i, j], j], upd[i, j])
        m.op("ScatterElements", [m.input("d", data), m.const("i", idx), m.input("u", upd)],
             [ref], axis=0, reduction=red)
        m.start(f"scatternd_{red}")
        ind = np.array([[1], [1], [2]], np.int64)
        u3 = m.rng.standard_normal((3, 4)).astype(np.float32)
        ref = data.copy()
        for i in range(3):
            ref[ind[i, 0]] = fn(ref[ind[i, 0]], u3[i])
        m.op("ScatterND", [m.input("d", data), m.const("i", ind), m.input("u", u3)],
             [ref], reduction=red)

    m.start("lppool_ceil_dilations")
    xp = m.rng.standard_normal((1, 2, 7, 8)).astype(np.float32)
    ref = pool_ref(xp.astype(np.float64), [2, 3], [2, 2], [1, 0, 0, 1], [2, 1], True,
                   lambda t, n: np.sqrt((t * t).sum(-1)))
    m.op("LpPool", [m.input("x", xp)], [f32(ref)], kernel_shape=[2, 3], strides=[2, 2],
         pads=[1, 0, 0, 1], dilations=[2, 1], ceil_mode=1, p=2)

    m.start("mish")
    xm = m.rng.standard_normal((3, 5)).astype(np.float32) * 3
    m.op("Mish", [m.input("x", xm)], [f32(xm * np.tanh(np.log1p(np.exp(xm.astype(np.float64)))))])
    a = m.rng.integers(-100, 100, (3, 4)).astype(np.int32)
    b = m.rng.integers(-100, 100, (4,)).astype(np.int32)
    for op, fn in [("BitwiseAnd", np.bitwise_and), ("BitwiseOr", np.bitwise_or),
                   ("BitwiseXor", np.bitwise_xor)]:
        m.start(op.lower())
        m.op(op, [m.input("a", a), m.input("b", b)], [fn(a, b)])
    m.start("bitwisenot")
    m.op("BitwiseNot", [m.input("a", a)], [np.invert(a)])

    m.start("groupnorm18")
    xg = m.rng.standard_normal((2, 6, 3, 2)).astype(np.float32)
    sc, bi = m.rng.standard_normal(3).astype(np.float32), m.rng.standard_normal(3).astype(np.float32)
    ref = layer_norm(xg.reshape(2, 3, -1).astype(np.float64), (2,), 1e-3)
    ref = ref * sc[None, :, None] + bi[None, :, None]
    m.op("GroupNormalization", [m.input("x", xg), m.input("s", sc), m.input("b", bi)],
         [f32(ref.reshape(xg.shape))], num_groups=3, epsilon=1e-3)

    m.start("centercroppad")
    xc = m.rng.standard_normal((5, 6, 3)).astype(np.float32)
    ref = np.zeros((5, 3, 6), np.float32)  # crop 6 -> 3 from 1, pad 3 -> 6 at 1
    ref[:, :, 1:4] = xc[:, 1:4, :]
    m.op("CenterCropPad", [m.input("x", xc), m.const("s", np.array([3, 6], np.int64))],
         [ref], axes=[1, -1])
    m.start("centercroppad_all")
    ref = np.zeros((4, 7, 2), np.float32)
    ref[:, 0:6, :] = xc[0:4, :, 0:2]
    m.op("CenterCropPad", [m.input("x", xc), m.const("s", np.array([4, 7, 2], np.int64))],
         [ref])


def opset19(m):
    m.start("averagepool_dilations")
    xp = m.rng.standard_normal((1, 2, 7, 8)).astype(np.float32)
    ref = pool_ref(xp.astype(np.float64), [2, 2], [1, 2], [1, 1, 1, 0], [2, 3], False,
                   lambda t, n: t.mean(-1))
    m.op("AveragePool", [m.input("x", xp)], [f32(ref)], kernel_shape=[2, 2],
         strides=[1, 2], pads=[1, 1, 1, 0], dilations=[2, 3])
    m.start("pad_wrap")
    x = m.rng.standard_normal((3, 4)).astype(np.float32)
    m.op("Pad", [m.input("x", x), m.const("p", np.array([2, 1, 1, 3], np.int64))],
         [np.pad(x, [(2, 1), (1, 3)], mode="wrap")], mode="wrap")
    m.start("cast_saturate")
    m.op("Cast", [m.input("x", x)], [x.astype(np.int32)], to=I32, saturate=1)
    m.start("resize_half_pixel_symmetric")
    img = m.rng.standard_normal((1, 1, 5, 6)).astype(np.float32)
    ref = resize_axis(resize_axis(img, 2, 8, 1.7, "linear", "half_pixel_symmetric"),
                      3, 4, 0.7, "linear", "half_pixel_symmetric")
    m.op("Resize", [m.input("x", img), "", m.const("s", f32([1, 1, 1.7, 0.7]))], [f32(ref)],
         mode="linear", coordinate_transformation_mode="half_pixel_symmetric")
    deform_conv_cases(m)
    m.start("qdq19")
    q = np.clip(np.round(x / 0.05) + 3, -128, 127).astype(np.int8)
    qn = m.node("QuantizeLinear", [m.input("x", x), m.const("s", f32(0.05)),
                                   m.const("z", np.int8(3))], ["q"], saturate=1)
    m.op("DequantizeLinear", [qn[0], m.const("s2", f32(0.05)), m.const("z2", np.int8(3))],
         [f32((q.astype(np.float32) - 3) * np.float32(0.05))])


def deform_conv_cases(m):
    """DeformConv against torchvision's deform_conv2d, which ONNX's follows."""
    import torch
    from torchvision.ops import deform_conv2d
    for name, (n, c, h, w), (mo, kh, kw), group, ogroup, stride, pad, dil, use_mask in [
            ("deformconv", (1, 4, 6, 7), (6, 3, 3), 1, 1, (1, 1), (1, 1), (1, 1), False),
            ("deformconv_groups_mask", (2, 4, 7, 6), (4, 3, 2), 2, 2, (2, 1), (1, 0), (1, 2), True)]:
        m.start(name)
        x = m.rng.standard_normal((n, c, h, w)).astype(np.float32)
        wt = m.rng.standard_normal((mo, c // group, kh, kw)).astype(np.float32)
        bias = m.rng.standard_normal(mo).astype(np.float32)
        oh = (h + 2 * pad[0] - (dil[0] * (kh - 1) + 1)) // stride[0] + 1
        ow = (w + 2 * pad[1] - (dil[1] * (kw - 1) + 1)) // stride[1] + 1
        off = (m.rng.standard_normal((n, ogroup * kh * kw * 2, oh, ow)) * 1.5).astype(np.float32)
        mask = m.rng.random((n, ogroup * kh * kw, oh, ow)).astype(np.float32)
        t = lambda a: torch.tensor(a, dtype=torch.float64)
        ref = deform_conv2d(t(x), t(off), t(wt), t(bias), stride=stride, padding=pad,
                            dilation=dil, mask=t(mask) if use_mask else None).numpy()
        ins = [m.input("x", x), m.const("w", wt), m.input("o", off), m.const("b", bias)]
        if use_mask:
            ins.append(m.input("m", mask))
        m.op("DeformConv", ins, [f32(ref)], group=group, offset_group=ogroup,
             strides=list(stride), pads=[pad[0], pad[1], pad[0], pad[1]],
             dilations=list(dil), kernel_shape=[kh, kw])


def opset20(m):
    x = m.rng.standard_normal((4, 5)).astype(np.float32) * 2
    for approx in ["none", "tanh"]:
        m.start(f"gelu_{approx}")
        xd = x.astype(np.float64)
        if approx == "none":
            ref = 0.5 * xd * (1 + erf(xd / math.sqrt(2)))
        else:
            ref = 0.5 * xd * (1 + np.tanh(math.sqrt(2 / math.pi) * (xd + 0.044715 * xd ** 3)))
        m.op("Gelu", [m.input("x", x)], [f32(ref)], approximate=approx)
    bools = m.rng.standard_normal((3, 4)) > 0.6
    for op, fn in [("ReduceMax", np.any), ("ReduceMin", np.all)]:
        m.start(f"{op.lower()}_bool")
        m.op(op, [m.input("x", bools), m.const("axes", np.array([1], np.int64))],
             [fn(bools, axis=1, keepdims=True)])
    m.start("isinf_isnan")
    special = f32([1.0, np.inf, -np.inf, np.nan, 0.0, -2.0])
    m.op("IsInf", [m.input("x", special)], [np.isinf(special)])
    m.start("constantofshape")
    m.op("ConstantOfShape", [m.const("s", np.array([2, 3], np.int64))],
         [np.full((2, 3), 7, np.int32)],
         value=numpy_helper.from_array(np.array([7], np.int32)))
    grid_sample_cases(m)


def grid_sample_cases(m):
    """GridSample (20: N-D, linear/cubic) against PyTorch's grid_sample, which
    ONNX's follows; AffineGrid against affine_grid."""
    import torch
    f = torch.nn.functional
    x2 = m.rng.standard_normal((2, 3, 5, 6)).astype(np.float32)
    g2 = (m.rng.random((2, 4, 7, 2)) * 2.6 - 1.3).astype(np.float32)  # some outside
    for mode, tmode, pad, align in [("linear", "bilinear", "zeros", 0),
                                    ("linear", "bilinear", "border", 1),
                                    ("linear", "bilinear", "reflection", 0),
                                    ("linear", "bilinear", "reflection", 1),
                                    ("nearest", "nearest", "zeros", 1),
                                    ("nearest", "nearest", "border", 0),
                                    ("cubic", "bicubic", "zeros", 0),
                                    ("cubic", "bicubic", "border", 1)]:
        m.start(f"gridsample_{mode}_{pad}_{align}")
        # Cubic with border padding: ONNX clamps a position outside the
        # border before taking taps, PyTorch does not; inside they agree.
        g = np.clip(g2, -1, 1) if (mode, pad) == ("cubic", "border") else g2
        ref = f.grid_sample(torch.tensor(x2, dtype=torch.float64),
                            torch.tensor(g, dtype=torch.float64), mode=tmode,
                            padding_mode=pad, align_corners=bool(align)).numpy()
        m.op("GridSample", [m.input("x", x2), m.input("g", g)], [f32(ref)],
             mode=mode, padding_mode=pad, align_corners=align)
    x3 = m.rng.standard_normal((1, 2, 3, 4, 5)).astype(np.float32)
    g3 = (m.rng.random((1, 2, 3, 4, 3)) * 2.4 - 1.2).astype(np.float32)
    for mode, tmode in [("linear", "bilinear"), ("nearest", "nearest")]:
        m.start(f"gridsample_3d_{mode}")
        ref = f.grid_sample(torch.tensor(x3, dtype=torch.float64),
                            torch.tensor(g3, dtype=torch.float64), mode=tmode,
                            padding_mode="zeros", align_corners=False).numpy()
        m.op("GridSample", [m.input("x", x3), m.input("g", g3)], [f32(ref)], mode=mode)
    for align in [0, 1]:
        m.start(f"affinegrid_{align}")
        theta = m.rng.standard_normal((2, 2, 3)).astype(np.float32)
        ref = f.affine_grid(torch.tensor(theta, dtype=torch.float64), [2, 3, 4, 5],
                            align_corners=bool(align)).numpy()
        m.op("AffineGrid", [m.input("t", theta), m.const("s", np.array([2, 3, 4, 5], np.int64))],
             [f32(ref)], align_corners=align)
    m.start("affinegrid_3d")
    theta = m.rng.standard_normal((1, 3, 4)).astype(np.float32)
    ref = f.affine_grid(torch.tensor(theta, dtype=torch.float64), [1, 1, 2, 3, 4],
                        align_corners=False).numpy()
    m.op("AffineGrid", [m.input("t", theta), m.const("s", np.array([1, 1, 2, 3, 4], np.int64))],
         [f32(ref)])


def opset21(m):
    m.start("groupnorm21")
    xg = m.rng.standard_normal((2, 6, 5)).astype(np.float32)
    sc, bi = m.rng.standard_normal(6).astype(np.float32), m.rng.standard_normal(6).astype(np.float32)
    ref = layer_norm(xg.reshape(2, 2, -1).astype(np.float64), (2,), 1e-5).reshape(xg.shape)
    m.op("GroupNormalization", [m.input("x", xg), m.input("s", sc), m.input("b", bi)],
         [f32(ref * sc[None, :, None] + bi[None, :, None])], num_groups=2, stash_type=1)

    # Weight-only int4 with per-block scales along K, feeding a matmul: the
    # form of 4-bit LLM checkpoints.
    m.start("int4_blocked_matmul")
    k, n, block = 12, 5, 4
    w4 = m.rng.integers(-8, 8, (k, n))
    scales = (m.rng.random((k // block, n)) * 0.1 + 0.01).astype(np.float32)
    zps = m.rng.integers(-2, 3, (k // block, n))
    wq = m.raw_const("w", INT4, [k, n], pack4(w4))
    sq = m.const("s", scales)
    zq = m.raw_const("z", INT4, [k // block, n], pack4(zps))
    w = m.node("DequantizeLinear", [wq, sq, zq], ["w_f"], axis=0, block_size=block)
    x = m.rng.standard_normal((3, k)).astype(np.float32)
    ref = x.astype(np.float64) @ dq_blocked(w4, scales, zps, 0, block).astype(np.float64)
    m.op("MatMul", [m.input("x", x), w[0]], [f32(ref)])
    m.start("uint4_blocked_last")
    u4 = m.rng.integers(0, 16, (3, 7))
    us = (m.rng.random((3, 3)) * 0.2 + 0.05).astype(np.float32)
    uz = m.rng.integers(0, 16, (3, 3))
    m.op("DequantizeLinear", [m.raw_const("w", UINT4, [3, 7], pack4(u4)), m.const("s", us),
                              m.raw_const("z", UINT4, [3, 3], pack4(uz))],
         [dq_blocked(u4, us, uz, 1, 3)], axis=-1, block_size=3)
    m.start("int8_blocked")
    q8 = m.rng.integers(-128, 128, (4, 6)).astype(np.int8)
    s8 = (m.rng.random((2, 6)) * 0.1 + 0.01).astype(np.float32)
    m.op("DequantizeLinear", [m.const("w", q8), m.const("s", s8)],
         [dq_blocked(q8, s8, np.zeros((2, 6), np.int8), 0, 2)], axis=0, block_size=2)
    m.start("quantize_output_dtype")
    x = m.rng.standard_normal((3, 4)).astype(np.float32)
    q = np.clip(np.round(x / 0.02), -128, 127).astype(np.int8)
    m.op("QuantizeLinear", [m.input("x", x), m.const("s", f32(0.02))], [q],
         output_dtype=I8)


def opset23(m):
    rng = m.rng
    m.start("attention_4d_causal")
    q, k, v = (rng.standard_normal((2, 4, 5, 8)).astype(np.float32) for _ in range(3))
    m.op("Attention", [m.input("q", q), m.input("k", k), m.input("v", v)],
         [attention_ref(q, k, v, causal=True)[0]], is_causal=1)
    m.start("attention_gqa_past")
    q = rng.standard_normal((1, 4, 2, 8)).astype(np.float32)
    k, v = (rng.standard_normal((1, 2, 2, 8)).astype(np.float32) for _ in range(2))
    pk, pv = (rng.standard_normal((1, 2, 3, 8)).astype(np.float32) for _ in range(2))
    mask = rng.standard_normal((2, 5)) > -0.8
    mask[:, 0] = True
    y, prk, prv, _ = attention_ref(q, k, v, mask=mask, past_k=pk, past_v=pv)
    m.op("Attention", [m.input("q", q), m.input("k", k), m.input("v", v), m.input("m", mask),
                       m.input("pk", pk), m.input("pv", pv)], [y, prk, prv])
    m.start("attention_3d_heads")
    q = rng.standard_normal((2, 3, 12)).astype(np.float32)
    k = rng.standard_normal((2, 5, 4)).astype(np.float32)
    v = rng.standard_normal((2, 5, 6)).astype(np.float32)
    fm = rng.standard_normal((3, 5)).astype(np.float32)
    y, _, _, raw = attention_ref(q, k, v, mask=fm, scale=0.3, q_heads=6, kv_heads=2,
                                 softcap=2.0, mode=2)
    m.op("Attention", [m.input("q", q), m.input("k", k), m.input("v", v), m.input("m", fm)],
         [y, None, None, raw], q_num_heads=6, kv_num_heads=2, scale=0.3, softcap=2.0,
         qk_matmul_output_mode=2)
    q, k, v = (rng.standard_normal((1, 2, 3, 4)).astype(np.float32) for _ in range(3))
    for mode in [0, 3]:
        m.start(f"attention_qk_mode{mode}")
        y, _, _, raw = attention_ref(q, k, v, causal=True, mode=mode)
        m.op("Attention", [m.input("q", q), m.input("k", k), m.input("v", v)],
             [y, None, None, raw], is_causal=1, qk_matmul_output_mode=mode)

    m.start("rmsnorm")
    x = rng.standard_normal((2, 3, 8)).astype(np.float32)
    sc = rng.standard_normal(8).astype(np.float32)
    xd = x.astype(np.float64)
    ref = xd / np.sqrt((xd * xd).mean(-1, keepdims=True) + 1e-6) * sc
    m.op("RMSNormalization", [m.input("x", x), m.input("s", sc)], [f32(ref)], epsilon=1e-6)
    m.start("rmsnorm_axis")
    sc2 = rng.standard_normal((3, 8)).astype(np.float32)
    ref = xd / np.sqrt((xd * xd).mean((1, 2), keepdims=True) + 1e-5) * sc2
    m.op("RMSNormalization", [m.input("x", x), m.input("s", sc2)], [f32(ref)], axis=1)

    m.start("rotary_3d_positions")
    x = rng.standard_normal((2, 3, 16)).astype(np.float32)
    angles = np.arange(10)[:, None] / (100.0 ** (np.arange(4) / 4))[None, :]
    cos, sin = f32(np.cos(angles)), f32(np.sin(angles))
    pos = np.array([[0, 1, 2], [5, 6, 7]], np.int64)
    m.op("RotaryEmbedding", [m.input("x", x), m.input("c", cos), m.input("s", sin),
                             m.input("p", pos)],
         [rotary_ref(x, cos.astype(np.float64), sin.astype(np.float64), pos, heads=2)],
         num_heads=2)
    m.start("rotary_4d_interleaved_partial")
    x = rng.standard_normal((1, 2, 3, 8)).astype(np.float32)
    c3 = rng.standard_normal((1, 3, 2)).astype(np.float32)
    s3 = rng.standard_normal((1, 3, 2)).astype(np.float32)
    m.op("RotaryEmbedding", [m.input("x", x), m.input("c", c3), m.input("s", s3)],
         [rotary_ref(x, c3.astype(np.float64), s3.astype(np.float64), interleaved=True,
                     rot=4)], interleaved=1, rotary_embedding_dim=4)


def check_resize_reference():
    """The antialias reference against PyTorch's, which ONNX's antialias
    follows: equal with exclude_outside (PyTorch drops taps outside the
    input) and, for cubic, PyTorch's coefficient -0.5."""
    import torch
    img = np.random.default_rng(0).standard_normal((1, 2, 12, 10))
    for mode, torch_mode in [("linear", "bilinear"), ("cubic", "bicubic")]:
        ours = resize_axis(resize_axis(img, 2, 5, 5 / 12, mode, "half_pixel", True, True, -0.5),
                           3, 4, 4 / 10, mode, "half_pixel", True, True, -0.5)
        theirs = torch.nn.functional.interpolate(
            torch.tensor(img), size=(5, 4), mode=torch_mode, antialias=True,
            align_corners=False).numpy()
        assert np.abs(ours - theirs).max() < 1e-9, mode


def main():
    out = sys.argv[1]
    check_resize_reference()
    for opset, fill in [(18, opset18), (19, opset19), (20, opset20), (21, opset21),
                        (23, opset23)]:
        m = Model(opset, out)
        fill(m)
        m.save()


if __name__ == "__main__":
    main()
