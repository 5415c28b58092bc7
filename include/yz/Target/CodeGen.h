//===- CodeGen.h - LLVM target machines and object emission -----*- C++ -*-===//
//
// Part of Yizhuang. In-process code generation: no llc, no external
// assembler. The riscv64 defaults (RV64GC + V, VLEN 256, lp64d) live here
// and nowhere else.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_TARGET_CODEGEN_H
#define YZ_TARGET_CODEGEN_H

#include "yz/CPU/CpuTarget.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir::yz {

enum class TargetArch { RISCV64, Host };

struct TargetOptions {
  TargetArch arch = TargetArch::RISCV64;
  std::string cpu;      // empty: generic-rv64, or the host's CPU
  std::string features; // extra, comma-separated, e.g. "+zba,+zbb"
  unsigned vlen = 256;  // riscv64: minimum vector length in bits (zvl*b)
  unsigned optLevel = 2;
};

/// Parses "riscv64" or "host".
llvm::Expected<TargetArch> parseTargetArch(llvm::StringRef name);

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// What the CPU code strategy needs to know of the target machine: vector
/// width and registers from its features (RVV: the zvl VLEN; x86: AVX-512,
/// AVX2 or SSE), cache sizes from the host (or the RISC-V defaults).
CpuTarget describeCpu(const llvm::TargetMachine &tm);

/// describeCpu with `overrides` ("key=value,...", CpuTarget::parse) over it:
/// yzc --cpu-override.
llvm::Expected<CpuTarget> describeCpu(const llvm::TargetMachine &tm,
                                      llvm::StringRef overrides);

/// Sets the module's triple and data layout, then runs LLVM's -O<level>
/// pipeline for the target.
llvm::Error optimizeModule(llvm::Module &module, llvm::TargetMachine &tm,
                           unsigned optLevel);

/// Writes an object file or assembly.
llvm::Error emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                     llvm::CodeGenFileType type, llvm::raw_pwrite_stream &os);

} // namespace mlir::yz

#endif // YZ_TARGET_CODEGEN_H
