//===- FlattenGlobals.cpp - N-D constant globals as 1-D -------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZFLATTENGLOBALS
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;

namespace {

/// The same data as a 1-D attribute of `type`, or null.
Attribute flatten(Attribute value, RankedTensorType type) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.reshape(type);
  return {};
}

struct FlattenGlobalsPass
    : mlir::yz::impl::YzFlattenGlobalsBase<FlattenGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<MemRefType> flattened; // global -> its original type
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      if (type.getRank() <= 1 || !type.hasStaticShape() ||
          !type.getLayout().isIdentity() || !global.getInitialValue())
        continue;
      auto flatTensor =
          RankedTensorType::get({type.getNumElements()}, type.getElementType());
      Attribute init = flatten(*global.getInitialValue(), flatTensor);
      if (!init)
        continue;
      flattened[global.getSymName()] = type;
      global.setType(MemRefType::get({type.getNumElements()},
                                     type.getElementType(), AffineMap(),
                                     type.getMemorySpace()));
      global.setInitialValueAttr(init);
    }
    module.walk([&](memref::GetGlobalOp get) {
      auto it = flattened.find(get.getName());
      if (it == flattened.end())
        return;
      MemRefType original = it->second;
      OpBuilder b(get);
      auto flat = memref::GetGlobalOp::create(
          b, get.getLoc(),
          MemRefType::get({original.getNumElements()},
                          original.getElementType(), AffineMap(),
                          original.getMemorySpace()),
          get.getName());
      ReassociationIndices all;
      for (int64_t d = 0; d < original.getRank(); ++d)
        all.push_back(d);
      Value view = memref::ExpandShapeOp::create(b, get.getLoc(), original,
                                                 flat, {all});
      get.replaceAllUsesWith(view);
      get.erase();
    });
  }
};

} // namespace
