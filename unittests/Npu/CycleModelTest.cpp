//===- CycleModelTest.cpp - NPU timing on hand-computed cases -------------===//
//
// Part of Yizhuang. The rules are in CycleModel.cpp's header comment and in
// docs/npu-isa.md; the expected numbers below are worked out from them.
//
//===----------------------------------------------------------------------===//

#include "Program.h"

#include <vector>

using namespace yz::npu;
using namespace yz::npu::test;

namespace {

// Default target: DIM 16, 16 B/cycle, DMA latency 64, issue 4, queue 8.
TEST(CycleModel, OneFullTileByHand) {
  Program p;
  std::vector<int8_t> a(256, 1), b(256, 1);
  std::vector<int32_t> c(256);
  p.configExec(DataType::I8);               // host 4
  p.configLoad(16, SrcType::I8);            // host 8
  p.must(Op::DmaIn, addr(a.data()), Program::rows(0, 16, 16));
  // host 12: busy 256/16 = 16 -> load free 28, data lands 12+64+16 = 92
  p.must(Op::DmaIn, addr(b.data()), Program::rows(16, 16, 16));
  // host 16: starts 28 -> free 44, lands 28+64+16 = 108
  ASSERT_TRUE(p.matmul(0, 16, 0, 16, 16, 16));
  // host 20: preload waits for B (108) -> 124; stream 124..140;
  // results in the accumulator at 140 + 2*16 = 172
  p.configStore(64);                        // host 24
  p.must(Op::DmaOutAcc, addr(c.data()), Program::rows(0, 16, 16));
  // host 28: waits for C (172); 1024 bytes -> busy 64, ends 172+64+64 = 300
  p.must(Op::Fence);
  Report r = p.npu.report();
  EXPECT_EQ(r.cycles, 300u);
  EXPECT_EQ(r.macs, 4096u);
  EXPECT_EQ(r.bytesIn, 512u);
  EXPECT_EQ(r.bytesOut, 1024u);
  EXPECT_EQ(r.instructions, 8u);
  EXPECT_NEAR(r.utilization(), 4096.0 / (256.0 * 300), 1e-12);
  EXPECT_EQ(r.computeBound, 16u);
  EXPECT_EQ(r.memoryBound, 96u); // 1536 bytes / 16
}

TEST(CycleModel, DmaStreamMeetsTheRoofline) {
  // 64 loads of 64 rows x 16 bytes: 65536 bytes at 16 B/cycle = 4096 cycles
  // of transfer; queued DMAs overlap their latency, so the stream takes the
  // first issue (4) + 4096 + one latency (64).
  Program p;
  std::vector<int8_t> data(64 * 16, 3);
  p.configLoad(16, SrcType::I8);
  for (int i = 0; i < 64; ++i)
    p.must(Op::DmaIn, addr(data.data()), Program::rows((i % 64) * 64, 64, 16));
  p.must(Op::Fence);
  Report r = p.npu.report();
  EXPECT_EQ(r.memoryBound, 4096u);
  EXPECT_EQ(r.cycles, 8u + 4096 + 64);
  EXPECT_GE(double(r.rooflineCycles()) / r.cycles, 0.98);
}

TEST(CycleModel, ReusedWeightsAreNotReloaded) {
  // Weight-stationary: a second matmul with the same B skips the preload and
  // follows the first one back to back (16 cycles per 16-row A tile).
  Program p;
  std::vector<int8_t> data(48 * 16, 1);
  p.configLoad(16, SrcType::I8);
  p.must(Op::DmaIn, addr(data.data()), Program::rows(0, 48, 16));
  uint64_t before = 0;
  ASSERT_TRUE(p.matmul(0, 32, 0, 16, 16, 16));
  ASSERT_TRUE(p.run(Op::Counter, 0, 0, &before));
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(p.matmul(16 * (i % 2), 32, 16 * (i + 1), 16, 16, 16));
  uint64_t after = 0;
  ASSERT_TRUE(p.run(Op::Counter, 0, 0, &after));
  // Four more tiles: 4 * 16 stream cycles + the array's drain (32); the
  // issue clock (4 per instruction) stays ahead.
  EXPECT_EQ(after - before, 4u * 16 + 32 + 4);
}

TEST(CycleModel, LoadingIntoRowsInUseWaitsForTheReader) {
  // Single buffering: the second dma_in rewrites the rows the matmul reads,
  // so it must wait until the matmul has streamed them (write after read).
  auto run = [](uint32_t secondRow) {
    Program p;
    std::vector<int8_t> data(32 * 16, 1);
    p.configLoad(16, SrcType::I8);
    p.must(Op::DmaIn, addr(data.data()), Program::rows(0, 32, 16));
    EXPECT_TRUE(p.matmul(0, 16, 0, 16, 16, 16));
    p.must(Op::DmaIn, addr(data.data()), Program::rows(secondRow, 16, 16));
    p.must(Op::Fence);
    return p.npu.report().cycles;
  };
  // Other rows: the load overlaps the matmul, which sets the total: the
  // first load lands at 8 + 64 + 32 = 104, then preload 16, stream 16,
  // drain 32 = 168.
  EXPECT_EQ(run(100), 168u);
  // The same rows: it starts when A has streamed (136) and lands at
  // 136 + 64 + 16 = 216.
  EXPECT_EQ(run(0), 216u);
}

TEST(CycleModel, ReportNamesTheBound) {
  Program p;
  p.must(Op::Fence);
  std::string text = p.npu.report().text();
  EXPECT_NE(text.find("NPU cycle report (dim=16,sp-rows=8192"), std::string::npos);
  EXPECT_NE(text.find("utilization"), std::string::npos);
  EXPECT_NE(p.npu.report().json().find("\"cycles\": "), std::string::npos);
}

// Layer markers: cost nothing, split the counts and the cycles by layer,
// add up by name, and list CPU layers with their MACs.
TEST(CycleModel, LayersSplitTheProfile) {
  Program p;
  std::vector<int8_t> a(256, 1);
  p.configLoad(16, SrcType::I8);                               // host 4
  auto layer = [&](const char *name, uint64_t macs, bool cpu) {
    p.must(Op::Layer, addr(name),
           Layer_Macs.put(macs) | Layer_OnCpu.put(cpu ? 1 : 0));
  };
  layer("first", 0, false);                                    // still 4
  p.must(Op::DmaIn, addr(a.data()), Program::rows(0, 16, 16)); // host 8
  // load: 8 + 64 + 16 = 88
  layer("cpu op", 1234, true);
  layer("first", 0, false);                                    // again
  p.must(Op::DmaIn, addr(a.data()), Program::rows(16, 16, 16)); // host 12
  // starts at 24 (the unit is busy until then): 24 + 64 + 16 = 104
  Report r = p.npu.report();
  EXPECT_EQ(r.instructions, 3u); // the markers are not instructions
  EXPECT_EQ(r.cycles, 104u);
  ASSERT_EQ(r.layers.size(), 2u);
  const LayerReport &first = r.layers[0], &cpu = r.layers[1];
  EXPECT_EQ(first.name, "first");
  EXPECT_FALSE(first.onCpu);
  EXPECT_EQ(first.calls, 2u);
  EXPECT_EQ(first.bytesIn, 512u);
  EXPECT_EQ(first.instructions, 2u);
  // The spans: 4..88, then 8..104.
  EXPECT_EQ(first.cycles, 84u + 96u);
  EXPECT_EQ(cpu.name, "cpu op");
  EXPECT_TRUE(cpu.onCpu);
  EXPECT_EQ(cpu.macs, 1234u);
  EXPECT_EQ(cpu.cycles, 0u);
  std::string text = r.text();
  EXPECT_NE(text.find("per layer"), std::string::npos);
  EXPECT_NE(text.find("cpu op"), std::string::npos);
  EXPECT_NE(r.json().find("{\"name\": \"cpu op\", \"where\": \"cpu\""),
            std::string::npos);
}

} // namespace
