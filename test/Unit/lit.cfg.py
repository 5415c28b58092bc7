# Part of Yizhuang. Runs the GoogleTest binaries under lit, one lit test per
# GoogleTest case, so `check-yz` gives one summary for everything.
import os

import lit.formats

config.name = "Yizhuang-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.yz_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
