# Part of Yizhuang. .npy files that the MLP example must refuse.
import sys

import numpy as np

d = sys.argv[1]
np.save(f"{d}/bad_shape.npy", np.zeros((3, 8), np.float32))
np.save(f"{d}/bad_dtype.npy", np.zeros((4, 8), np.float64))
np.save(f"{d}/ones.npy", np.ones((4, 4), np.float32))
good = open(f"{d}/input.npy", "rb").read()
open(f"{d}/truncated.npy", "wb").write(good[:len(good) - 64])
