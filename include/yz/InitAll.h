//===- InitAll.h - register everything the yz tools use ---------*- C++ -*-===//
//
// Part of Yizhuang. One place that registers dialects, passes and
// translations, so that every tool stays thin.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_INITALL_H
#define YZ_INITALL_H

namespace mlir {
class DialectRegistry;
namespace yz {

/// yz's dialects plus the upstream dialects, interfaces and LLVM IR
/// translations the pipelines use.
void registerAllDialects(DialectRegistry &registry);

/// yz's passes and pipelines plus all upstream passes.
void registerAllPasses();

} // namespace yz
} // namespace mlir

#endif // YZ_INITALL_H
