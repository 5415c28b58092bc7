//===- EinsumImporter.cpp - ONNX Einsum -> transposes, sums, matmuls ------===//
//
// Part of Yizhuang. An Einsum contracts its operands left to right, two at
// a time. Each pair becomes one batched yz.matmul: the letters both keep
// are the batch, the letters both drop the contraction, and each side's
// own kept letters its rows or columns; letters only one operand has and
// nothing later needs are summed away first. A transpose puts the result
// in the equation's order. Ellipses name their dimensions like letters; a
// letter repeated within an operand takes its diagonal first.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// An operand: its value and one label per dimension (a letter, or an
/// ellipsis dimension numbered from the right, as a digit).
struct Term {
  Value value;
  std::string labels;
};

char ellipsisLabel(int64_t fromRight) { return char('0' + fromRight); }

/// The labels of `term` for an operand of `rank`, the ellipsis expanded
/// to `ellipsisRank` (its dimensions are right-aligned, as they broadcast).
FailureOr<std::string> expand(NodeContext &ctx, StringRef term, int64_t rank,
                              int64_t &ellipsisRank) {
  size_t dots = term.find("...");
  std::string letters = term.str();
  if (dots != StringRef::npos)
    letters.erase(dots, 3);
  for (char c : letters)
    if (!llvm::isAlpha(c))
      return ctx.fail("equation term '" + term.str() + "' has '" +
                      std::string(1, c) + "', not a letter");
  int64_t own = int64_t(letters.size());
  if (dots == StringRef::npos) {
    if (own != rank)
      return ctx.fail("equation term '" + term.str() + "' has " +
                      std::to_string(own) + " labels for an operand of rank " +
                      std::to_string(rank));
    return letters;
  }
  int64_t e = rank - own;
  if (e < 0)
    return ctx.fail("equation term '" + term.str() + "' has more labels than "
                    "its operand's rank " + std::to_string(rank));
  ellipsisRank = std::max(ellipsisRank, e);
  std::string dims;
  if (e > 9)
    return ctx.fail("an ellipsis over more than 9 dimensions");
  for (int64_t i = e; i > 0; --i)
    dims.push_back(ellipsisLabel(i)); // right-aligned, as they broadcast
  return term.substr(0, dots).str() + dims + term.substr(dots + 3).str();
}

/// `t` with its labels permuted to `order` (labels of `t`).
Term permute(NodeContext &ctx, const Term &t, StringRef order) {
  if (order == t.labels)
    return t;
  SmallVector<int64_t> perm;
  for (char c : order)
    perm.push_back(int64_t(t.labels.find(c)));
  return {TransposeOp::create(ctx.b, ctx.loc, t.value, perm), order.str()};
}

/// `t` with each label that repeats within it (a diagonal, "ii") taken
/// once: the two dimensions moved last, flattened, and every (n + 1)-th
/// element kept.
Term diagonals(NodeContext &ctx, Term t) {
  for (size_t i = 0; i < t.labels.size(); ++i) {
    char c = t.labels[i];
    size_t j = t.labels.find(c, i + 1);
    if (j == std::string::npos)
      continue;
    std::string rest;
    for (size_t k = 0; k < t.labels.size(); ++k)
      if (k != i && k != j)
        rest.push_back(t.labels[k]);
    SmallVector<int64_t> perm;
    for (size_t k = 0; k < t.labels.size(); ++k)
      if (k != i && k != j)
        perm.push_back(int64_t(k));
    perm.append({int64_t(i), int64_t(j)});
    Value v = TransposeOp::create(ctx.b, ctx.loc, t.value, perm);
    ArrayRef<int64_t> shape = typeOf(v).getShape();
    int64_t n = shape.back();
    SmallVector<int64_t> flat(shape.drop_back(2));
    flat.push_back(n * n);
    v = ctx.reshape(v, flat);
    SmallVector<int64_t> starts(flat.size(), 0), sizes(flat), steps(flat.size(), 1);
    sizes.back() = n;
    steps.back() = n + 1;
    v = SliceOp::create(ctx.b, ctx.loc, v, starts, sizes, steps);
    t = {v, rest + c};
    i = size_t(-1); // the labels moved: look again from the start
  }
  return t;
}

/// `t` summed over the labels not in `keep`.
Term sumExcept(NodeContext &ctx, const Term &t, StringRef keep) {
  SmallVector<int64_t> axes;
  std::string rest;
  for (auto [i, c] : llvm::enumerate(t.labels)) {
    if (keep.contains(c))
      rest.push_back(c);
    else
      axes.push_back(int64_t(i));
  }
  if (axes.empty())
    return t;
  return {ReduceSumOp::create(ctx.b, ctx.loc, t.value, axes, false), rest};
}

int64_t sizeOf(const Term &t, char c) {
  return typeOf(t.value).getDimSize(int64_t(t.labels.find(c)));
}

/// The product of the dimensions of `t` labelled by `labels`.
int64_t product(const Term &t, StringRef labels) {
  int64_t n = 1;
  for (char c : labels)
    n *= sizeOf(t, c);
  return n;
}

/// a and b contracted to the labels in `keep` (in the order batch, a's own,
/// b's own).
Term contract(NodeContext &ctx, Term a, Term b, StringRef keep) {
  // Labels one side has alone and nothing keeps: summed first.
  a = sumExcept(ctx, a, keep.str() + b.labels);
  b = sumExcept(ctx, b, keep.str() + a.labels);
  std::string batch, sum, aOwn, bOwn;
  for (char c : a.labels) {
    bool inB = StringRef(b.labels).contains(c);
    (inB ? (keep.contains(c) ? batch : sum) : aOwn).push_back(c);
  }
  for (char c : b.labels)
    if (!StringRef(a.labels).contains(c))
      bOwn.push_back(c);
  // A shared label of size 1 on one side broadcasts (ellipses).
  auto broadcastBatch = [&](Term &t, const Term &other) {
    SmallVector<int64_t> shape(typeOf(t.value).getShape());
    bool grow = false;
    for (char c : batch + sum) {
      int64_t i = int64_t(t.labels.find(c)), n = sizeOf(other, c);
      if (shape[i] == 1 && n != 1) {
        shape[i] = n;
        grow = true;
      }
    }
    if (grow)
      t.value = BroadcastToOp::create(ctx.b, ctx.loc,
                                      typeOf(t.value).clone(shape), t.value);
  };
  broadcastBatch(a, b);
  broadcastBatch(b, a);
  a = permute(ctx, a, batch + aOwn + sum);
  b = permute(ctx, b, batch + sum + bOwn);
  int64_t nb = product(a, batch), m = product(a, aOwn), k = product(a, sum),
          n = product(b, bOwn);
  Value lhs = ctx.reshape(a.value, {nb, m, k});
  Value rhs = ctx.reshape(b.value, {nb, k, n});
  Value y = MatmulOp::create(ctx.b, ctx.loc, lhs, rhs);
  SmallVector<int64_t> shape;
  for (char c : batch + aOwn)
    shape.push_back(sizeOf(a, c));
  for (char c : bOwn)
    shape.push_back(sizeOf(b, c));
  return {ctx.reshape(y, shape), batch + aOwn + bOwn};
}

LogicalResult einsum(NodeContext &ctx) {
  std::string equation = ctx.stringAttr("equation", "");
  llvm::erase_if(equation, [](char c) { return c == ' '; });
  StringRef eq(equation);
  auto [lhsTerms, outTerm] = eq.split("->");
  bool explicitOut = eq.contains("->");
  SmallVector<StringRef> terms;
  lhsTerms.split(terms, ',');
  if (terms.size() != ctx.numInputs())
    return ctx.fail("the equation has " + std::to_string(terms.size()) +
                    " operand terms for " + std::to_string(ctx.numInputs()) +
                    " inputs");
  SmallVector<Term> ops;
  std::string written; // every operand's labels, as the equation has them
  int64_t ellipsisRank = 0;
  for (auto [i, term] : llvm::enumerate(terms)) {
    Value v = ctx.input(i);
    auto t = typeOf(v);
    if (!t.hasStaticShape())
      return ctx.fail("needs static shapes");
    if (!isa<FloatType>(t.getElementType()))
      return ctx.fail("input " + std::to_string(i) +
                      " is not a float tensor (integer Einsum is not "
                      "supported)");
    auto labels = expand(ctx, term, t.getRank(), ellipsisRank);
    if (failed(labels))
      return failure();
    for (size_t j = 0; j < labels->size(); ++j) {
      size_t again = labels->find((*labels)[j], j + 1);
      if (again != std::string::npos &&
          t.getDimSize(int64_t(j)) != t.getDimSize(int64_t(again)))
        return ctx.fail("label '" + std::string(1, (*labels)[j]) +
                        "' repeats in '" + term.str() +
                        "' over dimensions of different sizes");
    }
    written += *labels;
    ops.push_back(diagonals(ctx, {v, *labels}));
  }
  // The output labels: as written, or (implicit form) the ellipsis, then
  // the letters that appear once, in alphabetical order.
  std::string out;
  if (explicitOut) {
    int64_t outEllipsis = ellipsisRank;
    if (outTerm.contains("...")) {
      std::string dims;
      for (int64_t i = outEllipsis; i > 0; --i)
        dims.push_back(ellipsisLabel(i));
      size_t dots = outTerm.find("...");
      out = outTerm.substr(0, dots).str() + dims +
            outTerm.substr(dots + 3).str();
    } else {
      out = outTerm.str();
    }
  } else {
    for (int64_t i = ellipsisRank; i > 0; --i)
      out.push_back(ellipsisLabel(i));
    for (char c = 'A'; c <= 'z'; ++c)
      if (llvm::isAlpha(c) && llvm::count(written, c) == 1)
        out.push_back(c);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (out.find(c, i + 1) != std::string::npos)
      return ctx.fail("output label '" + std::string(1, c) +
                      "' is repeated");
    if (llvm::none_of(ops, [&](const Term &t) {
          return StringRef(t.labels).contains(c);
        }))
      return ctx.fail("output label '" + std::string(1, c) +
                      "' is in no operand");
  }
  // Sizes must agree (or be 1 for a broadcast ellipsis dimension).
  llvm::DenseMap<char, int64_t> sizes;
  for (const Term &t : ops)
    for (char c : t.labels) {
      int64_t n = sizeOf(t, c);
      auto [it, fresh] = sizes.try_emplace(c, n);
      if (!fresh && it->second != n) {
        if (it->second != 1 && n != 1)
          return ctx.fail("label '" + std::string(1, c) +
                          "' has sizes " + std::to_string(it->second) +
                          " and " + std::to_string(n));
        it->second = std::max(it->second, n);
      }
    }

  Term acc = ops.front();
  for (size_t i = 1; i < ops.size(); ++i) {
    // Keep what the output or a later operand needs.
    std::string needed = out;
    for (size_t j = i + 1; j < ops.size(); ++j)
      needed += ops[j].labels;
    std::string keep;
    for (char c : acc.labels + ops[i].labels)
      if (StringRef(needed).contains(c) && !StringRef(keep).contains(c))
        keep.push_back(c);
    acc = contract(ctx, acc, ops[i], keep);
  }
  acc = sumExcept(ctx, acc, out);
  // An output dimension only a size-1 broadcast had stays 1; one a
  // broadcast made larger is expanded.
  acc = permute(ctx, acc, out);
  SmallVector<int64_t> shape;
  for (char c : out)
    shape.push_back(sizes[c]);
  if (typeOf(acc.value).getShape() != ArrayRef<int64_t>(shape))
    acc.value = BroadcastToOp::create(
        ctx.b, ctx.loc, typeOf(acc.value).clone(shape), acc.value);
  ctx.setOutput(0, acc.value);
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerEinsumImporter(Registry &r) {
  r.op("Einsum", 12, einsum);
}
