#!/usr/bin/env bash
# Part of Yizhuang. Installs every Debian package the build, the tests and
# the demo need. Idempotent; quiet when everything is already there.
set -euo pipefail

packages=(
  # build
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build ccache libgtest-dev libstdc++-12-dev
  # cross-compilation and emulation; llvm-mca (llvm-22) for yz-run --host-cycles
  qemu-user gcc-riscv64-linux-gnu libc6-dev-riscv64-cross llvm-22
  libstdc++-12-dev-riscv64-cross
  # ONNX import
  libonnx-dev libprotobuf-dev protobuf-compiler
  # tests and examples
  python3-numpy python3-onnx python3-torch python3-torchvision python3-sklearn
  # the install test (test/install): pkg-config for the .pc files
  pkg-config
  # the Python package
  python3-dev python3-pybind11 pybind11-dev
  # benchmark peers (bench/matmul_host.py)
  libopenblas-dev
  # fuzzing (fuzz/run.sh): libFuzzer and ASan runtimes for clang-22
  libclang-rt-22-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
