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
  std::string name;  // modelCName(): yz_model_<name>, yz_invoke_<name>, ...
  std::string entry; // the entry function's symbol
  std::vector<TensorSpec> inputs, outputs;
};

/// The yz_dtype of an element type, or 0 (YZ_DTYPE_INVALID).
int32_t getDType(Type elementType);

/// A C identifier made from `name` (invalid characters become '_').
std::string sanitizeIdentifier(StringRef name);

/// The C name of a model called `name`: letters, digits and '_' (others
/// become '_'), "model" if empty. It is only ever used behind a prefix
/// (yz_model_<name>, yz_invoke_<name>, yz_run_<name>), so a leading digit
/// is fine and no name can collide with another model's symbol or with the
/// runtime's, whose names never start with those prefixes.
std::string modelCName(StringRef name);

/// Finds the entry function (`entry`, or the only public function) and
/// reads its signature. Tensor names come from `yz.name` argument/result
/// attributes, else input<i>/output<i>. Emits a diagnostic on failure.
FailureOr<ModelSignature> getModelSignature(ModuleOp module, StringRef entry,
                                            StringRef modelName);

} // namespace mlir::yz

#endif // YZ_TARGET_MODELSIGNATURE_H
