# Part of Yizhuang. Writes yz-dialect MLIR from numpy arrays: the example
# generators and the end-to-end tests build their models with this.
import numpy as np

_ELEMENT_TYPES = {
    np.dtype(np.float32): "f32", np.dtype(np.float64): "f64",
    np.dtype(np.float16): "f16", np.dtype(np.int8): "i8",
    np.dtype(np.int16): "i16", np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
}


def tensor_type(shape, dtype=np.float32):
    """tensor<4x8xf32> for shape (4, 8); tensor<f32> for a scalar."""
    elt = _ELEMENT_TYPES[np.dtype(dtype)]
    return "tensor<" + "".join(f"{d}x" for d in shape) + elt + ">"


def resource_hex(array):
    """A dialect_resources blob: 4-byte little-endian alignment, then data."""
    data = np.ascontiguousarray(array)
    return "0x" + np.uint32(data.dtype.itemsize).tobytes().hex() + data.tobytes().hex()


def conv_props(stride, pads, dilation, groups, extra=""):
    """The properties of a yz.conv2d / yz.qconv2d (square strides and
    dilations; `pads` [top, left, bottom, right]), `extra` ones first."""
    return (f"{extra}dilations = array<i64: {dilation}, {dilation}>, "
            f"groups = {groups} : i64, "
            f"pads = array<i64: {', '.join(map(str, pads))}>, "
            f"strides = array<i64: {stride}, {stride}>")


class Model:
    """Accumulates the body of one entry function and its weight blobs."""

    def __init__(self, name):
        self.name = name
        self.inputs, self.lines, self.blobs = [], [], {}
        self._count = 0

    def _value(self, hint):
        self._count += 1
        return f"%{hint}{self._count}"

    def input(self, name, array):
        self.inputs.append((name, array))
        return (f"%{name}", array.shape, array.dtype)

    def constant(self, name, array):
        self.blobs[name] = array
        v = self._value(name)
        self.lines.append(f"  {v} = yz.constant dense_resource<{name}> : "
                          f"{tensor_type(array.shape, array.dtype)}")
        return (v, array.shape, array.dtype)

    def op(self, opname, result_shape, result_dtype, *operands, props="",
           attrs="", arrow=False):
        """`props`: the op's properties as MLIR text, e.g. "strides = ...";
        `attrs`: its attribute dictionary; `arrow`: the syntax names the
        result type after `->` (yz.quantize)."""
        v = self._value(opname)
        names = ", ".join(o[0] for o in operands)
        types = ", ".join(tensor_type(o[1], o[2]) for o in operands)
        props = f" <{{{props}}}>" if props else ""
        attrs = f" {{{attrs}}}" if attrs else ""
        result = f" -> {tensor_type(result_shape, result_dtype)}" if arrow else ""
        self.lines.append(f"  {v} = yz.{opname} {names}{props}{attrs} : {types}{result}")
        return (v, tuple(result_shape), np.dtype(result_dtype))

    def text(self, outputs):
        """The module, returning `outputs`: a list of (name, value)."""
        args = ", ".join(f"%{n}: {tensor_type(a.shape, a.dtype)} {{yz.name = \"{n}\"}}"
                         for n, a in self.inputs)
        results = ", ".join(f"{tensor_type(v[1], v[2])} {{yz.name = \"{n}\"}}"
                            for n, v in outputs)
        out = [f"func.func @{self.name}({args}) -> ({results}) {{", *self.lines,
               "  return " + ", ".join(v[0] for _, v in outputs) + " : "
               + ", ".join(tensor_type(v[1], v[2]) for _, v in outputs), "}"]
        if self.blobs:
            out += ["", "{-#", "  dialect_resources: {", "    builtin: {",
                    ",\n".join(f'      {k}: "{resource_hex(a)}"'
                               for k, a in self.blobs.items()),
                    "    }", "  }", "#-}"]
        return "\n".join(out) + "\n"
