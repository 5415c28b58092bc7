//===- YzDialect.td - the yz tensor dialect ----------------*- tablegen -*-===//
//
// Part of Yizhuang. The yz dialect: tensor-level neural-network ops.
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
}

class Yz_Op<string mnemonic, list<Trait> traits = []>
    : Op<Yz_Dialect, mnemonic, traits>;

#endif // YZ_DIALECT_YZ_IR_YZDIALECT_TD
