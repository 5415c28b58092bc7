//===- sigill.cpp - the NPU behind SIGILL, for riscv64 binaries -----------===//
//
// Part of Yizhuang. Built as a shared library that qemu-riscv64 preloads
// (-E LD_PRELOAD=libyz_npu_sim.so) into an unmodified binary: the custom-0
// instructions trap as illegal, and the handler executes them on the
// simulated NPU, writes rd and steps over the instruction. SpacemiT's IME
// instructions (custom-1, runtime/ime) trap here too, and Zicond's
// czero.eqz/nez, which qemu 7.2 lacks and LLVM emits for the X60 (the
// preloaded library stands for the target's hardware). Compiled without V:
// the IME operands are the trapped code's vector registers, which nothing
// may touch before runtime/ime/trap.cpp has read them.
//
//===----------------------------------------------------------------------===//

#include "Session.h"

#include "yz/npu/Isa.h"

#include "Ime.h"

#include <csignal>
#include <cstdint>
#include <ucontext.h>

namespace {

struct sigaction previous;

/// Zicond: czero.eqz rd, rs1, rs2 (rd = rs2 == 0 ? 0 : rs1) and czero.nez.
bool zicond(uint32_t word, unsigned long *regs) {
  uint32_t kind = word & 0xfe00707f;
  if (kind != 0x0e005033 && kind != 0x0e007033)
    return false;
  unsigned rd = (word >> 7) & 31, rs1 = (word >> 15) & 31,
           rs2 = (word >> 20) & 31;
  unsigned long a = rs1 ? regs[rs1] : 0, b = rs2 ? regs[rs2] : 0;
  bool zero = kind == 0x0e005033 ? b == 0 : b != 0;
  if (rd)
    regs[rd] = zero ? 0 : a;
  return true;
}

void onSigill(int sig, siginfo_t *info, void *context) {
  auto *uc = static_cast<ucontext_t *>(context);
  unsigned long *regs = uc->uc_mcontext.__gregs; // [0] is the pc, [i] is xi
  uint64_t pc = regs[0];
  uint32_t word = *reinterpret_cast<const uint32_t *>(pc);
  if (yz::ime::trap(word, pc) || zicond(word, regs)) {
    regs[0] = pc + 4;
    return;
  }
  yz::npu::Op op;
  if (!yz::npu::decode(word, op)) {
    // Not ours: let the previous disposition (usually: die) handle it.
    sigaction(SIGILL, &previous, nullptr);
    if (previous.sa_flags & SA_SIGINFO && previous.sa_sigaction)
      previous.sa_sigaction(sig, info, context);
    return;
  }
  uint64_t rd = yz::npu::executeOrDie(word, regs[yz::npu::rs1Of(word)],
                                      regs[yz::npu::rs2Of(word)], pc);
  if (unsigned r = yz::npu::rdOf(word); r != 0 && yz::npu::info(op).writesRd)
    regs[r] = rd;
  regs[0] = pc + 4;
}

__attribute__((constructor)) void install() {
  struct sigaction action = {};
  action.sa_sigaction = onSigill;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGILL, &action, &previous);
}

} // namespace
