//===- FuzzContext.h - what every fuzz target sets up -----------*- C++ -*-===//
//
// Part of Yizhuang. The dialect registry (built once) and a context per
// input that swallows diagnostics: errors are expected, only crashes count.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_FUZZ_FUZZCONTEXT_H
#define YZ_FUZZ_FUZZCONTEXT_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "yz/InitAll.h"

struct FuzzContext {
  static const mlir::DialectRegistry &registry() {
    static mlir::DialectRegistry *r = [] {
      auto *r = new mlir::DialectRegistry();
      mlir::yz::registerAllDialects(*r);
      return r;
    }();
    return *r;
  }

  mlir::MLIRContext context{registry(), mlir::MLIRContext::Threading::DISABLED};
  mlir::ScopedDiagnosticHandler quiet{
      &context, [](mlir::Diagnostic &) { return mlir::success(); }};
};

#endif // YZ_FUZZ_FUZZCONTEXT_H
