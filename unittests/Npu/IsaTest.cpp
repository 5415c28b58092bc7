//===- IsaTest.cpp - the encoding table is consistent ---------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/npu/Isa.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace yz::npu;

TEST(Isa, EveryInstructionDecodesToItself) {
  std::set<uint32_t> seen;
  for (const InsnInfo &i : kInsns) {
    EXPECT_TRUE(seen.insert(i.funct7 << 3 | i.funct3).second)
        << i.mnemonic << " shares its funct7/funct3";
    EXPECT_LT(i.funct7, 128u);
    EXPECT_LT(i.funct3, 8u);
    uint32_t word = encode(i.op, 5, 6, 7);
    Op op;
    ASSERT_TRUE(decode(word, op)) << i.mnemonic;
    EXPECT_EQ(op, i.op);
    EXPECT_EQ(rdOf(word), 5u);
    EXPECT_EQ(rs1Of(word), 6u);
    EXPECT_EQ(rs2Of(word), 7u);
  }
}

TEST(Isa, MatchesTheAssemblersEncoding) {
  // .insn r CUSTOM_0, 0, 3, x0, a1, a2 assembles to 0x06c5800b
  // (checked against llvm-mc in test/Target/npu-encodings.test).
  EXPECT_EQ(encode(Op::Matmul, 0, 11, 12), 0x06c5800bu);
  Op op;
  EXPECT_FALSE(decode(0x00000013, op)); // addi x0, x0, 0
  EXPECT_FALSE(decode(0xfe00000b, op)); // custom-0, unassigned funct7
}

TEST(Isa, FieldsDoNotOverlap) {
  for (const InsnInfo &i : kInsns) {
    uint64_t used[2] = {0, 0};
    for (const Field &f : kFields) {
      if (f.op != i.op)
        continue;
      EXPECT_LE(f.lsb + f.width, 64u) << i.mnemonic << "." << f.name;
      uint64_t bits = f.put(~uint64_t(0));
      EXPECT_EQ(used[unsigned(f.reg)] & bits, 0u)
          << i.mnemonic << "." << f.name << " overlaps";
      used[unsigned(f.reg)] |= bits;
    }
  }
}

TEST(Isa, FieldsRoundTrip) {
  using namespace field;
  uint64_t rs2 = Matmul_CRow.put(1000) | Matmul_M.put(16) | Matmul_N.put(7) |
                 Matmul_K.put(3) | Matmul_Accumulate.put(1);
  EXPECT_EQ(Matmul_CRow.get(rs2), 1000u);
  EXPECT_EQ(Matmul_M.get(rs2), 16u);
  EXPECT_EQ(Matmul_N.get(rs2), 7u);
  EXPECT_EQ(Matmul_K.get(rs2), 3u);
  EXPECT_EQ(Matmul_Accumulate.get(rs2), 1u);
  EXPECT_EQ(Matmul_TransposeA.get(rs2), 0u);
  EXPECT_TRUE(Matmul_M.fits(255));
  EXPECT_FALSE(Matmul_M.fits(256));
  EXPECT_EQ(DmaIn_Address.get(DmaIn_Address.put(~uint64_t(0))), ~uint64_t(0));
}

TEST(Isa, DmaInstructionsShareOneOperandLayout) {
  // The emitter and the simulator pack and decode every DMA with DmaIn's
  // fields; the table must keep them identical.
  using namespace field;
  const Field in[] = {DmaIn_Address, DmaIn_Row, DmaIn_Rows, DmaIn_Cols};
  const Field others[][4] = {
      {DmaInAcc_Address, DmaInAcc_Row, DmaInAcc_Rows, DmaInAcc_Cols},
      {DmaOut_Address, DmaOut_Row, DmaOut_Rows, DmaOut_Cols},
      {DmaOutQ_Address, DmaOutQ_Row, DmaOutQ_Rows, DmaOutQ_Cols},
      {DmaOutAcc_Address, DmaOutAcc_Row, DmaOutAcc_Rows, DmaOutAcc_Cols}};
  for (const auto &fields : others)
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(fields[i].reg, in[i].reg) << info(fields[i].op).mnemonic;
      EXPECT_EQ(fields[i].lsb, in[i].lsb) << info(fields[i].op).mnemonic;
      EXPECT_EQ(fields[i].width, in[i].width) << info(fields[i].op).mnemonic;
    }
}
