#!/usr/bin/python3
"""Exports a PyTorch model to ONNX with an input and PyTorch's output.

    export_torch.py NAME OUT_DIR

NAME: resnet18, mobilenet_v2 (torchvision, random weights, 1x3x64x64) or
transformer (torch.nn.TransformerEncoder, 2 layers, d_model 32, 1x10x32).
BatchNorm statistics and affine parameters are randomized (eval mode would
otherwise be the identity, and MobileNetV2's outputs vanish to ~1e-9), so
comparisons test something. Prints the output's largest magnitude.
"""
# Part of Yizhuang.
import sys

import numpy as np
import torch


def randomize_norms(model):
    """Random BatchNorm statistics and affine parameters (the defaults make
    it the identity)."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c) * 0.1)
            m.running_var.copy_(torch.rand(c) + 0.5)
            m.weight.data.copy_(torch.rand(c) + 0.5)
            m.bias.data.copy_(torch.randn(c) * 0.1)


def build(name):
    if name == "transformer":
        layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64,
                                                 dropout=0.0, batch_first=True)
        return (torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False),
                torch.randn(1, 10, 32))
    import torchvision
    model = getattr(torchvision.models, name)(weights=None)
    randomize_norms(model)
    return model, torch.randn(1, 3, 64, 64)


def main():
    name, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    with torch.no_grad():
        model, x = build(name)
        model.eval()
        y = model(x)
    torch.onnx.export(model, x, f"{out}/{name}.onnx", opset_version=13,
                      input_names=["x"], output_names=["y"])
    np.save(f"{out}/{name}.x.npy", x.numpy())
    np.save(f"{out}/{name}.y.npy", y.numpy())
    print(f"{name}: output max |y| = {float(y.abs().max()):.3g}")


if __name__ == "__main__":
    main()
