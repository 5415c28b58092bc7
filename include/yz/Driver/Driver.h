//===- Driver.h - compile a model module to an artifact ---------*- C++ -*-===//
//
// Part of Yizhuang. The compiler as a library: the yzc tool and the Python
// package both call compileModule().
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DRIVER_DRIVER_H
#define YZ_DRIVER_DRIVER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "yz/Target/CodeGen.h"
#include "yz/Target/ModelSignature.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir {
class PassManager;
namespace yz {

/// What yzc writes; Shared is an object linked (Runner.h) into a shared
/// library with the runtime, so the driver compiles it as Obj.
enum class EmitKind { MLIR, LLVM, Asm, Obj, Shared };

struct CompileOptions {
  TargetOptions target;
  EmitKind emit = EmitKind::Obj;
  std::string entry;     // empty: the module's only public function
  std::string modelName; // empty: the entry function's name
  /// The NPU: "default", "none" (CPU only), or a description such as
  /// "dim=8,sp-rows=4096" (unnamed keys keep their defaults).
  std::string npu = "default";
  bool npuBf16 = false;         // f32 matmuls on the NPU in bf16
  bool npuDoubleBuffer = true;
  bool reportPlacement = false; // where each heavy op runs, on stderr
  /// Threads the model runs on by default (1: no thread machinery).
  int threads = 1;
  /// "key=value,..." over the CPU description derived from the target
  /// (CpuTarget::parse), e.g. "strided-vectors=0".
  std::string cpuOverrides;
  /// int8 post-training quantization: a directory of calibration samples
  /// (see calibrate()); empty keeps the model in float.
  std::string calibration;
  std::string calibrationTable; // if set, the ranges are written here (JSON)
};

struct CompileResult {
  ModelSignature signature;
  SmallVector<char, 0> artifact; // in the format options.emit asks for
  std::string header;            // the C header
};

/// Lowers `module` in place through the yz-to-llvm pipeline and code
/// generation. Failures are reported as diagnostics on the module's context.
/// `configure` may adjust the pass manager (e.g. IR printing options).
FailureOr<CompileResult>
compileModule(ModuleOp module, const CompileOptions &options,
              TimingScope &timing,
              llvm::function_ref<LogicalResult(PassManager &)> configure = {});

} // namespace yz
} // namespace mlir

#endif // YZ_DRIVER_DRIVER_H
