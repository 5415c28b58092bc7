"""Shared by the host benchmarks: timing, and calling a yzc object in process."""
# Part of Yizhuang.
import ctypes
import os
import subprocess
import time


def best_time(fn, budget=1.0, least=3):
    """The best of at least `least` runs, running for about `budget` s."""
    best, start, runs = float("inf"), time.perf_counter(), 0
    while runs < least or time.perf_counter() - start < budget:
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
        runs += 1
    return best


def compile_and_load(build, src, obj, name, flags):
    """Compiles `src` with yzc `flags` into `obj`, links it with the C runtime
    into a shared library and returns (its yz_invoke_<name>, compile seconds)."""
    t = time.perf_counter()
    subprocess.run([os.path.join(build, "bin", "yzc"), src, "-o", obj] + flags,
                   check=True)
    compile_s = time.perf_counter() - t
    lib = obj[:-2] + ".so"
    subprocess.run(["clang-22", "-shared", "-fuse-ld=lld", "-o", lib, obj,
                    os.path.join(build, "lib", "libyz_runtime.a")], check=True)
    invoke = getattr(ctypes.CDLL(lib), f"yz_invoke_{name}")
    invoke.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    return invoke, compile_s
