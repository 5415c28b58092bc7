//===- ModelSignature.cpp - a model's inputs and outputs ------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Target/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "yz/runtime.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::yz;

int32_t mlir::yz::getDType(Type t) {
  if (t.isF32()) return YZ_DTYPE_F32;
  if (t.isF64()) return YZ_DTYPE_F64;
  if (t.isF16()) return YZ_DTYPE_F16;
  if (t.isBF16()) return YZ_DTYPE_BF16;
  if (t.isInteger(1)) return YZ_DTYPE_BOOL;
  if (t.isSignlessInteger(8) || t.isSignedInteger(8)) return YZ_DTYPE_I8;
  if (t.isUnsignedInteger(8)) return YZ_DTYPE_U8;
  if (t.isUnsignedInteger(16)) return YZ_DTYPE_U16;
  if (t.isUnsignedInteger(32)) return YZ_DTYPE_U32;
  if (t.isUnsignedInteger(64)) return YZ_DTYPE_U64;
  if (t.isSignlessInteger(16)) return YZ_DTYPE_I16;
  if (t.isSignlessInteger(32)) return YZ_DTYPE_I32;
  if (t.isSignlessInteger(64)) return YZ_DTYPE_I64;
  return YZ_DTYPE_INVALID;
}

std::string mlir::yz::sanitizeIdentifier(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]))
    out.insert(out.begin(), '_');
  return out;
}

std::string mlir::yz::modelCName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) ? c : '_');
  return out.empty() ? "model" : out;
}

static FailureOr<TensorSpec> readSpec(func::FuncOp func, Type type,
                                      DictionaryAttr attrs, StringRef role,
                                      unsigned index) {
  TensorSpec spec;
  auto nameAttr = attrs ? attrs.getAs<StringAttr>("yz.name") : StringAttr();
  spec.name = nameAttr ? sanitizeIdentifier(nameAttr.getValue())
                       : (role + Twine(index)).str();
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return emitError(func.getLoc()) << role << " " << index << " of '"
                            << func.getSymName()
                            << "' must be a ranked tensor, got " << type;
  if (!shaped.hasStaticShape())
    return emitError(func.getLoc()) << role << " " << index << " of '"
                            << func.getSymName() << "' has dynamic shape "
                            << type << ": compile for static shapes";
  // An empty tensor whose zero dimension is not the outermost has no
  // strided layout MLIR's bare-pointer calling convention can take.
  for (int64_t d = 1; d < shaped.getRank(); ++d)
    if (shaped.getDimSize(d) == 0)
      return emitError(func.getLoc())
             << role << " " << index << " of '" << func.getSymName()
             << "' is empty with an inner dimension of size 0 (" << type
             << "): only the outermost dimension of a model's input or "
                "output may be 0";
  if (shaped.getRank() > YZ_MAX_RANK)
    return emitError(func.getLoc()) << role << " " << index << " has rank "
                            << shaped.getRank() << ", above the runtime's "
                            << YZ_MAX_RANK;
  spec.dtype = getDType(shaped.getElementType());
  if (!spec.dtype)
    return emitError(func.getLoc()) << role << " " << index << " of '"
                            << func.getSymName() << "' has element type "
                            << shaped.getElementType()
                            << ", which the runtime does not support";
  spec.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  return spec;
}

FailureOr<ModelSignature> mlir::yz::getModelSignature(ModuleOp module,
                                                      StringRef entry,
                                                      StringRef modelName) {
  func::FuncOp func;
  if (!entry.empty()) {
    func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func)
      return emitError(module.getLoc()) << "no function '" << entry
                                << "' to compile as the model entry";
  } else {
    SmallVector<func::FuncOp> candidates;
    for (auto f : module.getOps<func::FuncOp>())
      if (f.isPublic() && !f.isExternal())
        candidates.push_back(f);
    if (candidates.empty())
      return emitError(module.getLoc())
             << "no public function to compile as the model entry";
    if (candidates.size() > 1) {
      auto diag = emitError(module.getLoc())
                  << "several public functions could be the model entry (";
      llvm::interleaveComma(candidates, diag,
                            [&](func::FuncOp f) { diag << f.getSymName(); });
      return diag << "): choose one with --entry";
    }
    func = candidates.front();
  }

  ModelSignature sig;
  sig.entry = func.getSymName().str();
  sig.name = modelCName(modelName.empty() ? func.getSymName() : modelName);
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto spec = readSpec(func, type.getInput(i), func.getArgAttrDict(i),
                         "input", i);
    if (failed(spec))
      return failure();
    sig.inputs.push_back(*spec);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto spec = readSpec(func, type.getResult(i), func.getResultAttrDict(i),
                         "output", i);
    if (failed(spec))
      return failure();
    sig.outputs.push_back(*spec);
  }
  if (sig.outputs.empty())
    return emitError(func.getLoc()) << "model entry '" << sig.entry
                            << "' returns nothing";
  llvm::StringSet<> names;
  for (auto *list : {&sig.inputs, &sig.outputs})
    for (TensorSpec &spec : *list)
      if (!names.insert(spec.name).second)
        return emitError(func.getLoc()) << "two tensors are named '" << spec.name
                                << "': tensor names must be unique";
  return sig;
}
