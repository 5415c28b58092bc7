//===- Ime.cpp - SpacemiT IME (xsmtvdot) instructions, emulated -----------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "Ime.h"

#include <cstring>

using namespace yz::ime;

namespace {
constexpr uint32_t kCustom1 = 0x2b;
constexpr uint32_t kFunct7Base = 0x71, kFunct7Slide = 0x73;
} // namespace

bool yz::ime::decode(uint32_t word, Instr &out) {
  uint32_t funct7 = word >> 25;
  if ((word & 0x7f) != kCustom1 ||
      (funct7 != kFunct7Base && funct7 != kFunct7Slide))
    return false;
  Instr instr;
  instr.vs2 = (word >> 20) & 0x1f;
  instr.sign = Sign((word >> 12) & 3);
  instr.vd = (word >> 8) & 0xf;
  instr.vd <<= 1;
  instr.oddVd = (word >> 7) & 1;
  if (funct7 == kFunct7Base) {
    if ((word >> 14) & 1) // not an encoding of this extension
      return false;
    instr.vs1 = (word >> 15) & 0x1f;
  } else {
    instr.vs1 = ((word >> 16) & 0xf) << 1;
    instr.slide = ((word >> 14) & 3) + 1; // 0b11 -> 4, reserved
  }
  if (instr.oddVd)
    instr.vd |= 1;
  out = instr;
  return true;
}

std::string yz::ime::disassemble(const Instr &instr) {
  static const char *const suffix[] = {"u", "us", "su", ""};
  std::string s = "smt.vmadot";
  if (instr.slide)
    s += std::to_string(instr.slide);
  s += suffix[unsigned(instr.sign)];
  return s + " v" + std::to_string(instr.vd) + ", v" +
         std::to_string(instr.vs1) + ", v" + std::to_string(instr.vs2);
}

static bool overlaps(unsigned a, unsigned aCount, unsigned b, unsigned bCount) {
  return a < b + bCount && b < a + aCount;
}

std::string yz::ime::check(const Instr &instr, const VectorState &state) {
  if (state.vlenBits != kVlenBits)
    return "VLEN is " + std::to_string(state.vlenBits) +
           ", not the A60 profile's 256";
  if (state.vtype >> 63)
    return "vtype is illegal (vill set): no vsetvl before it";
  if (unsigned lmul = state.vtype & 7; lmul != 0) {
    static const char *const names[] = {"1", "2", "4", "8",
                                        "reserved", "1/8", "1/4", "1/2"};
    return std::string("LMUL is ") + names[lmul] + ", must be 1";
  }
  if (instr.slide == 4)
    return "the slide field 0b11 is reserved";
  if (instr.oddVd)
    return "vd must be an even register";
  unsigned aRegs = instr.slide ? 2 : 1;
  if (overlaps(instr.vd, 2, instr.vs1, aRegs))
    return "vd, vd+1 overlap vs1" + std::string(aRegs == 2 ? ", vs1+1" : "");
  if (overlaps(instr.vd, 2, instr.vs2, 1))
    return "vd, vd+1 overlap vs2";
  return "";
}

void yz::ime::execute(const Instr &instr, uint8_t regs[32][kVlenBytes]) {
  // A: vs1 (and vs1+1 for the slide forms, read as one 2-register group).
  uint8_t a[2 * kVlenBytes];
  std::memcpy(a, regs[instr.vs1], kVlenBytes);
  if (instr.slide)
    std::memcpy(a + kVlenBytes, regs[instr.vs1 + 1], kVlenBytes);
  const uint8_t *b = regs[instr.vs2];
  bool aSigned = instr.sign == Sign::SS || instr.sign == Sign::SU;
  bool bSigned = instr.sign == Sign::SS || instr.sign == Sign::US;
  auto value = [](uint8_t v, bool isSigned) {
    return isSigned ? int32_t(int8_t(v)) : int32_t(v);
  };
  uint8_t c[2 * kVlenBytes];
  std::memcpy(c, regs[instr.vd], kVlenBytes);
  std::memcpy(c + kVlenBytes, regs[instr.vd + 1], kVlenBytes);
  unsigned offset = instr.slide * kK;
  for (unsigned p = 0; p < kM * kN; ++p) {
    unsigned i = (p / kN) * kK + offset, j = (p % kN) * kK;
    uint32_t sum;
    std::memcpy(&sum, c + 4 * p, 4);
    for (unsigned q = 0; q < kK; ++q)
      sum += uint32_t(value(a[i + q], aSigned) * value(b[j + q], bSigned));
    std::memcpy(c + 4 * p, &sum, 4);
  }
  std::memcpy(regs[instr.vd], c, kVlenBytes);
  std::memcpy(regs[instr.vd + 1], c + kVlenBytes, kVlenBytes);
}
