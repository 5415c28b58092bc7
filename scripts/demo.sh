#!/usr/bin/env bash
# Part of Yizhuang. The main job, from a fresh machine: install, build,
# compile the bundled example model for riscv64 and run it under qemu with
# the NPU simulator, checking its outputs against numpy's and printing the
# NPU's cycle report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${YZ_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
echo "== building (first time: a few minutes)"
"$root/scripts/build.sh" yzc yz-run >/dev/null

work="$build/demo"
mkdir -p "$work"
echo "== generating the example: a two-layer MLP with numpy weights"
/usr/bin/python3 "$root/examples/mlp/make_mlp.py" "$work"
echo "== yzc $work/mlp.mlir --target=riscv64 -o $work/mlp.o --mlir-timing"
"$build/bin/yzc" "$work/mlp.mlir" --target=riscv64 -o "$work/mlp.o" --mlir-timing \
  2> "$work/timing.txt"
grep -E "Total Execution Time|Wall Time|MLIR pipeline|Translate|optimization|Code generation" \
  "$work/timing.txt" | sed 's/^/   /' | head -8
echo "== yz-run: on the RISC-V CPU (qemu-riscv64, RVV VLEN=256), f32"
"$build/bin/yz-run" "$work/mlp.o" --input "$work/input.npy" \
  --compare "$work/expected.npy" --output-dir "$work/out"

echo "== the same model with its matmuls on the NPU in bf16 (--npu-dtype=bf16)"
"$build/bin/yzc" "$work/mlp.mlir" --target=riscv64 --npu-dtype=bf16 -o "$work/mlp_npu.o"
echo "== yz-run --profile (qemu-riscv64 + NPU simulator; bf16 tolerance: atol 5e-2)"
"$build/bin/yz-run" "$work/mlp_npu.o" --input "$work/input.npy" \
  --compare "$work/expected.npy" --rtol 2e-2 --atol 5e-2 \
  --output-dir "$work/out_npu" --profile
echo "== outputs in $work/out and $work/out_npu; C header at $work/mlp.h;"
echo "   NPU timeline (open in Perfetto): $work/out_npu/npu-trace.json"
