//===- trap.cpp - IME instructions behind SIGILL, for riscv64 binaries ----===//
//
// Part of Yizhuang. qemu-riscv64 7.2 does not know xsmtvdot: the
// instruction traps, and the preloaded simulator's SIGILL handler
// (runtime/npu/sigill.cpp) calls trap() here, which reads the operand
// registers, executes the instruction (Ime.cpp) and writes vd, vd+1 back.
// The trapped code's vector registers are still the hart's (the kernel, or
// qemu, does not touch them on the way in), and its other registers must
// stay as they are: this file and Ime.cpp are compiled without V, so that
// no vector code of the compiler's runs here. Whole-register loads and
// stores (vl1re8.v, vs1r.v) ignore vl and vtype; vl and vtype are restored
// all the same, in case a library function used them.
//
//===----------------------------------------------------------------------===//

#include "Ime.h"

#include <cstdio>
#include <unistd.h>

namespace {

#define YZ_V_CASE(n, insn)                                                     \
  case n:                                                                      \
    asm volatile(".option push\n.option arch, +v\n" insn " v" #n ", (%0)\n"    \
                 ".option pop" ::"r"(bytes)                                    \
                 : "memory");                                                  \
    break;
#define YZ_V_CASES(insn)                                                       \
  YZ_V_CASE(0, insn) YZ_V_CASE(1, insn) YZ_V_CASE(2, insn)                     \
  YZ_V_CASE(3, insn) YZ_V_CASE(4, insn) YZ_V_CASE(5, insn)                     \
  YZ_V_CASE(6, insn) YZ_V_CASE(7, insn) YZ_V_CASE(8, insn)                     \
  YZ_V_CASE(9, insn) YZ_V_CASE(10, insn) YZ_V_CASE(11, insn)                   \
  YZ_V_CASE(12, insn) YZ_V_CASE(13, insn) YZ_V_CASE(14, insn)                  \
  YZ_V_CASE(15, insn) YZ_V_CASE(16, insn) YZ_V_CASE(17, insn)                  \
  YZ_V_CASE(18, insn) YZ_V_CASE(19, insn) YZ_V_CASE(20, insn)                  \
  YZ_V_CASE(21, insn) YZ_V_CASE(22, insn) YZ_V_CASE(23, insn)                  \
  YZ_V_CASE(24, insn) YZ_V_CASE(25, insn) YZ_V_CASE(26, insn)                  \
  YZ_V_CASE(27, insn) YZ_V_CASE(28, insn) YZ_V_CASE(29, insn)                  \
  YZ_V_CASE(30, insn) YZ_V_CASE(31, insn)

void readRegister(unsigned n, uint8_t *bytes) {
  switch (n) { YZ_V_CASES("vs1r.v") }
}

void writeRegister(unsigned n, const uint8_t *bytes) {
  switch (n) { YZ_V_CASES("vl1re8.v") }
}

#define YZ_CSR(name)                                                           \
  [] {                                                                         \
    uint64_t v;                                                                \
    asm volatile(".option push\n.option arch, +v\ncsrr %0, " name            \
                 "\n.option pop"                                               \
                 : "=r"(v));                                                   \
    return v;                                                                  \
  }()

void restore(uint64_t vl, uint64_t vtype) {
  asm volatile(".option push\n.option arch, +v\nvsetvl zero, %0, %1\n"
               ".option pop" ::"r"(vl), "r"(vtype));
}

} // namespace

namespace yz::ime {

// An illegal instruction ends the process as the NPU's errors do: the
// hardware would raise an illegal-instruction exception.
bool trap(uint32_t word, uint64_t pc) {
  Instr instr;
  if (!decode(word, instr))
    return false;
  VectorState state;
  state.vtype = YZ_CSR("vtype");
  state.vlenBits = unsigned(YZ_CSR("vlenb") * 8);
  uint64_t vl = YZ_CSR("vl");
  if (std::string error = check(instr, state); !error.empty()) {
    fprintf(stderr, "ime: illegal instruction at pc 0x%llx: %s (0x%08x): %s\n",
            (unsigned long long)pc, disassemble(instr).c_str(), word,
            error.c_str());
    fflush(stdout);
    _exit(1);
  }
  uint8_t regs[32][kVlenBytes];
  unsigned used[] = {instr.vs1, instr.vs1 + 1, instr.vs2, instr.vd,
                     instr.vd + 1};
  for (unsigned r : used)
    if (r < 32)
      readRegister(r, regs[r]);
  execute(instr, regs);
  writeRegister(instr.vd, regs[instr.vd]);
  writeRegister(instr.vd + 1, regs[instr.vd + 1]);
  restore(vl, state.vtype);
  return true;
}

} // namespace yz::ime
