//===- ONNXImporter.h - the ONNX graph importer -----------------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Target/ONNX.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_TARGET_ONNX_ONNXIMPORTER_H
#define YZ_LIB_TARGET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
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
              OpBuilder &builder)
      : graph(graph), node(node), loc(loc), b(builder) {}

  GraphImporter &graph;
  const onnx::NodeProto &node;
  Location loc;
  OpBuilder &b;

  size_t numInputs() const;
  /// Input i (absent optional inputs are null).
  Value input(size_t i) const;
  /// The type shape inference gave output i (null if unknown).
  RankedTensorType outputType(size_t i) const;
  /// The constant data of input i, if it is an initializer or a Constant.
  std::optional<std::vector<int64_t>> constantInts(size_t i) const;
  /// The f32 data of input i, if it is a float initializer or Constant.
  std::optional<std::vector<float>> constantFloats(size_t i) const;

  int64_t intAttr(llvm::StringRef name, int64_t fallback) const;
  float floatAttr(llvm::StringRef name, float fallback) const;
  std::optional<std::vector<int64_t>> intsAttr(llvm::StringRef name) const;
  const onnx::AttributeProto *attr(llvm::StringRef name) const;

  /// Reports "node 'n' (Op): <message>" and returns failure.
  LogicalResult fail(const llvm::Twine &message) const;
  void setOutput(size_t i, Value value);
};

using OpImporter = std::function<LogicalResult(NodeContext &)>;

/// The table of supported op types, filled by OpImporters.cpp.
const llvm::StringMap<OpImporter> &opImporters();

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
  std::unordered_map<std::string, const onnx::TypeProto *> types;
  std::unordered_map<std::string, const onnx::TensorProto *> constants;
  /// Small integer tensors known at compile time (shape arithmetic), flat.
  std::unordered_map<std::string, std::vector<int64_t>> knownInts;

  /// Records `node`'s outputs in knownInts when its inputs are known.
  void propagateKnownInts(const onnx::NodeProto &node);

  /// An MLIR type for an ONNX element type, or null.
  Type elementType(int32_t onnxType) const;
  RankedTensorType tensorType(const onnx::TypeProto &type) const;
  /// A yz.constant holding `tensor` (a dense resource named after it).
  FailureOr<Value> importTensor(OpBuilder &b, Location loc,
                                const onnx::TensorProto &tensor);
  /// A yz.constant of `bytes`: inline when small, else a dense resource
  /// named after `name`.
  Value constant(OpBuilder &b, Location loc, RankedTensorType type,
                 ArrayRef<char> bytes, StringRef name);
  Location nodeLoc(const onnx::NodeProto &node) const;
};

/// The raw little-endian bytes of an ONNX tensor, from raw_data or from its
/// typed fields; fails on external data.
FailureOr<std::vector<char>> tensorBytes(const onnx::TensorProto &tensor,
                                         size_t elementBytes);

} // namespace mlir::yz::onnx_import

#endif // YZ_LIB_TARGET_ONNX_ONNXIMPORTER_H
