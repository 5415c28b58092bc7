//===- Version.h - what --version prints ------------------------*- C++ -*-===//
//
// Part of Yizhuang. Every tool's --version: the tool, the project version,
// the git revision it was built from (cmake/Version.cmake) and LLVM's.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_VERSION_H
#define YZ_VERSION_H

#include "yz/Version.inc"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::yz {

inline void setVersionPrinter(const char *tool) {
  std::string name = tool;
  llvm::cl::SetVersionPrinter([name](llvm::raw_ostream &os) {
    os << name << " (Yizhuang) " << YZ_VERSION << ", git " << YZ_GIT_REVISION
       << "\n  built on LLVM/MLIR " << LLVM_VERSION_STRING << "\n";
  });
}

} // namespace mlir::yz

#endif // YZ_VERSION_H
