//===- NodeContext.cpp - what an op importer sees of a node ---------------===//
//
// Part of Yizhuang. See Importer.h.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "yz/Dialect/Yz/IR/ConstantFolding.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Importer/ONNX/ImportONNX.h"

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

/// Results the importer evaluates as it goes (shape subgraphs) are small;
/// larger constant results are left to yz-fold-constants.
static constexpr int64_t kFoldLimit = 1 << 12;

Value NodeContext::input(size_t i) {
  if (i >= numInputs() || node.input(int(i)).empty())
    return {};
  usedInputs.insert(i);
  auto it = graph.values.find(node.input(int(i)));
  return it == graph.values.end() ? Value() : it->second;
}

std::optional<ConstantData> NodeContext::constant(size_t i) {
  Value v = input(i);
  return v ? readConstant(v) : std::nullopt;
}

std::optional<std::vector<int64_t>> NodeContext::constantInts(size_t i) {
  Value v = input(i);
  return v ? readInts(v) : std::nullopt;
}

std::optional<std::vector<double>> NodeContext::constantFloats(size_t i) {
  auto data = constant(i);
  if (!data || !isa<FloatType>(data->type.getElementType()))
    return std::nullopt;
  std::vector<double> out;
  auto ft = cast<FloatType>(data->type.getElementType());
  size_t w = data->width();
  for (int64_t k = 0; k < data->size(); ++k) {
    uint64_t raw = 0;
    std::memcpy(&raw, data->bytes.data() + k * w, w);
    llvm::APFloat f(ft.getFloatSemantics(), llvm::APInt(ft.getWidth(), raw));
    bool lost;
    f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
              &lost);
    out.push_back(f.convertToDouble());
  }
  return out;
}

RankedTensorType NodeContext::declaredType(size_t i) const {
  if (!wantsOutput(i))
    return {};
  auto it = graph.types.find(node.output(int(i)));
  RankedTensorType t =
      it == graph.types.end() ? RankedTensorType() : graph.tensorType(*it->second);
  return t && t.hasStaticShape() ? t : RankedTensorType();
}

void NodeContext::setOutput(size_t i, Value value) {
  setOutputs.insert(i);
  // Evaluate what can be: the shape arithmetic of exported graphs.
  if (Operation *def = value.getDefiningOp())
    if (Value folded = foldToConstant(b, def, kFoldLimit)) {
      value.replaceAllUsesWith(folded);
      // The folded op and the ops of this node that only fed it go.
      SmallVector<Operation *> dead = {def};
      while (!dead.empty()) {
        Operation *op = dead.pop_back_val();
        if (!op->use_empty() || !createdHere(op))
          continue;
        SmallVector<Value> operands(op->getOperands());
        op->erase();
        for (Value v : operands)
          if (Operation *d = v.getDefiningOp())
            dead.push_back(d);
      }
      value = folded;
    }
  graph.values[node.output(int(i))] = value;
}

bool NodeContext::createdHere(Operation *op) const {
  return op->getBlock() == b.getBlock() &&
         (!lastBefore || lastBefore->isBeforeInBlock(op));
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) {
  for (const auto &a : node.attribute())
    if (a.name() == name) {
      usedAttrs.insert(name.str());
      return &a;
    }
  return nullptr;
}

int64_t NodeContext::intAttr(StringRef name, int64_t fallback) {
  const auto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::floatAttr(StringRef name, float fallback) {
  const auto *a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::stringAttr(StringRef name, StringRef fallback) {
  const auto *a = attr(name);
  return a ? a->s() : fallback.str();
}

std::optional<std::vector<int64_t>> NodeContext::intsAttr(StringRef name) {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<std::vector<float>> NodeContext::floatsAttr(StringRef name) {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

LogicalResult NodeContext::fail(const Twine &message) const {
  return emitError(loc) << "node '"
                        << (node.name().empty() ? node.op_type() : node.name())
                        << "' (" << node.op_type() << "): " << message;
}

FailureOr<Value> NodeContext::finish(
    OperationState &state,
    llvm::function_ref<LogicalResult(SmallVectorImpl<Type> &)> infer) {
  // Inference and verification report at the node's location; collect the
  // first message and report it once, naming the node.
  std::string message;
  FailureOr<Value> result = failure();
  {
    ScopedDiagnosticHandler capture(b.getContext(), [&](Diagnostic &d) {
      if (message.empty() && d.getSeverity() == DiagnosticSeverity::Error)
        message = d.str();
      return success();
    });
    SmallVector<Type> types;
    if (infer && failed(infer(types))) {
      if (message.empty())
        message = "the operands do not fit " +
                  state.name.getStringRef().str();
    } else {
      if (infer)
        state.addTypes(types);
      Operation *op = b.create(state);
      if (failed(verify(op, /*verifyRecursively=*/false))) {
        op->erase();
      } else {
        result = op->getResult(0);
      }
    }
  }
  if (failed(result))
    return fail(message.empty() ? "the operands do not fit" : message);
  return result;
}

Value NodeContext::scalar(Type elt, double value) {
  auto type = RankedTensorType::get({}, elt);
  Attribute v = isa<FloatType>(elt)
                    ? Attribute(b.getFloatAttr(elt, value))
                    : Attribute(b.getIntegerAttr(elt, int64_t(value)));
  return yz::ConstantOp::create(b, loc, DenseElementsAttr::get(type, v));
}

Value NodeContext::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType()).clone(shape);
  if (type == v.getType())
    return v;
  return yz::ReshapeOp::create(b, loc, type, v);
}

FailureOr<Value> NodeContext::convert(Value v, Type elt) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == elt)
    return v;
  return createTyped<yz::CastOp>(type.clone(elt), v);
}

FailureOr<Value> NodeContext::padOrCrop(Value x, ArrayRef<int64_t> lowIn,
                                        ArrayRef<int64_t> highIn, Value value,
                                        StringRef mode) {
  auto t = cast<RankedTensorType>(x.getType());
  int64_t rank = t.getRank();
  SmallVector<int64_t> low(lowIn), high(highIn);
  SmallVector<int64_t> from(rank, 0), sizes(t.getShape()), steps(rank, 1);
  bool crop = false, pad = false;
  for (int64_t d = 0; d < rank; ++d) {
    if (low[d] < 0)
      from[d] = -low[d], sizes[d] += low[d], low[d] = 0, crop = true;
    if (high[d] < 0)
      sizes[d] += high[d], high[d] = 0, crop = true;
    if (sizes[d] < 0)
      return fail("negative pads crop more than dimension " +
                  std::to_string(d) + " holds");
    pad |= low[d] > 0 || high[d] > 0;
  }
  if (crop) {
    auto cropped = create<yz::SliceOp>(x, from, sizes, steps);
    if (failed(cropped))
      return failure();
    x = *cropped;
  }
  if (!pad && !value)
    return x;
  return create<yz::PadOp>(x, value, low, high, mode);
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

void Registry::op(StringRef opType, int64_t sinceVersion, OpImporter fn,
                  std::optional<Signature> signature) {
  assert((sinceVersion <= kLibOnnxOpset || signature) &&
         "a version libonnx does not know needs its signature");
  auto &versions = entries[opType];
  versions.push_back({sinceVersion, std::move(fn), signature});
  llvm::sort(versions, [](const Entry &a, const Entry &b) {
    return a.since < b.since;
  });
}

const Registry::Entry *Registry::find(StringRef opType, int64_t opset) const {
  auto it = entries.find(opType);
  if (it == entries.end())
    return nullptr;
  const Entry *found = nullptr;
  for (const Entry &e : it->second)
    if (e.since <= opset)
      found = &e;
  return found;
}

const OpImporter *Registry::lookup(StringRef opType, int64_t opset) const {
  const Entry *e = find(opType, opset);
  return e ? &e->fn : nullptr;
}

const Signature *Registry::signature(StringRef opType, int64_t opset) const {
  const Entry *e = find(opType, opset);
  return e && e->signature ? &*e->signature : nullptr;
}

std::vector<std::pair<std::string, std::vector<int64_t>>>
Registry::table() const {
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto &entry : entries) {
    std::vector<int64_t> since;
    for (const Entry &v : entry.getValue())
      since.push_back(v.since);
    out.emplace_back(entry.getKey().str(), since);
  }
  llvm::sort(out);
  return out;
}

const Registry &mlir::yz::onnx_import::registry() {
  static const Registry r = [] {
    Registry r;
    registerElementwiseImporters(r);
    registerNNImporters(r);
    registerShapeImporters(r);
    registerQuantImporters(r);
    registerWindowImporters(r);
    registerNormalizationImporters(r);
    registerResizeImporter(r);
    registerIndexingImporters(r);
    registerRecurrentImporters(r);
    registerEinsumImporter(r);
    registerAttentionImporters(r);
    registerSamplingImporters(r);
    return r;
  }();
  return r;
}

std::vector<std::string> mlir::yz::supportedONNXOps() {
  std::vector<std::string> names;
  for (const auto &[op, versions] : registry().table())
    names.push_back(op);
  return names;
}

std::string mlir::yz::supportedONNXOpsTable() {
  std::string out = "| op | opsets | forms (the versions the importer "
                    "reads) |\n| --- | --- | --- |\n";
  for (const auto &[op, versions] : registry().table()) {
    std::string forms;
    for (int64_t v : versions)
      forms += (forms.empty() ? "" : ", ") + std::to_string(v);
    out += "| " + op + " | " + std::to_string(versions.front()) + " to " +
           std::to_string(kMaxOpset) + " | " + forms + " |\n";
  }
  return out;
}
