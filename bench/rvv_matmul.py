#!/usr/bin/python3
"""RISC-V: the matmul kernel in llvm-mca, and dynamic instruction counts.

    bench/rvv_matmul.py [--build DIR] [--n 256]

1. llvm-mca: compiles an N^3 f32 matmul for SpacemiT X60 (VLEN 256) and
   SiFive X280 (VLEN 512) with yzc --mcpu, takes the innermost loop (the
   block with the most vfmacc.vf; LLVM may unroll it) and prints llvm-mca's cycles per iteration
   next to the FMA-throughput bound: the same number of vfmacc.vf alone in
   the same scheduling model (vfmacc.vf and vfmadd.vf). Ratio = bound /
   kernel (1.0 = FMA-bound).
2. qemu: the dynamic instruction count of the N^3 matmul (qemu-riscv64
   -singlestep -d exec, a run without the call subtracted) for yzc's code
   and for the same computation as plain C (i-k-j loops, auto-vectorizable)
   compiled with clang-22 -O3 -march=rv64gcv, at VLEN 256.
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
void KERNEL(float *a, float *b, float *c, int n);
int main(int argc, char **argv) {
  int n = N;
  float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n),
        *c = malloc(sizeof(float) * n * n);
  for (int i = 0; i < n * n; ++i) { a[i] = i % 7; b[i] = i % 5; }
  if (argc > 1) /* without an argument: the baseline to subtract */
    KERNEL(a, b, c, n);
  return (int)c[0] & 1;
}
"""

PLAIN_C = r"""
void plain_mm(float *a, float *b, float *c, int n) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) c[i * n + j] = 0;
    for (int k = 0; k < n; ++k) {
      float x = a[i * n + k];
      for (int j = 0; j < n; ++j) c[i * n + j] += x * b[k * n + j];
    }
  }
}
"""

YZC_GLUE = r"""
void yz_mm_invoke(void **buffers);
void yzc_mm(float *a, float *b, float *c, int n) {
  void *buffers[3] = {a, b, c};
  yz_mm_invoke(buffers);
}
"""


def model(work, n):
    path = os.path.join(work, "mm.mlir")
    t = f"tensor<{n}x{n}xf32>"
    with open(path, "w") as f:
        f.write(f"func.func @mm(%a: {t}, %b: {t}) -> {t} {{\n"
                f"  %0 = yz.matmul %a, %b : {t}, {t}\n  return %0 : {t}\n}}\n")
    return path


def kernel_block(asm):
    """The instructions of the basic block with the most vfmacc.vf, without
    its closing branch (llvm-mca runs a block as a loop body itself)."""
    blocks, current = [], []
    for line in asm.splitlines():
        s = line.split("#")[0].strip()
        if not s:
            continue
        if s.endswith(":") or s.split()[0] in ("bne", "beq", "blt", "bge",
                                                "bltu", "bgeu", "j"):
            blocks.append(current)
            current = []
        elif not s.startswith("."):
            current.append(s)
    blocks.append(current)
    return max(blocks, key=lambda b: sum("vfmacc.vf" in i for i in b))



def mca_cycles(cpu, lines, lmul):
    """llvm-mca's cycles per iteration of `lines` (as a loop body)."""
    text = f"# LLVM-MCA-RISCV-LMUL {lmul}\n# LLVM-MCA-RISCV-SEW E32\n" + \
        "\n".join(lines) + "\n"
    out = subprocess.run(["llvm-mca-22", "-mtriple=riscv64", f"-mcpu={cpu}",
                          "-iterations=1000"], input=text, text=True,
                         capture_output=True, check=True).stdout
    cycles = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1))
    return cycles / 1000


def count_instructions(exe, vlen, with_call):
    cmd = ["qemu-riscv64", "-L", SYSROOT, "-cpu",
           f"rv64,v=true,vlen={vlen},vext_spec=v1.0", "-singlestep",
           "-d", "exec,nochain", "-D", "/dev/stdout", exe]
    if with_call:
        cmd.append("run")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    count = sum(1 for line in proc.stdout if line.startswith(b"Trace"))
    proc.wait()
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--n", type=int, default=256)
    args = parser.parse_args()
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

        print(f"\n2. qemu dynamic instructions, {n}^3 f32 matmul, VLEN 256")
        obj = os.path.join(work, "mm.o")
        subprocess.run([yzc, src, "--npu=none", "--vlen=256", "-o", obj],
                       check=True)
        runner = os.path.join(args.build, "lib", "riscv64", "libyz_runner.a")
        cc = ["clang-22", "--target=riscv64-linux-gnu", "-march=rv64gcv",
              "-O3", "-fuse-ld=lld", f"-DN={n}"]
        exes = {}
        for name, kernel, extra in [("yzc", "yzc_mm", [obj, runner]),
                                    ("plain C, clang -O3", "plain_mm", [])]:
            c = os.path.join(work, kernel + ".c")
            with open(c, "w") as f:
                f.write(HARNESS.replace("KERNEL", kernel) +
                        (YZC_GLUE if kernel == "yzc_mm" else PLAIN_C))
            exe = os.path.join(work, kernel)
            subprocess.run(cc + [c] + extra + ["-o", exe, "-lm"], check=True)
            exes[name] = exe
        counts = {}
        for name, exe in exes.items():
            counts[name] = (count_instructions(exe, 256, True) -
                            count_instructions(exe, 256, False))
            print(f"{name:>20}: {counts[name]:>12,} instructions", flush=True)
        ours, plain = counts["yzc"], counts["plain C, clang -O3"]
        print(f"{'yzc / plain C':>20}: {ours / plain:>12.2f}")


if __name__ == "__main__":
    sys.exit(main())
