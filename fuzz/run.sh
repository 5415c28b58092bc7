#!/usr/bin/env bash
# Part of Yizhuang. Builds a fuzzer (clang-22, libFuzzer + ASan, in
# build-fuzz/), seeds its corpus and fuzzes for SECONDS (default 600):
#   fuzz/run.sh [SECONDS] [onnx|pipeline]
# onnx (default): the ONNX importer, seeded with the small valid and broken
#   models the tests generate and the ONNX node suite's models;
# pipeline: the yz MLIR parser, verifiers and the whole compile, seeded with
#   the lit tests' yz MLIR and the node suite's models as imported.
# Crashes are left as build-fuzz/crash-* files; the run fails if any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
seconds=${1:-600}
target=${2:-onnx}
case $target in
  onnx|pipeline) ;;
  *) echo "fuzz/run.sh: unknown target '$target' (onnx or pipeline)" >&2; exit 2 ;;
esac

"$root/scripts/install-deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DYZ_ENABLE_FUZZER=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address -g" >/dev/null
fi
ninja -C "$build" "yz-$target-fuzzer"

corpus=$build/corpus-$target
mkdir -p "$corpus"
if [ ! -d "$build/node-seeds" ]; then
  /usr/bin/python3 "$root/utils/onnx_node_suite.py" --generate "$build/node-seeds" >/dev/null
fi
if [ "$target" = onnx ]; then
  /usr/bin/python3 "$root/test/Importer/ONNX/Inputs/make_onnx.py" "$build/seeds" >/dev/null
  cp "$build"/seeds/*.onnx "$corpus/"
  for case in "$build"/node-seeds/*/; do
    cp "$case/model.onnx" "$corpus/$(basename "$case").onnx"
  done
else
  ninja -C "$build" yz-translate
  ASAN_OPTIONS=detect_leaks=0 /usr/bin/python3 "$root/fuzz/pipeline_seeds.py" \
    "$corpus" "$build/bin/yz-translate" "$build/node-seeds"
fi
cd "$build"
# libMLIR and libLLVM are Debian's, not instrumented, while the allocators
# inlined from their headers into our code are: the two disagree on which
# arena bytes are poisoned (false use-after-poison reports), so manual
# poisoning is off; ASan still checks every access against the heap.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0}
# Imports are slow to start (libonnx schema registration), compiles are
# whole pipelines: allow 20 s each.
"./bin/yz-$target-fuzzer" "$corpus" -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=4096 -print_final_stats=1
