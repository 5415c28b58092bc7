#!/usr/bin/python3
"""Seeds for the pipeline fuzzer: the yz MLIR of the lit tests (split at
"// -----") and, with YZ_TRANSLATE and NODE_DIR, the ONNX node suite's
models as the importer writes them.

    pipeline_seeds.py OUT_DIR [YZ_TRANSLATE NODE_DIR]
"""
# Part of Yizhuang.
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"), recursive=True)):
        for i, chunk in enumerate(open(path).read().split("// -----")):
            if "yz." not in chunk:
                continue
            base = os.path.relpath(path, ROOT).replace("/", "_")
            with open(os.path.join(out, f"{base}.{i}.mlir"), "w") as f:
                f.write(chunk)
            n += 1
    if len(sys.argv) > 3:
        translate, nodes = sys.argv[2], sys.argv[3]
        for model in sorted(glob.glob(os.path.join(nodes, "*", "model.onnx"))):
            name = os.path.basename(os.path.dirname(model))
            p = subprocess.run([translate, "--import-onnx", model], capture_output=True,
                               text=True)
            if p.returncode == 0 and len(p.stdout) < 64 * 1024:
                with open(os.path.join(out, f"node_{name}.mlir"), "w") as f:
                    f.write(p.stdout)
                n += 1
    print(f"{n} seeds")


if __name__ == "__main__":
    main()
