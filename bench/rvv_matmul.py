#!/usr/bin/python3
"""RISC-V: the matmul kernel in llvm-mca, and dynamic instruction counts.

    bench/rvv_matmul.py [--build DIR] [--n 256] [--only mm|conv|dw|dw14 ...]

1. llvm-mca: compiles an N^3 f32 matmul for SpacemiT X60 (VLEN 256) and
   SiFive X280 (VLEN 512) with yzc --mcpu, takes the loop body with the
   most vfmacc.vf (LLVM may unroll and rotate it; the steps a pipelined
   loop leaves after it are not counted) and prints llvm-mca's cycles per
   iteration next to the FMA-throughput bound: the same number of vfmacc.vf alone in
   the same scheduling model (vfmacc.vf and vfmadd.vf). Ratio = bound /
   kernel (1.0 = FMA-bound).
2. qemu: the dynamic instruction count (each block's count from yz-run's
   qemu plugin, runtime/qemu/tb_counts.c, times its instructions; a run
   without the call subtracted) of the N^3 matmul, of one ResNet-18 conv
   layer (layer1's 3x3, 64 -> 64 channels, 56x56, padding 1; filter an
   input) and of two MobileNetV2 depthwise layers (3x3, 144 channels at
   56x56 and 384 at 14x14) for yzc's code and for the same computation as plain C
   (i-k-j loops; the convs padded, then direct loops with the output row
   innermost; all auto-vectorizable) compiled with clang-22 -O3
   -march=rv64gcv, at VLEN 256.
"""
# Part of Yizhuang.
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSROOT = "/usr/riscv64-linux-gnu"
CPUS = [("spacemit-x60", 256), ("sifive-x280", 512)]

HARNESS = r"""
#include <stdlib.h>
void KERNEL(float *a, float *b, float *c);
int main(int argc, char **argv) {
  float *a = malloc(sizeof(float) * A_SIZE), *b = malloc(sizeof(float) * B_SIZE),
        *c = malloc(sizeof(float) * C_SIZE);
  for (int i = 0; i < A_SIZE; ++i) a[i] = i % 7;
  for (int i = 0; i < B_SIZE; ++i) b[i] = i % 5;
  if (argc > 1) /* without an argument: the baseline to subtract */
    KERNEL(a, b, c);
  return (int)c[0] & 1;
}
"""

PLAIN_C = {
    "mm": r"""
void plain_mm(float *a, float *b, float *c) {
  int n = N;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) c[i * n + j] = 0;
    for (int k = 0; k < n; ++k) {
      float x = a[i * n + k];
      for (int j = 0; j < n; ++j) c[i * n + j] += x * b[k * n + j];
    }
  }
}
""",
    # x [C][H][W], w [C][1][3][3], y [C][H][W]; padding 1, one group per
    # channel (MobileNetV2's depthwise 3x3 at 56x56, 144 channels).
    "dw": r"""
enum { C = DW_C, H = DW_H, W = DW_H, P = DW_H + 2 };
PADDED
void plain_dw(float *x, float *w, float *y) {
  float *xp = padded(x);
  memset(y, 0, C * H * W * sizeof(float));
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        float k = w[(c * 3 + i) * 3 + j];
        for (int h = 0; h < H; ++h)
          for (int v = 0; v < W; ++v)
            y[(c * H + h) * W + v] += k * xp[(c * P + h + i) * P + v + j];
      }
  free(xp);
}
""",
    # x [C][H][W], w [F][C][3][3], y [F][H][W]; padding 1.
    "conv": r"""
enum { C = 64, F = 64, H = 56, W = 56, P = 58 };
PADDED
void plain_conv(float *x, float *w, float *y) {
  float *xp = padded(x);
  memset(y, 0, F * H * W * sizeof(float));
  for (int f = 0; f < F; ++f)
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          float k = w[((f * C + c) * 3 + i) * 3 + j];
          for (int h = 0; h < H; ++h)
            for (int v = 0; v < W; ++v)
              y[(f * H + h) * W + v] += k * xp[(c * P + h + i) * P + v + j];
        }
  free(xp);
}
""",
}

PLAIN_C["dw14"] = PLAIN_C["dw"].replace("plain_dw(", "plain_dw14(")

# The input padded by one on every side: xp [C][P][P].
PADDED = r"""
#include <string.h>
static float *padded(const float *x) {
  float *xp = calloc(C * P * P, sizeof(float));
  for (int c = 0; c < C; ++c)
    for (int h = 0; h < H; ++h)
      memcpy(xp + (c * P + h + 1) * P + 1, x + (c * H + h) * W, W * sizeof(float));
  return xp;
}
"""

YZC_GLUE = r"""
void yz_invoke_KIND(void **buffers);
void yzc_KIND(float *a, float *b, float *c) {
  void *buffers[3] = {a, b, c};
  yz_invoke_KIND(buffers);
}
"""


def model(work, n):
    path = os.path.join(work, "mm.mlir")
    t = f"tensor<{n}x{n}xf32>"
    with open(path, "w") as f:
        f.write(f"func.func @mm(%a: {t}, %b: {t}) -> {t} {{\n"
                f"  %0 = yz.matmul %a, %b : {t}, {t}\n  return %0 : {t}\n}}\n")
    return path


def conv_model(work, kind="conv", c=64, f=64, groups=1, hw=56):
    path = os.path.join(work, f"{kind}.mlir")
    x, w, y = (f"tensor<1x{c}x{hw}x{hw}xf32>",
               f"tensor<{f}x{c // groups}x3x3xf32>",
               f"tensor<1x{f}x{hw}x{hw}xf32>")
    with open(path, "w") as out:
        out.write(f"func.func @{kind}(%x: {x}, %w: {w}) -> {y} {{\n"
                  f"  %0 = yz.conv2d %x, %w <{{dilations = array<i64: 1, 1>, "
                  f"groups = {groups} : i64, pads = array<i64: 1, 1, 1, 1>, "
                  f"strides = array<i64: 1, 1>}}> : {x}, {w}\n"
                  f"  return %0 : {y}\n}}\n")
    return path


def kernel_block(asm, key="vfmacc.vf"):
    """The instructions of the innermost loop with the most `key`: from
    a label to a branch back to it, no other label between (a conditional
    exit inside is left out; LLVM may rotate and unroll the loop), without
    the closing branch (llvm-mca runs a block as a loop body itself)."""
    loops, label, current = [], None, []
    for line in asm.splitlines():
        s = line.split("#")[0].strip()
        if not s:
            continue
        op = s.split()[0]
        if s.endswith(":"):
            label, current = s[:-1], []
        elif op in ("bne", "beq", "blt", "bge", "bltu", "bgeu", "bnez",
                    "beqz", "j"):
            if s.split(",")[-1].split()[-1] == label:
                loops.append(current)
                label, current = None, []
            elif op == "j":
                label, current = None, []
        elif not s.startswith("."):
            current.append(s)
    return max(loops, key=lambda b: sum(key in i for i in b))


def mca_cycles(cpu, lines, lmul):
    """llvm-mca's cycles per iteration of `lines` (as a loop body)."""
    text = f"# LLVM-MCA-RISCV-LMUL {lmul}\n# LLVM-MCA-RISCV-SEW E32\n" + \
        "\n".join(lines) + "\n"
    out = subprocess.run(["llvm-mca-22", "-mtriple=riscv64", f"-mcpu={cpu}",
                          "-iterations=1000"], input=text, text=True,
                         capture_output=True, check=True).stdout
    cycles = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1))
    return cycles / 1000


def count_instructions(plugin, exe, vlen, with_call):
    """Instructions the program ran: each block's count (yz-run's qemu
    plugin, runtime/qemu/tb_counts.c) times its instructions."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as counts:
        cmd = ["qemu-riscv64", "-L", SYSROOT, "-cpu",
               f"rv64,v=true,vlen={vlen},vext_spec=v1.0",
               "-plugin", f"{plugin},out={counts.name},all=on", exe]
        if with_call:
            cmd.append("run")
        subprocess.run(cmd, check=False)
        total = 0
        for line in open(counts.name):
            count, _, _, code = line.split()
            code = bytes.fromhex(code)
            insns, at = 0, 0
            while at < len(code):  # 2-byte compressed or 4-byte
                at += 4 if code[at] & 3 == 3 else 2
                insns += 1
            total += int(count) * insns
        return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--only", choices=["mm", "conv", "dw", "dw14"],
                        action="append",
                        help="run only these qemu cases (repeatable)")
    args = parser.parse_args()
    plugin = os.path.join(args.build, "lib", "host", "libyz_tb_counts.so")
    yzc = os.path.join(args.build, "bin", "yzc")
    n = args.n
    with tempfile.TemporaryDirectory() as work:
        src = model(work, n)
        print(f"1. llvm-mca, the innermost loop of yzc's {n}^3 f32 matmul")
        print(f"{'CPU':>14} {'VLEN':>5} {'vfmacc':>7} {'LMUL':>5} "
              f"{'cycles/iter':>12} {'FMA bound':>10} {'bound/kernel':>13}")
        for cpu, vlen in CPUS:
            asm = subprocess.run([yzc, src, "--npu=none", f"--mcpu={cpu}",
                                  f"--vlen={vlen}", "--emit=asm", "-o", "-"],
                                 check=True, capture_output=True,
                                 text=True).stdout
            body = kernel_block(asm)
            fmas = [i for i in body if re.match(r"vfm(acc|add)\.vf", i)]
            # LMUL from the accumulators' register numbers (v8, v10: M2).
            regs = sorted({int(re.match(r"\S+\s+v(\d+)", i).group(1))
                           for i in fmas})
            lmul = "M%d" % min((b - a for a, b in zip(regs, regs[1:])),
                               default=1)
            kernel = mca_cycles(cpu, body, lmul)
            bound = mca_cycles(cpu, fmas, lmul)
            print(f"{cpu:>14} {vlen:>5} {len(fmas):>7} {lmul:>5} "
                  f"{kernel:>12.2f} {bound:>10.2f} {bound / kernel:>13.2f}")

        print("\n2. qemu dynamic instructions, VLEN 256")
        runner = os.path.join(args.build, "lib", "riscv64", "libyz_runner.a")
        cc = ["clang-22", "--target=riscv64-linux-gnu", "-march=rv64gcv",
              "-O3", "-fuse-ld=lld", f"-DN={n}"]
        cases = [("mm", f"{n}^3 f32 matmul", src, n * n, n * n, n * n),
                 ("conv", "ResNet-18 conv 3x3 64->64 56x56",
                  conv_model(work), 64 * 56 * 56, 64 * 64 * 9, 64 * 56 * 56),
                 ("dw", "MobileNetV2 depthwise 3x3 144 56x56",
                  conv_model(work, "dw", 144, 144, 144), 144 * 56 * 56,
                  144 * 9, 144 * 56 * 56),
                 ("dw14", "MobileNetV2 depthwise 3x3 384 14x14",
                  conv_model(work, "dw14", 384, 384, 384, 14), 384 * 14 * 14,
                  384 * 9, 384 * 14 * 14)]
        dims = {"dw": ["-DDW_C=144", "-DDW_H=56"],
                "dw14": ["-DDW_C=384", "-DDW_H=14"]}
        for kind, title, mlir, a, b, c in cases:
            if args.only and kind not in args.only:
                continue
            obj = os.path.join(work, kind + ".o")
            subprocess.run([yzc, mlir, "--npu=none", "--vlen=256", "-o", obj],
                           check=True)
            counts = {}
            for who, extra in [("yzc", [obj, runner]), ("plain", [])]:
                kernel = f"{who}_{kind}"
                c_src = os.path.join(work, kernel + ".c")
                with open(c_src, "w") as f:
                    f.write(HARNESS.replace("KERNEL", kernel) +
                            (YZC_GLUE.replace("KIND", kind) if who == "yzc"
                             else PLAIN_C[kind].replace("PADDED", PADDED)))
                exe = os.path.join(work, kernel)
                subprocess.run(cc + dims.get(kind, []) + [
                                     f"-DA_SIZE={a}", f"-DB_SIZE={b}",
                                     f"-DC_SIZE={c}", c_src] + extra +
                               ["-o", exe, "-lm"], check=True)
                counts[who] = (count_instructions(plugin, exe, 256, True) -
                               count_instructions(plugin, exe, 256, False))
            print(f"{title:>34}: yzc {counts['yzc']:>13,}  plain C, clang -O3 "
                  f"{counts['plain']:>13,}  yzc / plain C "
                  f"{counts['yzc'] / counts['plain']:.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
