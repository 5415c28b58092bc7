#!/usr/bin/python3
"""Exports a PyTorch model to ONNX with an input and PyTorch's output.

    export_torch.py NAME OUT_DIR

NAME: resnet18, mobilenet_v2 (torchvision, random weights, 1x3x64x64),
transformer (torch.nn.TransformerEncoder, 2 layers, d_model 32, 1x10x32) or
epilogues (pointwise convs and a linear layer whose bias, activation and
residual add yzc applies on the matmul's register tiles: whole tiles, a
partial one, a bias along the columns).
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


class Epilogues(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.expand = torch.nn.Conv2d(16, 32, 1)  # + bias, ReLU6
        self.project = torch.nn.Conv2d(32, 16, 1)  # + bias, the residual, ReLU
        self.down = torch.nn.Conv2d(16, 24, 3, stride=2, padding=1)
        self.small = torch.nn.Conv2d(24, 40, 1)  # 8 x 8: + bias, SiLU
        self.pool = torch.nn.AvgPool2d(2, stride=1)  # 8 x 8 -> 7 x 7
        self.tail = torch.nn.Conv2d(40, 48, 1)  # 7 x 7, a partial tile: + bias, HardSwish
        self.fc = torch.nn.Linear(48 * 49, 10)  # + bias along the columns, ReLU

    def forward(self, x):
        y = torch.nn.functional.relu6(self.expand(x))
        x = torch.relu(self.project(y) + x)
        x = torch.nn.functional.silu(self.small(self.down(x)))
        x = torch.nn.functional.hardswish(self.tail(self.pool(x)))
        return torch.relu(self.fc(x.flatten(1)))


def build(name):
    if name == "epilogues":
        return Epilogues(), torch.randn(1, 16, 16, 16)
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
