#!/usr/bin/python3
"""ONNX Einsum over the equations exporters write (matmuls, attention,
outer and dot products, transposes, sums, broadcast ellipses, three
operands, the implicit output form, diagonals and traces), with numpy.einsum's results.

    einsum_cases.py OUT_DIR

Writes OUT_DIR/einsum.onnx (one Einsum node per case on initializer-free
inputs e<i>_<j>), the inputs e<i>_<j>.npy, the outputs e<i>.npy and
OUT_DIR/yz-run.args (a response file: --input and --compare for each);
prints one line per case: its name and equation.
"""
# Part of Yizhuang.
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bhid,bhjd->bhij", [(1, 2, 3, 4), (1, 2, 5, 4)]),
    ("bhij,bhjd->bhid", [(1, 2, 3, 5), (1, 2, 5, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("bi,bi->b", [(3, 4), (3, 4)]),
    ("i,i->", [(5,), (5,)]),
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (2, 5, 4, 2)]),
    ("...ij,jk->...ik", [(2, 3, 3, 4), (4, 2)]),
    ("ij,kj->ik", [(3, 4), (5, 4)]),
    ("abc,cd,de->abe", [(2, 3, 4), (4, 5), (5, 2)]),
    ("ij,jk", [(3, 4), (4, 2)]),
    ("ik,jk", [(3, 4), (2, 4)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("b i d, b j d -> b i j", [(2, 3, 4), (2, 5, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(3, 3)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("iji,jk->ik", [(3, 2, 3), (2, 4)]),
]


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(3)
    nodes, inputs, outputs, args = [], [], [], []
    for i, (eq, shapes) in enumerate(CASES):
        names = []
        arrays = []
        for j, s in enumerate(shapes):
            a = rng.standard_normal(s).astype(np.float32)
            name = f"e{i}_{j}"
            np.save(f"{out}/{name}.npy", a)
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, s))
            names.append(name)
            args += ["--input", f"{out}/{name}.npy"]
            arrays.append(a.astype(np.float64))
        y = np.array(np.einsum(eq.replace(" ", ""), *arrays), np.float32, order="C")
        np.save(f"{out}/e{i}.npy", y)
        args += ["--compare", f"{out}/e{i}.npy"]
        nodes.append(helper.make_node("Einsum", names, [f"e{i}"], equation=eq))
        outputs.append(helper.make_tensor_value_info(f"e{i}", TensorProto.FLOAT, y.shape))
        print(f"e{i} {eq}")
    graph = helper.make_graph(nodes, "einsum", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    onnx.checker.check_model(model)
    onnx.save(model, f"{out}/einsum.onnx")
    with open(f"{out}/yz-run.args", "w") as f:
        f.write("\n".join(args) + "\n")


if __name__ == "__main__":
    main()
