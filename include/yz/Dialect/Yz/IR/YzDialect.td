//===- YzDialect.td - the yz tensor dialect ----------------*- tablegen -*-===//
//
// Part of Yizhuang. The yz dialect: tensor-level neural-network ops. The ops
// are split into families (YzElementwiseOps.td, YzNNOps.td, YzShapeOps.td,
// YzQuantOps.td), each with its shared type inference in a base class here
// or in its own file; docs/adding-an-op.md says where a new op goes.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZDIALECT_TD
#define YZ_DIALECT_YZ_IR_YZDIALECT_TD

include "mlir/IR/OpBase.td"

def Yz_Dialect : Dialect {
  let name = "yz";
  let cppNamespace = "::mlir::yz";
  let summary = "Tensor-level neural-network operations";
  let description = [{
    The `yz` dialect holds a model as imported from a framework: ops on
    ranked tensors with numpy-style broadcasting, weights as dense resources.
    Every op infers its result type; the verifier explains any mismatch.
  }];
  let hasConstantMaterializer = 1;
  // Elementwise ops state their arithmetic in arith and math ops.
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

class Yz_Op<string mnemonic, list<Trait> traits = []>
    : Op<Yz_Dialect, mnemonic, traits>;

// Element types the yz ops compute on. Integers are signless (two's
// complement, signed where it matters) or unsigned (ui8..ui64: the ONNX
// uint types, unsigned in division, comparison, extension and casts).
def Yz_Element : AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>;
def Yz_Tensor : RankedTensorOf<[Yz_Element]>;
def Yz_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Yz_IntTensor : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
def Yz_BoolTensor : RankedTensorOf<[I1]>;
def Yz_I8Tensor : RankedTensorOf<[I8]>;
def Yz_IndexTensor : RankedTensorOf<[I32, I64]>;

#endif // YZ_DIALECT_YZ_IR_YZDIALECT_TD
