# Part of Yizhuang. numpy references: convolution, and the int8 ops with the NPU's
# arithmetic (docs/npu-isa.md, dma_out.q): i32 sums that wrap, an f32
# multiply, ties to even, the zero point, a clamp.
import numpy as np


def requantize(acc, multipliers, zero_point, lo=-128, hi=127, axis=1):
    """i32 `acc` -> i8: clamp(rint(f32(acc) * m) + zp), m along `axis`."""
    m = np.asarray(multipliers, np.float32)
    shape = [1] * acc.ndim
    shape[axis] = -1
    if m.size > 1:
        m = m.reshape(shape)
    v = acc.astype(np.int32).astype(np.float32) * m
    return np.clip(np.rint(v) + zero_point, lo, hi).astype(np.int8)


def conv_nchw(x, w, stride, pads, dilation, groups):
    """NCHW x FCHW convolution in x's dtype (padding with 0), by sums over
    the window: the float references use float64, the int8 ones int64."""
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (wd - dilation * (kw - 1) - 1) // stride + 1
    y = np.zeros((n, f, oh, ow), x.dtype)
    fg = f // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                win = xs[:, :, i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                         j * dilation:j * dilation + stride * (ow - 1) + 1:stride]
                wk = w[g * fg:(g + 1) * fg, :, i, j].astype(x.dtype)
                y[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", win, wk)
    return y


def qconv2d(x, w, bias, stride, pads, dilation, groups, input_zp, multipliers,
            output_zp, lo=-128, hi=127):
    """yz.qconv2d: NCHW i8 x FCHW i8 (+ i32 bias) -> NCHW i8."""
    acc = conv_nchw(x.astype(np.int64) - input_zp, w, stride, pads, dilation, groups)
    if bias is not None:
        acc += bias.astype(np.int64)[None, :, None, None]
    acc = ((acc + 2**31) % 2**32 - 2**31).astype(np.int32)  # the i32 adder wraps
    return requantize(acc, multipliers, output_zp, lo, hi)


def bf16_round(x):
    """float32 -> nearest-even bfloat16, returned as float32 (the NPU's DMA
    narrowing)."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def bf16_conv(x, w, bias, stride, pads, dilation, activation=None):
    """An f32 NCHW convolution as the NPU computes it in bf16: inputs and
    weights rounded to bf16, each product exact in f32, summed in f32 onto
    the bias in (kh, kw, c) order; then relu or relu6."""
    x = np.pad(bf16_round(x), ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    w = bf16_round(w)
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (wd - dilation * (kw - 1) - 1) // stride + 1
    acc = np.zeros((n, f, oh, ow), np.float32)
    if bias is not None:
        acc += np.asarray(bias, np.float32)[None, :, None, None]
    for i in range(kh):
        for j in range(kw):
            win = x[:, :, i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                    j * dilation:j * dilation + stride * (ow - 1) + 1:stride]
            for ci in range(c):
                acc = acc + win[:, ci:ci + 1] * w[None, :, ci, i, j, None, None]
    if activation in ("relu", "relu6"):
        acc = np.maximum(acc, np.float32(0))
    if activation == "relu6":
        acc = np.minimum(acc, np.float32(6))
    return acc.astype(np.float32)


def quantize(x, scale, zero_point):
    """yz.quantize / ONNX QuantizeLinear to int8 (f32 division, ties to even)."""
    v = np.asarray(x, np.float32) / np.float32(scale)
    return np.clip(np.rint(v) + zero_point, -128, 127).astype(np.int8)


def dequantize(q, scale, zero_point):
    return ((q.astype(np.float32) - np.float32(zero_point)) * np.float32(scale)).astype(np.float32)
