//===- Calibrate.cpp - activation ranges for int8 quantization ------------===//
//
// Part of Yizhuang. The float model itself measures its ranges: a copy of
// it returns, instead of its outputs, the max and -min of every tensor a
// layer (convolution or linear) reads or writes; that copy is compiled for
// the host, linked once and run on each calibration sample. Running the
// compiled model (not an interpreter) keeps one implementation of every
// op's semantics.
//
//===----------------------------------------------------------------------===//

#include "yz/Driver/Calibrate.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "yz/Driver/Driver.h"
#include "yz/Driver/Runner.h"
#include "yz/Dialect/Yz/IR/YzOps.h"
#include "yz/Dialect/Yz/IR/ConstantData.h"
#include "yz/Dialect/Yz/Transforms/Passes.h"
#include "yz/runtime.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::yz;

namespace {

/// The layers quantization can take (see isQuantizable and
/// isActivationMatmul), outside loops: the instrumented copy observes
/// tensors at its return, which a loop body's do not reach.
SmallVector<Operation *> candidates(func::FuncOp entry) {
  SmallVector<Operation *> layers;
  entry.walk([&](Operation *op) {
    if (op->getParentOp() == entry &&
        (isQuantizable(op) || isActivationMatmul(op)))
      layers.push_back(op);
  });
  return layers;
}

/// The tensors calibration observes on `op`: its input (and right operand,
/// for a matmul of two activations) and its result.
SmallVector<Value, 3> observedOn(Operation *op) {
  SmallVector<Value, 3> values = {op->getOperand(0)};
  if (isActivationMatmul(op))
    values.push_back(op->getOperand(1));
  values.push_back(op->getResult(0));
  return values;
}

/// Each tensor the layers read or write, once, in order.
llvm::MapVector<Value, unsigned> observedValues(ArrayRef<Operation *> layers) {
  llvm::MapVector<Value, unsigned> values;
  for (Operation *op : layers)
    for (Value v : observedOn(op))
      values.insert({v, values.size()});
  return values;
}

/// Makes `entry` return max(v) and max(-v) of every observed v, as
/// obs<i>_max and obs<i>_negmin.
void instrument(func::FuncOp entry, ArrayRef<Value> values) {
  auto ret = cast<func::ReturnOp>(entry.getBody().back().getTerminator());
  OpBuilder b(ret);
  Location loc = entry.getLoc();
  SmallVector<Value> results;
  SmallVector<std::string> names;
  for (auto [i, v] : llvm::enumerate(values)) {
    int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
    auto axes = b.getDenseI64ArrayAttr(
        llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    auto max = [&](Value x) {
      return ReduceMaxOp::create(b, loc, x, axes, b.getBoolAttr(true))
          .getResult();
    };
    results.push_back(max(v));
    results.push_back(max(NegOp::create(b, loc, v)));
    names.push_back("obs" + std::to_string(i) + "_max");
    names.push_back("obs" + std::to_string(i) + "_negmin");
  }
  func::ReturnOp::create(b, loc, results);
  ret.erase();
  entry.setType(FunctionType::get(entry.getContext(),
                                  entry.getArgumentTypes(),
                                  ValueRange(results).getTypes()));
  SmallVector<Attribute> attrs;
  for (const std::string &name : names)
    attrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr("yz.name", b.getStringAttr(name))));
  entry.setAllResultAttrs(attrs);
}

/// The calibration samples in `dir`: for a model of one input, every .npy
/// file; otherwise every subdirectory, holding <input name>.npy each.
FailureOr<std::vector<std::vector<std::string>>>
findSamples(ModuleOp module, StringRef dir, ArrayRef<std::string> inputNames) {
  std::vector<std::vector<std::string>> samples;
  std::error_code ec;
  std::vector<std::string> entries;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    entries.push_back(it->path());
  if (ec)
    return emitError(module.getLoc())
           << "--calibration: cannot read '" << dir << "': " << ec.message();
  llvm::sort(entries);
  for (const std::string &path : entries) {
    if (inputNames.size() == 1) {
      if (llvm::sys::path::extension(path) == ".npy")
        samples.push_back({path});
      continue;
    }
    if (!llvm::sys::fs::is_directory(path))
      continue;
    std::vector<std::string> sample;
    for (const std::string &name : inputNames) {
      llvm::SmallString<128> file(path);
      llvm::sys::path::append(file, name + ".npy");
      if (!llvm::sys::fs::exists(file))
        return emitError(module.getLoc())
               << "--calibration: sample '" << path << "' has no '" << name
               << ".npy'";
      sample.push_back(std::string(file));
    }
    samples.push_back(std::move(sample));
  }
  if (samples.empty())
    return emitError(module.getLoc())
           << "--calibration: '" << dir << "' has no samples ("
           << (inputNames.size() == 1
                   ? "expected .npy files"
                   : "expected one subdirectory per sample with a .npy per "
                     "input")
           << ")";
  return samples;
}

/// The one value of a [1, ..., 1] f32 .npy file.
FailureOr<float> readScalar(ModuleOp module, const std::string &path) {
  yz_tensor t{};
  if (yz_npy_load(path.c_str(), &t) != YZ_OK ||
      yz_tensor_num_elements(&t) != 1) {
    yz_tensor_free(&t);
    return emitError(module.getLoc())
           << "calibration: cannot read the range in '" << path << "'";
  }
  float v = float(yz_tensor_get(&t, 0));
  yz_tensor_free(&t);
  return v;
}

/// The runner's log, for an error message (without its own "error: ").
std::string readLog(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "";
  StringRef log = (*buffer)->getBuffer().trim();
  log.consume_front("error: ");
  return log.str();
}

/// The ranges as JSON, for inspection and for references that quantize
/// with exactly the compiler's parameters.
LogicalResult writeTable(ModuleOp module, ArrayRef<Operation *> layers,
                         const llvm::MapVector<Value, unsigned> &values,
                         ArrayRef<float> lo, ArrayRef<float> hi,
                         StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return emitError(module.getLoc())
           << "--calibration-table: cannot write '" << path
           << "': " << ec.message();
  llvm::json::OStream json(os, 2);
  json.array([&] {
    for (Operation *op : layers)
      json.object([&] {
        std::string name;
        if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
          name = loc.getName().str();
        json.attribute("layer", name);
        SmallVector<std::pair<StringRef, Value>, 3> keys = {
            {"input", op->getOperand(0)}, {"output", op->getResult(0)}};
        if (isActivationMatmul(op))
          keys.push_back({"rhs", op->getOperand(1)});
        for (auto [key, v] : keys) {
          unsigned i = values.lookup(v);
          json.attributeArray(key, [&] {
            json.value(double(lo[i]));
            json.value(double(hi[i]));
          });
        }
      });
  });
  os << "\n";
  return success();
}

} // namespace

LogicalResult mlir::yz::calibrate(ModuleOp module, func::FuncOp entry,
                                  StringRef dir, TimingScope &timing,
                                  StringRef tablePath) {
  separateRunTimeBiases(entry);
  SmallVector<Operation *> layers = candidates(entry);
  if (layers.empty()) {
    emitWarning(module.getLoc())
        << "--quantize=int8: the model has no f32 convolution or linear "
           "layer with constant weights, and no matmul of two activations, "
           "to quantize; it stays f32";
    return success();
  }
  llvm::MapVector<Value, unsigned> values = observedValues(layers);
  auto signature = getModelSignature(module, entry.getSymName(), "");
  if (failed(signature))
    return failure();
  std::vector<std::string> inputNames;
  for (const TensorSpec &spec : signature->inputs)
    inputNames.push_back(spec.name);
  auto samples = findSamples(module, dir, inputNames);
  if (failed(samples))
    return failure();

  // The instrumented copy, compiled for the host.
  TimingScope compileTimer = timing.nest("Calibration: compile");
  OwningOpRef<ModuleOp> copy = module.clone();
  auto copyEntry = copy->lookupSymbol<func::FuncOp>(entry.getSymName());
  SmallVector<Operation *> copyLayers = candidates(copyEntry);
  SmallVector<Value> copyValues;
  for (const auto &[v, i] : observedValues(copyLayers))
    copyValues.push_back(v);
  instrument(copyEntry, copyValues);
  CompileOptions host;
  host.target.arch = TargetArch::Host;
  host.npu = "none";
  host.entry = entry.getSymName().str();
  host.modelName = "calibration";
  auto compiled = compileModule(*copy, host, compileTimer);
  if (failed(compiled))
    return emitError(module.getLoc())
           << "calibration: the float model does not compile for the host";
  compileTimer.stop();

  TimingScope runTimer = timing.nest("Calibration: run");

  llvm::SmallString<128> tmp;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("yz-calibrate", tmp))
    return emitError(module.getLoc())
           << "calibration: cannot create a temporary directory: "
           << ec.message();
  llvm::scope_exit cleanup(
      [&] { llvm::sys::fs::remove_directories(tmp); });
  std::string object = (tmp + "/model.o").str(), log = (tmp + "/log").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(object, ec);
    if (ec)
      return emitError(module.getLoc())
             << "calibration: cannot write '" << object << "'";
    os.write(compiled->artifact.data(), compiled->artifact.size());
  }
  auto linked = linkModelObject(object, (tmp + "/model.exe").str(), log);
  if (!linked)
    return emitError(module.getLoc())
           << "calibration: " << llvm::toString(linked.takeError()) << ": "
           << readLog(log);

  std::vector<float> lo(values.size(), std::numeric_limits<float>::max());
  std::vector<float> hi(values.size(), std::numeric_limits<float>::lowest());
  for (const std::vector<std::string> &sample : *samples) {
    RunOptions run;
    run.inputs = sample;
    run.outputDir = (tmp + "/out").str();
    run.quiet = true;
    run.redirectOutput = log;
    auto status = runLinkedModel(*linked, run);
    if (!status || *status != RunOk)
      return emitError(module.getLoc())
             << "calibration sample '" << sample.front() << "': "
             << (status ? readLog(log) : llvm::toString(status.takeError()));
    for (unsigned i = 0; i < values.size(); ++i) {
      std::string base = run.outputDir + "/obs" + std::to_string(i);
      auto max = readScalar(module, base + "_max.npy");
      auto negMin = readScalar(module, base + "_negmin.npy");
      if (failed(max) || failed(negMin))
        return failure();
      if (!std::isfinite(*max) || !std::isfinite(*negMin))
        return emitError(values.begin()[i].first.getLoc())
               << "calibration sample '" << sample.front()
               << "': this tensor takes non-finite values";
      hi[i] = std::max(hi[i], *max);
      lo[i] = std::min(lo[i], -*negMin);
    }
  }

  Builder b(module.getContext());
  auto rangeOf = [&](Value v) {
    unsigned i = values.lookup(v);
    return b.getDenseF32ArrayAttr({lo[i], hi[i]});
  };
  for (Operation *op : layers) {
    op->setAttr(kInputRangeAttr, rangeOf(op->getOperand(0)));
    op->setAttr(kOutputRangeAttr, rangeOf(op->getResult(0)));
    if (isActivationMatmul(op))
      op->setAttr(kRhsRangeAttr, rangeOf(op->getOperand(1)));
  }
  if (!tablePath.empty())
    return writeTable(module, layers, values, lo, hi, tablePath);
  return success();
}
