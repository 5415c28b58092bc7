//===- NpuOps.h - npu ops and attributes ------------------------*- C++ -*-===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_NPU_IR_NPUOPS_H
#define YZ_DIALECT_NPU_IR_NPUOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "yz/Dialect/Npu/IR/NpuDialect.h"
#include "yz/npu/Target.h"

#include "yz/Dialect/Npu/IR/NpuOpsEnums.h.inc"
#define GET_ATTRDEF_CLASSES
#include "yz/Dialect/Npu/IR/NpuOpsAttrs.h.inc"
#define GET_OP_CLASSES
#include "yz/Dialect/Npu/IR/NpuOps.h.inc"

namespace mlir::npu {

/// The module attribute that carries the target description.
constexpr llvm::StringLiteral kTargetAttrName = "npu.target";

/// The description on `op`'s enclosing module, if any.
TargetAttr lookupTarget(Operation *op);

TargetAttr getTargetAttr(MLIRContext *ctx, const ::yz::npu::Target &target);
::yz::npu::Target toTarget(TargetAttr attr);

/// Lets one-shot bufferization turn npu.conv2d on tensors into its memref
/// form.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace mlir::npu

#endif // YZ_DIALECT_NPU_IR_NPUOPS_H
