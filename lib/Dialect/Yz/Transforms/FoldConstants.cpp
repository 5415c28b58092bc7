//===- FoldConstants.cpp - evaluate yz ops on constants at compile time ---===//
//
// Part of Yizhuang. Ops whose operands are all constants (inline or weight
// resources) are evaluated here: transposed Gemm weights, reshaped biases,
// scales computed from weights. Op folders cannot do this, as they do not see
// into dense resources and would put large results in text.
//
//===----------------------------------------------------------------------===//

#include "yz/Dialect/Yz/Transforms/ConstantData.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::yz {
#define GEN_PASS_DEF_YZFOLDCONSTANTS
#include "yz/Dialect/Yz/Transforms/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Row-major strides of `shape` as seen from `resultShape` under numpy
/// broadcasting: a stretched dimension (or a missing one) has stride 0.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> resultShape) {
  SmallVector<int64_t> strides(resultShape.size(), 0);
  int64_t stride = 1;
  for (int64_t j = int64_t(shape.size()) - 1; j >= 0; --j) {
    size_t i = j + resultShape.size() - shape.size();
    strides[i] = shape[j] == 1 ? 0 : stride;
    stride *= shape[j];
  }
  return strides;
}

/// For each result element (row-major), the element index it reads from an
/// operand with `strides` (from broadcastStrides or a permutation).
std::vector<int64_t> sourceIndices(ArrayRef<int64_t> resultShape,
                                   ArrayRef<int64_t> strides) {
  int64_t count = 1;
  for (int64_t d : resultShape)
    count *= d;
  std::vector<int64_t> out(count);
  SmallVector<int64_t> index(resultShape.size(), 0);
  int64_t src = 0;
  for (int64_t i = 0; i < count; ++i) {
    out[i] = src;
    // Odometer increment, keeping `src` in step.
    for (int64_t d = int64_t(resultShape.size()) - 1; d >= 0; --d) {
      src += strides[d];
      if (++index[d] < resultShape[d])
        break;
      src -= strides[d] * resultShape[d];
      index[d] = 0;
    }
  }
  return out;
}

template <typename T>
std::optional<T> evalBinary(Operation *op, T a, T b) {
  if (isa<AddOp>(op))
    return a + b;
  if (isa<SubOp>(op))
    return a - b;
  if (isa<MulOp>(op))
    return a * b;
  if (isa<MaxOp>(op))
    return std::max(a, b);
  if (isa<MinOp>(op))
    return std::min(a, b);
  if constexpr (std::is_integral_v<T>) {
    if (isa<DivOp>(op) && b != 0) // x / 0 is left to the runtime
      return a / b;
  } else {
    if (isa<DivOp>(op))
      return a / b;
    if (isa<PowOp>(op))
      return std::pow(a, b);
  }
  return std::nullopt;
}

std::optional<float> evalUnary(Operation *op, float x) {
  return llvm::TypeSwitch<Operation *, std::optional<float>>(op)
      .Case<NegOp>([&](auto) { return -x; })
      .Case<AbsOp>([&](auto) { return std::fabs(x); })
      .Case<ExpOp>([&](auto) { return std::exp(x); })
      .Case<LogOp>([&](auto) { return std::log(x); })
      .Case<SqrtOp>([&](auto) { return std::sqrt(x); })
      .Case<ReciprocalOp>([&](auto) { return 1.0f / x; })
      .Case<SigmoidOp>([&](auto) { return 1.0f / (1.0f + std::exp(-x)); })
      .Case<TanhOp>([&](auto) { return std::tanh(x); })
      .Case<ErfOp>([&](auto) { return std::erf(x); })
      .Case<ReluOp>([&](auto) { return x > 0.0f ? x : 0.0f; })
      .Default([](Operation *) { return std::nullopt; });
}

template <typename T>
std::optional<std::vector<char>> binary(Operation *op, const ConstantData &a,
                                        const ConstantData &b,
                                        RankedTensorType result) {
  auto ia = sourceIndices(result.getShape(),
                          broadcastStrides(a.type.getShape(), result.getShape()));
  auto ib = sourceIndices(result.getShape(),
                          broadcastStrides(b.type.getShape(), result.getShape()));
  std::vector<char> out(ia.size() * sizeof(T));
  T *dst = reinterpret_cast<T *>(out.data());
  for (size_t i = 0; i < ia.size(); ++i) {
    auto v = evalBinary<T>(op, a.as<T>()[ia[i]], b.as<T>()[ib[i]]);
    if (!v)
      return std::nullopt;
    dst[i] = *v;
  }
  return out;
}

/// The folded bytes of `op`, or nullopt when it does not fold.
std::optional<std::vector<char>> evaluate(Operation *op,
                                          ArrayRef<ConstantData> in,
                                          RankedTensorType result) {
  Type elt = result.getElementType();
  if (isa<ReshapeOp, IdentityOp>(op))
    return in[0].bytes;
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    // Result dim i walks input dim perm[i].
    SmallVector<int64_t> inStrides(in[0].type.getRank(), 1), strides;
    for (int64_t d = in[0].type.getRank() - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * in[0].type.getDimSize(d + 1);
    for (int64_t p : transpose.getPerm())
      strides.push_back(inStrides[p]);
    size_t w = in[0].width();
    auto src = sourceIndices(result.getShape(), strides);
    std::vector<char> out(src.size() * w);
    for (size_t i = 0; i < src.size(); ++i)
      std::memcpy(out.data() + i * w, in[0].bytes.data() + src[i] * w, w);
    return out;
  }
  if (in.size() == 2 && in[0].type.getElementType() == elt) {
    if (elt.isF32())
      return binary<float>(op, in[0], in[1], result);
    if (elt.isInteger(64))
      return binary<int64_t>(op, in[0], in[1], result);
    if (elt.isInteger(32))
      return binary<int32_t>(op, in[0], in[1], result);
    return std::nullopt;
  }
  if (in.size() == 1 && elt.isF32() && in[0].type.getElementType().isF32()) {
    std::vector<char> out(in[0].bytes.size());
    float *dst = reinterpret_cast<float *>(out.data());
    for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
      auto v = evalUnary(op, in[0].as<float>()[i]);
      if (!v)
        return std::nullopt;
      dst[i] = *v;
    }
    return out;
  }
  return std::nullopt;
}

struct FoldConstantOp : RewritePattern {
  FoldConstantOp(MLIRContext *ctx, int64_t maxElements, llvm::Statistic &count)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        maxElements(maxElements), count(count) {}
  int64_t maxElements;
  llvm::Statistic &count;

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<YzDialect>(op->getDialect()) || isa<ConstantOp>(op) ||
        op->getNumResults() != 1 || op->getNumOperands() == 0)
      return failure();
    auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!result || !result.hasStaticShape() ||
        result.getNumElements() > maxElements ||
        result.getElementTypeBitWidth() % 8 != 0)
      return failure();
    SmallVector<ConstantData> in;
    for (Value operand : op->getOperands()) {
      auto data = readConstant(operand);
      if (!data)
        return failure();
      in.push_back(std::move(*data));
    }
    auto bytes = evaluate(op, in, result);
    if (!bytes)
      return failure();
    rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(), result, *bytes));
    ++count;
    return success();
  }
};

struct FoldConstantsPass
    : mlir::yz::impl::YzFoldConstantsBase<FoldConstantsPass> {
  using YzFoldConstantsBase::YzFoldConstantsBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantOp>(&getContext(), maxElements, numFolded);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
