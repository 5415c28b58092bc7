#!/usr/bin/env bash
# Part of Yizhuang. The main job, from a fresh machine: install, build, then
# the bundled demo (examples/digits/digits.py): train a small CNN on
# scikit-learn's digits, export it to ONNX, quantize it to int8 with its own
# calibration split, compile it for riscv64 + NPU, and run the test split
# under qemu with the NPU simulator, printing the float and int8 accuracies
# and the per-layer NPU profile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${YZ_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
echo "== building (first time: a few minutes)"
"$root/scripts/build.sh" yzc yz-run >/dev/null

work="$build/demo"
mkdir -p "$work"
/usr/bin/python3 "$root/examples/digits/digits.py" "$work" \
  --yzc "$build/bin/yzc" --yz-run "$build/bin/yz-run"
echo "== model, object and outputs in $work; NPU timeline (open in Perfetto):"
echo "   $work/out/npu-trace.json"
