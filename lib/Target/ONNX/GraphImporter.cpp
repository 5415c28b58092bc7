//===- GraphImporter.cpp - ONNX graph -> one yz function ------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ModelSignature.h"
#include "yz/Target/ONNX/ImportONNX.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::yz;
using namespace mlir::yz::onnx_import;

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

FailureOr<std::vector<char>>
mlir::yz::onnx_import::tensorBytes(const onnx::TensorProto &t,
                                   size_t elementBytes) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return failure();
  size_t count = 1;
  for (int64_t d : t.dims())
    count *= size_t(d);
  std::vector<char> bytes(count * elementBytes);
  if (t.has_raw_data()) {
    if (t.raw_data().size() != bytes.size())
      return failure();
    memcpy(bytes.data(), t.raw_data().data(), bytes.size());
    return bytes;
  }
  auto copy = [&](const auto &field) -> LogicalResult {
    if (size_t(field.size()) != count)
      return failure();
    for (size_t i = 0; i < count; ++i) {
      auto v = field.Get(int(i)); // narrowed below for small types
      memcpy(bytes.data() + i * elementBytes, &v,
             std::min(elementBytes, sizeof v));
    }
    return success();
  };
  LogicalResult ok = failure();
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: ok = copy(t.float_data()); break;
  case onnx::TensorProto::DOUBLE: ok = copy(t.double_data()); break;
  case onnx::TensorProto::INT64: ok = copy(t.int64_data()); break;
  default: ok = copy(t.int32_data()); break; // int8..int32, bool, f16, bf16
  }
  if (failed(ok))
    return failure();
  return bytes;
}

Type GraphImporter::elementType(int32_t t) const {
  Builder b(context);
  switch (t) {
  case onnx::TensorProto::FLOAT: return b.getF32Type();
  case onnx::TensorProto::DOUBLE: return b.getF64Type();
  case onnx::TensorProto::FLOAT16: return b.getF16Type();
  case onnx::TensorProto::BFLOAT16: return b.getBF16Type();
  case onnx::TensorProto::INT8: return b.getI8Type();
  case onnx::TensorProto::INT16: return b.getI16Type();
  case onnx::TensorProto::INT32: return b.getI32Type();
  case onnx::TensorProto::INT64: return b.getI64Type();
  case onnx::TensorProto::BOOL: return b.getI1Type();
  default: return {};
  }
}

RankedTensorType GraphImporter::tensorType(const onnx::TypeProto &type) const {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return {};
  Type elt = elementType(type.tensor_type().elem_type());
  if (!elt)
    return {};
  SmallVector<int64_t> shape;
  for (const auto &dim : type.tensor_type().shape().dim())
    shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                        : ShapedType::kDynamic);
  return RankedTensorType::get(shape, elt);
}

FailureOr<Value> GraphImporter::importTensor(OpBuilder &b, Location loc,
                                             const onnx::TensorProto &t) {
  Type elt = elementType(t.data_type());
  if (!elt)
    return emitError(loc) << "initializer '" << t.name()
                          << "' has an unsupported element type ("
                          << onnx::TensorProto::DataType_Name(
                                 onnx::TensorProto::DataType(t.data_type()))
                          << ")";
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  auto type = RankedTensorType::get(shape, elt);
  size_t eltBytes = elt.isInteger(1) ? 1 : elt.getIntOrFloatBitWidth() / 8;
  auto bytes = tensorBytes(t, eltBytes);
  if (failed(bytes))
    return emitError(loc) << "initializer '" << t.name()
                          << "' has external or inconsistent data";
  return constant(b, loc, type, *bytes, t.name());
}

Value GraphImporter::constant(OpBuilder &b, Location loc, RankedTensorType type,
                              ArrayRef<char> bytes, StringRef name) {
  Type elt = type.getElementType();
  ElementsAttr value;
  if (elt.isInteger(1) || type.getNumElements() <= 16) {
    // Small constants stay readable (and foldable) as dense attributes.
    if (elt.isInteger(1)) {
      SmallVector<bool> bits(bytes.begin(), bytes.end());
      value = DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    } else {
      value = DenseElementsAttr::getFromRawBuffer(type, bytes);
    }
  } else {
    // Weights go through no text: a blob owned by the context.
    value = DenseResourceElementsAttr::get(
        type, sanitizeIdentifier(name),
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes,
                                                      alignof(uint64_t)));
  }
  return yz::ConstantOp::create(b, loc, value).getResult();
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node) const {
  std::string name = node.name().empty() ? node.op_type() : node.name();
  return NameLoc::get(StringAttr::get(context, name),
                      FileLineColLoc::get(context, sourceName, 0, 0));
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

size_t NodeContext::numInputs() const { return size_t(node.input_size()); }

Value NodeContext::input(size_t i) const {
  if (i >= numInputs() || node.input(int(i)).empty())
    return {};
  auto it = graph.values.find(node.input(int(i)));
  return it == graph.values.end() ? Value() : it->second;
}

RankedTensorType NodeContext::outputType(size_t i) const {
  if (i >= size_t(node.output_size()))
    return {};
  auto it = graph.types.find(node.output(int(i)));
  return it == graph.types.end() ? RankedTensorType()
                                 : graph.tensorType(*it->second);
}

std::optional<std::vector<int64_t>> NodeContext::constantInts(size_t i) const {
  if (i >= numInputs())
    return std::nullopt;
  if (auto known = graph.knownInts.find(node.input(int(i)));
      known != graph.knownInts.end())
    return known->second;
  auto it = graph.constants.find(node.input(int(i)));
  if (it == graph.constants.end())
    return std::nullopt;
  const onnx::TensorProto &t = *it->second;
  bool i64 = t.data_type() == onnx::TensorProto::INT64;
  if (!i64 && t.data_type() != onnx::TensorProto::INT32)
    return std::nullopt;
  auto bytes = tensorBytes(t, i64 ? 8 : 4);
  if (failed(bytes))
    return std::nullopt;
  std::vector<int64_t> values;
  for (size_t off = 0; off < bytes->size(); off += i64 ? 8 : 4) {
    int64_t v = 0;
    if (i64)
      memcpy(&v, bytes->data() + off, 8);
    else {
      int32_t w;
      memcpy(&w, bytes->data() + off, 4);
      v = w;
    }
    values.push_back(v);
  }
  return values;
}

std::optional<std::vector<float>> NodeContext::constantFloats(size_t i) const {
  if (i >= numInputs())
    return std::nullopt;
  auto it = graph.constants.find(node.input(int(i)));
  if (it == graph.constants.end() ||
      it->second->data_type() != onnx::TensorProto::FLOAT)
    return std::nullopt;
  auto bytes = tensorBytes(*it->second, 4);
  if (failed(bytes))
    return std::nullopt;
  std::vector<float> values(bytes->size() / 4);
  memcpy(values.data(), bytes->data(), bytes->size());
  return values;
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::intAttr(StringRef name, int64_t fallback) const {
  const auto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::floatAttr(StringRef name, float fallback) const {
  const auto *a = attr(name);
  return a ? a->f() : fallback;
}

std::optional<std::vector<int64_t>> NodeContext::intsAttr(StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

LogicalResult NodeContext::fail(const Twine &message) const {
  return emitError(loc) << "node '"
                        << (node.name().empty() ? node.op_type() : node.name())
                        << "' (" << node.op_type() << "): " << message;
}

void NodeContext::setOutput(size_t i, Value value) {
  graph.values[node.output(int(i))] = value;
}

//===----------------------------------------------------------------------===//
// Compile-time shape arithmetic
//===----------------------------------------------------------------------===//

void GraphImporter::propagateKnownInts(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  auto known = [&](int i) -> const std::vector<int64_t> * {
    if (i >= node.input_size())
      return nullptr;
    auto it = knownInts.find(node.input(i));
    if (it != knownInts.end())
      return &it->second;
    auto c = constants.find(node.input(i));
    if (c == constants.end())
      return nullptr;
    bool i64 = c->second->data_type() == onnx::TensorProto::INT64;
    if (!i64 && c->second->data_type() != onnx::TensorProto::INT32)
      return nullptr;
    auto bytes = tensorBytes(*c->second, i64 ? 8 : 4);
    if (failed(bytes) || bytes->size() > 64 * 8)
      return nullptr;
    std::vector<int64_t> v;
    for (size_t off = 0; off < bytes->size(); off += i64 ? 8 : 4) {
      int64_t x = 0;
      if (i64) {
        memcpy(&x, bytes->data() + off, 8);
      } else {
        int32_t w;
        memcpy(&w, bytes->data() + off, 4);
        x = w;
      }
      v.push_back(x);
    }
    return &knownInts.emplace(node.input(i), std::move(v)).first->second;
  };
  auto set = [&](std::vector<int64_t> v) { knownInts[node.output(0)] = std::move(v); };

  if (op == "Shape") {
    auto it = types.find(node.input(0));
    RankedTensorType t = it == types.end() ? RankedTensorType()
                                           : tensorType(*it->second);
    if (t && t.hasStaticShape())
      set(std::vector<int64_t>(t.getShape().begin(), t.getShape().end()));
    return;
  }
  if (op == "Identity" || op == "Cast" || op == "Unsqueeze" ||
      op == "Squeeze" || op == "Reshape") {
    if (auto *v = known(0))
      set(*v);
    return;
  }
  if (op == "Concat") {
    std::vector<int64_t> all;
    for (int i = 0; i < node.input_size(); ++i) {
      auto *v = known(i);
      if (!v)
        return;
      all.insert(all.end(), v->begin(), v->end());
    }
    set(all);
    return;
  }
  if (op == "Gather") {
    auto *data = known(0), *idx = known(1);
    if (!data || !idx)
      return;
    std::vector<int64_t> out;
    for (int64_t i : *idx) {
      int64_t j = i < 0 ? i + int64_t(data->size()) : i;
      if (j < 0 || j >= int64_t(data->size()))
        return;
      out.push_back((*data)[j]);
    }
    set(out);
    return;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    auto *a = known(0), *b = known(1);
    if (!a || !b || (a->size() != b->size() && a->size() != 1 && b->size() != 1))
      return;
    size_t n = std::max(a->size(), b->size());
    std::vector<int64_t> out(n);
    for (size_t i = 0; i < n; ++i) {
      int64_t x = (*a)[a->size() == 1 ? 0 : i], y = (*b)[b->size() == 1 ? 0 : i];
      if (op == "Div" && y == 0)
        return;
      out[i] = op == "Add" ? x + y : op == "Sub" ? x - y
               : op == "Mul" ? x * y : x / y;
    }
    set(out);
  }
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context,
                             const onnx::GraphProto &graph, int64_t opset,
                             StringRef sourceName)
    : context(context), graph(graph), opset(opset),
      sourceName(sourceName.str()) {}

OwningOpRef<ModuleOp> GraphImporter::run() {
  Location fileLoc = FileLineColLoc::get(context, sourceName, 0, 0);
  for (const auto *list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto &info : *list)
      types[info.name()] = &info.type();
  for (const auto &init : graph.initializer())
    constants[init.name()] = &init;

  // Every unsupported op at once, before anything is built.
  const auto &table = opImporters();
  int unsupported = 0;
  for (const auto &node : graph.node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    if (standard && table.count(node.op_type()))
      continue;
    emitError(nodeLoc(node))
        << "unsupported ONNX op " << (standard ? "" : node.domain() + ".")
        << node.op_type() << " (opset " << opset << ") at node '"
        << (node.name().empty() ? node.op_type() : node.name()) << "'";
    ++unsupported;
  }
  if (unsupported) {
    std::string names;
    for (const std::string &op : supportedONNXOps())
      names += (names.empty() ? "" : ", ") + op;
    emitError(fileLoc) << unsupported << " node"
                       << (unsupported == 1 ? " uses an op" : "s use ops")
                       << " the importer does not support; it supports: "
                       << names;
    return {};
  }

  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());

  // Inputs: graph inputs that are not initializers, with static shapes.
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const auto &in : graph.input()) {
    if (constants.count(in.name()))
      continue;
    RankedTensorType type = tensorType(in.type());
    if (!type) {
      emitError(fileLoc) << "input '" << in.name()
                         << "' is not a tensor of a supported element type";
      return {};
    }
    for (auto [i, d] : llvm::enumerate(type.getShape()))
      if (ShapedType::isDynamic(d)) {
        const auto &dim = in.type().tensor_type().shape().dim(int(i));
        emitError(fileLoc)
            << "input '" << in.name() << "' has a dynamic dimension "
            << (dim.has_dim_param() ? "'" + dim.dim_param() + "' " : "")
            << "(dimension " << i << "): give its shape with --input-shape="
            << in.name() << ":" << "<d0>x<d1>x...";
        return {};
      }
    argTypes.push_back(type);
    args.push_back(&in);
  }
  std::string name = modelCName(llvm::sys::path::stem(sourceName));
  auto func = func::FuncOp::create(b, fileLoc, name,
                                   b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, in] : llvm::enumerate(args)) {
    values[in->name()] = body->getArgument(i);
    func.setArgAttr(i, "yz.name", b.getStringAttr(in->name()));
  }
  b.setInsertionPointToStart(body);

  // Weights first, at the top of the function.
  for (const auto &init : graph.initializer()) {
    auto value = importTensor(b, fileLoc, init);
    if (failed(value))
      return {};
    values[init.name()] = *value;
  }
  for (const auto &node : graph.node()) {
    if (node.op_type() == "Constant")
      if (const auto *a = [&]() -> const onnx::AttributeProto * {
            for (const auto &attr : node.attribute())
              if (attr.name() == "value")
                return &attr;
            return nullptr;
          }())
        constants[node.output(0)] = &a->t();
    NodeContext ctx(*this, node, nodeLoc(node), b);
    for (size_t i = 0; i < ctx.numInputs(); ++i)
      if (!node.input(int(i)).empty() && !ctx.input(i)) {
        (void)ctx.fail("input '" + node.input(int(i)) + "' is not defined");
        return {};
      }
    if (failed(table.lookup(node.op_type())(ctx)))
      return {};
    propagateKnownInts(node);
  }

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      emitError(fileLoc) << "output '" << out.name() << "' is never computed";
      return {};
    }
    results.push_back(it->second);
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setFunctionType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "yz.name", b.getStringAttr(out.name()));
  return module;
}
