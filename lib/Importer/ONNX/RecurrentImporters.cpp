//===- RecurrentImporters.cpp - ONNX RNN, GRU, LSTM -> yz.loop ------------===//
//
// Part of Yizhuang. A recurrent layer becomes, per direction:
// - one yz.matmul projecting the input of every time step at once
//   ([T*B, I] x [I, G*H], with the biases that do not depend on the state),
//   so the bulk of the work is one large matmul (one NPU job when quantized);
// - a yz.loop over the T steps carrying the hidden state (and the cell, for
//   LSTM) and, when Y is wanted, Y itself, updated row by row.
// The reverse direction runs forward over the input reversed within each
// sequence's length, and reverses its Y back (ReverseSequence).
//
//===----------------------------------------------------------------------===//

#include "Formulas.h"
#include "Importer.h"

#include "yz/Dialect/Yz/IR/YzOps.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Formulas plus the shape ops the layers need; operands fit by construction.
struct Build : Formula {
  Value slice(Value x, ArrayRef<int64_t> starts, ArrayRef<int64_t> sizes) {
    SmallVector<int64_t> strides(starts.size(), 1);
    return SliceOp::create(ctx.b, ctx.loc, x, starts, sizes, strides);
  }
  /// Row `d` of dimension 0, without that dimension.
  Value row(Value x, int64_t d) {
    ArrayRef<int64_t> shape = typeOf(x).getShape();
    SmallVector<int64_t> starts(shape.size(), 0), sizes(shape);
    starts[0] = d;
    sizes[0] = 1;
    return ctx.reshape(slice(x, starts, sizes), shape.drop_front());
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return TransposeOp::create(ctx.b, ctx.loc, x, perm);
  }
  Value matmul(Value a, Value b) {
    return MatmulOp::create(ctx.b, ctx.loc, a, b);
  }
  Value concat(ValueRange xs, int64_t axis) {
    if (xs.size() == 1)
      return xs.front();
    return ConcatOp::create(ctx.b, ctx.loc, xs, axis);
  }
  Value splat(ArrayRef<int64_t> shape, Type type, double v) {
    auto t = RankedTensorType::get(shape, type);
    Attribute a = isa<FloatType>(type)
                      ? Attribute(ctx.b.getFloatAttr(type, v))
                      : Attribute(ctx.b.getIntegerAttr(type, int64_t(v)));
    return yz::ConstantOp::create(ctx.b, ctx.loc, DenseElementsAttr::get(t, a));
  }
  Value ints(ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
    auto t = RankedTensorType::get(shape, ctx.b.getI64Type());
    return yz::ConstantOp::create(ctx.b, ctx.loc,
                                  DenseElementsAttr::get(t, values));
  }
  Value toI64(Value x) {
    auto t = typeOf(x);
    if (t.getElementType().isInteger(64))
      return x;
    return CastOp::create(ctx.b, ctx.loc, t.clone(ctx.b.getI64Type()), x);
  }
};

/// `x` reversed along `timeAxis` within the first lens[b] elements of each
/// batch entry b (along `batchAxis`); the rest stay in place. Without
/// `lens`, the whole axis reverses.
Value reverseSequence(Build &f, Value x, Value lens, int64_t timeAxis,
                      int64_t batchAxis) {
  auto t = typeOf(x);
  int64_t rank = t.getRank(), steps = t.getDimSize(timeAxis);
  if (!lens) {
    SmallVector<int64_t> starts(rank, 0), sizes(t.getShape()),
        strides(rank, 1);
    starts[timeAxis] = steps - 1;
    strides[timeAxis] = -1;
    return SliceOp::create(f.ctx.b, f.ctx.loc, x, starts, sizes, strides);
  }
  // idx = time < len ? len - 1 - time : time, over [time x batch].
  SmallVector<int64_t> timeShape(rank, 1), batchShape(rank, 1);
  timeShape[timeAxis] = steps;
  batchShape[batchAxis] = t.getDimSize(batchAxis);
  Value time = f.ints(timeShape, llvm::to_vector(llvm::seq<int64_t>(0, steps)));
  Value len = f.ctx.reshape(f.toI64(lens), batchShape);
  Value one = f.ctx.scalar(f.ctx.b.getI64Type(), 1);
  Value idx = f.select(f.less(time, len), f.sub(f.sub(len, one), time), time);
  idx = BroadcastToOp::create(f.ctx.b, f.ctx.loc,
                              t.clone(f.ctx.b.getI64Type()), idx);
  return GatherElementsOp::create(f.ctx.b, f.ctx.loc, x, idx, timeAxis);
}

/// An activation from the layer's list, with its alpha and beta.
struct Activation {
  std::string name;
  double alpha = 0, beta = 0;
};

struct ActivationInfo {
  const char *name;
  int params; // 0, 1 (alpha) or 2 (alpha, beta)
  double alpha, beta;
};

const ActivationInfo kActivations[] = {
    {"Relu", 0, 0, 0},        {"Tanh", 0, 0, 0},
    {"Sigmoid", 0, 0, 0},     {"Softsign", 0, 0, 0},
    {"Softplus", 0, 0, 0},    {"Affine", 2, 1, 0},
    {"LeakyRelu", 1, 0.01, 0}, {"ThresholdedRelu", 1, 1, 0},
    {"ScaledTanh", 2, 1, 1},  {"HardSigmoid", 2, 0.2, 0.5},
    {"Elu", 1, 1, 0},
};

/// The `activations` list (or `defaults` per direction) with their
/// parameters. activation_alpha/beta hold either one value per activation,
/// or (as onnxruntime reads them) values only for the activations that
/// take them, in order.
FailureOr<SmallVector<Activation>>
activations(NodeContext &ctx, ArrayRef<const char *> defaults, int64_t dirs) {
  SmallVector<std::string> names;
  if (const auto *a = ctx.attr("activations"))
    for (const auto &s : a->strings())
      names.push_back(s);
  else
    for (int64_t d = 0; d < dirs; ++d)
      for (const char *n : defaults)
        names.push_back(n);
  if (names.size() != defaults.size() * size_t(dirs))
    return ctx.fail("activations must name " +
                    std::to_string(defaults.size()) +
                    " function(s) per direction, got " +
                    std::to_string(names.size()));
  std::vector<float> alphas = ctx.floatsAttr("activation_alpha")
                                  .value_or(std::vector<float>{});
  std::vector<float> betas =
      ctx.floatsAttr("activation_beta").value_or(std::vector<float>{});
  SmallVector<Activation> result;
  size_t ai = 0, bi = 0;
  bool alphaPerName = alphas.size() == names.size();
  bool betaPerName = betas.size() == names.size();
  for (auto [pos, name] : llvm::enumerate(names)) {
    const ActivationInfo *info = nullptr;
    for (const auto &k : kActivations)
      if (llvm::StringRef(k.name).equals_insensitive(name))
        info = &k;
    if (!info)
      return ctx.fail("unknown activation '" + name + "'");
    Activation act{info->name, info->alpha, info->beta};
    if (info->params >= 1) {
      if (alphaPerName)
        act.alpha = alphas[pos];
      else if (ai < alphas.size())
        act.alpha = alphas[ai++];
    }
    if (info->params >= 2) {
      if (betaPerName)
        act.beta = betas[pos];
      else if (bi < betas.size())
        act.beta = betas[bi++];
    }
    result.push_back(act);
  }
  if ((!alphaPerName && ai != alphas.size()) ||
      (!betaPerName && bi != betas.size()))
    return ctx.fail("activation_alpha/activation_beta have more values than "
                    "the activations take");
  return result;
}

Value apply(Build &f, const Activation &a, Value x) {
  StringRef n = a.name;
  if (n == "Relu")
    return f.relu(x);
  if (n == "Tanh")
    return f.tanh(x);
  if (n == "Sigmoid")
    return f.sigmoid(x);
  if (n == "Softsign")
    return f.softsign(x);
  if (n == "Softplus")
    return f.softplus(x);
  if (n == "Affine")
    return f.add(f.mul(x, f.c(a.alpha)), f.c(a.beta));
  if (n == "LeakyRelu")
    return f.leakyRelu(x, a.alpha);
  if (n == "ThresholdedRelu")
    return f.thresholdedRelu(x, a.alpha);
  if (n == "ScaledTanh")
    return f.mul(f.c(a.alpha), f.tanh(f.mul(x, f.c(a.beta))));
  if (n == "HardSigmoid")
    return f.hardSigmoid(x, a.alpha, a.beta);
  assert(n == "Elu");
  return f.elu(x, a.alpha);
}

enum class Cell { RNN, GRU, LSTM };

/// One direction's weights, laid out for the step: transposed and split.
struct Direction {
  Value proj;        // [T, B, G*H]: x_t W^T + biases, every step
  Value recurrence;  // [H, G*H] (GRU without linear_before_reset: [H, 2H])
  Value recurrenceH; // GRU without linear_before_reset: [H, H], applied to
                     // r * h for the candidate gate
  Value hiddenBias;  // GRU with linear_before_reset: Rbh [H]
  Value peepI, peepO, peepF; // LSTM: [H] each, or null
  Value h0, c0;              // [B, H]
  ArrayRef<Activation> acts;
};

struct Layer {
  NodeContext &ctx;
  Cell cell;
  int64_t gates, hidden, steps, batch;
  std::optional<double> clip;
  bool linearBeforeReset = false, inputForget = false, wantY = false;
  Value lens; // i64 [B], or null

  Value clipped(Build &f, Value x) {
    if (!clip)
      return x;
    return f.min(f.max(x, f.c(-*clip)), f.c(*clip));
  }
  Value act(Build &f, const Direction &d, size_t i, Value x) {
    return apply(f, d.acts[i], clipped(f, x));
  }
  Value gate(Build &f, Value x, int64_t i) {
    return f.slice(x, {0, i * hidden}, {batch, hidden});
  }

  /// The new hidden state (and cell) from step input `xt` ([B, G*H]).
  std::pair<Value, Value> step(Build &f, const Direction &d, Value xt,
                               Value h, Value c) {
    if (cell == Cell::RNN)
      return {act(f, d, 0, f.add(xt, f.matmul(h, d.recurrence))), {}};
    if (cell == Cell::GRU) {
      Value zr = f.matmul(h, d.recurrence);
      Value z = act(f, d, 0, f.add(gate(f, xt, 0), gate(f, zr, 0)));
      Value r = act(f, d, 0, f.add(gate(f, xt, 1), gate(f, zr, 1)));
      Value rh = linearBeforeReset
                     ? f.mul(r, f.add(gate(f, zr, 2), d.hiddenBias))
                     : f.matmul(f.mul(r, h), d.recurrenceH);
      Value cand = act(f, d, 1, f.add(gate(f, xt, 2), rh));
      // (1 - z) cand + z h = cand + z (h - cand)
      return {f.add(cand, f.mul(z, f.sub(h, cand))), {}};
    }
    // LSTM, gates in the order i, o, f, c.
    Value pre = f.add(xt, f.matmul(h, d.recurrence));
    Value i = gate(f, pre, 0), o = gate(f, pre, 1), fg = gate(f, pre, 2),
          g = gate(f, pre, 3);
    if (d.peepI)
      i = f.add(i, f.mul(d.peepI, c));
    i = act(f, d, 0, i);
    if (inputForget) {
      fg = f.sub(f.c(1), i);
    } else {
      if (d.peepF)
        fg = f.add(fg, f.mul(d.peepF, c));
      fg = act(f, d, 0, fg);
    }
    Value cNext = f.add(f.mul(fg, c), f.mul(i, act(f, d, 1, g)));
    if (d.peepO)
      o = f.add(o, f.mul(d.peepO, cNext));
    o = act(f, d, 0, o);
    return {f.mul(o, apply(f, d.acts[2], cNext)), cNext};
  }

  /// Runs one direction over its (already ordered) projection; returns
  /// Y ([T, B, H], or null), the last h and c.
  std::tuple<Value, Value, Value> run(Build &f, const Direction &d) {
    OpBuilder &b = ctx.b;
    Location loc = ctx.loc;
    Type elt = f.elt;
    int64_t gh = gates * hidden;
    Value zeros2 = f.ints({2}, {0, 0});
    Value ones3 = f.ints({3}, {1, 1, 1});
    Value zero = f.c(0);
    SmallVector<Value> inits = {d.h0};
    if (d.c0)
      inits.push_back(d.c0);
    if (wantY)
      inits.push_back(f.splat({steps, batch, hidden}, elt, 0));
    auto loop = LoopOp::create(b, loc, b.getI64IntegerAttr(steps), inits);
    SmallVector<Type> argTypes = {RankedTensorType::get({}, b.getI64Type())};
    llvm::append_range(argTypes, ValueRange(inits).getTypes());
    SmallVector<Location> locs(argTypes.size(), loc);
    {
      OpBuilder::InsertionGuard guard(b);
      Block *body = b.createBlock(&loop.getBody(), {}, argTypes, locs);
      Value t = body->getArgument(0);
      Value h = body->getArgument(1);
      Value c = d.c0 ? body->getArgument(2) : Value();
      Value y = wantY ? body->getArguments().back() : Value();
      Value t1 = ctx.reshape(t, {1});
      Value offsets = f.concat({t1, zeros2}, 0);
      Value xt = DynamicSliceOp::create(
          b, loc, RankedTensorType::get({1, batch, gh}, elt), d.proj, offsets,
          ones3);
      xt = ctx.reshape(xt, {batch, gh});
      auto [hNext, cNext] = step(f, d, xt, h, c);
      Value yRow = hNext;
      if (lens) {
        // Past a sequence's end the state holds and Y is 0.
        Value live = ctx.reshape(f.less(t, lens), {batch, 1});
        hNext = f.select(live, hNext, h);
        if (c)
          cNext = f.select(live, cNext, c);
        yRow = f.select(live, yRow, zero);
      }
      SmallVector<Value> next = {hNext};
      if (c)
        next.push_back(cNext);
      if (y)
        next.push_back(ScatterNDOp::create(
            b, loc, y, ctx.reshape(t, {1, 1}),
            ctx.reshape(yRow, {1, batch, hidden}), b.getStringAttr("none")));
      YieldOp::create(b, loc, next);
    }
    Value c = d.c0 ? loop.getResult(1) : Value();
    Value y = wantY ? loop.getResults().back() : Value();
    return {y, loop.getResult(0), c};
  }
};

LogicalResult importRecurrent(NodeContext &ctx, Cell cell) {
  int64_t gates = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 3 : 4;
  Value x = ctx.input(0), w = ctx.input(1), r = ctx.input(2),
        bias = ctx.input(3), lens = ctx.input(4), h0 = ctx.input(5);
  Value c0 = cell == Cell::LSTM ? ctx.input(6) : Value();
  Value peep = cell == Cell::LSTM ? ctx.input(7) : Value();
  auto xt = typeOf(x);
  Type elt = xt.getElementType();
  if (!isa<FloatType>(elt))
    return ctx.fail("X must be a float tensor");
  for (Value v : {x, w, r, bias, h0, c0, peep, lens})
    if (v && !typeOf(v).hasStaticShape())
      return ctx.fail("needs static shapes");
  if (xt.getRank() != 3)
    return ctx.fail("X must have rank 3");

  std::string direction = ctx.stringAttr("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return ctx.fail("direction must be forward, reverse or bidirectional, "
                    "got " + direction);
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t layout = ctx.intAttr("layout", 0);
  if (layout != 0 && layout != 1)
    return ctx.fail("layout must be 0 or 1");
  ArrayRef<int64_t> rs = typeOf(r).getShape();
  int64_t hidden = ctx.intAttr("hidden_size", rs.size() == 3 ? rs[2] : -1);

  Build f{{ctx, elt}};
  if (layout == 1) {
    // [B, T, I] and [B, D, H] to the layout-0 order.
    x = f.transpose(x, {1, 0, 2});
    if (h0)
      h0 = f.transpose(h0, {1, 0, 2});
    if (c0)
      c0 = f.transpose(c0, {1, 0, 2});
  }
  int64_t steps = typeOf(x).getDimSize(0), batch = typeOf(x).getDimSize(1),
          in = typeOf(x).getDimSize(2), gh = gates * hidden;
  auto expect = [&](Value v, const char *name,
                    ArrayRef<int64_t> shape) -> LogicalResult {
    if (!v || typeOf(v).getShape() == shape)
      return success();
    std::string want;
    llvm::raw_string_ostream os(want);
    llvm::interleave(shape, os, "x");
    return ctx.fail(std::string(name) + " must have shape " + want +
                    (layout == 1 ? " (after the layout-1 transpose)" : ""));
  };
  if (failed(expect(w, "W", {dirs, gh, in})) ||
      failed(expect(r, "R", {dirs, gh, hidden})) ||
      failed(expect(bias, "B", {dirs, 2 * gh})) ||
      failed(expect(lens, "sequence_lens", {batch})) ||
      failed(expect(h0, "initial_h", {dirs, batch, hidden})) ||
      failed(expect(c0, "initial_c", {dirs, batch, hidden})) ||
      failed(expect(peep, "P", {dirs, 3 * hidden})))
    return failure();
  for (Value v : {w, r, bias, h0, c0, peep})
    if (v && typeOf(v).getElementType() != elt)
      return ctx.fail("W, R, B, initial_h, initial_c and P must have X's "
                      "element type");

  Layer layer{ctx, cell, gates, hidden, steps, batch};
  if (ctx.attr("clip"))
    layer.clip = ctx.floatAttr("clip", 0);
  if (cell == Cell::GRU)
    layer.linearBeforeReset = ctx.intAttr("linear_before_reset", 0) != 0;
  if (cell == Cell::LSTM)
    layer.inputForget = ctx.intAttr("input_forget", 0) != 0;
  layer.wantY = ctx.wantsOutput(0);
  // Lengths that are all T change nothing; constant ones are checked.
  if (lens) {
    if (!typeOf(lens).getElementType().isInteger(32) &&
        !typeOf(lens).getElementType().isInteger(64))
      return ctx.fail("sequence_lens must be int32 or int64");
    if (auto known = ctx.constantInts(4)) {
      for (int64_t l : *known)
        if (l < 0 || l > steps)
          return ctx.fail("sequence_lens value " + std::to_string(l) +
                          " is outside [0, " + std::to_string(steps) + "]");
      if (llvm::all_of(*known, [&](int64_t l) { return l == steps; }))
        lens = Value();
    }
    if (lens)
      layer.lens = f.toI64(lens);
  }

  SmallVector<const char *> defaults;
  if (cell == Cell::RNN)
    defaults = {"Tanh"};
  else if (cell == Cell::GRU)
    defaults = {"Sigmoid", "Tanh"};
  else
    defaults = {"Sigmoid", "Tanh", "Tanh"};
  auto acts = activations(ctx, defaults, dirs);
  if (failed(acts))
    return failure();

  SmallVector<Value> ys, hs, cs;
  for (int64_t di = 0; di < dirs; ++di) {
    bool reverse = direction == "reverse" || di == 1;
    Direction d;
    d.acts = ArrayRef(*acts).slice(di * defaults.size(), defaults.size());
    Value xd = reverse ? reverseSequence(f, x, layer.lens, 0, 1) : x;
    Value wT = f.transpose(f.row(w, di), {1, 0}); // [I, G*H]
    Value rT = f.transpose(f.row(r, di), {1, 0}); // [H, G*H]
    Value proj = f.matmul(f.ctx.reshape(xd, {steps * batch, in}), wT);
    if (bias) {
      Value bd = f.row(bias, di);
      Value wb = f.slice(bd, {0}, {gh}), rb = f.slice(bd, {gh}, {gh});
      Value stateFree = rb;
      if (cell == Cell::GRU && layer.linearBeforeReset) {
        // Rbh is added before the reset gate multiplies; keep it apart.
        d.hiddenBias = f.slice(rb, {2 * hidden}, {hidden});
        stateFree = f.concat(
            {f.slice(rb, {0}, {2 * hidden}), f.splat({hidden}, elt, 0)}, 0);
      }
      proj = f.add(proj, f.add(wb, stateFree));
    } else if (cell == Cell::GRU && layer.linearBeforeReset) {
      d.hiddenBias = f.splat({hidden}, elt, 0);
    }
    d.proj = ctx.reshape(proj, {steps, batch, gh});
    if (cell == Cell::GRU) {
      if (layer.linearBeforeReset) {
        d.recurrence = rT; // all three gates' h R^T in one matmul
      } else {
        d.recurrence = f.slice(rT, {0, 0}, {hidden, 2 * hidden});
        d.recurrenceH = f.slice(rT, {0, 2 * hidden}, {hidden, hidden});
      }
    } else {
      d.recurrence = rT;
    }
    if (peep) {
      Value p = f.row(peep, di);
      d.peepI = f.slice(p, {0}, {hidden});
      d.peepO = f.slice(p, {hidden}, {hidden});
      d.peepF = f.slice(p, {2 * hidden}, {hidden});
    }
    d.h0 = h0 ? f.row(h0, di) : f.splat({batch, hidden}, elt, 0);
    if (cell == Cell::LSTM)
      d.c0 = c0 ? f.row(c0, di) : f.splat({batch, hidden}, elt, 0);

    auto [y, h, c] = layer.run(f, d);
    if (y) {
      if (reverse)
        y = reverseSequence(f, y, layer.lens, 0, 1);
      ys.push_back(ctx.reshape(y, {steps, 1, batch, hidden}));
    }
    hs.push_back(ctx.reshape(h, {1, batch, hidden}));
    if (c)
      cs.push_back(ctx.reshape(c, {1, batch, hidden}));
  }

  auto finish = [&](size_t i, SmallVector<Value> &parts, int64_t axis,
                    ArrayRef<int64_t> perm) {
    if (!ctx.wantsOutput(i))
      return;
    Value v = f.concat(parts, axis);
    ctx.setOutput(i, layout == 1 ? f.transpose(v, perm) : v);
  };
  finish(0, ys, 1, {2, 0, 1, 3});
  finish(1, hs, 0, {1, 0, 2});
  if (cell == Cell::LSTM)
    finish(2, cs, 0, {1, 0, 2});
  return success();
}

LogicalResult reverseSequenceOp(NodeContext &ctx) {
  Value x = ctx.input(0), lens = ctx.input(1);
  auto t = typeOf(x);
  int64_t timeAxis = ctx.intAttr("time_axis", 0);
  int64_t batchAxis = ctx.intAttr("batch_axis", 1);
  if (!t.hasStaticShape() || t.getRank() < 2)
    return ctx.fail("input must have a static shape of rank >= 2");
  if ((timeAxis != 0 && timeAxis != 1) || (batchAxis != 0 && batchAxis != 1) ||
      timeAxis == batchAxis)
    return ctx.fail("time_axis and batch_axis must be 0 and 1 or 1 and 0");
  if (typeOf(lens).getShape() != ArrayRef<int64_t>{t.getDimSize(batchAxis)})
    return ctx.fail("sequence_lens must have one value per batch entry");
  if (!typeOf(lens).getElementType().isInteger(64))
    return ctx.fail("sequence_lens must be int64");
  if (auto known = ctx.constantInts(1))
    for (int64_t l : *known)
      if (l < 0 || l > t.getDimSize(timeAxis))
        return ctx.fail("sequence_lens value " + std::to_string(l) +
                        " is outside [0, " +
                        std::to_string(t.getDimSize(timeAxis)) + "]");
  Build f{{ctx, t.getElementType()}};
  ctx.setOutput(0, reverseSequence(f, x, lens, timeAxis, batchAxis));
  return success();
}

} // namespace

void mlir::yz::onnx_import::registerRecurrentImporters(Registry &r) {
  r.op("RNN", 1, [](NodeContext &c) { return importRecurrent(c, Cell::RNN); });
  r.op("GRU", 1, [](NodeContext &c) { return importRecurrent(c, Cell::GRU); });
  r.op("LSTM", 1,
       [](NodeContext &c) { return importRecurrent(c, Cell::LSTM); });
  r.op("ReverseSequence", 10, reverseSequenceOp);
}
