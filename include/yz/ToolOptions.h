//===- ToolOptions.h - command-line options shared by the tools -*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_TOOLOPTIONS_H
#define YZ_TOOLOPTIONS_H

#include "llvm/Support/CommandLine.h"

namespace mlir::yz {

/// libLLVM.so registers a "threads" option of its own (the thread count of
/// LLVM's parallel tools), so a tool's --threads is registered under another
/// name and renamed here, before parsing; LLVM's becomes --llvm-threads.
inline void claimThreadsOption(llvm::cl::Option &ours) {
  if (llvm::cl::Option *theirs =
          llvm::cl::getRegisteredOptions().lookup("threads"))
    theirs->setArgStr("llvm-threads");
  ours.setArgStr("threads");
}

} // namespace mlir::yz

#endif // YZ_TOOLOPTIONS_H
