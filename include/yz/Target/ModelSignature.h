//===- ModelSignature.h - a model's inputs and outputs ----------*- C++ -*-===//
//
// Part of Yizhuang. The entry function's tensors as the C runtime sees
// them; read once from the tensor-level module, then used to emit the model
// descriptor, the invoke wrapper and the C header.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_TARGET_MODELSIGNATURE_H
#define YZ_TARGET_MODELSIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include <string>
#include <vector>

namespace mlir::yz {

struct TensorSpec {
  std::string name;
  int32_t dtype = 0; // a yz_dtype from yz/runtime.h
  SmallVector<int64_t> shape;
};

struct ModelSignature {
  std::string name;  // C identifier: yz_model_<name>, <name>_run
  std::string entry; // the entry function's symbol
  std::vector<TensorSpec> inputs, outputs;
};

/// The yz_dtype of an element type, or 0 (YZ_DTYPE_INVALID).
int32_t getDType(Type elementType);

/// A C identifier made from `name` (invalid characters become '_').
std::string sanitizeIdentifier(StringRef name);

/// Finds the entry function (`entry`, or the only public function) and
/// reads its signature. Tensor names come from `yz.name` argument/result
/// attributes, else input<i>/output<i>. Emits a diagnostic on failure.
FailureOr<ModelSignature> getModelSignature(ModuleOp module, StringRef entry,
                                            StringRef modelName);

} // namespace mlir::yz

#endif // YZ_TARGET_MODELSIGNATURE_H
