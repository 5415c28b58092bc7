//===- ConstantFolding.h - evaluate yz ops on constants ---------*- C++ -*-===//
//
// Part of Yizhuang. One evaluator for the graph pass (yz-fold-constants)
// and the importer, which folds ONNX shape subgraphs with it as it builds
// them. Elementwise ops are evaluated from their own buildScalar (the
// definition their lowering uses too); data-movement ops move bytes.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_CONSTANTFOLDING_H
#define YZ_DIALECT_YZ_IR_CONSTANTFOLDING_H

#include "yz/Dialect/Yz/IR/ConstantData.h"

namespace mlir::yz {

/// The result of yz op `op` on the constant `operands`, or nullopt when it
/// does not fold (an op folding does not cover, a result whose value is
/// left to the run time, such as an integer division by zero).
std::optional<ConstantData> foldOp(Operation *op,
                                   ArrayRef<ConstantData> operands);

/// `in` transposed: result dim i is input dim perm[i]. The filters yz
/// transposes at compile time (a depthwise convolution's, yz.transpose of
/// constants) go through it.
ConstantData transposeData(const ConstantData &in, ArrayRef<int64_t> perm);

/// If every operand of `op` is a yz.constant and its single result has at
/// most `maxElements` elements, the folded result as a new yz.constant
/// before `op` (which is left in place); else null.
Value foldToConstant(OpBuilder &b, Operation *op, int64_t maxElements);

} // namespace mlir::yz

#endif // YZ_DIALECT_YZ_IR_CONSTANTFOLDING_H
