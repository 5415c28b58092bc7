"""Shared by the NPU benchmarks: compile, run on the simulator, read the
cycle model's report."""
# Part of Yizhuang.
import json
import os
import subprocess
import sys


def profile(tools, src, obj, inp, ref, double_buffer, target):
    """Compiles `src` (with or without double buffering), runs it on `inp`
    through yz-run, exits unless the output equals `ref` exactly, and returns
    the NPU report (yz-run --profile-json)."""
    report = obj + ".json"
    subprocess.run([os.path.join(tools, "yzc"), src, f"--target={target}", "-o", obj,
                    f"--npu-double-buffer={'true' if double_buffer else 'false'}"], check=True)
    out = subprocess.run([os.path.join(tools, "yz-run"), obj, "--input", inp, "--compare", ref,
                          "--quiet", "--profile-json", report], capture_output=True, text=True)
    if out.returncode != 0 or "max abs error 0" not in out.stdout:
        sys.exit(f"wrong result for {src}:\n{out.stdout}{out.stderr}")
    with open(report) as f:
        return json.load(f)
