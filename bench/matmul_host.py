#!/usr/bin/python3
"""Host f32 matmul, single thread: yzc's code against OpenBLAS, side by side.

    bench/matmul_host.py [--build DIR] [--sizes 256,512,1024,2048] [-O 3]

For each N, compiles C = A x B (N x N x N, both operands runtime inputs, so
yzc's code packs both) with `yzc --target=host --npu=none`, links it into a
shared library with the C runtime, calls its entry through ctypes, checks the result against
numpy and times it (best of several runs). In the same process, times
OpenBLAS's cblas_sgemm (Debian libopenblas-dev, pinned to one thread) on
the same arrays. OpenBLAS picks its kernel from the CPU (OPENBLAS_CORETYPE
overrides it, e.g. SkylakeX for its AVX-512 kernel); the kernel is printed. Prints GFLOP/s of both and yzc/OpenBLAS.
"""
# Part of Yizhuang.
import argparse
import ctypes
import os
import sys
import tempfile

import numpy as np

from hostlib import best_time, compile_and_load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"


def compile_matmul(build, work, n, opt, mattr):
    src = os.path.join(work, f"mm{n}.mlir")
    with open(src, "w") as f:
        f.write(f"""func.func @mm(%a: tensor<{n}x{n}xf32>, %b: tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32> {{
  %0 = yz.matmul %a, %b : tensor<{n}x{n}xf32>, tensor<{n}x{n}xf32>
  return %0 : tensor<{n}x{n}xf32>
}}
""")
    return compile_and_load(build, src, os.path.join(work, f"mm{n}.o"), "mm",
                            ["--target=host", "--npu=none", f"-O{opt}"] +
                            ([f"--mattr={mattr}"] if mattr else []))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--sizes", default="256,512,1024,2048")
    parser.add_argument("-O", dest="opt", default="3")
    parser.add_argument("--mattr", default="",
                        help="extra target features for yzc, e.g. -avx512f "
                             "to compare AVX2 code with an AVX2 OpenBLAS")
    args = parser.parse_args()

    blas = ctypes.CDLL(OPENBLAS)
    blas.openblas_set_num_threads(1)
    sgemm = blas.cblas_sgemm
    sgemm.argtypes = [ctypes.c_int] * 6 + [ctypes.c_float, ctypes.c_void_p,
                                           ctypes.c_int, ctypes.c_void_p,
                                           ctypes.c_int, ctypes.c_float,
                                           ctypes.c_void_p, ctypes.c_int]
    blas.openblas_get_corename.restype = ctypes.c_char_p
    core = blas.openblas_get_corename().decode()
    print(f"f32 matmul C = A x B, one thread; OpenBLAS {OPENBLAS} "
          f"(kernel: {core}); yzc -O{args.opt} --target=host {args.mattr}")
    print(f"{'N':>6} {'yzc GFLOP/s':>12} {'OpenBLAS':>10} {'ratio':>7} "
          f"{'compile s':>10}")
    with tempfile.TemporaryDirectory() as work:
        for n in map(int, args.sizes.split(",")):
            rng = np.random.default_rng(n)
            a = rng.standard_normal((n, n), dtype=np.float32)
            b = rng.standard_normal((n, n), dtype=np.float32)
            c = np.empty((n, n), np.float32)
            ref = np.empty((n, n), np.float32)
            invoke, compile_s = compile_matmul(args.build, work, n, args.opt,
                                               args.mattr)
            ptrs = (ctypes.c_void_p * 3)(a.ctypes.data, b.ctypes.data,
                                         c.ctypes.data)

            def ours():
                invoke(ptrs)

            def openblas():
                # Row-major (101), no transposes (111).
                sgemm(101, 111, 111, n, n, n, 1.0, a.ctypes.data, n,
                      b.ctypes.data, n, 0.0, ref.ctypes.data, n)

            ours()
            openblas()
            if not np.allclose(c, ref, rtol=1e-3, atol=1e-3 * np.sqrt(n)):
                sys.exit(f"N={n}: yzc's result differs from OpenBLAS's "
                         f"(max |diff| {np.abs(c - ref).max()})")
            flops = 2.0 * n ** 3
            t_ours, t_blas = best_time(ours), best_time(openblas)
            g_ours, g_blas = flops / t_ours / 1e9, flops / t_blas / 1e9
            print(f"{n:>6} {g_ours:>12.1f} {g_blas:>10.1f} "
                  f"{g_ours / g_blas:>7.2f} {compile_s:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
