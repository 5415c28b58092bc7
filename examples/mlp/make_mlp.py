#!/usr/bin/python3
# Part of Yizhuang. Writes the bundled example: a two-layer MLP in the yz
# dialect, its weights as dense resources, an input and numpy's output.
#
#   make_mlp.py OUT_DIR [--batch 4] [--sizes 8,16,4] [--seed 0]
#
# OUT_DIR receives mlp.mlir, input.npy and expected.npy.
import argparse
import os

import numpy as np


def resource_hex(array):
    """A dialect_resources blob: 4-byte little-endian alignment, then data."""
    data = np.ascontiguousarray(array)
    return "0x" + np.uint32(data.dtype.itemsize).tobytes().hex() + data.tobytes().hex()


def tensor_type(shape, elt="f32"):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elt + ">"


def mlp(batch, sizes, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for i, (k, n) in enumerate(zip(sizes, sizes[1:])):
        w = rng.standard_normal((k, n), dtype=np.float32) / np.float32(np.sqrt(k))
        b = rng.standard_normal((n,), dtype=np.float32) * np.float32(0.1)
        layers.append((f"fc{i + 1}", w, b))
    x = rng.standard_normal((batch, sizes[0]), dtype=np.float32)

    y = x
    for _, w, b in layers:
        y = np.maximum(y @ w + b, np.float32(0))

    lines = [f'func.func @mlp(%x: {tensor_type(x.shape)} {{yz.name = "x"}}) '
             f'-> ({tensor_type(y.shape)} {{yz.name = "y"}}) {{']
    cur, cur_shape = "%x", x.shape
    for name, w, b in layers:
        out_shape = (batch, w.shape[1])
        lines += [
            f"  %{name}_w = yz.constant dense_resource<{name}_weight> : {tensor_type(w.shape)}",
            f"  %{name}_b = yz.constant dense_resource<{name}_bias> : {tensor_type(b.shape)}",
            f"  %{name}_mm = yz.matmul {cur}, %{name}_w : {tensor_type(cur_shape)}, {tensor_type(w.shape)}",
            f"  %{name}_add = yz.add %{name}_mm, %{name}_b : {tensor_type(out_shape)}, {tensor_type(b.shape)}",
            f"  %{name} = yz.relu %{name}_add : {tensor_type(out_shape)}",
        ]
        cur, cur_shape = f"%{name}", out_shape
    lines += [f"  return {cur} : {tensor_type(cur_shape)}", "}", "", "{-#",
              "  dialect_resources: {", "    builtin: {"]
    blobs = []
    for name, w, b in layers:
        blobs.append(f'      {name}_weight: "{resource_hex(w)}"')
        blobs.append(f'      {name}_bias: "{resource_hex(b)}"')
    lines += [",\n".join(blobs), "    }", "  }", "#-}", ""]
    return "\n".join(lines), x, y


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--sizes", default="8,16,4",
                        help="layer widths, input first (default 8,16,4)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    text, x, y = mlp(args.batch, sizes, args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "mlp.mlir"), "w") as f:
        f.write(text)
    np.save(os.path.join(args.out_dir, "input.npy"), x)
    np.save(os.path.join(args.out_dir, "expected.npy"), y)


if __name__ == "__main__":
    main()
