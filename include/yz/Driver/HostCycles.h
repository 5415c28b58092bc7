//===- HostCycles.h - the host's share of a model's time --------*- C++ -*-===//
//
// Part of Yizhuang. yz-run --host-cycles: a riscv64 model runs under qemu
// with a plugin that counts how often each block of its code ran
// (runtime/qemu/tb_counts.c); each block is priced with llvm-mca on the
// target core's scheduling model (SpacemiT X60 by default), and the cycles
// are summed per outlined loop nest and per layer, beside the NPU's cycles
// from the simulator's report. See docs/tools.md.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DRIVER_HOSTCYCLES_H
#define YZ_DRIVER_HOSTCYCLES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::yz {

struct HostCycleOptions {
  std::string mcpu = "spacemit-x60"; // llvm-mca's -mcpu
  double hostMHz = 1600;             // the host core's clock (K1: 1.6 GHz)
  double npuMHz = 1000;              // the NPU's clock
  bool print = true;                 // the table on stdout
  std::string llvmMca = "llvm-mca-22"; // the program (yz-run: YZ_LLVM_MCA)
};

/// Prices the blocks counted in `countsPath` (the plugin's output) that
/// belong to the model in `objectPath`, prints the per-layer report to
/// stdout, and, if `jsonPath` names an NPU report (YZ_NPU_JSON), reads its
/// NPU cycles and adds a "host" section to it.
llvm::Error reportHostCycles(llvm::StringRef objectPath,
                             llvm::StringRef countsPath,
                             llvm::StringRef jsonPath,
                             const HostCycleOptions &options);

} // namespace mlir::yz

#endif // YZ_DRIVER_HOSTCYCLES_H
