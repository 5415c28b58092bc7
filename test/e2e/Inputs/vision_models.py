#!/usr/bin/python3
"""Small detection, segmentation, super-resolution and audio models in
PyTorch (random weights), exported with torch.onnx, with PyTorch's outputs.

    vision_models.py NAME OUT_DIR

NAME: yolo (SiLU, an SPPF block of chained 5x5 max pools, nearest
upsampling, concatenations, a head split into boxes and scores), unet
(ConvTranspose, InstanceNorm, skip concatenations), espcn (DepthToSpace)
or audio (a 1-D CNN: Conv1d, BatchNorm1d, MaxPool1d, AvgPool1d).
Writes NAME.onnx, NAME.x.npy and NAME.<output>.npy per output; prints each
output's scale (max |y|).
"""
# Part of Yizhuang.
import sys

import numpy as np
import torch
from torch import nn


def conv_bn_silu(cin, cout, k=3, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, bias=False),
                         nn.BatchNorm2d(cout), nn.SiLU())


class SPPF(nn.Module):
    """YOLOv5's spatial pyramid pooling, fast: three chained 5x5 max pools."""

    def __init__(self, c):
        super().__init__()
        self.cv1 = conv_bn_silu(c, c // 2, 1)
        self.pool = nn.MaxPool2d(5, 1, 2)
        self.cv2 = conv_bn_silu(c * 2, c, 1)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.pool(x)
        y2 = self.pool(y1)
        return self.cv2(torch.cat([x, y1, y2, self.pool(y2)], 1))


class C2f(nn.Module):
    """YOLOv8's CSP block: a split, a bottleneck on one half, a concat."""

    def __init__(self, c):
        super().__init__()
        self.cv1 = conv_bn_silu(c, c, 1)
        self.m = nn.Sequential(conv_bn_silu(c // 2, c // 2), conv_bn_silu(c // 2, c // 2))
        self.cv2 = conv_bn_silu(c // 2 * 3, c, 1)

    def forward(self, x):
        a, b = self.cv1(x).split(x.shape[1] // 2, 1)
        return self.cv2(torch.cat([a, b, self.m(b) + b], 1))


class Yolo(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.stem = conv_bn_silu(3, 16, 3, 2)
        self.down1 = nn.Sequential(conv_bn_silu(16, 32, 3, 2), C2f(32))
        self.down2 = nn.Sequential(conv_bn_silu(32, 64, 3, 2), C2f(64), SPPF(64))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.fuse = C2f(96)
        self.head = nn.Conv2d(96, 4 + classes, 1)
        self.classes = classes

    def forward(self, x):
        p3 = self.down1(self.stem(x))
        p4 = self.down2(p3)
        f = self.fuse(torch.cat([self.up(p4), p3], 1))
        out = self.head(f).flatten(2)
        boxes, scores = out.split([4, self.classes], 1)
        return boxes, scores.sigmoid()


class UNet(nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1), nn.InstanceNorm2d(cout, affine=True),
                                 nn.ReLU(), nn.Conv2d(cout, cout, 3, 1, 1),
                                 nn.InstanceNorm2d(cout, affine=True), nn.ReLU())

        self.enc1, self.enc2, self.mid = block(3, 8), block(8, 16), block(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, 2)
        self.dec2 = block(32, 16)
        self.up1 = nn.ConvTranspose2d(16, 8, 3, 2, padding=1, output_padding=1)
        self.dec1 = block(16, 8)
        self.out = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        m = self.mid(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(m), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


class ESPCN(nn.Module):
    def __init__(self, r=3):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 5, 1, 2), nn.Tanh(),
                                  nn.Conv2d(32, 16, 3, 1, 1), nn.Tanh(),
                                  nn.Conv2d(16, r * r, 3, 1, 1), nn.PixelShuffle(r))

    def forward(self, x):
        return self.body(x)


class Audio(nn.Module):
    def __init__(self, classes=10):
        super().__init__()

        def block(cin, cout, k, s):
            return nn.Sequential(nn.Conv1d(cin, cout, k, s, k // 2), nn.BatchNorm1d(cout),
                                 nn.ReLU())

        self.features = nn.Sequential(block(1, 16, 80, 4), nn.MaxPool1d(4),
                                      block(16, 32, 3, 1), nn.MaxPool1d(4),
                                      block(32, 64, 3, 1), nn.AvgPool1d(2, ceil_mode=True),
                                      block(64, 64, 3, 2))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(self.features(x).mean(-1))


MODELS = {
    "yolo": (Yolo, (1, 3, 64, 64), ["boxes", "scores"]),
    "unet": (UNet, (1, 3, 32, 32), ["y"]),
    "espcn": (ESPCN, (1, 1, 24, 24), ["y"]),
    "audio": (Audio, (1, 1, 1600), ["y"]),
}


def main():
    name, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    cls, shape, outputs = MODELS[name]
    model = cls()
    # Random normalization statistics and affine parameters (eval-mode
    # defaults would make batch norm the identity).
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c) * 0.1)
            m.running_var.copy_(torch.rand(c) + 0.5)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.InstanceNorm2d)):
            m.weight.data.copy_(torch.rand(m.num_features) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features) * 0.1)
    model.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        ys = model(x)
    ys = ys if isinstance(ys, tuple) else (ys,)
    torch.onnx.export(model, x, f"{out}/{name}.onnx", opset_version=13,
                      input_names=["x"], output_names=outputs)
    np.save(f"{out}/{name}.x.npy", x.numpy())
    for o, y in zip(outputs, ys):
        np.save(f"{out}/{name}.{o}.npy", y.numpy())
        print(f"{name}.{o}: {list(y.shape)}, scale max |y| = {float(y.abs().max()):.3g}")


if __name__ == "__main__":
    main()
