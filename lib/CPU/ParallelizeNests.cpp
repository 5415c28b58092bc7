//===- ParallelizeNests.cpp - outlined loop nests on the runtime's threads ===//
//
// Part of Yizhuang. With --threads=N, each outlined nest (yz-outline-loop-
// nests) whose outermost loop is an scf.parallel becomes tasks over that
// loop's outer dimensions: a function `<nest>_body(buffers..., i)` running
// task i (the inner dimensions stay a loop, which LLVM vectorizes), an LLVM
// function `<nest>_task(ctx, i)` calling it, and in the nest, a call of the
// runtime's yz_parallel_for(N, tasks, task, ctx) (runtime/lib/threads.c).
// The nest's buffers reach the task as their addresses in `ctx`; the task
// rebuilds each buffer's descriptor from its static shape. Nests that use
// the NPU (one device) or call functions, with scalar arguments, or too
// small to pay for waking the threads stay sequential.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::yz {
#define GEN_PASS_DEF_YZPARALLELIZENESTS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

constexpr llvm::StringLiteral kParallelFor = "yz_parallel_for";

/// Each dimension's static trip count; nullopt where a bound or the step is
/// not a constant.
SmallVector<std::optional<int64_t>> tripCounts(ValueRange lbs, ValueRange ubs,
                                               ValueRange steps) {
  SmallVector<std::optional<int64_t>> counts;
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    auto l = getConstantIntValue(lb), u = getConstantIntValue(ub),
         s = getConstantIntValue(step);
    counts.push_back(l && u && s && *s > 0
                         ? std::optional<int64_t>(
                               std::max<int64_t>(0, (*u - *l + *s - 1) / *s))
                         : std::nullopt);
  }
  return counts;
}

/// The static trip count of a loop (all dimensions; unknown or empty ones
/// count as 1), 1 if not a loop.
int64_t tripCount(Operation *op) {
  SmallVector<std::optional<int64_t>> counts;
  if (auto p = dyn_cast<scf::ParallelOp>(op))
    counts = tripCounts(p.getLowerBound(), p.getUpperBound(), p.getStep());
  else if (auto f = dyn_cast<scf::ForOp>(op))
    counts = tripCounts(f.getLowerBound(), f.getUpperBound(), f.getStep());
  int64_t n = 1;
  for (std::optional<int64_t> c : counts)
    n *= std::max<int64_t>(1, c.value_or(1));
  return n;
}

/// The nest's work in loop iterations: for each innermost loop, its trip
/// count times its enclosing loops' (dynamic bounds count as 1), each
/// iteration weighted by its body's operations / 4 (at least 1): a
/// vectorized stencil's row does dozens of FMAs (MobileNetV3-Small's 7 x 7
/// depthwise layers, 576 channels x 7 rows of 25 taps, stayed on one
/// thread at 4032 plain iterations).
int64_t iterations(Operation *nest) {
  int64_t total = 0;
  nest->walk([&](LoopLikeOpInterface loop) {
    bool innermost = !loop->walk([&](LoopLikeOpInterface inner) {
                            return inner == loop ? WalkResult::advance()
                                                 : WalkResult::interrupt();
                          })
                          .wasInterrupted();
    if (!innermost)
      return;
    int64_t count = 1;
    for (Operation *o = loop; o != nest->getParentOp(); o = o->getParentOp())
      count *= tripCount(o);
    int64_t ops = 0;
    for (Region &body : loop->getRegions())
      for (Block &block : body)
        ops += block.getOperations().size();
    total += count * std::max<int64_t>(1, ops / 4);
  });
  return total;
}

/// Whether `nest` drives the NPU (one device for all threads) or calls a
/// function (which might).
bool usesDevice(Operation *nest) {
  return nest
      ->walk([](Operation *op) {
        bool npu = op->getDialect() &&
                   op->getDialect()->getNamespace() == "npu";
        return npu || isa<func::CallOp, LLVM::CallOp>(op)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// The LLVM struct a memref of static shape and identity layout lowers to.
Value descriptor(OpBuilder &b, Location loc, MemRefType type, Value ptr) {
  MLIRContext *ctx = b.getContext();
  auto i64 = IntegerType::get(ctx, 64);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  int64_t rank = type.getRank();
  SmallVector<Type> fields{ptrType, ptrType, i64};
  if (rank) {
    auto array = LLVM::LLVMArrayType::get(i64, rank);
    fields.append({array, array});
  }
  auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  Value d = LLVM::PoisonOp::create(b, loc, structType);
  d = LLVM::InsertValueOp::create(b, loc, d, ptr, ArrayRef<int64_t>{0});
  d = LLVM::InsertValueOp::create(b, loc, d, ptr, ArrayRef<int64_t>{1});
  auto constant = [&](int64_t v) {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };
  d = LLVM::InsertValueOp::create(b, loc, d, constant(0), ArrayRef<int64_t>{2});
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    d = LLVM::InsertValueOp::create(b, loc, d, constant(type.getDimSize(i)),
                                    ArrayRef<int64_t>{3, i});
    d = LLVM::InsertValueOp::create(b, loc, d, constant(stride),
                                    ArrayRef<int64_t>{4, i});
    stride *= type.getDimSize(i);
  }
  return UnrealizedConversionCastOp::create(b, loc, type, d).getResult(0);
}

struct ParallelizeNests : yz::impl::YzParallelizeNestsBase<ParallelizeNests> {
  using Base::Base;

  void runOnOperation() override {
    if (threads <= 1)
      return;
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (func->hasAttr(kNestAttr) && succeeded(parallelize(func, symbols)))
        ++numParallel;
  }

  LogicalResult parallelize(func::FuncOp func, SymbolTable &symbols) {
    Block &body = func.front();
    scf::ParallelOp loop;
    for (Operation &op : body) {
      if (auto p = dyn_cast<scf::ParallelOp>(op)) {
        if (loop)
          return failure(); // one nest per function
        loop = p;
      } else if (op.getNumRegions() || !isPure(&op)) {
        if (!isa<func::ReturnOp>(op))
          return failure();
      }
    }
    if (!loop || loop.getNumResults() || loop.getNumReductions() ||
        !llvm::all_of(func.getArgumentTypes(), [](Type t) {
          auto m = dyn_cast<MemRefType>(t);
          return m && m.hasStaticShape() && m.getLayout().isIdentity();
        }))
      return failure();
    // Tasks: the outer dimensions, the fewest that give every thread 4.
    SmallVector<int64_t> trips;
    for (std::optional<int64_t> count : tripCounts(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
      if (!count)
        return failure();
      trips.push_back(*count);
    }
    int64_t tasks = 1;
    unsigned outer = 0;
    while (outer < trips.size() && tasks < 4 * int64_t(threads))
      tasks *= trips[outer++];
    if (tasks < 2 || usesDevice(loop) || iterations(loop) < minIterations)
      return failure();
    // A long first dimension (one yz-collapse-inner-loops merged) is cut in
    // chunks, 4 per thread, rather than a task per iteration.
    int64_t chunk = 0;
    if (outer == 1 && trips[0] > 64 * int64_t(threads)) {
      chunk = (trips[0] + 4 * threads - 1) / (4 * threads);
      tasks = (trips[0] + chunk - 1) / chunk;
      outer = 0;
    }

    MLIRContext *ctx = &getContext();
    Location loc = loop.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto i32 = IntegerType::get(ctx, 32);
    ModuleOp module = getOperation();

    // The task's work, `<nest>_body(buffers..., i)`: iteration i of the
    // outer dimensions, the others as a loop. A function of its own so that
    // its buffers keep the nest's noalias attributes: loaded from ctx they
    // would not, and LLVM would guard each vector loop with overlap checks
    // (and fall back to its scalar copy where they fail).
    OpBuilder mb(module.getBody(), module.getBody()->end());
    mb.setInsertionPoint(func);
    SmallVector<Type> bodyArgs(func.getArgumentTypes());
    bodyArgs.push_back(mb.getIndexType());
    auto bodyFn = func::FuncOp::create(mb, loc, (func.getName() + "_body").str(),
                                       mb.getFunctionType(bodyArgs, {}));
    bodyFn.setPrivate();
    // Internal like the nest (yz-outline-loop-nests): not an object symbol.
    if (Attribute linkage = func->getAttr("llvm.linkage"))
      bodyFn->setAttr("llvm.linkage", linkage);
    unsigned nargs = func.getNumArguments();
    for (unsigned i = 0; i < nargs; ++i)
      if (DictionaryAttr attrs = func.getArgAttrDict(i))
        bodyFn.setArgAttrs(i, attrs);
    symbols.insert(bodyFn);
    Block *bodyEntry = bodyFn.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(bodyEntry);
    IRMapping map;
    map.map(func.getArguments(), bodyEntry->getArguments().drop_back());
    for (Operation &op : body)
      if (&op != loop.getOperation() && !isa<func::ReturnOp>(op))
        b.clone(op, map);
    // Task i: the outer induction variables from i (row-major), the inner
    // dimensions as a loop.
    SmallVector<Value> oldIvs = loop.getInductionVars();
    Value rest = bodyEntry->getArguments().back();
    for (int d = int(outer) - 1; d >= 0; --d) {
      Value n = arith::ConstantIndexOp::create(b, loc, trips[d]);
      Value k = d ? arith::RemUIOp::create(b, loc, rest, n).getResult() : rest;
      if (d)
        rest = arith::DivUIOp::create(b, loc, rest, n);
      Value iv = arith::AddIOp::create(
          b, loc, map.lookupOrDefault(loop.getLowerBound()[d]),
          arith::MulIOp::create(b, loc, k,
                                map.lookupOrDefault(loop.getStep()[d])));
      map.map(oldIvs[d], iv);
    }
    if (outer == loop.getNumLoops()) {
      for (Operation &op : loop.getBody()->without_terminator())
        b.clone(op, map);
    } else {
      auto inner = [&](OperandRange r) {
        SmallVector<Value> v;
        for (Value x : r.drop_front(outer))
          v.push_back(map.lookupOrDefault(x));
        return v;
      };
      SmallVector<Value> lbs = inner(loop.getLowerBound()),
                         ubs = inner(loop.getUpperBound()),
                         steps = inner(loop.getStep());
      if (chunk) { // task i: iterations [i * chunk, (i + 1) * chunk) of dim 0
        Value span = arith::MulIOp::create(
            b, loc, arith::ConstantIndexOp::create(b, loc, chunk), steps[0]);
        lbs[0] = arith::AddIOp::create(
            b, loc, lbs[0], arith::MulIOp::create(b, loc, rest, span));
        ubs[0] = arith::MinSIOp::create(
            b, loc, arith::AddIOp::create(b, loc, lbs[0], span), ubs[0]);
      }
      scf::ParallelOp::create(
          b, loc, lbs, ubs, steps, ValueRange{},
          [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange) {
            for (auto [old, now] :
                 llvm::zip(ArrayRef<Value>(oldIvs).drop_front(outer), ivs))
              map.map(old, now);
            for (Operation &op : loop.getBody()->without_terminator())
              nb.clone(op, map);
          });
    }
    func::ReturnOp::create(b, loc);

    // The task `<nest>_task(ctx, i)`: the buffers' descriptors rebuilt from
    // their addresses in ctx, then the body.
    auto taskType = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(ctx), {ptrType, i64});
    auto task = LLVM::LLVMFuncOp::create(mb, loc, (func.getName() + "_task").str(),
                                         taskType, LLVM::Linkage::Internal);
    symbols.insert(task);
    Block *entry = task.addEntryBlock(mb);
    b.setInsertionPointToStart(entry);
    auto slots = LLVM::LLVMArrayType::get(ptrType, nargs);
    SmallVector<Value> operands;
    for (BlockArgument arg : func.getArguments()) {
      Value slot = LLVM::GEPOp::create(
          b, loc, ptrType, slots, entry->getArgument(0),
          ArrayRef<LLVM::GEPArg>{0, int32_t(arg.getArgNumber())});
      Value ptr = LLVM::LoadOp::create(b, loc, ptrType, slot);
      operands.push_back(
          descriptor(b, loc, cast<MemRefType>(arg.getType()), ptr));
    }
    operands.push_back(arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                                  entry->getArgument(1)));
    func::CallOp::create(b, loc, bodyFn, operands);
    LLVM::ReturnOp::create(b, loc, ValueRange{});

    // The nest: the buffers' addresses into ctx, then the runtime's loop.
    func::FuncOp parallelFor = symbols.lookup<func::FuncOp>(kParallelFor);
    if (!parallelFor) {
      OpBuilder db(module.getBody(), module.getBody()->begin());
      parallelFor = func::FuncOp::create(
          db, loc, kParallelFor,
          db.getFunctionType({i32, i64, ptrType, ptrType}, {}));
      parallelFor.setPrivate();
      symbols.insert(parallelFor);
    }
    b.setInsertionPoint(loop);
    Value one = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
    Value ctxPtr = LLVM::AllocaOp::create(b, loc, ptrType, slots, one);
    for (BlockArgument arg : func.getArguments()) {
      Value address =
          memref::ExtractAlignedPointerAsIndexOp::create(b, loc, arg);
      address = arith::IndexCastOp::create(b, loc, i64, address);
      Value ptr = LLVM::IntToPtrOp::create(b, loc, ptrType, address);
      Value slot = LLVM::GEPOp::create(
          b, loc, ptrType, slots, ctxPtr,
          ArrayRef<LLVM::GEPArg>{0, int32_t(arg.getArgNumber())});
      LLVM::StoreOp::create(b, loc, ptr, slot);
    }
    Value fn = LLVM::AddressOfOp::create(b, loc, ptrType, task.getName());
    func::CallOp::create(
        b, loc, parallelFor,
        ValueRange{arith::ConstantIntOp::create(b, loc, i32, threads),
                   arith::ConstantIntOp::create(b, loc, i64, tasks), fn,
                   ctxPtr});
    loop.erase();
    return success();
  }
};

} // namespace
