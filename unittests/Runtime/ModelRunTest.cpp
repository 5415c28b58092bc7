//===- ModelRunTest.cpp - signature checks at the model entry -------------===//
//
// Part of Yizhuang. A hand-written descriptor stands in for a compiled one.
//
//===----------------------------------------------------------------------===//

#include "yz/runtime.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

const int64_t kShape[2] = {2, 3};
const yz_tensor_info kInputs[] = {{"x", YZ_DTYPE_F32, 2, kShape}};
const yz_tensor_info kOutputs[] = {{"y", YZ_DTYPE_F32, 2, kShape}};
int invocations = 0;

void doubleIt(void **buffers) {
  ++invocations;
  auto *in = static_cast<const float *>(buffers[0]);
  auto *out = static_cast<float *>(buffers[1]);
  for (int i = 0; i < 6; ++i)
    out[i] = 2 * in[i];
}

const yz_model kModel = {YZ_ABI_VERSION, "double", 1, 1,
                         kInputs,        kOutputs, doubleIt};

struct ModelRun : ::testing::Test {
  float in[6] = {1, 2, 3, 4, 5, 6}, out[6] = {};
  yz_tensor x = {YZ_DTYPE_F32, 2, {2, 3}, in};
  yz_tensor y = {YZ_DTYPE_F32, 2, {2, 3}, out};
  void SetUp() override { invocations = 0; }
  void expectRejected(yz_status status, const char *message) {
    EXPECT_EQ(yz_run(&kModel, &x, 1, &y, 1), status);
    EXPECT_STREQ(yz_last_error(), message);
    EXPECT_EQ(invocations, 0);
  }
};

TEST_F(ModelRun, RunsWhenTheSignatureMatches) {
  ASSERT_EQ(yz_run(&kModel, &x, 1, &y, 1), YZ_OK) << yz_last_error();
  EXPECT_EQ(invocations, 1);
  EXPECT_EQ(out[5], 12.0f);
  EXPECT_STREQ(yz_last_error(), "");
}

TEST_F(ModelRun, RejectsAWrongDtype) {
  x.dtype = YZ_DTYPE_I32;
  expectRejected(YZ_ERR_DTYPE, "input 0 ('x') must be f32, got i32");
}

TEST(ModelRunBf16, TakesU16BitsForBf16) {
  static const int64_t shape[1] = {2};
  static const yz_tensor_info in[] = {{"x", YZ_DTYPE_BF16, 1, shape}};
  static const yz_tensor_info out[] = {{"y", YZ_DTYPE_BF16, 1, shape}};
  static const yz_model model = {
      YZ_ABI_VERSION, "copy", 1, 1, in, out, [](void **b) {
        std::memcpy(b[1], b[0], 4);
      }};
  uint16_t bits[2] = {0x3f80, 0x4000}, result[2] = {};
  yz_tensor x = {YZ_DTYPE_U16, 1, {2}, bits}, y = {YZ_DTYPE_BF16, 1, {2}, result};
  ASSERT_EQ(yz_run(&model, &x, 1, &y, 1), YZ_OK) << yz_last_error();
  EXPECT_EQ(result[1], 0x4000);
  x.dtype = YZ_DTYPE_I16; // other 16-bit types are still refused
  EXPECT_EQ(yz_run(&model, &x, 1, &y, 1), YZ_ERR_DTYPE);
  EXPECT_STREQ(yz_last_error(), "input 0 ('x') must be bf16, got i16");
}

TEST_F(ModelRun, RejectsAWrongShape) {
  y.shape[1] = 4;
  expectRejected(YZ_ERR_SHAPE, "output 0 ('y') must have shape 2x3, got 2x4");
}

TEST_F(ModelRun, RejectsAWrongRank) {
  x.rank = 1;
  x.shape[0] = 6;
  expectRejected(YZ_ERR_SHAPE, "input 0 ('x') must have shape 2x3, got 6");
}

TEST_F(ModelRun, RejectsMissingData) {
  y.data = nullptr;
  expectRejected(YZ_ERR_INVALID_ARGUMENT, "output 0 ('y') has no data");
}

TEST_F(ModelRun, RejectsAWrongTensorCount) {
  EXPECT_EQ(yz_run(&kModel, &x, 1, &y, 0), YZ_ERR_ARITY);
  EXPECT_STREQ(yz_last_error(), "model 'double' takes 1 inputs and 1 "
                                "outputs, got 1 and 0");
}

TEST_F(ModelRun, RejectsAnotherAbiVersion) {
  yz_model old = kModel;
  old.abi_version = YZ_ABI_VERSION + 1;
  EXPECT_EQ(yz_run(&old, &x, 1, &y, 1), YZ_ERR_ABI);
  EXPECT_EQ(yz_run(nullptr, &x, 1, &y, 1), YZ_ERR_INVALID_ARGUMENT);
}

TEST(TensorAlloc, AllocatesFromInfo) {
  yz_tensor t;
  ASSERT_EQ(yz_tensor_alloc(&kOutputs[0], &t), YZ_OK);
  EXPECT_EQ(yz_tensor_num_elements(&t), 6);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data) % 64, 0u);
  yz_tensor_free(&t);
  EXPECT_EQ(t.data, nullptr);
  yz_tensor_info bad = {"b", 99, 1, kShape};
  EXPECT_EQ(yz_tensor_alloc(&bad, &t), YZ_ERR_INVALID_ARGUMENT);
}

} // namespace
