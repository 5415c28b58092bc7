//===- Importer.h - the ONNX graph importer ---------------------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Importer/ONNX. An op importer sees one
// node through NodeContext; it is registered by ONNX op type and the opset
// version it handles from (Registry), in the file of its op family:
//
//   ElementwiseImporters.cpp  NNImporters.cpp  ShapeImporters.cpp
//   QuantImporters.cpp  WindowImporters.cpp  NormalizationImporters.cpp
//   ResizeImporter.cpp  IndexingImporters.cpp  RecurrentImporters.cpp
//   EinsumImporter.cpp  AttentionImporters.cpp  SamplingImporters.cpp
//
// Models at opsets past libonnx's (kLibOnnxOpset) are checked node by node
// against Signatures (Signatures.cpp) in place of libonnx's checker.
//
// Two rules keep bad models from reaching an abort or a wrong result:
// - yz ops are built with NodeContext::create, which infers and verifies
//   them and turns a failure into one diagnostic naming the node;
// - every attribute, input and output of a node must be looked at by its
//   importer (read, or explicitly ignored with a reason), else the node is
//   refused: an attribute silently ignored would change the result.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_IMPORTER_ONNX_IMPORTER_H
#define YZ_LIB_IMPORTER_ONNX_IMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <functional>
#include <optional>
#include <unordered_map>

namespace mlir::yz::onnx_import {

class GraphImporter;

/// What an op importer sees of one node.
class NodeContext {
public:
  NodeContext(GraphImporter &graph, const onnx::NodeProto &node, Location loc,
              OpBuilder &builder, int64_t opset)
      : graph(graph), node(node), loc(loc), b(builder), opset(opset) {}

  GraphImporter &graph;
  const onnx::NodeProto &node;
  Location loc;
  OpBuilder &b;
  /// The model's opset for the default domain.
  int64_t opset;

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  size_t numInputs() const { return size_t(node.input_size()); }
  /// Input i, or null if absent (past the end or an empty name). Marks it
  /// as used.
  Value input(size_t i);
  RankedTensorType inputType(size_t i) { return cast<RankedTensorType>(input(i).getType()); }
  /// The constant contents of input i, if it is one (an initializer, a
  /// Constant node, or a subgraph the importer folded). Marks it as used.
  std::optional<ConstantData> constant(size_t i);
  /// The values of an integer constant input (shapes, axes, indices).
  std::optional<std::vector<int64_t>> constantInts(size_t i);
  /// The values of a float constant input, as doubles.
  std::optional<std::vector<double>> constantFloats(size_t i);

  /// The static type the model declares (or ONNX shape inference gave) for
  /// output i, or null. The fallback where a shape depends on a run-time
  /// input: the model promises it.
  RankedTensorType declaredType(size_t i) const;

  /// Whether output i is wanted (present with a non-empty name).
  bool wantsOutput(size_t i) const {
    return i < size_t(node.output_size()) && !node.output(int(i)).empty();
  }
  /// Records output i. A result the importer can evaluate from constants
  /// (a shape subgraph) becomes a constant here.
  void setOutput(size_t i, Value value);

  //===--------------------------------------------------------------------===//
  // Attributes (each access marks the attribute as used)
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *attr(llvm::StringRef name);
  int64_t intAttr(llvm::StringRef name, int64_t fallback);
  float floatAttr(llvm::StringRef name, float fallback);
  std::string stringAttr(llvm::StringRef name, llvm::StringRef fallback);
  std::optional<std::vector<int64_t>> intsAttr(llvm::StringRef name);
  std::optional<std::vector<float>> floatsAttr(llvm::StringRef name);
  /// Accepts an attribute that cannot change the result (`why` documents
  /// it at the call), e.g. a training-only setting.
  void ignoreAttr(llvm::StringRef name, llvm::StringRef why) {
    (void)why;
    (void)attr(name);
  }

  //===--------------------------------------------------------------------===//
  // Building yz ops
  //===--------------------------------------------------------------------===//

  /// Reports "node 'n' (Op): <message>" and returns failure.
  LogicalResult fail(const llvm::Twine &message) const;

  /// OpT built from the builder arguments `args` (those of OpT::build after
  /// the result type), its result type inferred and the op verified.
  /// Operands that do not fit give one diagnostic naming the node.
  template <typename OpT, typename... Args>
  FailureOr<Value> create(Args &&...args) {
    OperationState state(loc, OpT::getOperationName());
    OpT::build(b, state, Type(), std::forward<Args>(args)...);
    state.types.clear();
    return finish(state, [&](SmallVectorImpl<Type> &types) {
      return OpT::inferReturnTypes(
          b.getContext(), loc, state.operands,
          state.attributes.getDictionary(b.getContext()),
          state.getRawProperties(), state.regions, types);
    });
  }

  /// OpT of the explicit result type `type` (ops that do not infer one).
  template <typename OpT, typename... Args>
  FailureOr<Value> createTyped(Type type, Args &&...args) {
    OperationState state(loc, OpT::getOperationName());
    OpT::build(b, state, type, std::forward<Args>(args)...);
    return finish(state, {});
  }

  /// Folds binary OpT over inputs from `first` on (Sum, Max, Min, Mean).
  template <typename OpT>
  FailureOr<Value> foldInputs(size_t first = 0) {
    Value acc = input(first);
    for (size_t i = first + 1; i < numInputs(); ++i) {
      auto next = create<OpT>(acc, input(i));
      if (failed(next))
        return failure();
      acc = *next;
    }
    return acc;
  }

  /// A rank-0 constant of `elt` (it broadcasts against anything).
  Value scalar(Type elt, double value);
  /// `v` reshaped to `shape` (no op if it already has it).
  Value reshape(Value v, ArrayRef<int64_t> shape);
  /// `v` converted to element type `elt` (no op if it has it).
  FailureOr<Value> convert(Value v, Type elt);
  /// `x` padded by `low` and `high` per dimension as yz.pad does (`value`,
  /// or 0, in constant mode), where a negative pad crops instead.
  FailureOr<Value> padOrCrop(Value x, ArrayRef<int64_t> low,
                             ArrayRef<int64_t> high, Value value = {},
                             StringRef mode = "constant");

  /// What the node's attributes and inputs the importer used; checked
  /// after it returns.
  llvm::SmallSet<std::string, 8> usedAttrs;
  llvm::SmallSet<size_t, 8> usedInputs;
  llvm::SmallSet<size_t, 4> setOutputs;
  /// The last op before this node's (null: none); later ops are its own.
  Operation *lastBefore = nullptr;

private:
  bool createdHere(Operation *op) const;
  /// Creates the op from `state` with the types `infer` gives (or those
  /// already in `state`), verifies it, and reports the first problem.
  FailureOr<Value>
  finish(OperationState &state,
         llvm::function_ref<LogicalResult(SmallVectorImpl<Type> &)> infer);
};

using OpImporter = std::function<LogicalResult(NodeContext &)>;

/// The newest opset Debian's libonnx (1.12) knows, and the newest the
/// importer reads. Models above kLibOnnxOpset skip libonnx's checker and
/// shape inference; the importer checks each node against its Signature.
constexpr int64_t kLibOnnxOpset = 17, kMaxOpset = 23;

/// What the ONNX checker would check of a node of an op version newer than
/// libonnx knows (its schema): input and output counts and attributes.
struct Signature {
  int minInputs, maxInputs, minOutputs, maxOutputs;
  /// Space-separated "name:type" (type i, f, s, ints, floats), "!name:type"
  /// when required.
  const char *attributes;
};
/// Many, as a maximum count.
constexpr int kVariadic = 1 << 30;

/// The importers by ONNX op type and the opset version each handles from.
class Registry {
public:
  /// `fn` imports `opType` from opset `sinceVersion` until the next
  /// registration of the same op type. Versions after kLibOnnxOpset give
  /// their signature (older ones have libonnx's schema).
  void op(llvm::StringRef opType, int64_t sinceVersion, OpImporter fn,
          std::optional<Signature> signature = std::nullopt);
  /// The importer for `opType` at `opset`, or null.
  const OpImporter *lookup(llvm::StringRef opType, int64_t opset) const;
  /// The signature registered for `opType` at `opset` (past
  /// kLibOnnxOpset), or null when libonnx's schema applies.
  const Signature *signature(llvm::StringRef opType, int64_t opset) const;
  /// Whether any version of `opType` is known.
  bool knows(llvm::StringRef opType) const { return entries.count(opType); }
  /// Every op type with its since-versions, sorted.
  std::vector<std::pair<std::string, std::vector<int64_t>>> table() const;

private:
  struct Entry {
    int64_t since;
    OpImporter fn;
    std::optional<Signature> signature;
  };
  const Entry *find(llvm::StringRef opType, int64_t opset) const;
  llvm::StringMap<std::vector<Entry>> entries;
};

/// Checks `node` (of a model at an opset past kLibOnnxOpset) against its
/// signature as the ONNX checker would; reports through `ctx`.
LogicalResult checkSignature(NodeContext &ctx);

/// The registry, filled once by the family files.
const Registry &registry();
void registerElementwiseImporters(Registry &r);
void registerNNImporters(Registry &r);
void registerShapeImporters(Registry &r);
void registerQuantImporters(Registry &r);
void registerWindowImporters(Registry &r);
void registerNormalizationImporters(Registry &r);
void registerResizeImporter(Registry &r);
void registerIndexingImporters(Registry &r);
void registerRecurrentImporters(Registry &r);
void registerEinsumImporter(Registry &r);
void registerAttentionImporters(Registry &r);
void registerSamplingImporters(Registry &r);

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, const onnx::GraphProto &graph,
                int64_t opset, llvm::StringRef sourceName);
  OwningOpRef<ModuleOp> run();

  MLIRContext *context;
  const onnx::GraphProto &graph;
  int64_t opset;
  std::string sourceName;
  std::unordered_map<std::string, Value> values;
  /// Types the model declares (inputs, value_info, outputs).
  std::unordered_map<std::string, const onnx::TypeProto *> types;

  /// An MLIR type for an ONNX element type, or null.
  Type elementType(int32_t onnxType) const;
  RankedTensorType tensorType(const onnx::TypeProto &type) const;
  /// A yz.constant holding `tensor` (a dense resource named after it).
  FailureOr<Value> importTensor(OpBuilder &b, Location loc,
                                const onnx::TensorProto &tensor);
  Location nodeLoc(const onnx::NodeProto &node) const;

private:
  LogicalResult importNode(const onnx::NodeProto &node, OpBuilder &b);
};

/// The raw little-endian bytes of an ONNX tensor, from raw_data or from its
/// typed fields; fails on external data.
FailureOr<std::vector<char>> tensorBytes(const onnx::TensorProto &tensor,
                                         size_t elementBytes);

/// Normalizes a possibly negative axis; false if out of range.
inline bool normalizeAxis(int64_t &axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank;
}

} // namespace mlir::yz::onnx_import

#endif // YZ_LIB_IMPORTER_ONNX_IMPORTER_H
