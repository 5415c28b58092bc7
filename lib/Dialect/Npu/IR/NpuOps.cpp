//===- NpuOps.cpp - npu op verification -----------------------------------===//
//
// Part of Yizhuang. Every operand that is a constant is checked against the
// module's #npu.target; dynamic ones are checked by the NPU at run time.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/npu/Isa.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::npu;

#include "yz/Dialect/Npu/IR/NpuOpsDialect.cpp.inc"
#include "yz/Dialect/Npu/IR/NpuOpsEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "yz/Dialect/Npu/IR/NpuOpsAttrs.cpp.inc"

void NpuDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "yz/Dialect/Npu/IR/NpuOpsAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "yz/Dialect/Npu/IR/NpuOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// The target description
//===----------------------------------------------------------------------===//

::yz::npu::Target mlir::npu::toTarget(TargetAttr a) {
  ::yz::npu::Target t;
  t.dim = a.getDim();
  t.spRows = a.getSpRows();
  t.accRows = a.getAccRows();
  t.dmaBandwidth = a.getDmaBandwidth();
  t.dmaLatency = a.getDmaLatency();
  t.queueDepth = a.getQueueDepth();
  t.issueCost = a.getIssueCost();
  return t;
}

TargetAttr mlir::npu::getTargetAttr(MLIRContext *ctx,
                                    const ::yz::npu::Target &t) {
  ctx->getOrLoadDialect<NpuDialect>(); // a yz-only input has not loaded it
  return TargetAttr::get(ctx, t.dim, t.spRows, t.accRows, t.dmaBandwidth,
                         t.dmaLatency, t.queueDepth, t.issueCost);
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 uint32_t dim, uint32_t spRows,
                                 uint32_t accRows, uint32_t dmaBandwidth,
                                 uint32_t dmaLatency, uint32_t queueDepth,
                                 uint32_t issueCost) {
  ::yz::npu::Target t{dim,       spRows,     accRows,  dmaBandwidth,
                      dmaLatency, queueDepth, issueCost};
  std::string invalid = t.validate();
  if (!invalid.empty())
    return emitError() << "invalid NPU target: " << invalid;
  return success();
}

TargetAttr mlir::npu::lookupTarget(Operation *op) {
  for (Operation *p = op; p; p = p->getParentOp())
    if (auto module = dyn_cast<ModuleOp>(p))
      if (auto attr = module->getAttrOfType<TargetAttr>(kTargetAttrName))
        return attr;
  return {};
}

//===----------------------------------------------------------------------===//
// Verification helpers
//===----------------------------------------------------------------------===//

namespace {

FailureOr<::yz::npu::Target> requireTarget(Operation *op) {
  TargetAttr attr = lookupTarget(op);
  if (!attr)
    return op->emitOpError("needs an 'npu.target' attribute (#npu.target) on "
                           "the enclosing module");
  return toTarget(attr);
}

/// Checks `value`, if constant, is within [lo, hi].
LogicalResult checkRange(Operation *op, Value value, StringRef name,
                         int64_t lo, int64_t hi, StringRef why) {
  std::optional<int64_t> v = getConstantIntValue(value);
  if (v && (*v < lo || *v > hi))
    return op->emitOpError() << name << " = " << *v << " is outside " << lo
                             << ".." << hi << " (" << why << ")";
  return success();
}

/// Checks rows [row, row + count) fit in `limit` rows, when both are known.
LogicalResult checkRows(Operation *op, Value row, Value count, int64_t limit,
                        StringRef memory) {
  std::optional<int64_t> r = getConstantIntValue(row),
                         n = getConstantIntValue(count);
  if (r && n && *r + *n > limit)
    return op->emitOpError() << "rows " << *r << ".." << *r + *n - 1
                             << " are outside the " << limit << " " << memory
                             << " rows";
  return success();
}

/// A 2-D memref whose rows are contiguous, of one of `types`.
LogicalResult checkMemRef(Operation *op, Type type, ArrayRef<Type> allowed,
                          StringRef allowedText) {
  auto memref = cast<MemRefType>(type);
  if (memref.getRank() != 2)
    return op->emitOpError("needs a 2-D memref, got ") << type;
  if (!llvm::is_contained(allowed, memref.getElementType()))
    return op->emitOpError("element type ")
           << memref.getElementType() << " is not one of " << allowedText;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (succeeded(memref.getStridesAndOffset(strides, offset)) &&
      strides[1] != 1)
    return op->emitOpError("needs contiguous rows (innermost stride 1), got ")
           << type;
  return success();
}

template <typename DmaOp>
LogicalResult verifyDma(DmaOp op, bool accumulator, ArrayRef<Type> allowed,
                        StringRef allowedText) {
  auto target = requireTarget(op);
  if (failed(target))
    return failure();
  if (failed(checkMemRef(op, op.getMemref().getType(), allowed, allowedText)))
    return failure();
  if (op.getIndices().size() != 2)
    return op.emitOpError("needs 2 indices, got ") << op.getIndices().size();
  if (failed(checkRange(op, op.getCols(), "cols", 1, target->dim, "DIM")) ||
      failed(checkRange(
          op, op.getRows(), "rows", 1,
          int64_t(::yz::npu::field::DmaIn_Rows.mask()),
          std::to_string(::yz::npu::field::DmaIn_Rows.width) + "-bit field")))
    return failure();
  return checkRows(op, op.getRow(), op.getRows(),
                   accumulator ? target->accRows : target->spRows,
                   accumulator ? "accumulator" : "scratchpad");
}

} // namespace

//===----------------------------------------------------------------------===//
// Op verifiers
//===----------------------------------------------------------------------===//

LogicalResult ConfigTargetOp::verify() { return requireTarget(*this); }
LogicalResult ConfigExecOp::verify() { return requireTarget(*this); }
LogicalResult FenceOp::verify() { return requireTarget(*this); }
LogicalResult CounterOp::verify() { return requireTarget(*this); }

LogicalResult LayerOp::verify() {
  if (failed(requireTarget(*this)))
    return failure();
  if (getMacsAttr().getInt() < 0)
    return emitOpError("macs must not be negative, got ")
           << getMacsAttr().getInt();
  return success();
}

LogicalResult ConfigLoadOp::verify() {
  if (failed(requireTarget(*this)))
    return failure();
  Builder b(getContext());
  if (getToAcc())
    return checkMemRef(*this, getSource().getType(),
                       {b.getI32Type(), b.getF32Type()}, "i32, f32");
  return checkMemRef(*this, getSource().getType(),
                     {b.getI8Type(), b.getBF16Type(), b.getF32Type()},
                     "i8, bf16, f32");
}

LogicalResult ConfigStoreOp::verify() {
  if (failed(requireTarget(*this)))
    return failure();
  Builder b(getContext());
  if (failed(checkMemRef(*this, getDest().getType(),
                         {b.getI8Type(), b.getBF16Type(), b.getI32Type(),
                          b.getF32Type()},
                         "i8, bf16, i32, f32")))
    return failure();
  // I32Attr getters are unsigned: read the attributes' signed values.
  int64_t zeroPoint = getZeroPointAttr().getInt(),
          clampMin = getClampMinAttr().getInt(),
          clampMax = getClampMaxAttr().getInt();
  for (auto [name, value] : {std::pair<StringRef, int64_t>{"zero_point", zeroPoint},
                             {"clamp_min", clampMin},
                             {"clamp_max", clampMax}})
    if (value < -128 || value > 127)
      return emitOpError() << name << " = " << value << " is not an i8";
  if (clampMin > clampMax)
    return emitOpError() << "clamp_min " << clampMin << " is above clamp_max "
                         << clampMax;
  float scale = getScale().convertToFloat();
  if (!(scale > 0) || std::isinf(scale))
    return emitOpError() << "scale must be positive and finite, got " << scale;
  if (getScaleRow()) {
    // The scale row and the bias row after it, in the accumulator and
    // nameable by the field.
    uint64_t limit = std::min<uint64_t>(
        toTarget(lookupTarget(*this)).accRows,
        ::yz::npu::field::ConfigStore_ScaleRow.mask() + 1);
    std::optional<int64_t> row = getConstantIntValue(getScaleRow());
    if (row && (*row < 0 || uint64_t(*row) + 1 >= limit))
      return emitOpError() << "scale row " << *row << " and its bias row "
                           << "must be below " << limit;
  }
  return success();
}

LogicalResult DmaInOp::verify() {
  Builder b(getContext());
  return verifyDma(*this, false,
                   {b.getI8Type(), b.getBF16Type(), b.getF32Type()},
                   "i8, bf16, f32");
}
LogicalResult DmaInAccOp::verify() {
  Builder b(getContext());
  return verifyDma(*this, true, {b.getI32Type(), b.getF32Type()}, "i32, f32");
}
LogicalResult DmaOutOp::verify() {
  Builder b(getContext());
  return verifyDma(*this, false, {b.getI8Type(), b.getBF16Type()}, "i8, bf16");
}
LogicalResult DmaOutQOp::verify() {
  Builder b(getContext());
  return verifyDma(*this, true, {b.getI8Type()}, "i8");
}
LogicalResult DmaOutAccOp::verify() {
  Builder b(getContext());
  return verifyDma(*this, true, {b.getI32Type(), b.getF32Type()}, "i32, f32");
}

LogicalResult MatmulOp::verify() {
  auto target = requireTarget(*this);
  if (failed(target))
    return failure();
  int64_t dim = target->dim;
  if (failed(checkRange(*this, getM(), "m", 1, dim, "DIM")) ||
      failed(checkRange(*this, getN(), "n", 1, dim, "DIM")) ||
      failed(checkRange(*this, getK(), "k", 1, dim, "DIM")))
    return failure();
  if (failed(checkRows(*this, getARow(), getTransposeA() ? getK() : getM(),
                       target->spRows, "scratchpad")) ||
      failed(checkRows(*this, getBRow(), getTransposeB() ? getN() : getK(),
                       target->spRows, "scratchpad")))
    return failure();
  return checkRows(*this, getCRow(), getM(), target->accRows, "accumulator");
}

LogicalResult Conv2DOp::verify() {
  auto shaped = [](Value v) { return cast<ShapedType>(v.getType()); };
  ShapedType x = shaped(getInput()), w = shaped(getWeights()),
             e = shaped(getEpilogue()), y = shaped(getInit());
  for (ShapedType t : {x, w, e, y})
    if (!t.hasStaticShape())
      return emitOpError("needs static shapes, got ") << t;
  if (isa<TensorType>(y) != (getNumResults() == 1))
    return emitOpError("has a result exactly when it works on tensors");
  if (x.getRank() != 4 || y.getRank() != 4 || w.getRank() != 2 ||
      e.getRank() != 2)
    return emitOpError("needs input [N, Hp, Wp, C], weights [K, F], "
                       "epilogue [2, F] (int8) or [1, F] (bf16) and init "
                       "[N, OH, OW, F]");
  Builder b(getContext());
  bool bf16 = x.getElementType().isF32();
  Type data = bf16 ? Type(b.getF32Type()) : Type(b.getI8Type());
  Type epi = bf16 ? Type(b.getF32Type()) : Type(b.getI32Type());
  bool weightsOk = w.getElementType() == data ||
                   (bf16 && w.getElementType().isBF16());
  if (x.getElementType() != data || !weightsOk ||
      y.getElementType() != data || e.getElementType() != epi)
    return emitOpError("needs i8 input, weights and result and an i32 "
                       "epilogue (int8), or f32 input, result and epilogue "
                       "and f32 or bf16 weights (bf16)");
  if (!bf16 && getActivation() != Activation::none)
    return emitOpError("int8 convolutions clamp instead of an activation");
  ArrayRef<int64_t> k = getKernel(), s = getStrides(), d = getDilations();
  if (k.size() != 2 || s.size() != 2 || d.size() != 2 ||
      llvm::any_of(llvm::concat<const int64_t>(k, s, d),
                   [](int64_t v) { return v < 1; }))
    return emitOpError("needs 2 positive kernel sizes, strides and "
                       "dilations");
  int64_t c = x.getDimSize(3), f = y.getDimSize(3);
  int64_t epiRows = bf16 ? 1 : 2;
  if (w.getDimSize(0) != k[0] * k[1] * c || w.getDimSize(1) != f ||
      e.getDimSize(0) != epiRows || e.getDimSize(1) != f)
    return emitOpError("weights must be [") << k[0] * k[1] * c << ", " << f
           << "] and epilogue [" << epiRows << ", " << f << "], got " << w
           << " and " << e;
  for (int i = 0; i < 2; ++i) {
    int64_t span = d[i] * (k[i] - 1) + 1, in = x.getDimSize(1 + i);
    int64_t out = in < span ? 0 : (in - span) / s[i] + 1;
    if (y.getDimSize(1 + i) != out || y.getDimSize(0) != x.getDimSize(0))
      return emitOpError("init ") << y << " does not match the input " << x;
  }
  int64_t lo = getClampMinAttr().getInt(), hi = getClampMaxAttr().getInt();
  for (int64_t v : {getZeroPointAttr().getInt(), lo, hi})
    if (v < -128 || v > 127)
      return emitOpError("zero point and clamp bounds must be i8, got ") << v;
  if (lo > hi)
    return emitOpError("clamp_min ") << lo << " is above clamp_max " << hi;
  return success();
}

#define GET_OP_CLASSES
#include "yz/Dialect/Npu/IR/NpuOps.cpp.inc"
