#!/usr/bin/env bash
# Part of Yizhuang. Builds the ONNX importer fuzzer (clang-22, libFuzzer +
# ASan, in build-fuzz/), seeds a corpus with the small valid and broken
# models the tests generate and the ONNX node suite's models, and fuzzes
# for SECONDS (default 600).
#   fuzz/run.sh [SECONDS]
# Crashes are left as build-fuzz/crash-* files; the run fails if any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
seconds=${1:-600}

"$root/scripts/install-deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DYZ_ENABLE_FUZZER=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address -g" >/dev/null
fi
ninja -C "$build" yz-onnx-fuzzer

corpus=$build/corpus
mkdir -p "$corpus"
/usr/bin/python3 "$root/test/Importer/ONNX/Inputs/make_onnx.py" "$build/seeds" >/dev/null
cp "$build"/seeds/*.onnx "$corpus/"
/usr/bin/python3 "$root/utils/onnx_node_suite.py" --generate "$build/node-seeds" >/dev/null
for case in "$build"/node-seeds/*/; do
  cp "$case/model.onnx" "$corpus/$(basename "$case").onnx"
done
cd "$build"
# Imports are slow to start (libonnx schema registration): allow 20 s each.
./bin/yz-onnx-fuzzer "$corpus" -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=4096 -print_final_stats=1
