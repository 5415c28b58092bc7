# Part of Yizhuang. lit configuration for the yz test suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Yizhuang"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Unit", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.yz_obj_root, "test")
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"
# The yizhuang package, as built in the build tree.
config.environment["PYTHONPATH"] = os.path.join(config.yz_obj_root, "python")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.yz_tools_dir, append_path=True)
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%yz_src", config.yz_src_root))
config.substitutions.append(("%yz_lib", os.path.join(config.yz_obj_root, "lib")))
config.substitutions.append(("%yz_build", config.yz_obj_root))
config.substitutions.append(("%clang", config.clang))
tools = ["yz-opt", "yz-translate", "yzc", "yz-run", "yz-generate"]
llvm_config.add_tool_substitutions(tools, [config.yz_tools_dir])

if config.qemu_riscv64:
    config.available_features.add("qemu-riscv64")
