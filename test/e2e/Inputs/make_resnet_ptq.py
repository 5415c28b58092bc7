#!/usr/bin/python3
"""torchvision's ResNet-18 (random weights) for int8 PTQ tests.

    make_resnet_ptq.py OUT_DIR SIZE
    make_resnet_ptq.py OUT_DIR SIZE --table TABLE.json

First form: OUT_DIR/resnet18.onnx (input 1xSIZExSIZE), cal/*.npy
(calibration inputs), x.npy and y.float.npy (PyTorch f32). Second form,
with the ranges yzc --calibration-table wrote: checks them against this
reference's own calibration (to 1e-5 of each range), then writes y.fq.npy:
the network with batch norms folded and its 20 convolutions and linear head
fake-quantized
with those ranges, as yzc --quantize=int8 does (utils/ptqref.py). Float
rounding differs between PyTorch and the compiled model, so only the
compiler's own ranges, and the weights as exported (batch norms folded by
the exporter), give bit-identical quantization parameters.
"""
# Part of Yizhuang.
import json
import os
import sys
import warnings

import numpy as np
import torch
import torchvision
from torch.nn.utils.fusion import fuse_conv_bn_eval

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "utils"))
import ptqref  # noqa: E402


def conv_relu(conv, bn):
    return torch.ao.nn.intrinsic.ConvReLU2d(fuse_conv_bn_eval(conv, bn),
                                            torch.nn.ReLU())


def fold(net):
    """Batch norms into convolutions, ReLUs fused where yzc fuses them. The
    blocks' ReLU module also follows the residual add, so it stays (a
    second ReLU after a fused one changes nothing)."""
    net.conv1, net.bn1 = conv_relu(net.conv1, net.bn1), torch.nn.Identity()
    for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
        for b in layer:
            b.conv1, b.bn1 = conv_relu(b.conv1, b.bn1), torch.nn.Identity()
            b.conv2, b.bn2 = fuse_conv_bn_eval(b.conv2, b.bn2), torch.nn.Identity()
            if b.downsample is not None:
                b.downsample = fuse_conv_bn_eval(*b.downsample)
    return net


warnings.filterwarnings("ignore")
out, size = sys.argv[1], int(sys.argv[2])
table = json.load(open(sys.argv[4])) if sys.argv[3:4] == ["--table"] else None
os.makedirs(os.path.join(out, "cal"), exist_ok=True)
torch.manual_seed(0)
net = torchvision.models.resnet18(weights=None).eval()
with torch.no_grad():  # batch norms with statistics, as after training
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.0)
            m.bias.uniform_(-0.1, 0.1)
rng = np.random.default_rng(0)
shape = (1, 3, size, size)
x = rng.standard_normal(shape).astype(np.float32)
cal = [rng.standard_normal(shape).astype(np.float32) for _ in range(4)]
if table is None:
    torch.onnx.export(net, torch.from_numpy(x), os.path.join(out, "resnet18.onnx"),
                      input_names=["x"], output_names=["y"], opset_version=13)
    for i, c in enumerate(cal):
        np.save(os.path.join(out, "cal", f"{i}.npy"), c)
    np.save(os.path.join(out, "x.npy"), x)
    with torch.no_grad():
        np.save(os.path.join(out, "y.float.npy"), net(torch.from_numpy(x)).numpy())
else:
    fq = ptqref.FakeQuant(fold(net))
    assert len(fq.convs) == 21, len(fq.convs)  # 20 convs and the head
    fq.load_onnx_weights(os.path.join(out, "resnet18.onnx"), x)
    fq.calibrate(cal)
    worst = fq.use_table(table)
    print(f"calibration ranges agree: {len(table)} layers, worst {worst:.1e} of a range")
    np.save(os.path.join(out, "y.fq.npy"), fq.run(x).numpy())
