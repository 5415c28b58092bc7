//===- ScalarEvaluator.h - run arith/math scalar code -----------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Dialect/Yz/IR. Evaluates the scalar
// body an elementwise op builds (arith and math ops on scalars) for every
// element of constant operands. It knows upstream ops' semantics, never a
// yz op's: those come from buildScalar.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_DIALECT_YZ_IR_SCALAREVALUATOR_H
#define YZ_LIB_DIALECT_YZ_IR_SCALAREVALUATOR_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::yz {

/// A scalar: integers as their bits (zero-extended to 64), floats as a
/// double holding the exact value of the narrower type.
struct Scalar {
  uint64_t bits = 0;
  double f = 0;
};

class ScalarEvaluator {
public:
  /// Prepares `body` (arguments, then ops computing `result`); fails on an
  /// op it does not know.
  static std::optional<ScalarEvaluator> compile(Block &body, Value result);

  /// The result for one set of argument values, or nullopt where the run
  /// time decides (integer division by zero, out-of-range conversions).
  std::optional<Scalar> run(ArrayRef<Scalar> args);

private:
  struct Step {
    Operation *op;
    SmallVector<unsigned, 3> operands;
    unsigned result;
  };
  std::vector<Step> steps;
  std::vector<Scalar> slots;
  std::vector<Type> types;
  unsigned numArgs = 0, resultSlot = 0;
};

/// A scalar's value read from / written to `width` little-endian bytes of
/// an element of type `t`.
Scalar loadScalar(Type t, const char *bytes);
void storeScalar(Type t, Scalar v, char *bytes);

} // namespace mlir::yz

#endif // YZ_LIB_DIALECT_YZ_IR_SCALAREVALUATOR_H
