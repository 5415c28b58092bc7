#!/usr/bin/python3
"""The fake-quantized reference of sequence_models.py's GPT decoder for
yzc --quantize=int8 (utils/ptqref.py): its linear layers and its attention
matmuls (Q K^T, A V) quantized as yzc quantizes them, with the ranges yzc
calibrated.

    sequence_ptq.py OUT_DIR TABLE.json

Reads OUT_DIR/gpt.ids.npy and the samples in OUT_DIR/gpt.cal (as
sequence_models.py gpt OUT_DIR wrote them); checks the table's ranges
against its own calibration, then writes OUT_DIR/gpt.fq.npy.
"""
# Part of Yizhuang.
import glob
import json
import os
import sys

import numpy as np
import torch

here = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(here, "..", "..", "..", "utils"))
sys.path.insert(0, here)
import ptqref  # noqa: E402
import sequence_models  # noqa: E402


def main():
    out, table = sys.argv[1], json.load(open(sys.argv[2]))
    torch.manual_seed(0)  # as sequence_models.main builds it
    model, _ = sequence_models.build("gpt")
    fq = ptqref.FakeQuant(model.eval())
    samples = [np.load(f) for f in sorted(glob.glob(f"{out}/gpt.cal/*.npy"))]
    fq.calibrate(samples)
    worst = fq.use_table(table)
    matmuls = sum(name.startswith("matmul#") for name in fq.order)
    print(f"calibration ranges agree: {len(table)} layers ({matmuls} matmuls "
          f"of two activations), worst {worst:.1e} of a range")
    np.save(f"{out}/gpt.fq.npy", fq.run(np.load(f"{out}/gpt.ids.npy")).numpy())


if __name__ == "__main__":
    main()
