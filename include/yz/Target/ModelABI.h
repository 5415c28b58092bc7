//===- ModelABI.h - the C ABI of a compiled model ---------------*- C++ -*-===//
//
// Part of Yizhuang. Turns the lowered entry function into the runtime's ABI
// (yz/runtime.h): an `yz_<name>_invoke(void **buffers)` wrapper and the
// `yz_model_<name>` descriptor; and writes the matching C header.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_TARGET_MODELABI_H
#define YZ_TARGET_MODELABI_H

#include "yz/Target/ModelSignature.h"
#include "llvm/Support/Error.h"

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::yz {

/// Adds the invoke wrapper and the descriptor to `module`, whose entry
/// function takes one pointer per input, then per output (the bare-pointer
/// convention of the yz-to-llvm pipeline), and makes the entry internal.
llvm::Error addModelABI(llvm::Module &module, const ModelSignature &sig);

/// The C header declaring the model's descriptor and entry points.
std::string emitCHeader(const ModelSignature &sig);

} // namespace mlir::yz

#endif // YZ_TARGET_MODELABI_H
