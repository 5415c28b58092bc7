//===- Signatures.cpp - the checker's node checks past libonnx's opsets ---===//
//
// Part of Yizhuang. For a model at an opset libonnx does not know, its
// checker cannot run; the importer checks each node itself, as the checker
// would: input and output counts within the op's schema and attributes
// known, of their types, and present when required. The schema is the
// importer's Signature for versions after kLibOnnxOpset, else libonnx's
// own for the op's newest version libonnx knows (an op whose signature
// changed after kLibOnnxOpset is registered with the new one).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "llvm/ADT/StringExtras.h"

#include "onnx/defs/schema.h"

using namespace mlir;
using namespace mlir::yz::onnx_import;

namespace {

using AttrType = onnx::AttributeProto::AttributeType;

struct AttrSpec {
  AttrType type;
  bool required;
};

const char *typeName(AttrType t) {
  switch (t) {
  case onnx::AttributeProto::INT: return "an int";
  case onnx::AttributeProto::FLOAT: return "a float";
  case onnx::AttributeProto::STRING: return "a string";
  case onnx::AttributeProto::INTS: return "a list of ints";
  case onnx::AttributeProto::FLOATS: return "a list of floats";
  case onnx::AttributeProto::STRINGS: return "a list of strings";
  case onnx::AttributeProto::TENSOR: return "a tensor";
  case onnx::AttributeProto::GRAPH: return "a graph";
  default: return "of another type";
  }
}

AttrType parseType(StringRef t) {
  return llvm::StringSwitch<AttrType>(t)
      .Case("i", onnx::AttributeProto::INT)
      .Case("f", onnx::AttributeProto::FLOAT)
      .Case("s", onnx::AttributeProto::STRING)
      .Case("ints", onnx::AttributeProto::INTS)
      .Case("floats", onnx::AttributeProto::FLOATS)
      .Default(onnx::AttributeProto::UNDEFINED);
}

std::string count(int n) { return n >= kVariadic ? "any number" : std::to_string(n); }

/// ONNX's name for a tensor of `elt`, as type constraints list them.
std::string onnxTypeName(Type elt) {
  if (elt.isF32()) return "tensor(float)";
  if (elt.isF64()) return "tensor(double)";
  if (elt.isF16()) return "tensor(float16)";
  if (elt.isBF16()) return "tensor(bfloat16)";
  if (elt.isInteger(1)) return "tensor(bool)";
  if (auto i = dyn_cast<IntegerType>(elt))
    return std::string("tensor(") + (i.isUnsigned() ? "uint" : "int") +
           std::to_string(i.getWidth()) + ")";
  return "";
}

/// Whether input `i` of `node`, of element type `elt`, is a type `schema`
/// (libonnx's, of an older version) allows. Opset 22 added bfloat16 to
/// the float ops that lacked it.
bool typeAllowed(const onnx::OpSchema &schema, size_t i, Type elt,
                 int64_t opset) {
  const auto &formals = schema.inputs();
  if (formals.empty())
    return true;
  const auto &formal = formals[std::min(i, formals.size() - 1)];
  std::string name = onnxTypeName(elt);
  auto allows = [&](StringRef t) {
    return llvm::any_of(formal.GetTypes(),
                        [&](const std::string *s) { return *s == t; });
  };
  return name.empty() || allows(name) ||
         (opset >= 22 && elt.isBF16() && allows("tensor(float)"));
}

} // namespace

LogicalResult mlir::yz::onnx_import::checkSignature(NodeContext &ctx) {
  const onnx::NodeProto &node = ctx.node;
  int minIn, maxIn, minOut, maxOut;
  std::map<std::string, AttrSpec> attrs;
  if (const Signature *sig = registry().signature(node.op_type(), ctx.opset)) {
    minIn = sig->minInputs, maxIn = sig->maxInputs;
    minOut = sig->minOutputs, maxOut = sig->maxOutputs;
    SmallVector<StringRef> items;
    StringRef(sig->attributes).split(items, ' ', -1, false);
    for (StringRef item : items) {
      bool required = item.consume_front("!");
      auto [name, type] = item.split(':');
      AttrType t = parseType(type);
      assert(t != onnx::AttributeProto::UNDEFINED && "bad signature type");
      attrs[name.str()] = {t, required};
    }
  } else {
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
        node.op_type(), int(kLibOnnxOpset), onnx::ONNX_DOMAIN);
    if (!schema)
      return ctx.fail("has no schema the importer knows");
    minIn = schema->min_input(), maxIn = schema->max_input();
    minOut = schema->min_output(), maxOut = schema->max_output();
    for (const auto &[name, a] : schema->attributes())
      attrs[name] = {a.type, a.required};
    // The element types, as the checker's type inference would.
    for (int i = 0; i < node.input_size(); ++i) {
      auto it = ctx.graph.values.find(node.input(i));
      if (node.input(i).empty() || it == ctx.graph.values.end())
        continue;
      Type elt = cast<ShapedType>(it->second.getType()).getElementType();
      if (!typeAllowed(*schema, size_t(i), elt, ctx.opset))
        return ctx.fail("input " + std::to_string(i) + " is a " +
                        onnxTypeName(elt) + ", which " + node.op_type() +
                        " does not take");
    }
  }
  int inputs = node.input_size(), outputs = node.output_size();
  if (inputs < minIn || inputs > maxIn)
    return ctx.fail("has " + std::to_string(inputs) + " inputs; " +
                    node.op_type() + " takes " +
                    (minIn == maxIn ? count(minIn)
                                    : count(minIn) + " to " + count(maxIn)));
  if (outputs < minOut || outputs > maxOut)
    return ctx.fail("has " + std::to_string(outputs) + " outputs; " +
                    node.op_type() + " gives " +
                    (minOut == maxOut ? count(minOut)
                                      : count(minOut) + " to " + count(maxOut)));
  for (int i = 0; i < minIn && i < inputs; ++i)
    if (node.input(i).empty())
      return ctx.fail("input " + std::to_string(i) + " is required");
  for (const auto &a : node.attribute()) {
    auto it = attrs.find(a.name());
    if (it == attrs.end())
      return ctx.fail("attribute '" + a.name() + "' is not part of " +
                      node.op_type() + " at opset " +
                      std::to_string(ctx.opset));
    if (a.type() != it->second.type)
      return ctx.fail("attribute '" + a.name() + "' must be " +
                      typeName(it->second.type) + ", not " +
                      typeName(a.type()));
  }
  for (const auto &[name, spec] : attrs)
    if (spec.required &&
        llvm::none_of(node.attribute(),
                      [&](const auto &a) { return a.name() == name; }))
      return ctx.fail("attribute '" + name + "' is required");
  return success();
}
