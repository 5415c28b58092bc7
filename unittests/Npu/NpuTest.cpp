//===- NpuTest.cpp - the semantics of every NPU instruction ---------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "Program.h"

#include <cmath>
#include <random>
#include <vector>

using namespace yz::npu;
using namespace yz::npu::test;

namespace {

constexpr int kDim = 16;

TEST(Npu, DmaInIsStridedAndZeroFills) {
  Program p;
  int8_t src[3][20];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 20; ++c)
      src[r][c] = int8_t(r * 20 + c - 30);
  p.configLoad(20, SrcType::I8);
  p.must(Op::DmaIn, addr(&src[0][2]), Program::rows(5, 3, 10));
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < kDim; ++c)
      EXPECT_EQ(int16_t(p.npu.spSlot(5 + r, c)), c < 10 ? src[r][c + 2] : 0)
          << r << "," << c;
}

TEST(Npu, DmaInRoundsF32ToBf16) {
  Program p;
  // 1 + 2^-8 is a tie between bf16 1.0 and 1 + 2^-7: even wins (1.0);
  // 1 + 3 * 2^-8 rounds up to 1 + 2^-6.
  float src[3] = {1.0f + 1.0f / 256, 1.0f + 3.0f / 256, -2.5f};
  p.configLoad(0, SrcType::F32);
  p.must(Op::DmaIn, addr(src), Program::rows(0, 1, 3));
  EXPECT_EQ(p.npu.spSlot(0, 0), 0x3f80);
  EXPECT_EQ(p.npu.spSlot(0, 1), 0x3f82);
  EXPECT_EQ(p.npu.spSlot(0, 2), 0xc020);
}

/// A random i8 matmul of M x N x K on the NPU against a plain loop.
void checkI8Matmul(int m, int n, int k, bool ta, bool tb) {
  std::mt19937 rng(m * 1000 + n * 10 + k);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> a(m * k), b(k * n);
  for (auto &v : a) v = int8_t(dist(rng));
  for (auto &v : b) v = int8_t(dist(rng));
  // Lay A (or A^T) and B (or B^T) out as the scratchpad rows expect.
  std::vector<int8_t> aRows(ta ? k * m : m * k), bRows(tb ? n * k : k * n);
  for (int i = 0; i < m; ++i)
    for (int kk = 0; kk < k; ++kk)
      (ta ? aRows[kk * m + i] : aRows[i * k + kk]) = a[i * k + kk];
  for (int kk = 0; kk < k; ++kk)
    for (int j = 0; j < n; ++j)
      (tb ? bRows[j * k + kk] : bRows[kk * n + j]) = b[kk * n + j];
  Program p;
  p.configExec(DataType::I8);
  p.configLoad(ta ? m : k, SrcType::I8);
  p.must(Op::DmaIn, addr(aRows.data()), Program::rows(0, ta ? k : m, ta ? m : k));
  p.configLoad(tb ? k : n, SrcType::I8);
  p.must(Op::DmaIn, addr(bRows.data()),
         Program::rows(100, tb ? n : k, tb ? k : n));
  ASSERT_TRUE(p.matmul(0, 100, 7, m, n, k, false, ta, tb)) << p.error;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      int32_t want = 0;
      for (int kk = 0; kk < k; ++kk)
        want += int32_t(a[i * k + kk]) * b[kk * n + j];
      ASSERT_EQ(p.npu.accInt(7 + i, j), want) << i << "," << j;
    }
}

TEST(Npu, MatmulI8FullTile) { checkI8Matmul(kDim, kDim, kDim, false, false); }
TEST(Npu, MatmulI8PartialTile) { checkI8Matmul(3, 16, 5, false, false); }
TEST(Npu, MatmulI8Transposed) { checkI8Matmul(7, 9, 11, true, true); }

TEST(Npu, MatmulAccumulatesOrOverwrites) {
  Program p;
  int8_t ones[kDim * kDim];
  std::fill(ones, ones + kDim * kDim, 1);
  p.configLoad(kDim, SrcType::I8);
  p.must(Op::DmaIn, addr(ones), Program::rows(0, kDim, kDim));
  ASSERT_TRUE(p.matmul(0, 0, 0, 2, 2, kDim, false));
  ASSERT_TRUE(p.matmul(0, 0, 0, 2, 2, kDim, true));
  EXPECT_EQ(p.npu.accInt(1, 1), 2 * kDim);
  ASSERT_TRUE(p.matmul(0, 0, 0, 2, 2, 3, false));
  EXPECT_EQ(p.npu.accInt(1, 1), 3);
}

TEST(Npu, MatmulBf16AccumulatesInF32) {
  Program p;
  float a[2] = {1.5f, -2.0f}, b[2] = {4.0f, 0.25f};
  p.configExec(DataType::BF16);
  p.configLoad(8, SrcType::F32);
  p.must(Op::DmaIn, addr(a), Program::rows(0, 1, 2)); // A: 1 x 2
  p.configLoad(4, SrcType::F32);
  p.must(Op::DmaIn, addr(b), Program::rows(1, 2, 1)); // B: 2 x 1
  ASSERT_TRUE(p.matmul(0, 1, 0, 1, 1, 2));
  EXPECT_EQ(p.npu.accFloat(0, 0), 1.5f * 4.0f - 2.0f * 0.25f);
}

TEST(Npu, DmaOutQRequantizesWithRoundHalfEvenAndClamp) {
  Program p;
  int32_t acc[6] = {5, 7, -5, 1000, -1000, 3};
  p.configLoad(0, SrcType::Raw32);
  p.must(Op::DmaInAcc, addr(acc), Program::rows(2, 1, 6));
  // scale 0.5: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2; +zp 10; clamp to [10, 100].
  p.configStore(0, Activation::None, 0.5f, 10, 10, 100);
  int8_t out[6];
  p.must(Op::DmaOutQ, addr(out), Program::rows(2, 1, 6));
  int8_t want[6] = {12, 14, 10, 100, 10, 12};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(out[i], want[i]) << i;
}

TEST(Npu, DmaOutQAddsAndScalesEachColumnFromItsEpilogueRows) {
  Program p;
  int32_t acc[3] = {10, 10, -10};
  // Row 5: f32 scales; row 6: i32 biases.
  uint32_t epilogue[2][3];
  float scales[3] = {0.25f, 1.0f, 3.0f};
  int32_t biases[3] = {0, -4, 1};
  memcpy(epilogue[0], scales, sizeof scales);
  memcpy(epilogue[1], biases, sizeof biases);
  p.configLoad(0, SrcType::Raw32);
  p.must(Op::DmaInAcc, addr(acc), Program::rows(0, 1, 3));
  p.configLoad(12, SrcType::Raw32);
  p.must(Op::DmaInAcc, addr(epilogue), Program::rows(5, 2, 3));
  p.must(Op::ConfigStore, field::ConfigStore_ScaleRow.put(5),
         field::ConfigStore_ClampMin.put(uint8_t(-128)) |
             field::ConfigStore_ClampMax.put(127) |
             field::ConfigStore_PerChannel.put(1));
  int8_t out[3];
  p.must(Op::DmaOutQ, addr(out), Program::rows(0, 1, 3));
  EXPECT_EQ(out[0], 2); // 2.5 rounds to even
  EXPECT_EQ(out[1], 6);
  EXPECT_EQ(out[2], -27);
  // The bias row must be inside the accumulator too.
  EXPECT_FALSE(p.run(Op::ConfigStore, field::ConfigStore_ScaleRow.put(1023),
                     field::ConfigStore_PerChannel.put(1)));
  EXPECT_NE(p.error.find("scale row 1023 and its bias row"), std::string::npos)
      << p.error;
}

TEST(Npu, DmaOutAccAppliesTheFloatActivation) {
  Program p;
  float acc[3] = {-1.0f, 3.0f, 7.5f};
  p.configExec(DataType::BF16);
  p.configLoad(0, SrcType::Raw32);
  p.must(Op::DmaInAcc, addr(acc), Program::rows(0, 1, 3));
  float out[3];
  p.configStore(0, Activation::Relu6);
  p.must(Op::DmaOutAcc, addr(out), Program::rows(0, 1, 3));
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 3.0f);
  EXPECT_EQ(out[2], 6.0f);
}

TEST(Npu, DmaOutCopiesScratchpadRowsWithStride) {
  Program p;
  int8_t src[2][4] = {{1, 2, 3, 4}, {5, 6, 7, 8}}, out[2][8] = {};
  p.configLoad(4, SrcType::I8);
  p.must(Op::DmaIn, addr(src), Program::rows(9, 2, 4));
  p.configStore(8);
  p.must(Op::DmaOut, addr(out), Program::rows(9, 2, 3));
  EXPECT_EQ(out[1][2], 7);
  EXPECT_EQ(out[1][3], 0); // only 3 columns written
}

TEST(Npu, CounterReadsMacs) {
  Program p;
  int8_t zeros[kDim * kDim] = {};
  p.configLoad(kDim, SrcType::I8);
  p.must(Op::DmaIn, addr(zeros), Program::rows(0, kDim, kDim));
  ASSERT_TRUE(p.matmul(0, 0, 0, 4, 5, 6));
  uint64_t macs = 0, cycles = 0;
  ASSERT_TRUE(p.run(Op::Counter, field::Counter_Id.put(1), 0, &macs));
  ASSERT_TRUE(p.run(Op::Counter, field::Counter_Id.put(0), 0, &cycles));
  EXPECT_EQ(macs, 4u * 5 * 6);
  EXPECT_GT(cycles, 0u);
}

struct BadCase {
  const char *what;
  Op op;
  uint64_t rs1, rs2;
  const char *message;
};

TEST(Npu, RejectsBadOperandsWithAReason) {
  using namespace field;
  uint64_t big = 8192;
  BadCase cases[] = {
      {"cols", Op::DmaIn, 0, Program::rows(0, 1, 17), "cols = 17, must be 1..16"},
      {"rows", Op::DmaIn, 0, Program::rows(8190, 4, 16),
       "rows 8190..8193 are outside the 8192 rows of the scratchpad"},
      {"acc rows", Op::DmaOutAcc, 0, Program::rows(1020, 8, 16),
       "rows 1020..1027 are outside the 1024 rows of the accumulator"},
      {"acc src", Op::DmaInAcc, 0, Program::rows(0, 1, 1),
       "dma_in.acc needs config.load source type 3"},
      {"mnk", Op::Matmul, 0, Matmul_M.put(17) | Matmul_N.put(1) | Matmul_K.put(1),
       "M, N, K = 17, 1, 1; each must be 1..DIM (DIM = 16)"},
      {"a rows", Op::Matmul, Matmul_ARow.put(big - 1),
       Matmul_M.put(2) | Matmul_N.put(1) | Matmul_K.put(1),
       "exceed the 8192 scratchpad rows"},
      {"c rows", Op::Matmul, 0,
       Matmul_CRow.put(1023) | Matmul_M.put(2) | Matmul_N.put(1) | Matmul_K.put(1),
       "C rows 1023..1024 exceed the 1024 accumulator rows"},
      {"dtype", Op::ConfigExec, 3, 0, "data type 3 is not 0 (i8) or 1 (bf16)"},
      {"src", Op::ConfigLoad, 0, 9, "source type 9 is not 0..3"},
      {"counter", Op::Counter, 9, 0, "counter 9 is not 0..4"},
  };
  for (const BadCase &c : cases) {
    Program p;
    EXPECT_FALSE(p.run(c.op, c.rs1, c.rs2)) << c.what;
    EXPECT_NE(p.error.find(c.message), std::string::npos)
        << c.what << ": " << p.error;
  }
  Program p;
  p.configExec(DataType::BF16);
  EXPECT_FALSE(p.run(Op::DmaOutQ, 0, Program::rows(0, 1, 1)));
  EXPECT_NE(p.error.find("config.exec must select i8"), std::string::npos);
  uint64_t rd;
  std::string error;
  EXPECT_FALSE(p.npu.execute(0x00000013, 0, 0, rd, error));
}

uint64_t targetRs1(const Target &t) {
  using namespace field;
  return ConfigTarget_Dim.put(t.dim) | ConfigTarget_SpRows.put(t.spRows) |
         ConfigTarget_AccRows.put(t.accRows);
}
uint64_t targetRs2(const Target &t) {
  using namespace field;
  return ConfigTarget_DmaBandwidth.put(t.dmaBandwidth) |
         ConfigTarget_DmaLatency.put(t.dmaLatency) |
         ConfigTarget_QueueDepth.put(t.queueDepth) |
         ConfigTarget_IssueCost.put(t.issueCost);
}

TEST(Npu, ConfigTargetIsAdoptedFirstThenChecked) {
  Target t8;
  t8.dim = 8;
  t8.accRows = 512;
  Npu adopting(Target(), /*adoptProgramTarget=*/true);
  uint64_t rd;
  std::string error;
  ASSERT_TRUE(adopting.execute(encode(Op::ConfigTarget, 0, 1, 2), targetRs1(t8),
                               targetRs2(t8), rd, error))
      << error;
  EXPECT_EQ(adopting.target().dim, 8u);

  Npu fixed(Target(), /*adoptProgramTarget=*/false);
  EXPECT_FALSE(fixed.execute(encode(Op::ConfigTarget, 0, 1, 2), targetRs1(t8),
                             targetRs2(t8), rd, error));
  EXPECT_NE(error.find("program compiled for NPU dim=8"), std::string::npos)
      << error;
  EXPECT_TRUE(fixed.execute(encode(Op::ConfigTarget, 0, 1, 2),
                            targetRs1(Target()), targetRs2(Target()), rd,
                            error));
}

} // namespace
