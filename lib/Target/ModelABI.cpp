//===- ModelABI.cpp - the C ABI of a compiled model -----------------------===//
//
// Part of Yizhuang. The LLVM types below mirror yz_tensor_info and yz_model
// in yz/runtime.h field by field; the data layout gives them C's layout.
//
//===----------------------------------------------------------------------===//

#include "yz/Target/ModelABI.h"

#include "yz/Dialect/Yz/IR/LayerName.h"
#include "yz/runtime.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::yz;

static llvm::Constant *privateGlobal(llvm::Module &m, llvm::Constant *init,
                                     const llvm::Twine &name) {
  auto *g = new llvm::GlobalVariable(m, init->getType(), /*isConstant=*/true,
                                     llvm::GlobalValue::PrivateLinkage, init,
                                     name);
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return g;
}

llvm::Error mlir::yz::addModelABI(llvm::Module &m, const ModelSignature &sig) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Function *impl = m.getFunction(sig.entry);
  size_t numBuffers = sig.inputs.size() + sig.outputs.size();
  if (!impl || impl->arg_size() != numBuffers ||
      !impl->getReturnType()->isVoidTy() ||
      llvm::any_of(impl->args(), [](llvm::Argument &a) {
        return !a.getType()->isPointerTy();
      }))
    return llvm::createStringError(
        "entry '%s' was not lowered to void(ptr x %zu): not a model compiled "
        "by the yz-to-llvm pipeline",
        sig.entry.c_str(), numBuffers);
  // The entry's own name may be anything (even `main`): hide it.
  impl->setName("yz_impl_" + sig.name);
  impl->setLinkage(llvm::GlobalValue::InternalLinkage);

  // void yz_invoke_<name>(void **buffers)
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  auto *invokeType =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *invoke =
      llvm::Function::Create(invokeType, llvm::GlobalValue::ExternalLinkage,
                             "yz_invoke_" + sig.name, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", invoke));
  SmallVector<llvm::Value *> args;
  for (size_t i = 0; i < numBuffers; ++i)
    args.push_back(b.CreateLoad(
        ptr, b.CreateConstInBoundsGEP1_64(ptr, invoke->getArg(0), i)));
  b.CreateCall(impl, args);
  b.CreateRetVoid();

  // yz_tensor_info { const char *name; int32_t dtype, rank; int64_t *shape }
  auto *infoType = llvm::StructType::get(ctx, {ptr, i32, i32, ptr});
  auto infos = [&](const std::vector<TensorSpec> &specs, StringRef role) {
    SmallVector<llvm::Constant *> elems;
    for (const TensorSpec &spec : specs) {
      SmallVector<llvm::Constant *> dims;
      for (int64_t d : spec.shape)
        dims.push_back(llvm::ConstantInt::get(i64, d));
      llvm::Constant *shape = privateGlobal(
          m, llvm::ConstantArray::get(llvm::ArrayType::get(i64, dims.size()),
                                      dims),
          "yz." + sig.name + "." + spec.name + ".shape");
      llvm::Constant *name = privateGlobal(
          m, llvm::ConstantDataArray::getString(ctx, spec.name),
          "yz." + sig.name + "." + spec.name + ".name");
      elems.push_back(llvm::ConstantStruct::get(
          infoType, {name, llvm::ConstantInt::get(i32, spec.dtype),
                     llvm::ConstantInt::get(i32, spec.shape.size()), shape}));
    }
    return privateGlobal(
        m,
        llvm::ConstantArray::get(llvm::ArrayType::get(infoType, elems.size()),
                                 elems),
        "yz." + sig.name + "." + role);
  };

  // yz_model { int32_t abi; const char *name; int32_t nin, nout;
  //            const yz_tensor_info *inputs, *outputs; void (*invoke)(); }
  auto *modelType =
      llvm::StructType::get(ctx, {i32, ptr, i32, i32, ptr, ptr, ptr});
  llvm::Constant *model = llvm::ConstantStruct::get(
      modelType,
      {llvm::ConstantInt::get(i32, YZ_ABI_VERSION),
       privateGlobal(m, llvm::ConstantDataArray::getString(ctx, sig.name),
                     "yz." + sig.name + ".name"),
       llvm::ConstantInt::get(i32, sig.inputs.size()),
       llvm::ConstantInt::get(i32, sig.outputs.size()),
       infos(sig.inputs, "inputs"), infos(sig.outputs, "outputs"), invoke});
  new llvm::GlobalVariable(m, modelType, /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, model,
                           "yz_model_" + sig.name);

  // "<function>\t<layer>\n" for each outlined loop nest: yz-run
  // --host-cycles reads it from the object to name its rows. Exported, so
  // that the optimizer keeps it; the program never reads it.
  std::string layers;
  for (llvm::Function &f : m.functions())
    if (llvm::Attribute a = f.getFnAttribute(kLayerFnAttr); a.isValid())
      layers += (f.getName() + "\t" + a.getValueAsString() + "\n").str();
  if (!layers.empty())
    new llvm::GlobalVariable(
        m, llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx), layers.size() + 1),
        /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
        llvm::ConstantDataArray::getString(ctx, layers), "yz_layers_" + sig.name);
  return llvm::Error::success();
}

static std::string describe(const TensorSpec &spec) {
  std::string dims;
  for (int64_t d : spec.shape)
    dims += (dims.empty() ? "" : "x") + std::to_string(d);
  return llvm::formatv("{0}: {1}[{2}]", spec.name,
                       yz_dtype_name((yz_dtype)spec.dtype), dims)
      .str();
}

std::string mlir::yz::emitCHeader(const ModelSignature &sig) {
  std::string guard = "YZ_MODEL_" + llvm::StringRef(sig.name).upper() + "_H";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by yzc for model '" << sig.name
     << "'. Do not edit. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include \"yz/runtime.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/* Inputs, in order:\n";
  for (const TensorSpec &spec : sig.inputs)
    os << " *   " << describe(spec) << "\n";
  os << " * Outputs, in order:\n";
  for (const TensorSpec &spec : sig.outputs)
    os << " *   " << describe(spec) << "\n";
  os << " */\n"
     << "extern const yz_model yz_model_" << sig.name << ";\n\n"
     << "/* Checks every tensor's dtype and shape, then runs the model. */\n"
     << "static inline yz_status yz_run_" << sig.name
     << "(const yz_tensor *inputs, yz_tensor *outputs) {\n"
     << "  return yz_run(&yz_model_" << sig.name << ", inputs, "
     << sig.inputs.size() << ", outputs, " << sig.outputs.size() << ");\n"
     << "}\n\n"
     << "/* Unchecked: buffers[0.." << sig.inputs.size()
     << ") are the inputs' data, then the outputs'. */\n"
     << "void yz_invoke_" << sig.name << "(void **buffers);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return s;
}
