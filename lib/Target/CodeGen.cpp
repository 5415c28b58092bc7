//===- CodeGen.cpp - LLVM target machines and object emission -------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Target/CodeGen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCSchedule.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <unistd.h>

using namespace mlir::yz;

llvm::Expected<TargetArch> mlir::yz::parseTargetArch(llvm::StringRef name) {
  if (name == "riscv64")
    return TargetArch::RISCV64;
  if (name == "host")
    return TargetArch::Host;
  return llvm::createStringError("unknown target '%s' (expected riscv64 or "
                                 "host)",
                                 name.str().c_str());
}

static void initializeTargets() {
  static bool done = [] {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
    LLVMInitializeRISCVAsmParser();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)done;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::yz::createTargetMachine(const TargetOptions &options) {
  initializeTargets();
  llvm::Triple triple;
  std::string cpu = options.cpu, features;
  llvm::TargetOptions to;
  if (options.arch == TargetArch::RISCV64) {
    if (options.vlen < 32 || options.vlen > 65536 ||
        (options.vlen & (options.vlen - 1)))
      return llvm::createStringError(
          "--vlen=%u is not a power of two between 32 and 65536",
          options.vlen);
    triple = llvm::Triple("riscv64-unknown-linux-gnu");
    if (cpu.empty())
      cpu = "generic-rv64";
    features = "+m,+a,+f,+d,+c,+v,+zvl" + std::to_string(options.vlen) + "b";
    to.MCOptions.ABIName = "lp64d"; // Debian's riscv64 ABI
  } else {
    triple = llvm::Triple(llvm::sys::getProcessTriple());
    if (cpu.empty())
      cpu = llvm::sys::getHostCPUName().str();
    for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") +
                  ((enabled ? "+" : "-") + name).str();
  }
  if (!options.features.empty())
    features += "," + options.features;

  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for %s: %s",
                                   triple.str().c_str(), error.c_str());
  if (!target->hasMCAsmBackend() || cpu.empty())
    return llvm::createStringError("target %s cannot emit objects",
                                   triple.str().c_str());
  // LLVM only warns about unknown CPUs and features (and goes on): refuse
  // them before it sees them.
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!sti->isCPUStringValid(cpu))
    return llvm::createStringError("unknown CPU '%s' for %s", cpu.c_str(),
                                   triple.str().c_str());
  llvm::SmallVector<llvm::StringRef> requested;
  llvm::StringRef(options.features).split(requested, ',', -1, false);
  for (llvm::StringRef feature : requested) {
    llvm::StringRef name = feature.ltrim("+-");
    if (!feature.starts_with("+") && !feature.starts_with("-"))
      return llvm::createStringError(
          "feature '%s' must start with + or -", feature.str().c_str());
    if (llvm::none_of(sti->getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &kv) {
                        return name == kv.Key;
                      }))
      return llvm::createStringError("unknown feature '%s' for %s",
                                     name.str().c_str(), triple.str().c_str());
  }
  auto level = llvm::CodeGenOpt::getLevel(options.optLevel);
  if (!level)
    return llvm::createStringError("-O%u is not an optimization level",
                                   options.optLevel);
  // PIC: Debian's clang links position-independent executables by default.
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, llvm::Reloc::PIC_, std::nullopt, *level));
  if (!tm)
    return llvm::createStringError("cannot create a target machine for %s",
                                   triple.str().c_str());
  // SpacemiT's IME tiles are defined for the X60's VLEN (docs/ime.md).
  if (options.arch == TargetArch::RISCV64 &&
      tm->getMCSubtargetInfo()->checkFeatures("+xsmtvdot") &&
      options.vlen != 256)
    return llvm::createStringError(
        "xsmtvdot (SpacemiT IME) needs --vlen=256, the X60's vector "
        "length; got --vlen=%u",
        options.vlen);
  return tm;
}

/// Whether the K loop should load the next RHS vector ahead, from LLVM's
/// scheduling model of the CPU: an in-order core on which a vector load's
/// latency exceeds a vector FMA's issue time (SpacemiT X60: 16 vs 8 cycles
/// at LMUL 8, `vle32.v` vs `vfmacc.vf`; SiFive X280: 4 vs 16, so no). With
/// no model (no --mcpu): yes, as the defaults describe an X60-like core.
static bool rvvLoadAhead(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo &sti = *tm.getMCSubtargetInfo();
  const llvm::MCSchedModel &model = sti.getSchedModel();
  if (!model.hasInstrSchedModel())
    return true;
  if (model.MicroOpBufferSize > 1) // out of order: the core looks ahead
    return false;
  const llvm::MCInstrInfo &info = *tm.getMCInstrInfo();
  std::optional<double> loadLatency, fmaIssue;
  for (unsigned op = 0, e = info.getNumOpcodes(); op < e; ++op) {
    llvm::StringRef name = info.getName(op);
    if (name != "VLE32_V" && name != "VFMACC_VF")
      continue;
    const llvm::MCSchedClassDesc *desc =
        model.getSchedClassDesc(info.get(op).getSchedClass());
    if (!desc->isValid() || desc->isVariant())
      return true;
    if (name == "VLE32_V")
      loadLatency = llvm::MCSchedModel::computeInstrLatency(sti, *desc);
    else
      fmaIssue = llvm::MCSchedModel::getReciprocalThroughput(sti, *desc);
  }
  return !loadLatency || !fmaIssue || *loadLatency > *fmaIssue;
}

CpuTarget mlir::yz::describeCpu(const llvm::TargetMachine &tm) {
  CpuTarget cpu;
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  if (tm.getTargetTriple().isRISCV()) {
    cpu.vectorRegisters = 32;
    cpu.fmaScalarLoads = 1; // vfmacc.vf takes an f register
    cpu.loadAhead = rvvLoadAhead(tm);
    cpu.stridedVectors = 1; // vlse32.v, vsse32.v
    for (unsigned bits = 65536; bits >= 64; bits /= 2)
      if (sti->checkFeatures("+zvl" + std::to_string(bits) + "b")) {
        cpu.vectorBits = bits;
        break;
      }
    // createTargetMachine refuses xsmtvdot at another VLEN.
    cpu.ime = sti->checkFeatures("+xsmtvdot") && cpu.vectorBits == 256;
    return cpu; // caches: the defaults, as on SpacemiT X60 or SiFive X280
  }
  cpu.shuffleTransposes = 1; // vpermt2ps (AVX-512), shufps and vperm2f128
  cpu.prefetchPanels = 1;
  if (sti->checkFeatures("+avx512f")) {
    cpu.vectorBits = 512;
    cpu.vectorRegisters = 32;
  } else if (sti->checkFeatures("+avx2")) {
    cpu.vectorBits = 256;
  }
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  if (long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE); l1 > 0)
    cpu.l1Bytes = l1;
  if (long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0)
    cpu.l2Bytes = l2;
#endif
  return cpu;
}

llvm::Expected<CpuTarget> mlir::yz::describeCpu(const llvm::TargetMachine &tm,
                                                llvm::StringRef overrides) {
  CpuTarget cpu = describeCpu(tm);
  if (std::string error = cpu.parse(overrides); !error.empty())
    return llvm::createStringError("--cpu-override: " + error);
  return cpu;
}

llvm::Error mlir::yz::optimizeModule(llvm::Module &module,
                                     llvm::TargetMachine &tm,
                                     unsigned optLevel) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  if (tm.getTargetTriple().isRISCV())
    module.addModuleFlag(llvm::Module::Error, "target-abi",
                         llvm::MDString::get(module.getContext(), "lp64d"));
  return mlir::makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &tm)(
      &module);
}

llvm::Error mlir::yz::emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                               llvm::CodeGenFileType type,
                               llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type))
    return llvm::createStringError("the target cannot emit this file type");
  pm.run(module);
  return llvm::Error::success();
}
