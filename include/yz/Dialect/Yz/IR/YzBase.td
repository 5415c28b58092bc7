//===- YzBase.td - classes the yz op families share --------*- tablegen -*-===//
//
// Part of Yizhuang. Each family file (YzElementwiseOps.td, YzNNOps.td,
// YzShapeOps.td, YzQuantOps.td) includes this one and is generated on its
// own, so a family's .inc files hold only its ops.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZBASE_TD
#define YZ_DIALECT_YZ_IR_YZBASE_TD

include "yz/Dialect/Yz/IR/YzDialect.td"
include "yz/Dialect/Yz/IR/YzInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// An elementwise op: `scalar` is the C++ body of buildScalar.
class Yz_ElementwiseOp<string mnemonic, list<Trait> traits = []>
    : Yz_Op<mnemonic, !listconcat(traits, [Pure,
          DeclareOpInterfaceMethods<Yz_ElementwiseOpInterface>])> {
  code scalar = ?;
  code inference = "";
  let extraClassDefinition = inference # [{
    ::mlir::Value $cppClass::buildScalar(::mlir::OpBuilder &b,
                                         ::mlir::Location loc,
                                         ::mlir::ValueRange args) {
  }] # scalar # [{
    }
  }];
}

/// The shared inference: the numpy broadcast of every operand's shape;
/// operands from `firstValue` on share one element type, which the result
/// has, or i1 with `boolResult`.
class Yz_BroadcastOp<string mnemonic, int firstValue = 0, bit boolResult = 0,
                     list<Trait> traits = []>
    : Yz_ElementwiseOp<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])> {
  let inference = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::yz::inferBroadcast(getOperationName(), loc,
                                        adaptor.getOperands(), }]
      # !cast<string>(firstValue) # ", " # !if(boolResult, "true", "false")
      # [{, types);
    }
  }];
}

#endif // YZ_DIALECT_YZ_IR_YZBASE_TD
