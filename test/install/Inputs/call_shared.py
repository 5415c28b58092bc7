#!/usr/bin/python3
"""Calls a model compiled with yzc --emit=shared through ctypes: its
descriptor yz_model_<name> with the C API's yz_run, on an input .npy, and
compares the output with an expected .npy.

    call_shared.py LIB.so INPUT.npy EXPECTED.npy
"""
# Part of Yizhuang.
import ctypes
import os
import sys

import numpy as np


MAX_RANK = 8  # YZ_MAX_RANK


class Tensor(ctypes.Structure):  # yz_tensor (yz/runtime.h)
    _fields_ = [("dtype", ctypes.c_int32), ("rank", ctypes.c_int32),
                ("shape", ctypes.c_int64 * MAX_RANK), ("data", ctypes.c_void_p)]


def tensor(a):
    t = Tensor(1, a.ndim)  # 1: YZ_DTYPE_F32
    for i, d in enumerate(a.shape):
        t.shape[i] = d
    t.data = a.ctypes.data
    return t


def main():
    lib = ctypes.CDLL(os.path.abspath(sys.argv[1]))
    x = np.ascontiguousarray(np.load(sys.argv[2]), np.float32)
    want = np.load(sys.argv[3])
    y = np.zeros(want.shape, np.float32)
    tx, ty = tensor(x), tensor(y)
    name = os.path.basename(sys.argv[1])[3:-3]  # lib<name>.so
    model = ctypes.c_void_p.in_dll(lib, f"yz_model_{name}")
    lib.yz_run.argtypes = [ctypes.c_void_p, ctypes.POINTER(Tensor), ctypes.c_int32,
                           ctypes.POINTER(Tensor), ctypes.c_int32]
    lib.yz_status_name.restype = ctypes.c_char_p
    status = lib.yz_run(ctypes.addressof(model), ctypes.byref(tx), 1, ctypes.byref(ty), 1)
    print(f"yz_run: {lib.yz_status_name(status).decode()}; "
          f"max abs error {np.abs(y - want).max():.3g}")


if __name__ == "__main__":
    main()
