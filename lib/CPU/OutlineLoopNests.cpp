//===- OutlineLoopNests.cpp - one function per loop nest ------------------===//
//
// Part of Yizhuang. A model lowers to one function holding a loop nest per
// layer (hundreds for a ResNet). Several of LLVM's loop passes walk the
// dominator tree up to the function's entry for every loop, so their cost
// grows with the square of the function's size; one function per nest
// keeps it linear.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"
#include "yz/Dialect/Yz/IR/LayerName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZOUTLINELOOPNESTS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Side-effect-free ops with no regions (constants, views, globals' addresses)
/// are cloned into the new function rather than passed to it, so that only
/// whole buffers with identity layouts cross the call.
bool isCloneable(Operation *op) {
  return op && op->getNumRegions() == 0 && isPure(op);
}

bool isPassable(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type)
    return v.getType().isIntOrIndexOrFloat();
  return type.hasStaticShape() && type.getLayout().isIdentity();
}

/// The values `nest` uses from outside: `args` (passed) and `clones`
/// (recomputed inside, in dominance order). Fails if something that must be
/// passed cannot be.
LogicalResult captures(Operation *nest, llvm::SetVector<Value> &args,
                       llvm::SetVector<Operation *> &clones) {
  llvm::SetVector<Value> above;
  getUsedValuesDefinedAbove(nest->getRegions(), above);
  for (Value v : nest->getOperands())
    above.insert(v);
  SmallVector<Value> work(above.begin(), above.end());
  llvm::SetVector<Operation *> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *def = v.getDefiningOp();
    if (isCloneable(def)) {
      if (seen.insert(def))
        llvm::append_range(work, def->getOperands());
      continue;
    }
    if (!isPassable(v))
      return failure();
    args.insert(v);
  }
  // Clone in the order the ops appear in the block (dominance).
  SmallVector<Operation *> ordered(seen.begin(), seen.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  clones.insert(ordered.begin(), ordered.end());
  return success();
}

/// Whether `nest` returns a buffer (a loop that carries one from step to
/// step) or frees one it did not allocate: the bare-pointer convention
/// passes only a buffer's aligned address, and freeing needs the allocated
/// one. A buffer allocated and freed inside (a block of a matmul's RHS,
/// packed where it is read) stays inside.
bool ownsBuffers(Operation *nest) {
  if (llvm::any_of(nest->getResultTypes(), llvm::IsaPred<MemRefType>))
    return true;
  return nest
      ->walk([&](memref::DeallocOp dealloc) {
        Operation *alloc = dealloc.getMemref().getDefiningOp();
        return isa_and_present<memref::AllocOp>(alloc) &&
                       nest->isAncestor(alloc)
                   ? WalkResult::advance()
                   : WalkResult::interrupt();
      })
      .wasInterrupted();
}

struct OutlineLoopNests : yz::impl::YzOutlineLoopNestsBase<OutlineLoopNests> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !func.getBody().hasOneBlock())
        continue;
      unsigned index = 0;
      for (Operation &op : llvm::make_early_inc_range(func.front())) {
        if (op.getNumRegions() == 0 ||
            llvm::any_of(op.getResults(),
                         [](Value r) { return !isPassable(r); }) ||
            ownsBuffers(&op))
          continue;
        llvm::SetVector<Value> args;
        llvm::SetVector<Operation *> clones;
        // Everything the nest uses must be passable or recomputable from
        // ops earlier in this block.
        if (failed(captures(&op, args, clones)) ||
            llvm::any_of(clones, [&](Operation *c) {
              return c->getBlock() != op.getBlock();
            }))
          continue;
        outline(func, op, args, clones, symbols, index++);
      }
    }
  }

  void outline(func::FuncOp parent, Operation &nest,
               const llvm::SetVector<Value> &args,
               const llvm::SetVector<Operation *> &clones,
               SymbolTable &symbols, unsigned index) {
    OpBuilder b(parent);
    SmallVector<Type> argTypes;
    for (Value v : args)
      argTypes.push_back(v.getType());
    auto type = b.getFunctionType(argTypes, nest.getResultTypes());
    auto func = func::FuncOp::create(
        b, nest.getLoc(), (parent.getName() + "_nest" + Twine(index)).str(),
        type);
    func.setPrivate();
    // Else LLVM inlines it right back (it is the only call). func-to-llvm
    // carries `passthrough` over to the LLVM function; it drops `no_inline`.
    // "yz-layer" names the nest's layer for yz-run --host-cycles (the
    // object's yz_layers_* table, lib/Target/ModelABI.cpp).
    SmallVector<Attribute> passthrough = {b.getStringAttr("noinline")};
    if (std::string layer = layerName(nest.getLoc()); !layer.empty())
      passthrough.push_back(b.getStrArrayAttr({kLayerFnAttr, layer}));
    func->setAttr("passthrough", b.getArrayAttr(passthrough));
    func->setAttr(kNestAttr, b.getUnitAttr()); // for yz-parallelize-nests
    // Not exported from the object (private alone does not say so in LLVM).
    func->setAttr("llvm.linkage", LLVM::LinkageAttr::get(
                                      b.getContext(), LLVM::Linkage::Internal));
    symbols.insert(func);
    Block *body = func.addEntryBlock();
    IRMapping map;
    for (auto [v, arg] : llvm::zip(args, body->getArguments())) {
      map.map(v, arg);
      // A buffer allocated by the model is no other argument.
      if (isa_and_present<memref::AllocOp>(v.getDefiningOp()))
        func.setArgAttr(arg.getArgNumber(),
                        LLVM::LLVMDialect::getNoAliasAttrName(),
                        b.getUnitAttr());
    }
    b.setInsertionPointToStart(body);
    for (Operation *op : clones)
      b.clone(*op, map);
    Operation *moved = b.clone(nest, map);
    func::ReturnOp::create(b, nest.getLoc(), moved->getResults());

    b.setInsertionPoint(&nest);
    auto call =
        func::CallOp::create(b, nest.getLoc(), func, args.getArrayRef());
    nest.replaceAllUsesWith(call.getResults());
    nest.erase();
    ++numOutlined;
  }
};

} // namespace
