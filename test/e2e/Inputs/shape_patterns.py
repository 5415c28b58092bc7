#!/usr/bin/python3
"""The view/flatten/reshape/permute/chunk patterns PyTorch 1.13 exports as
Shape subgraphs (Shape -> Gather/Slice -> Unsqueeze -> Concat -> Reshape,
arithmetic on sizes, arange over a size, expand to a computed shape), in
one module, exported at opset 17 with PyTorch's outputs: once as is, and
once with a dynamic batch dimension (as models are shipped; yzc
--input-shape fixes it), where every size flows through Shape ops.

    shape_patterns.py OUT_DIR

Writes OUT_DIR/shapes.onnx, shapes_dynamic.onnx, x.npy and y<i>.npy per
output; prints the number of Shape nodes in each export (the subgraphs the
importer folds) and the output shapes.
"""
# Part of Yizhuang.
import sys

import numpy as np
import onnx
import torch
from torch import nn


class Patterns(nn.Module):
    def forward(self, x):  # x: [B, C, H, W]
        b, c, h, w = x.shape
        ys = [
            x.view(x.size(0), -1),                        # view over a size
            x.flatten(2),                                 # flatten(start)
            x.flatten(1, 2),                              # flatten(start, end)
            x.reshape(b, c * h, -1),                      # size arithmetic
            x.permute(0, 2, 3, 1).reshape(b, h * w, c),   # NHWC tokens
            x.view(*x.shape[:2], -1).transpose(1, 2),     # unpacked shape slice
        ]
        q, k, v = x.flatten(2).chunk(3, dim=1)            # chunk
        ys += [q + k * v]
        heads = x.flatten(2).transpose(1, 2)              # [B, HW, C]
        t, d = heads.shape[1], heads.shape[2]
        ys.append(heads.view(b, t, 2, d // 2).transpose(1, 2))  # split heads
        ys.append(torch.arange(x.size(-1)).float().expand(b, h, w) * x[:, 0])
        ys.append(x.new_zeros(x.shape[0], x.size(1) // 2) + x.mean((2, 3))[:, : c // 2])
        ys.append(torch.split(x, [2, c - 2], dim=1)[1])       # split sizes
        ys.append(x.unsqueeze(1).expand(b, 2, c, h, w).reshape(b * 2, c, h, w))
        ys.append(x.sum(-1, keepdim=True).expand_as(x) / x.size(-1))
        return tuple(ys)


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    x = torch.randn(2, 6, 3, 4)
    model = Patterns().eval()
    with torch.no_grad():
        ys = model(x)
    names = [f"y{i}" for i in range(len(ys))]
    torch.onnx.export(model, (x,), f"{out}/shapes.onnx", opset_version=17,
                      input_names=["x"], output_names=names)
    torch.onnx.export(model, (x,), f"{out}/shapes_dynamic.onnx", opset_version=17,
                      input_names=["x"], output_names=names,
                      dynamic_axes={"x": {0: "batch"}})
    np.save(f"{out}/x.npy", x.numpy())
    for n, y in zip(names, ys):
        np.save(f"{out}/{n}.npy", y.numpy())
    for f in ("shapes", "shapes_dynamic"):
        graph = onnx.load(f"{out}/{f}.onnx").graph
        print(f"{f}: {sum(n.op_type == 'Shape' for n in graph.node)} Shape nodes")
    for n, y in zip(names, ys):
        print(n, list(y.shape))


if __name__ == "__main__":
    main()
