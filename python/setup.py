"""Installs the yizhuang package from a CMake build tree, offline:

    cmake --build build            # builds yizhuang._core
    pip install --no-build-isolation --no-deps ./python

YZ_BUILD_DIR names the build tree (default: ../build). The runtimes models
are linked with (host and riscv64 runners, NPU simulators) are copied into
the package, so the install does not depend on the build tree afterwards;
clang-22, lld and qemu-user are still needed to run models.
"""
# Part of Yizhuang.
import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(os.environ.get("YZ_BUILD_DIR", os.path.join(HERE, "..", "build")))
RUNTIMES = ["lib/host/libyz_runner.a", "lib/host/libyz_npu_sim.a",
            "lib/riscv64/libyz_runner.a", "lib/riscv64/libyz_npu_sim.so"]


class BuildFromTree(build_py):
    """Adds the extension and the runtimes from the CMake build."""

    def run(self):
        super().run()
        package = os.path.join(self.build_lib, "yizhuang")
        cores = glob.glob(os.path.join(BUILD, "python", "yizhuang", "_core*.so"))
        if not cores:
            raise SystemExit(f"yizhuang._core is not built in {BUILD}: run "
                             "`cmake --build` first (or set YZ_BUILD_DIR)")
        for path in cores:
            shutil.copy2(path, package)
        for rel in RUNTIMES:
            src = os.path.join(BUILD, rel)
            if not os.path.exists(src):
                raise SystemExit(f"missing runtime {src}: build the project first")
            dst = os.path.join(package, "runtime", rel[len("lib/"):])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)


setup(
    name="yizhuang",
    version="0.1.0",
    description="Ahead-of-time neural-network compiler for RISC-V + NPU",
    packages=["yizhuang"],
    python_requires=">=3.9",
    cmdclass={"build_py": BuildFromTree},
    zip_safe=False,
)
