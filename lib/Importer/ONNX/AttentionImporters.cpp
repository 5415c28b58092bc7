//===- AttentionImporters.cpp - ONNX Attention, RotaryEmbedding -> yz -----===//
//
// Part of Yizhuang. The fused ops current LLM exports are written in (opset
// 23), composed of yz matmuls, softmax and elementwise ops so that every
// strategy (CPU, NPU, int8, bf16) applies to them unchanged:
//
//   Attention        softmax(Q K^T x scale + mask) V, multi-head with
//                    grouped-query heads, causal or explicit masks, softcap
//                    and a past/present key-value cache;
//   RotaryEmbedding  the rotation of each head's (first rotary_dim)
//                    features by position, halves or interleaved pairs.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

std::string str(int64_t v) { return std::to_string(v); }

Value transpose(NodeContext &ctx, Value v, ArrayRef<int64_t> perm) {
  return yz::TransposeOp::create(ctx.b, ctx.loc, v, perm);
}

Value slice(NodeContext &ctx, Value v, int64_t axis, int64_t from,
            int64_t size, int64_t step = 1) {
  auto t = typeOf(v);
  SmallVector<int64_t> starts(t.getRank(), 0), sizes(t.getShape()),
      steps(t.getRank(), 1);
  starts[axis] = from, sizes[axis] = size, steps[axis] = step;
  return yz::SliceOp::create(ctx.b, ctx.loc, v, starts, sizes, steps);
}

/// A 3-D [B, S, H x D] input as [B, H, S, D].
Value splitHeads(NodeContext &ctx, Value v, int64_t heads) {
  ArrayRef<int64_t> s = typeOf(v).getShape();
  return transpose(ctx, ctx.reshape(v, {s[0], s[1], heads, s[2] / heads}),
                   {0, 2, 1, 3});
}

/// `v` ([B, H, T, D]) with each head repeated `times` times in place
/// (h0 h0 h1 h1 ...), as grouped-query attention shares a key-value head
/// among consecutive query heads (PyTorch's repeat_interleave; ONNX's
/// reference, which tiled, was corrected to this).
Value repeatHeads(NodeContext &ctx, Value v, int64_t times) {
  if (times == 1)
    return v;
  auto t = typeOf(v);
  ArrayRef<int64_t> s = t.getShape();
  Value unit = ctx.reshape(v, {s[0], s[1], 1, s[2], s[3]});
  Value wide = yz::BroadcastToOp::create(
      ctx.b, ctx.loc, t.clone({s[0], s[1], times, s[2], s[3]}), unit);
  return ctx.reshape(wide, {s[0], s[1] * times, s[2], s[3]});
}

LogicalResult attention(NodeContext &ctx) {
  Value q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
  Value mask = ctx.input(3), pastK = ctx.input(4), pastV = ctx.input(5);
  auto qt = typeOf(q);
  int64_t rank = qt.getRank();
  if (rank != 3 && rank != 4)
    return ctx.fail("Q must be 3-D [B, S, H x D] or 4-D [B, H, S, D]");
  if (typeOf(k).getRank() != rank || typeOf(v).getRank() != rank)
    return ctx.fail("Q, K and V must have the same rank");
  for (Value x : {q, k, v})
    if (!typeOf(x).hasStaticShape())
      return ctx.fail("needs static shapes");
  Type elt = qt.getElementType();
  if (!isa<FloatType>(elt) || typeOf(k).getElementType() != elt ||
      typeOf(v).getElementType() != elt)
    return ctx.fail("Q, K and V must be floats of one type");
  int64_t qHeads = ctx.intAttr("q_num_heads", 0);
  int64_t kvHeads = ctx.intAttr("kv_num_heads", 0);
  if (rank == 3) {
    if (qHeads < 1 || kvHeads < 1)
      return ctx.fail("3-D inputs need q_num_heads and kv_num_heads");
    if (qt.getDimSize(2) % qHeads || typeOf(k).getDimSize(2) % kvHeads ||
        typeOf(v).getDimSize(2) % kvHeads)
      return ctx.fail("the hidden sizes must divide by the numbers of heads");
    q = splitHeads(ctx, q, qHeads);
    k = splitHeads(ctx, k, kvHeads);
    v = splitHeads(ctx, v, kvHeads);
  }
  ArrayRef<int64_t> qs = typeOf(q).getShape(), ks = typeOf(k).getShape(),
                    vs = typeOf(v).getShape();
  int64_t batch = qs[0], hq = qs[1], sq = qs[2], d = qs[3];
  int64_t hkv = ks[1];
  if (ks[0] != batch || vs[0] != batch || vs[1] != hkv || vs[2] != ks[2])
    return ctx.fail("K and V must be [B, H_kv, T, D] alike (batch " +
                    str(batch) + ")");
  if (ks[3] != d)
    return ctx.fail("Q and K head sizes differ (" + str(d) + " and " +
                    str(ks[3]) + ")");
  if ((rank == 4 && ((qHeads && qHeads != hq) || (kvHeads && kvHeads != hkv))))
    return ctx.fail("q_num_heads and kv_num_heads differ from the inputs'");
  if (hq % hkv)
    return ctx.fail("the query heads (" + str(hq) +
                    ") must be a multiple of the key-value heads (" +
                    str(hkv) + ")");

  // The cache: the past, then this step's keys and values.
  if (bool(pastK) != bool(pastV))
    return ctx.fail("past_key and past_value go together");
  if (pastK) {
    auto pk = ctx.create<yz::ConcatOp>(ValueRange{pastK, k}, 2);
    auto pv = ctx.create<yz::ConcatOp>(ValueRange{pastV, v}, 2);
    if (failed(pk) || failed(pv))
      return failure();
    k = *pk, v = *pv;
  }
  if (ctx.wantsOutput(1))
    ctx.setOutput(1, k);
  if (ctx.wantsOutput(2))
    ctx.setOutput(2, v);
  int64_t total = typeOf(k).getDimSize(2);

  // Q K^T x scale, the scale split between Q and K (less overflow).
  double scale = 1.0 / std::sqrt(double(d));
  if (const auto *a = ctx.attr("scale"))
    scale = a->f();
  Value root = ctx.scalar(elt, std::sqrt(scale));
  OpBuilder &b = ctx.b;
  Value qScaled = yz::MulOp::create(b, ctx.loc, q, root);
  Value kScaled = yz::MulOp::create(b, ctx.loc, k, root);
  int64_t group = hq / hkv;
  Value scores = yz::MatmulOp::create(
      b, ctx.loc, qScaled,
      transpose(ctx, repeatHeads(ctx, kScaled, group), {0, 1, 3, 2}));
  Value raw = scores;

  // The bias: causal (a query sees the keys up to its own position,
  // aligned at the first) and the mask (bool: where to attend; float:
  // added).
  double inf = std::numeric_limits<double>::infinity();
  int64_t causal = ctx.intAttr("is_causal", 0);
  if (causal != 0 && causal != 1)
    return ctx.fail("is_causal must be 0 or 1");
  if (causal) {
    std::vector<float> bias(sq * total);
    for (int64_t i = 0; i < sq; ++i)
      for (int64_t j = 0; j < total; ++j)
        bias[i * total + j] = j > i ? -float(inf) : 0.0f;
    auto type = RankedTensorType::get({sq, total}, b.getF32Type());
    auto c = ctx.convert(yz::ConstantOp::create(
                                b, ctx.loc, DenseElementsAttr::get(
                                                type, ArrayRef<float>(bias))),
                       elt);
    if (failed(c))
      return failure();
    scores = yz::AddOp::create(b, ctx.loc, scores, *c);
  }
  if (mask) {
    Type mt = typeOf(mask).getElementType();
    Value bias = mask;
    if (mt.isInteger(1))
      bias = yz::SelectOp::create(b, ctx.loc, mask, ctx.scalar(elt, 0),
                                  ctx.scalar(elt, -inf));
    else if (mt != elt)
      return ctx.fail("attn_mask must be bool or of Q's type");
    // The mask broadcasts to the scores [B, H_q, S_q, T] (numpy's rule).
    ArrayRef<int64_t> ms = typeOf(mask).getShape(),
                      ss = typeOf(scores).getShape();
    bool fits = ms.size() <= ss.size();
    for (size_t i = 0; fits && i < ms.size(); ++i) {
      int64_t m = ms[ms.size() - 1 - i], s = ss[ss.size() - 1 - i];
      fits = m == 1 || m == s;
    }
    if (!fits) {
      std::string shape;
      for (int64_t e : ms)
        shape += (shape.empty() ? "" : ", ") + str(e);
      return ctx.fail("attn_mask [" + shape + "] does not broadcast to [" +
                      str(batch) + ", " + str(hq) + ", " + str(sq) + ", " +
                      str(total) + "]");
    }
    scores = yz::AddOp::create(b, ctx.loc, scores, bias);
  }
  int64_t mode = ctx.intAttr("qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3)
    return ctx.fail("qk_matmul_output_mode must be 0 to 3");
  if (mode == 1)
    raw = scores;
  if (float cap = ctx.floatAttr("softcap", 0.0f); cap > 0) {
    Value c = ctx.scalar(elt, cap);
    scores = yz::MulOp::create(
        b, ctx.loc, c,
        yz::TanhOp::create(b, ctx.loc, yz::DivOp::create(b, ctx.loc, scores, c)));
  }
  if (mode == 2)
    raw = scores;
  // softmax_precision: the type the softmax computes in.
  Type precision = elt;
  if (const auto *a = ctx.attr("softmax_precision")) {
    precision = ctx.graph.elementType(int32_t(a->i()));
    if (!precision || !isa<FloatType>(precision))
      return ctx.fail("softmax_precision must be a float type");
  }
  auto wide = ctx.convert(scores, precision);
  if (failed(wide))
    return failure();
  auto weights = ctx.convert(
      yz::SoftmaxOp::create(b, ctx.loc, *wide, b.getI64IntegerAttr(3)),
      elt);
  if (failed(weights))
    return failure();
  if (mode == 3)
    raw = *weights;
  if (ctx.wantsOutput(3))
    ctx.setOutput(3, raw);

  Value y = yz::MatmulOp::create(b, ctx.loc, *weights,
                                 repeatHeads(ctx, v, group));
  if (rank == 3)
    y = ctx.reshape(transpose(ctx, y, {0, 2, 1, 3}),
                    {batch, sq, hq * vs[3]});
  ctx.setOutput(0, y);
  return success();
}

LogicalResult rotaryEmbedding(NodeContext &ctx) {
  Value x = ctx.input(0), cosCache = ctx.input(1), sinCache = ctx.input(2);
  Value positions = ctx.input(3);
  auto xt = typeOf(x);
  if (!xt.hasStaticShape() || (xt.getRank() != 3 && xt.getRank() != 4))
    return ctx.fail("the input must be a static 3-D [B, S, H x D] or 4-D "
                    "[B, H, S, D] tensor");
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt) || typeOf(cosCache).getElementType() != elt ||
      typeOf(sinCache).getElementType() != elt)
    return ctx.fail("the input and the caches must be floats of one type");
  // As [B, S, H, D].
  int64_t heads = ctx.intAttr("num_heads", 0);
  Value v;
  if (xt.getRank() == 4) {
    if (heads && heads != xt.getDimSize(1))
      return ctx.fail("num_heads differs from the input's heads");
    v = transpose(ctx, x, {0, 2, 1, 3});
  } else {
    if (heads < 1 || xt.getDimSize(2) % heads)
      return ctx.fail("a 3-D input needs num_heads dividing its hidden size");
    v = ctx.reshape(x, {xt.getDimSize(0), xt.getDimSize(1), heads,
                        xt.getDimSize(2) / heads});
  }
  ArrayRef<int64_t> s = typeOf(v).getShape();
  int64_t batch = s[0], seq = s[1], h = s[2], d = s[3];
  int64_t rot = ctx.intAttr("rotary_embedding_dim", 0);
  if (rot == 0)
    rot = d;
  if (rot < 2 || rot > d || rot % 2)
    return ctx.fail("rotary_embedding_dim must be even and at most the head "
                    "size (" + str(d) + ")");
  int64_t half = rot / 2;
  int64_t interleaved = ctx.intAttr("interleaved", 0);
  if (interleaved != 0 && interleaved != 1)
    return ctx.fail("interleaved must be 0 or 1");

  // cos and sin [B, S, 1, rot / 2]: looked up by position, or given so.
  auto lookup = [&](Value cache) -> FailureOr<Value> {
    auto ct = typeOf(cache);
    Value c = cache;
    if (positions) {
      auto pt = typeOf(positions);
      if (ct.getRank() != 2 || pt.getShape() != ArrayRef<int64_t>{batch, seq})
        return ctx.fail("with position_ids [" + str(batch) + ", " + str(seq) +
                        "], the caches must be 2-D [positions, rot / 2]");
      auto g = ctx.create<yz::GatherOp>(cache, positions, 0);
      if (failed(g))
        return failure();
      c = *g;
    } else if (ct.getRank() != 3 || ct.getDimSize(0) != batch ||
               ct.getDimSize(1) != seq) {
      return ctx.fail("without position_ids, the caches must be [" +
                      str(batch) + ", " + str(seq) + ", rot / 2]");
    }
    if (typeOf(c).getDimSize(2) < half)
      return ctx.fail("the caches have fewer than rot / 2 = " + str(half) +
                      " values per position");
    return ctx.reshape(slice(ctx, c, 2, 0, half), {batch, seq, 1, half});
  };
  auto cosV = lookup(cosCache);
  if (failed(cosV))
    return failure();
  auto sinV = lookup(sinCache);
  if (failed(sinV))
    return failure();

  Value rotated = slice(ctx, v, 3, 0, rot);
  Value x1 = interleaved ? slice(ctx, rotated, 3, 0, half, 2)
                         : slice(ctx, rotated, 3, 0, half);
  Value x2 = interleaved ? slice(ctx, rotated, 3, 1, half, 2)
                         : slice(ctx, rotated, 3, half, half);
  OpBuilder &b = ctx.b;
  auto mul = [&](Value a, Value c) {
    return yz::MulOp::create(b, ctx.loc, a, c).getResult();
  };
  Value real = yz::SubOp::create(b, ctx.loc, mul(*cosV, x1), mul(*sinV, x2));
  Value imag = yz::AddOp::create(b, ctx.loc, mul(*sinV, x1), mul(*cosV, x2));
  Value joined;
  if (interleaved) {
    // Pairs back in place: [.., rot / 2, 2] -> [.., rot].
    Value pairs = yz::ConcatOp::create(
        b, ctx.loc,
        ValueRange{ctx.reshape(real, {batch, seq, h, half, 1}),
                   ctx.reshape(imag, {batch, seq, h, half, 1})},
        4);
    joined = ctx.reshape(pairs, {batch, seq, h, rot});
  } else {
    joined = yz::ConcatOp::create(b, ctx.loc, ValueRange{real, imag}, 3);
  }
  if (rot < d)
    joined = yz::ConcatOp::create(
        b, ctx.loc, ValueRange{joined, slice(ctx, v, 3, rot, d - rot)}, 3);
  ctx.setOutput(0, xt.getRank() == 4 ? transpose(ctx, joined, {0, 2, 1, 3})
                                     : ctx.reshape(joined, xt.getShape()));
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerAttentionImporters(Registry &r) {
  r.op("Attention", 23, attention,
       {{3, 6, 1, 4,
         "is_causal:i kv_num_heads:i q_num_heads:i qk_matmul_output_mode:i "
         "scale:f softcap:f softmax_precision:i"}});
  r.op("RotaryEmbedding", 23, rotaryEmbedding,
       {{3, 4, 1, 1, "interleaved:i num_heads:i rotary_embedding_dim:i"}});
}
