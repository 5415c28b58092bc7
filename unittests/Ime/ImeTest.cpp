//===- ImeTest.cpp - the IME emulator against a scalar reference ----------===//
//
// Part of Yizhuang. Encodings are llvm-mc-22's (-mattr=+v,+xsmtvdot).
//
//===----------------------------------------------------------------------===//

#include "Ime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace yz::ime;

namespace {

TEST(Ime, DecodesWhatLLVMAssembles) {
  struct Case {
    uint32_t word;
    const char *text;
  } cases[] = {
      {0xe210382b, "smt.vmadot v16, v0, v1"},
      {0xe210082b, "smt.vmadotu v16, v0, v1"},
      {0xe210282b, "smt.vmadotsu v16, v0, v1"},
      {0xe210182b, "smt.vmadotus v16, v0, v1"},
      {0xe610382b, "smt.vmadot1 v16, v0, v1"},
      {0xe611782b, "smt.vmadot2 v16, v2, v1"},
      {0xe611a82b, "smt.vmadot3su v16, v2, v1"},
  };
  for (const Case &c : cases) {
    Instr instr;
    ASSERT_TRUE(decode(c.word, instr)) << c.text;
    EXPECT_EQ(disassemble(instr), c.text);
    EXPECT_EQ(check(instr, VectorState{}), "") << c.text;
  }
  Instr instr;
  EXPECT_FALSE(decode(0x0000000b, instr)); // custom-0: the NPU's
  EXPECT_FALSE(decode(0xe210782b, instr)); // base form with bit 14 set
  EXPECT_FALSE(decode(0x0210382b, instr)); // another funct7
}

/// C += A B^T with A rows shifted by `slide`, element by element.
void reference(const Instr &in, uint8_t regs[32][kVlenBytes], int32_t c[16]) {
  bool aSigned = in.sign == Sign::SS || in.sign == Sign::SU;
  bool bSigned = in.sign == Sign::SS || in.sign == Sign::US;
  const uint8_t *a = regs[in.vs1]; // vs1 + 1 follows it in memory
  std::memcpy(c, regs[in.vd], 2 * kVlenBytes);
  for (int row = 0; row < 4; ++row)
    for (int col = 0; col < 4; ++col)
      for (int k = 0; k < 8; ++k) {
        int av = a[(row + in.slide) * 8 + k], bv = regs[in.vs2][col * 8 + k];
        if (aSigned)
          av = int8_t(av);
        if (bSigned)
          bv = int8_t(bv);
        c[row * 4 + col] += av * bv;
      }
}

TEST(Ime, MatchesTheScalarReference) {
  std::mt19937 rng(7);
  for (unsigned slide = 0; slide <= 3; ++slide)
    for (unsigned sign = 0; sign < 4; ++sign) {
      Instr in;
      in.vd = 16;
      in.vs1 = 2;
      in.vs2 = 9;
      in.sign = Sign(sign);
      in.slide = slide;
      ASSERT_EQ(check(in, VectorState{}), "");
      uint8_t regs[32][kVlenBytes];
      for (auto &r : regs)
        for (uint8_t &b : r)
          b = uint8_t(rng());
      int32_t want[16];
      reference(in, regs, want);
      execute(in, regs);
      EXPECT_EQ(std::memcmp(regs[16], want, sizeof want), 0)
          << disassemble(in);
    }
}

TEST(Ime, TheDocumentsExample) {
  // SpacemiT's ime_extension.md, 5.1.6 (A60): C = A B^T from zero.
  const int8_t a[32] = {0, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 8,
                        2, 3, 4, 5, 6, 7, 8, 9, 4, 5, 6, 7, 8, 9, 10, 11};
  const int8_t b[32] = {0, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 8,
                        2, 3, 4, 5, 6, 7, 8, 9, 11, 4, 5, 6, 7, 8, 9, 10};
  const int32_t want[16] = {140, 168, 196, 224, 168, 204, 240, 284,
                            196, 240, 284, 344, 252, 312, 372, 464};
  uint8_t regs[32][kVlenBytes] = {};
  std::memcpy(regs[0], a, 32);
  std::memcpy(regs[1], b, 32);
  Instr in;
  ASSERT_TRUE(decode(0xe210382b, in)); // smt.vmadot v16, v0, v1
  execute(in, regs);
  EXPECT_EQ(std::memcmp(regs[16], want, sizeof want), 0);
}

TEST(Ime, WrapsModulo32Bits) {
  uint8_t regs[32][kVlenBytes] = {};
  std::memset(regs[0], 0x80, 32); // -128
  std::memset(regs[1], 0x80, 32);
  int32_t start[16];
  for (int32_t &v : start)
    v = INT32_MAX;
  std::memcpy(regs[16], start, sizeof start);
  Instr in;
  ASSERT_TRUE(decode(0xe210382b, in));
  execute(in, regs);
  int32_t got[16];
  std::memcpy(got, regs[16], sizeof got);
  EXPECT_EQ(uint32_t(got[5]), uint32_t(INT32_MAX) + 8u * 16384u);
}

TEST(Ime, ReportsIllegalOperandsAndState) {
  Instr in;
  ASSERT_TRUE(decode(0xe210382b, in)); // smt.vmadot v16, v0, v1
  VectorState lmul2;
  lmul2.vtype = 1; // e8, m2
  EXPECT_EQ(check(in, lmul2), "LMUL is 2, must be 1");
  VectorState fractional;
  fractional.vtype = 7; // mf2
  EXPECT_EQ(check(in, fractional), "LMUL is 1/2, must be 1");
  VectorState vill;
  vill.vtype = uint64_t(1) << 63;
  EXPECT_EQ(check(in, vill), "vtype is illegal (vill set): no vsetvl before it");
  VectorState narrow;
  narrow.vlenBits = 128;
  EXPECT_EQ(check(in, narrow), "VLEN is 128, not the A60 profile's 256");

  Instr odd;
  ASSERT_TRUE(decode(0xe210382b | 0x80, odd)); // bit 7: vd = v17
  EXPECT_EQ(disassemble(odd), "smt.vmadot v17, v0, v1");
  EXPECT_EQ(check(odd, VectorState{}), "vd must be an even register");

  Instr overlapA = in, overlapB = in;
  overlapA.vs1 = 17;
  overlapB.vs2 = 16;
  EXPECT_EQ(check(overlapA, VectorState{}), "vd, vd+1 overlap vs1");
  EXPECT_EQ(check(overlapB, VectorState{}), "vd, vd+1 overlap vs2");
  Instr slide;
  ASSERT_TRUE(decode(0xe611782b, slide)); // smt.vmadot2 v16, v2, v1
  slide.vs1 = 14; // reads v14, v15: next to v16, not on it
  EXPECT_EQ(check(slide, VectorState{}), "");
  slide.vs1 = 16;
  EXPECT_EQ(check(slide, VectorState{}), "vd, vd+1 overlap vs1, vs1+1");
  Instr reserved;
  ASSERT_TRUE(decode(0xe611782b | (3u << 14), reserved));
  EXPECT_EQ(check(reserved, VectorState{}),
            "the slide field 0b11 is reserved");
}

} // namespace
