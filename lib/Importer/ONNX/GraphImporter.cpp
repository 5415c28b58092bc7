//===- GraphImporter.cpp - ONNX graph -> one yz function ------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Target/ModelSignature.h"
#include "yz/Importer/ONNX/ImportONNX.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <set>

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
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64: ok = copy(t.uint64_data()); break;
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
  case onnx::TensorProto::UINT8: return IntegerType::get(context, 8, IntegerType::Unsigned);
  case onnx::TensorProto::UINT16: return IntegerType::get(context, 16, IntegerType::Unsigned);
  case onnx::TensorProto::UINT32: return IntegerType::get(context, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT64: return IntegerType::get(context, 64, IntegerType::Unsigned);
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

/// ONNX's 4-bit integer element types (opset 21; libonnx 1.12's enum
/// predates them).
enum : int32_t { kOnnxUint4 = 21, kOnnxInt4 = 22 };

/// An int4 or uint4 tensor's values, one per byte (sign-extended for
/// int4): ONNX packs two per byte, the first in the low nibble, in
/// raw_data or in int32_data.
static FailureOr<std::vector<char>> unpackInt4(const onnx::TensorProto &t) {
  size_t count = 1;
  for (int64_t d : t.dims())
    count *= size_t(d);
  std::vector<uint8_t> packed;
  if (t.has_raw_data())
    packed.assign(t.raw_data().begin(), t.raw_data().end());
  else
    for (int32_t v : t.int32_data())
      packed.push_back(uint8_t(v));
  if (t.data_location() == onnx::TensorProto::EXTERNAL ||
      packed.size() != (count + 1) / 2)
    return failure();
  std::vector<char> out(count);
  for (size_t i = 0; i < count; ++i) {
    int v = (packed[i / 2] >> (4 * (i % 2))) & 0xf;
    if (t.data_type() == kOnnxInt4 && v >= 8)
      v -= 16;
    out[i] = char(v);
  }
  return out;
}

FailureOr<Value> GraphImporter::importTensor(OpBuilder &b, Location loc,
                                             const onnx::TensorProto &t) {
  if (t.data_type() == kOnnxInt4 || t.data_type() == kOnnxUint4) {
    // Widened to 8 bits: the compiler's smallest integer element. Only
    // constants are 4-bit in practice (weight-only quantized checkpoints),
    // and DequantizeLinear folds them.
    auto bytes = unpackInt4(t);
    if (failed(bytes))
      return emitError(loc) << "initializer '" << t.name()
                            << "' has external or inconsistent 4-bit data";
    Type elt = t.data_type() == kOnnxInt4
                   ? Type(b.getI8Type())
                   : Type(IntegerType::get(context, 8, IntegerType::Unsigned));
    SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
    return makeConstant(b, loc, RankedTensorType::get(shape, elt), *bytes,
                        sanitizeIdentifier(t.name()), alignof(uint64_t));
  }
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
  // Weights' blobs are 8-byte aligned whatever their element type.
  return makeConstant(b, loc, type, *bytes, sanitizeIdentifier(t.name()),
                      alignof(uint64_t));
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node) const {
  std::string name = node.name().empty() ? node.op_type() : node.name();
  return NameLoc::get(StringAttr::get(context, name),
                      FileLineColLoc::get(context, sourceName, 0, 0));
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context,
                             const onnx::GraphProto &graph, int64_t opset,
                             StringRef sourceName)
    : context(context), graph(graph), opset(opset),
      sourceName(sourceName.str()) {}

/// Why an op is refused by design (docs/onnx-conformance.md), or "".
static StringRef whyRefused(StringRef op) {
  if (llvm::is_contained({"NonZero", "Unique", "Compress", "NonMaxSuppression"},
                         op))
    return "its output's shape depends on the input values, and yz compiles "
           "static shapes";
  if (op.contains("Sequence") || op.starts_with("Optional"))
    return "sequences and optionals are not yz types";
  return "";
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  Location fileLoc = FileLineColLoc::get(context, sourceName, 0, 0);
  for (const auto *list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto &info : *list)
      types[info.name()] = &info.type();
  std::set<std::string> initializers;
  for (const auto &init : graph.initializer())
    initializers.insert(init.name());

  // Every unsupported op at once, before anything is built.
  const Registry &table = registry();
  int unsupported = 0;
  for (const auto &node : graph.node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    if (standard && table.lookup(node.op_type(), opset))
      continue;
    std::string name = node.name().empty() ? node.op_type() : node.name();
    if (standard && table.knows(node.op_type()))
      emitError(nodeLoc(node))
          << "ONNX op " << node.op_type() << " at node '" << name
          << "' is supported from a later opset than the model's " << opset;
    else if (StringRef why = whyRefused(node.op_type());
             standard && !why.empty())
      emitError(nodeLoc(node))
          << "unsupported ONNX op " << node.op_type() << " at node '" << name
          << "': " << why;
    else
      emitError(nodeLoc(node))
          << "unsupported ONNX op " << (standard ? "" : node.domain() + ".")
          << node.op_type() << " (opset " << opset << ") at node '" << name
          << "'";
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
    if (initializers.count(in.name()))
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
  for (const auto &node : graph.node())
    if (failed(importNode(node, b)))
      return {};

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      emitError(fileLoc) << "output '" << out.name() << "' is never computed";
      return {};
    }
    // What the model declares must be what it computes (ONNX shape
    // inference checks this up to opset 17; past that, only here).
    auto computed = cast<RankedTensorType>(it->second.getType());
    if (RankedTensorType declared = tensorType(out.type())) {
      bool fits = declared.getElementType() == computed.getElementType() &&
                  declared.getRank() == computed.getRank();
      for (int64_t d = 0; fits && d < declared.getRank(); ++d)
        fits = ShapedType::isDynamic(declared.getDimSize(d)) ||
               declared.getDimSize(d) == computed.getDimSize(d);
      if (!fits) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << "output '" << out.name() << "' is declared " << declared
           << " but computes " << computed;
        emitError(fileLoc) << text;
        return {};
      }
    }
    results.push_back(it->second);
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setFunctionType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "yz.name", b.getStringAttr(out.name()));
  return module;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        OpBuilder &b) {
  NodeContext ctx(*this, node, nodeLoc(node), b, opset);
  Block *block = b.getInsertionBlock();
  ctx.lastBefore = block->empty() ? nullptr : &block->back();
  // libonnx's checker saw models it knows the opset of; the others get
  // its node checks here.
  if (opset > kLibOnnxOpset && failed(checkSignature(ctx)))
    return failure();
  for (int i = 0; i < node.input_size(); ++i)
    if (!node.input(i).empty() && !values.count(node.input(i)))
      return ctx.fail("input '" + node.input(i) + "' is not defined");
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && values.count(node.output(i)))
      return ctx.fail("output '" + node.output(i) +
                      "' is already defined (a graph defines each value "
                      "once)");
  if (failed((*registry().lookup(node.op_type(), opset))(ctx)))
    return failure();
  // Whatever the importer did not look at would be silently dropped.
  for (const auto &a : node.attribute())
    if (!ctx.usedAttrs.count(a.name()))
      return ctx.fail("attribute '" + a.name() +
                      "' is not supported (ignoring it would change the "
                      "result)");
  for (int i = 0; i < node.input_size(); ++i)
    if (!node.input(i).empty() && !ctx.usedInputs.count(size_t(i)))
      return ctx.fail("input " + std::to_string(i) + " ('" + node.input(i) +
                      "') is not supported");
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && !ctx.setOutputs.count(size_t(i)))
      return ctx.fail("output " + std::to_string(i) + " ('" + node.output(i) +
                      "') is not supported");
  return success();
}
