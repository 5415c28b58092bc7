#!/usr/bin/python3
"""SpacemiT IME (smt.vmadot) against the best RVV int8 path, on riscv64.

    bench/ime_matmul.py [--build DIR] [--n 256] [--layers all|first]

Cases: an int8 N^3 matmul (i8 x i8 -> i32), and ResNet-18's int8
convolutions at 224x224 (its 11 distinct layer shapes, each counted as
often as the network has it), compiled by yzc with --npu=none for the
X60 (--mcpu=spacemit-x60: the IME strategy). The RVV peer is plain C with
RVV intrinsics in the vwmacc style (B sign-extended to i16 once per row of
K, then one vwmacc.vx per row of A and 32 columns into i32 accumulators,
6 rows at a time; convolutions through the same im2col), built with
clang-22 -O3 -mcpu=spacemit-x60 -- the int8 path RVV 1.0 offers (no
vqmacc on the X60). The convolution peer computes the int32 sums only;
yzc's also requantizes to int8.

1. K loop: the innermost loop of each (static instructions and MACs per
   iteration; instructions per 1000 MACs; the ratio), and llvm-mca-22
   cycles per iteration with LLVM's SpacemiT X60 model. LLVM's model has
   no entry for smt.vmadot: the IME loop's cycles are llvm-mca's for the
   loop without them plus one issue cycle per smt.vmadot (assumed, see
   docs/ime.md: throughput one per cycle, from the K1's 2.0 int8 TOPS on
   its four IME cores at 1.6 GHz, 156 MACs per core per cycle, >= 128 per
   smt.vmadot; latency hidden behind the 12 independent accumulators).
2. qemu: dynamic instructions of the whole matmul and of each convolution,
   a run without the call subtracted. Only the code of the (non-PIE)
   executable counts: not the emulator's handler behind each smt.vmadot,
   nor libc. qemu logs each translation block once as it translates it
   (-d in_asm) and at each execution (-d exec,nochain), restricted to the
   executable's addresses (-dfilter); the count is the executed blocks'
   lengths. (Single-stepping, as bench/rvv_matmul.py does, would also run
   the emulator's ~1000 instructions per smt.vmadot one by one.)
"""
# Part of Yizhuang.
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "utils"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mlirgen import Model, conv_props  # noqa: E402
from rvv_matmul import SYSROOT, kernel_block  # noqa: E402

MACS_PER_VMADOT = 4 * 8 * 4
VMADOT_CYCLES = 1  # assumed issue cycles (see the docstring)

# ResNet-18's convolutions: (C, F, kernel, stride, pad, input H, count).
LAYERS = [
    (3, 64, 7, 2, 3, 224, 1),
    (64, 64, 3, 1, 1, 56, 4),
    (64, 128, 3, 2, 1, 56, 1),
    (128, 128, 3, 1, 1, 28, 3),
    (64, 128, 1, 2, 0, 56, 1),
    (128, 256, 3, 2, 1, 28, 1),
    (256, 256, 3, 1, 1, 14, 3),
    (128, 256, 1, 2, 0, 28, 1),
    (256, 512, 3, 2, 1, 14, 1),
    (512, 512, 3, 1, 1, 7, 3),
    (256, 512, 1, 2, 0, 14, 1),
]

RVV_GEMM = r"""
#include <riscv_vector.h>
#include <stdint.h>
/* c[m][n] = a[m][k] * b[k][n], int8 -> int32, vwmacc style. */
static void rvv_gemm(const int8_t *a, const int8_t *b, int32_t *c, int m,
                     int n, int k) {
  for (int j = 0; j < n;) {
    size_t vl = __riscv_vsetvl_e16m2(n - j);
    int i = 0;
    for (; i + 6 <= m; i += 6) {
      vint32m4_t c0 = __riscv_vmv_v_x_i32m4(0, vl), c1 = c0, c2 = c0,
                 c3 = c0, c4 = c0, c5 = c0;
      const int8_t *ar = a + (long)i * k;
      for (int p = 0; p < k; ++p) {
        vint16m2_t bv = __riscv_vsext_vf2_i16m2(
            __riscv_vle8_v_i8m1(b + (long)p * n + j, vl), vl);
        c0 = __riscv_vwmacc_vx_i32m4(c0, ar[p], bv, vl);
        c1 = __riscv_vwmacc_vx_i32m4(c1, ar[k + p], bv, vl);
        c2 = __riscv_vwmacc_vx_i32m4(c2, ar[2 * k + p], bv, vl);
        c3 = __riscv_vwmacc_vx_i32m4(c3, ar[3 * k + p], bv, vl);
        c4 = __riscv_vwmacc_vx_i32m4(c4, ar[4 * k + p], bv, vl);
        c5 = __riscv_vwmacc_vx_i32m4(c5, ar[5 * k + p], bv, vl);
      }
      int32_t *cr = c + (long)i * n + j;
      __riscv_vse32_v_i32m4(cr, c0, vl);
      __riscv_vse32_v_i32m4(cr + n, c1, vl);
      __riscv_vse32_v_i32m4(cr + 2 * n, c2, vl);
      __riscv_vse32_v_i32m4(cr + 3 * n, c3, vl);
      __riscv_vse32_v_i32m4(cr + 4 * n, c4, vl);
      __riscv_vse32_v_i32m4(cr + 5 * n, c5, vl);
    }
    for (; i < m; ++i) {
      vint32m4_t acc = __riscv_vmv_v_x_i32m4(0, vl);
      for (int p = 0; p < k; ++p)
        acc = __riscv_vwmacc_vx_i32m4(
            acc, a[(long)i * k + p],
            __riscv_vsext_vf2_i16m2(
                __riscv_vle8_v_i8m1(b + (long)p * n + j, vl), vl), vl);
      __riscv_vse32_v_i32m4(c + (long)i * n + j, acc, vl);
    }
    j += vl;
  }
}
"""

MM_HARNESS = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
void KERNEL(int8_t *a, int8_t *b, int32_t *c);
int main(int argc, char **argv) {
  int8_t *a = malloc(N * N), *b = malloc(N * N);
  int32_t *c = calloc(N * N, 4);
  for (int i = 0; i < N * N; ++i) a[i] = (int8_t)(i * 37 + 11), b[i] = (int8_t)(i * 91 + 5);
  if (argc > 1) KERNEL(a, b, c);
  unsigned long sum = 0;
  for (int i = 0; i < N * N; ++i) sum = sum * 31 + (unsigned)c[i];
  if (argc > 1) printf("checksum %lx\n", sum);
  return 0;
}
"""
MM_RVV = RVV_GEMM + "void rvv(int8_t *a, int8_t *b, int32_t *c) { rvv_gemm(a, b, c, N, N, N); }\n"
MM_YZC = """void yz_invoke_mm(void **);
void yzc(signed char *a, signed char *b, int *c) { void *bufs[3] = {a, b, c}; yz_invoke_mm(bufs); }
"""

CONV_HARNESS = r"""
#include <stdint.h>
#include <stdlib.h>
void KERNEL(int8_t *x, int8_t *w, void *y);
int main(int argc, char **argv) {
  int8_t *x = malloc(C * H * H), *w = malloc(F * C * KS * KS);
  void *y = calloc((long)F * OH * OH, 4);
  for (int i = 0; i < C * H * H; ++i) x[i] = (int8_t)(i * 37 + 11);
  for (int i = 0; i < F * C * KS * KS; ++i) w[i] = (int8_t)(i * 91 + 5);
  if (argc > 1) KERNEL(x, w, y);
  return ((int8_t *)y)[0] & 1;
}
"""
CONV_RVV = RVV_GEMM + r"""
void rvv(int8_t *x, int8_t *w, void *y) {
  /* im2col: col[C*KS*KS][OH*OH], padding 0, then w[F][C*KS*KS] x col. */
  int8_t *col = malloc((long)C * KS * KS * OH * OH);
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < KS; ++i)
      for (int j = 0; j < KS; ++j) {
        int8_t *row = col + ((long)(c * KS + i) * KS + j) * OH * OH;
        for (int oy = 0; oy < OH; ++oy)
          for (int ox = 0; ox < OH; ++ox) {
            int iy = oy * S + i - P, ix = ox * S + j - P;
            row[oy * OH + ox] = iy >= 0 && iy < H && ix >= 0 && ix < H
                                    ? x[(c * H + iy) * H + ix] : 0;
          }
      }
  rvv_gemm(w, col, (int32_t *)y, F, OH * OH, C * KS * KS);
  free(col);
}
"""
CONV_YZC = """void yz_invoke_conv(void **);
void yzc(signed char *x, signed char *w, void *y) { void *bufs[2] = {x, y}; yz_invoke_conv(bufs); }
"""


def matmul_model(work, n):
    rng = np.random.default_rng(0)
    m = Model("mm")
    a = m.input("a", rng.integers(-128, 128, (n, n), dtype=np.int8))
    b = m.input("b", rng.integers(-128, 128, (n, n), dtype=np.int8))
    y = m.op("matmul", (n, n), np.int32, a, b)
    path = os.path.join(work, "mm.mlir")
    with open(path, "w") as f:
        f.write(m.text([("c", y)]))
    return path


def conv_model(work, c, f, k, s, p, h):
    rng = np.random.default_rng(0)
    oh = (h + 2 * p - k) // s + 1
    m = Model("conv")
    x = m.input("x", rng.integers(-128, 128, (1, c, h, h), dtype=np.int8))
    w = m.constant("w", rng.integers(-127, 128, (f, c, k, k), dtype=np.int8))
    props = conv_props(s, (p, p, p, p), 1, 1, extra=(
        "clamp_max = 127 : i64, clamp_min = -128 : i64, "
        "input_zero_point = -128 : i64, multipliers = array<f32: 0.001>, "
        "output_zero_point = 0 : i64, "))
    y = m.op("qconv2d", (1, f, oh, oh), np.int8, x, w, props=props)
    path = os.path.join(work, "conv.mlir")
    with open(path, "w") as out:
        out.write(m.text([("y", y)]))
    return path, oh


def mca(lines):
    """llvm-mca-22 cycles per iteration of `lines` on the X60, each vector
    instruction with the SEW and LMUL it runs at."""
    text = []
    for line in lines:
        op = line.split()[0]
        if op.startswith("vle8"):
            text.append("# LLVM-MCA-RISCV-SEW E8")
        elif op.startswith(("vsext", "vwmacc")):
            text.append("# LLVM-MCA-RISCV-SEW E16")
            text.append("# LLVM-MCA-RISCV-LMUL M2")
        text.append(line)
    out = subprocess.run(["llvm-mca-22", "-mtriple=riscv64",
                          "-mcpu=spacemit-x60", "-iterations=1000"],
                         input="\n".join(text) + "\n", text=True,
                         capture_output=True, check=True).stdout
    return int(re.search(r"Total Cycles:\s+(\d+)", out).group(1)) / 1000


def k_loops(yzc, work, mm_src):
    """The K loops: (instructions, MACs, cycles) per iteration, IME and RVV."""
    asm = subprocess.run([yzc, mm_src, "--npu=none", "--mcpu=spacemit-x60",
                          "--emit=asm", "-o", "-"], check=True,
                         capture_output=True, text=True).stdout
    ime = kernel_block(asm, "smt.vmadot")
    vmadots = [i for i in ime if i.startswith("smt.vmadot")]
    rest = [i for i in ime if not i.startswith("smt.vmadot")]
    # vl of the vsetvli before each load is in a register: the block's
    # loads are 128 and 96 bytes at LMUL 4.
    rest = ["# LLVM-MCA-RISCV-LMUL M4"] + rest
    ime_cycles = mca(rest) + VMADOT_CYCLES * len(vmadots)
    src = os.path.join(work, "rvv_k.c")
    with open(src, "w") as f:
        f.write(MM_RVV.replace("N", "256"))
    rvv_asm = subprocess.run(["clang-22", "--target=riscv64-linux-gnu",
                              "-mcpu=spacemit-x60", "-O3", "-S", src, "-o",
                              "-"], check=True, capture_output=True,
                             text=True).stdout
    rvv = kernel_block(rvv_asm, "vwmacc")
    vwmaccs = sum(i.startswith("vwmacc") for i in rvv)
    # VLEN 256: 32 columns of i16 at LMUL 2 per vwmacc.vx.
    return ((len(ime), len(vmadots) * MACS_PER_VMADOT, ime_cycles, ime),
            (len(rvv), vwmaccs * 32, mca(rvv), rvv))


def build(work, kind, harness, peer_src, yzc_obj, defines):
    """Two executables (non-PIE: their code below 4 GiB): yzc's, the peer's."""
    exes = {}
    cc = ["clang-22", "--target=riscv64-linux-gnu", "-march=rv64gcv",
          "-O3", "-fuse-ld=lld", "-no-pie", "-fno-pic"] + \
        [f"-D{k}={v}" for k, v in defines.items()]
    for who, body in [("yzc", None), ("rvv", peer_src)]:
        src = os.path.join(work, f"{kind}_{who}.c")
        with open(src, "w") as f:
            f.write(harness.replace("KERNEL", who) +
                    (body if body else (MM_YZC if kind == "mm" else CONV_YZC)))
        exe = os.path.join(work, f"{kind}_{who}")
        extra = [yzc_obj, runner_lib()] if who == "yzc" else []
        subprocess.run(cc + [src] + extra + ["-o", exe, "-lm"], check=True)
        exes[who] = exe
    return exes


def runner_lib():
    return os.path.join(ARGS.build, "lib", "riscv64", "libyz_runner.a")


def executed(exe, with_call):
    """Instructions executed in the executable's own code (see 2. above)."""
    sim = os.path.join(ARGS.build, "lib", "riscv64", "libyz_npu_sim.so")
    cmd = ["qemu-riscv64", "-L", SYSROOT, "-cpu", "rv64,v=true,vlen=256",
           "-E", "LD_PRELOAD=" + sim, "-d", "in_asm,exec,nochain",
           "-dfilter", "0x0..0xffffffff", "-D", "/dev/stdout", exe]
    if with_call:
        cmd.append("run")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    blocks, current, total = {}, None, 0
    for line in proc.stdout:
        if line.startswith(b"Trace"):
            total += blocks.get(int(line.split(b"/")[1], 16), 0)
            current = None
        elif line.startswith(b"IN:"):
            current = []
        elif current is not None and line.startswith(b"0x"):
            if not current:
                blocks[int(line.split(b":")[0], 16)] = 0
                current.append(int(line.split(b":")[0], 16))
            blocks[current[0]] += 1
    proc.wait()
    return total


def count(exe):
    return executed(exe, True) - executed(exe, False)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--layers", choices=["all", "first"], default="all")
    ARGS = parser.parse_args()
    yzc = os.path.join(ARGS.build, "bin", "yzc")
    n = ARGS.n
    with tempfile.TemporaryDirectory() as work:
        mm_src = matmul_model(work, n)
        (ii, im, ic, _), (ri, rm, rc, _) = k_loops(yzc, work, mm_src)
        print("1. K loop, one iteration (X60, VLEN 256)")
        print(f"{'path':>22} {'instr':>6} {'MACs':>6} {'instr/1000 MACs':>16}"
              f" {'mca cycles':>11} {'MACs/cycle':>11}")
        for name, i, m, c in [("IME smt.vmadot (yzc)", ii, im, ic),
                              ("RVV vwmacc.vx (C)", ri, rm, rc)]:
            print(f"{name:>22} {i:>6} {m:>6} {1000 * i / m:>16.1f}"
                  f" {c:>11.2f} {m / c:>11.1f}")
        print(f"   RVV / IME instructions per MAC: {(ri / rm) / (ii / im):.2f}"
              f" (goal >= 4); MACs per cycle IME / RVV: "
              f"{(im / ic) / (rm / rc):.2f}", flush=True)

        print(f"\n2. qemu dynamic instructions, VLEN 256")
        obj = os.path.join(work, "mm.o")
        subprocess.run([yzc, mm_src, "--npu=none", "--mcpu=spacemit-x60",
                        "-o", obj], check=True)
        exes = build(work, "mm", MM_HARNESS, MM_RVV, obj, {"N": n})
        sums = [subprocess.run(
            ["qemu-riscv64", "-L", "/usr/riscv64-linux-gnu", "-cpu",
             "rv64,v=true,vlen=256", "-E",
             "LD_PRELOAD=" + os.path.join(ARGS.build, "lib", "riscv64",
                                          "libyz_npu_sim.so"), e, "run"],
            check=True, capture_output=True, text=True).stdout
            for e in (exes["yzc"], exes["rvv"])]
        same = "same sums" if sums[0] == sums[1] else "SUMS DIFFER"
        y, r = count(exes["yzc"]), count(exes["rvv"])
        print(f"{n}^3 int8 matmul: IME {y:>12,}  RVV {r:>12,}  "
              f"RVV / IME {r / y:5.2f}  ({same})", flush=True)

        total_y = total_r = 0
        layers = LAYERS if ARGS.layers == "all" else LAYERS[1:2]
        for c, f, k, s, p, h, times in layers:
            src, oh = conv_model(work, c, f, k, s, p, h)
            obj = os.path.join(work, "conv.o")
            subprocess.run([yzc, src, "--npu=none", "--mcpu=spacemit-x60",
                            "-o", obj], check=True)
            exes = build(work, "conv", CONV_HARNESS, CONV_RVV, obj,
                         {"C": c, "F": f, "KS": k, "S": s, "P": p, "H": h,
                          "OH": oh})
            y, r = count(exes["yzc"]), count(exes["rvv"])
            total_y += times * y
            total_r += times * r
            print(f"conv {k}x{k}/{s} {c:>3}->{f:<3} {h:>3}x{h:<3} x{times}: "
                  f"IME {y:>12,}  RVV {r:>12,}  RVV / IME {r / y:5.2f}",
                  flush=True)
        print(f"ResNet-18 int8 convolutions ({ARGS.layers}): IME "
              f"{total_y:,}  RVV {total_r:,}  RVV / IME "
              f"{total_r / total_y:.2f}")


if __name__ == "__main__":
    sys.exit(main())
