//===- NpuToLLVM.cpp - lower npu ops to the LLVM dialect ------------------===//
//
// Part of Yizhuang. Operand packing follows isa.def's fields exactly (the
// same constexpr fields the simulator decodes with).
//
//===----------------------------------------------------------------------===//

#include "yz/Conversion/NpuToLLVM/NpuToLLVM.h"

#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"
#include "yz/npu/Isa.h"

namespace mlir::yz {
#define GEN_PASS_DEF_CONVERTNPUTOLLVM
#include "yz/Conversion/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;
namespace isa = ::yz::npu;
namespace fld = ::yz::npu::field;

namespace {

constexpr char kSimulatorEntry[] = "yz_npu_exec";

/// Builds i64 register values from (field, value) pairs.
struct Packer {
  OpBuilder &b;
  Location loc;

  Value constant(uint64_t v) {
    return LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                    b.getI64IntegerAttr(int64_t(v)));
  }
  Value toI64(Value v) {
    Type t = v.getType();
    if (t.isInteger(64))
      return v;
    if (t.getIntOrFloatBitWidth() < 64)
      return LLVM::ZExtOp::create(b, loc, b.getI64Type(), v);
    return LLVM::TruncOp::create(b, loc, b.getI64Type(), v);
  }
  Value pack(ArrayRef<std::pair<isa::Field, Value>> fields) {
    Value word = constant(0);
    for (auto [field, value] : fields) {
      Value v = toI64(value);
      if (field.width < 64)
        v = LLVM::AndOp::create(b, loc, v, constant(field.mask()));
      if (field.lsb)
        v = LLVM::ShlOp::create(b, loc, v, constant(field.lsb));
      word = LLVM::OrOp::create(b, loc, word, v);
    }
    return word;
  }
};

/// Issues instruction `op` with register values rs1, rs2; returns rd.
Value emitInstruction(OpBuilder &b, Location loc, Operation *anchor,
                      isa::Op op, Value rs1, Value rs2, NpuIssue issue) {
  const isa::InsnInfo &info = isa::info(op);
  Type i64 = b.getI64Type();
  if (issue == NpuIssue::CustomInstructions) {
    // The assembler's .insn directive: stock LLVM encodes it.
    std::string text = ".insn r CUSTOM_0, " + std::to_string(info.funct3) +
                       ", " + std::to_string(info.funct7) + ", " +
                       (info.writesRd ? "$0, $1, $2" : "x0, $0, $1");
    std::string constraints =
        std::string(info.writesRd ? "=r," : "") + "r,r,~{memory}";
    auto asmOp = LLVM::InlineAsmOp::create(
        b, loc, info.writesRd ? TypeRange{i64} : TypeRange{},
        ValueRange{rs1, rs2}, text, constraints, /*has_side_effects=*/true,
        /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
        LLVM::AsmDialectAttr(), ArrayAttr());
    return info.writesRd ? asmOp.getResult(0) : Value();
  }
  // Host: the simulator decodes the same word (rd=x10, rs1=x11, rs2=x12).
  auto module = anchor->getParentOfType<ModuleOp>();
  auto func = module.lookupSymbol<LLVM::LLVMFuncOp>(kSimulatorEntry);
  if (!func) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    func = LLVM::LLVMFuncOp::create(
        b, loc, kSimulatorEntry,
        LLVM::LLVMFunctionType::get(i64, {b.getI32Type(), i64, i64}));
  }
  Value word = LLVM::ConstantOp::create(
      b, loc, b.getI32Type(),
      b.getI32IntegerAttr(int32_t(isa::encode(op, 10, 11, 12))));
  return LLVM::CallOp::create(b, loc, func, ValueRange{word, rs1, rs2})
      .getResult();
}

uint64_t elementBytes(MemRefType type) {
  return type.getElementTypeBitWidth() / 8;
}

/// The byte address of memref[i, j] and the byte stride of its rows.
std::pair<Value, Value> addressAndStride(OpBuilder &b, Location loc,
                                         Value descriptor, MemRefType type,
                                         ValueRange indices) {
  MemRefDescriptor desc(descriptor);
  Packer p{b, loc};
  Value base = LLVM::PtrToIntOp::create(b, loc, b.getI64Type(),
                                        desc.alignedPtr(b, loc));
  Value elements = desc.offset(b, loc);
  for (auto [i, index] : llvm::enumerate(indices))
    elements = LLVM::AddOp::create(
        b, loc, elements,
        LLVM::MulOp::create(b, loc, index, desc.stride(b, loc, i)));
  Value bytes = p.constant(elementBytes(type));
  Value address = LLVM::AddOp::create(
      b, loc, base, LLVM::MulOp::create(b, loc, elements, bytes));
  Value stride = LLVM::MulOp::create(b, loc, desc.stride(b, loc, 0), bytes);
  return {address, stride};
}

template <typename SourceOp>
struct NpuPattern : ConvertOpToLLVMPattern<SourceOp> {
  NpuPattern(LLVMTypeConverter &converter, NpuIssue issue)
      : ConvertOpToLLVMPattern<SourceOp>(converter), issue(issue) {}
  NpuIssue issue;

  /// Issues `op` and replaces the source op with its rd (if any).
  void issueAndReplace(SourceOp source, ConversionPatternRewriter &rewriter,
                       isa::Op op, Value rs1, Value rs2) const {
    Value rd = emitInstruction(rewriter, source.getLoc(), source, op, rs1, rs2,
                               issue);
    if (source->getNumResults())
      rewriter.replaceOp(source, rd);
    else
      rewriter.eraseOp(source);
  }
};

struct ConfigTargetLowering : NpuPattern<npu::ConfigTargetOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::ConfigTargetOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    isa::Target t = npu::toTarget(npu::lookupTarget(op));
    Packer p{rewriter, op.getLoc()};
    Value rs1 = p.constant(fld::ConfigTarget_Dim.put(t.dim) |
                           fld::ConfigTarget_SpRows.put(t.spRows) |
                           fld::ConfigTarget_AccRows.put(t.accRows));
    Value rs2 = p.constant(fld::ConfigTarget_DmaBandwidth.put(t.dmaBandwidth) |
                           fld::ConfigTarget_DmaLatency.put(t.dmaLatency) |
                           fld::ConfigTarget_QueueDepth.put(t.queueDepth) |
                           fld::ConfigTarget_IssueCost.put(t.issueCost));
    issueAndReplace(op, rewriter, isa::Op::ConfigTarget, rs1, rs2);
    return success();
  }
};

struct ConfigExecLowering : NpuPattern<npu::ConfigExecOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::ConfigExecOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Packer p{rewriter, op.getLoc()};
    issueAndReplace(op, rewriter, isa::Op::ConfigExec,
                    p.constant(fld::ConfigExec_DataType.put(
                        uint64_t(op.getDataType()))),
                    p.constant(0));
    return success();
  }
};

struct ConfigLoadLowering : NpuPattern<npu::ConfigLoadOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::ConfigLoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<MemRefType>(op.getSource().getType());
    Type elt = type.getElementType();
    isa::SrcType src = op.getToAcc()    ? isa::SrcType::Raw32
                       : elt.isInteger(8) ? isa::SrcType::I8
                       : elt.isBF16()     ? isa::SrcType::BF16
                                          : isa::SrcType::F32;
    Packer p{rewriter, op.getLoc()};
    Value stride = addressAndStride(rewriter, op.getLoc(), adaptor.getSource(),
                                    type, {})
                       .second;
    issueAndReplace(op, rewriter, isa::Op::ConfigLoad,
                    p.pack({{fld::ConfigLoad_Stride, stride}}),
                    p.constant(fld::ConfigLoad_SrcType.put(uint64_t(src))));
    return success();
  }
};

struct ConfigStoreLowering : NpuPattern<npu::ConfigStoreOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::ConfigStoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<MemRefType>(op.getDest().getType());
    Packer p{rewriter, op.getLoc()};
    Value stride =
        addressAndStride(rewriter, op.getLoc(), adaptor.getDest(), type, {})
            .second;
    SmallVector<std::pair<isa::Field, Value>> fields{
        {fld::ConfigStore_Stride, stride}};
    if (adaptor.getScaleRow())
      fields.push_back({fld::ConfigStore_ScaleRow, adaptor.getScaleRow()});
    Value rs1 = LLVM::OrOp::create(
        rewriter, op.getLoc(), p.pack(fields),
        p.constant(fld::ConfigStore_Activation.put(
            uint64_t(op.getActivation()))));
    float scale = op.getScale().convertToFloat();
    uint32_t scaleBits;
    memcpy(&scaleBits, &scale, 4);
    auto i8 = [](IntegerAttr a) { return uint64_t(uint8_t(a.getInt())); };
    Value rs2 = p.constant(fld::ConfigStore_Scale.put(scaleBits) |
                           fld::ConfigStore_ZeroPoint.put(i8(op.getZeroPointAttr())) |
                           fld::ConfigStore_ClampMin.put(i8(op.getClampMinAttr())) |
                           fld::ConfigStore_ClampMax.put(i8(op.getClampMaxAttr())) |
                           fld::ConfigStore_PerChannel.put(op.getScaleRow() ? 1 : 0));
    issueAndReplace(op, rewriter, isa::Op::ConfigStore, rs1, rs2);
    return success();
  }
};

template <typename SourceOp, isa::Op Insn>
struct DmaLowering : NpuPattern<SourceOp> {
  using NpuPattern<SourceOp>::NpuPattern;
  using OpAdaptor = typename SourceOp::Adaptor;
  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<MemRefType>(op.getMemref().getType());
    Packer p{rewriter, op.getLoc()};
    Value address = addressAndStride(rewriter, op.getLoc(), adaptor.getMemref(),
                                     type, adaptor.getIndices())
                        .first;
    // All DMA instructions share DmaIn's operand layout (isa.def).
    Value rs2 = p.pack({{fld::DmaIn_Row, adaptor.getRow()},
                        {fld::DmaIn_Rows, adaptor.getRows()},
                        {fld::DmaIn_Cols, adaptor.getCols()}});
    this->issueAndReplace(op, rewriter, Insn, address, rs2);
    return success();
  }
};

struct MatmulLowering : NpuPattern<npu::MatmulOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Packer p{rewriter, op.getLoc()};
    Value rs1 = p.pack({{fld::Matmul_ARow, adaptor.getARow()},
                        {fld::Matmul_BRow, adaptor.getBRow()}});
    Value rs2 = p.pack({{fld::Matmul_CRow, adaptor.getCRow()},
                        {fld::Matmul_M, adaptor.getM()},
                        {fld::Matmul_N, adaptor.getN()},
                        {fld::Matmul_K, adaptor.getK()},
                        {fld::Matmul_Accumulate, adaptor.getAccumulate()}});
    uint64_t flags = fld::Matmul_TransposeA.put(op.getTransposeA()) |
                     fld::Matmul_TransposeB.put(op.getTransposeB());
    if (flags)
      rs2 = LLVM::OrOp::create(rewriter, op.getLoc(), rs2, p.constant(flags));
    issueAndReplace(op, rewriter, isa::Op::Matmul, rs1, rs2);
    return success();
  }
};

struct FenceLowering : NpuPattern<npu::FenceOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::FenceOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Packer p{rewriter, op.getLoc()};
    issueAndReplace(op, rewriter, isa::Op::Fence, p.constant(0), p.constant(0));
    return success();
  }
};

struct CounterLowering : NpuPattern<npu::CounterOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::CounterOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Packer p{rewriter, op.getLoc()};
    issueAndReplace(op, rewriter, isa::Op::Counter,
                    p.constant(fld::Counter_Id.put(uint64_t(op.getCounter()))),
                    p.constant(0));
    return success();
  }
};

struct LayerLowering : NpuPattern<npu::LayerOp> {
  using NpuPattern::NpuPattern;
  LogicalResult
  matchAndRewrite(npu::LayerOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // The name as a NUL-terminated global the simulator reads.
    auto module = op->getParentOfType<ModuleOp>();
    std::string symbol;
    for (unsigned i = 0;; ++i) {
      symbol = "yz_layer_name_" + std::to_string(i);
      if (!module.lookupSymbol(symbol))
        break;
    }
    Location loc = op.getLoc();
    Value name = LLVM::createGlobalString(loc, rewriter, symbol,
                                          (op.getName() + Twine('\0')).str(),
                                          LLVM::Linkage::Internal);
    Packer p{rewriter, loc};
    Value rs1 = LLVM::PtrToIntOp::create(rewriter, loc, rewriter.getI64Type(),
                                         name);
    uint64_t rs2 = fld::Layer_Macs.put(uint64_t(op.getMacsAttr().getInt())) |
                   fld::Layer_OnCpu.put(op.getOnCpu());
    issueAndReplace(op, rewriter, isa::Op::Layer, rs1, p.constant(rs2));
    return success();
  }
};

struct ConvertNpuToLLVMPass
    : mlir::yz::impl::ConvertNpuToLLVMBase<ConvertNpuToLLVMPass> {
  using ConvertNpuToLLVMBase::ConvertNpuToLLVMBase;
  void runOnOperation() override {
    NpuIssue issue;
    if (target == "riscv64")
      issue = NpuIssue::CustomInstructions;
    else if (target == "host")
      issue = NpuIssue::SimulatorCalls;
    else {
      getOperation().emitError("convert-npu-to-llvm: unknown target '")
          << target << "' (expected riscv64 or host)";
      return signalPassFailure();
    }
    LLVMTypeConverter converter(&getContext());
    RewritePatternSet patterns(&getContext());
    populateNpuToLLVMConversionPatterns(converter, patterns, issue);
    LLVMConversionTarget conversionTarget(getContext());
    conversionTarget.addIllegalDialect<npu::NpuDialect>();
    conversionTarget.markUnknownOpDynamicallyLegal(
        [](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), conversionTarget,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::yz::populateNpuToLLVMConversionPatterns(
    LLVMTypeConverter &converter, RewritePatternSet &patterns,
    NpuIssue issue) {
  patterns.add<ConfigTargetLowering, ConfigExecLowering, ConfigLoadLowering,
               ConfigStoreLowering, MatmulLowering, FenceLowering,
               CounterLowering, LayerLowering,
               DmaLowering<npu::DmaInOp, isa::Op::DmaIn>,
               DmaLowering<npu::DmaInAccOp, isa::Op::DmaInAcc>,
               DmaLowering<npu::DmaOutOp, isa::Op::DmaOut>,
               DmaLowering<npu::DmaOutQOp, isa::Op::DmaOutQ>,
               DmaLowering<npu::DmaOutAccOp, isa::Op::DmaOutAcc>>(converter,
                                                                   issue);
}
