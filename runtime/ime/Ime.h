//===- Ime.h - SpacemiT IME (xsmtvdot) instructions, emulated -*- C++ -*-===//
//
// Part of Yizhuang. The int8 matrix-multiply instructions of SpacemiT's X60
// cores (K1 SoC): smt.vmadot{,u,us,su} and the slide forms
// smt.vmadot{1,2,3}{,u,us,su}, as the vendor's document defines them for
// the A60 profile (VLEN 256: 4x8 int8 tiles, a 4x4 int32 accumulator in an
// even register pair); see docs/ime.md. The same code runs in the GoogleTest
// cases (on a register file in memory) and, for riscv64 binaries under
// qemu, behind SIGILL (trap.cpp), which reads and writes the real vector
// registers.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_RUNTIME_IME_IME_H
#define YZ_RUNTIME_IME_IME_H

#include <cstdint>
#include <string>

namespace yz::ime {

/// The A60 profile: VLEN, and the M x K x N tile.
constexpr unsigned kVlenBits = 256, kVlenBytes = kVlenBits / 8;
constexpr unsigned kM = 4, kK = 8, kN = 4;

/// Which operands are unsigned: A (vs1), B (vs2). The encoding's sign
/// field, as LLVM's RISCVInstrInfoXSpacemiT.td gives it.
enum class Sign : unsigned { UU = 0, US = 1, SU = 2, SS = 3 };

struct Instr {
  unsigned vd = 0, vs1 = 0, vs2 = 0;
  Sign sign = Sign::SS;
  unsigned slide = 0; // 0: base form; 1-3: A read from vs1, vs1+1 shifted
                      // by that many rows; 4: the reserved slide encoding
  bool oddVd = false; // bit 7 set: the encoding of an odd vd
};

/// Whether `word` is an smt.vmadot* instruction (custom-1 opcode, funct7
/// 0b1110001 or 0b1110011); fills `out`.
bool decode(uint32_t word, Instr &out);

/// "smt.vmadot2su v16, v2, v8", as the assembler spells it.
std::string disassemble(const Instr &instr);

/// The vtype CSR fields this extension depends on.
struct VectorState {
  uint64_t vtype = 0; // vill in bit 63, vlmul in bits 2:0
  unsigned vlenBits = kVlenBits;
};

/// Why `instr` is illegal in `state` (the document's illegal conditions:
/// LMUL != 1, odd vd, vd/vd+1 overlapping a source; plus vill, the
/// reserved slide and a VLEN other than the A60's), or "" if it is legal.
std::string check(const Instr &instr, const VectorState &state);

/// Executes a legal `instr` on `regs`, 32 registers of kVlenBytes bytes:
/// C[vd, vd+1] (int32, row-major 4x4) += A (4x8, row-major, from vs1 or,
/// shifted by `slide` rows, from vs1 and vs1+1) x B^T (B 4x8 from vs2).
/// The sums wrap modulo 2^32.
void execute(const Instr &instr, uint8_t regs[32][kVlenBytes]);

/// riscv64 only (trap.cpp): executes the instruction `word` at `pc` on the
/// hart's vector registers, or returns false if it is not an IME one. An
/// illegal one is reported on stderr and ends the process (exit status 1).
bool trap(uint32_t word, uint64_t pc);

} // namespace yz::ime

#endif // YZ_RUNTIME_IME_IME_H
