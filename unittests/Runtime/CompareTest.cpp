//===- CompareTest.cpp - comparing outputs with references ----------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

std::string report;

int compare(const yz_tensor &got, const yz_tensor &want, double rtol,
            double atol) {
  char buf[512];
  int ok = yz_tensor_compare(&got, &want, rtol, atol, buf, sizeof buf);
  report = buf;
  return ok;
}

TEST(Compare, FloatsWithinTolerance) {
  float a[3] = {1.0f, 2.0f, NAN}, b[3] = {1.0f, 2.00001f, NAN};
  yz_tensor got = {YZ_DTYPE_F32, 1, {3}, a}, want = {YZ_DTYPE_F32, 1, {3}, b};
  EXPECT_TRUE(compare(got, want, 1e-4, 0)) << report;
  EXPECT_NE(report.find("match: 3 elements"), std::string::npos);
  EXPECT_FALSE(compare(got, want, 1e-7, 1e-7));
  EXPECT_NE(report.find("MISMATCH: 1 of 3 elements differ; worst at flat "
                        "index 1"),
            std::string::npos)
      << report;
}

TEST(Compare, NanAgainstANumberIsAMismatch) {
  float a[1] = {NAN}, b[1] = {0};
  yz_tensor got = {YZ_DTYPE_F32, 1, {1}, a}, want = {YZ_DTYPE_F32, 1, {1}, b};
  EXPECT_FALSE(compare(got, want, 1, 1));
}

TEST(Compare, IntegersExactly) {
  int8_t a[2] = {1, 2}, b[2] = {1, 3};
  yz_tensor got = {YZ_DTYPE_I8, 1, {2}, a}, want = {YZ_DTYPE_I8, 1, {2}, b};
  EXPECT_FALSE(compare(got, want, 1, 1)); // tolerances do not apply
  EXPECT_NE(report.find("exact comparison"), std::string::npos);
  b[1] = 2;
  EXPECT_TRUE(compare(got, want, 0, 0));
}

TEST(Compare, Int64BeyondADoublesPrecision) {
  // 2^53 and 2^53 + 1 are one double; as integers they differ.
  int64_t a[1] = {(int64_t(1) << 53) + 1}, b[1] = {int64_t(1) << 53};
  yz_tensor got = {YZ_DTYPE_I64, 1, {1}, a}, want = {YZ_DTYPE_I64, 1, {1}, b};
  EXPECT_FALSE(compare(got, want, 0, 0)) << report;
  b[0] = a[0];
  EXPECT_TRUE(compare(got, want, 0, 0)) << report;
}

TEST(Compare, HalfPrecisionValues) {
  // f16 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24; bf16 0x3f80 = 1, 0xc040 = -3.
  uint16_t h[3] = {0x3c00, 0xc000, 0x0001}, bf[2] = {0x3f80, 0xc040};
  yz_tensor f16 = {YZ_DTYPE_F16, 1, {3}, h}, b16 = {YZ_DTYPE_BF16, 1, {2}, bf};
  EXPECT_EQ(yz_tensor_get(&f16, 0), 1.0);
  EXPECT_EQ(yz_tensor_get(&f16, 1), -2.0);
  EXPECT_EQ(yz_tensor_get(&f16, 2), std::ldexp(1.0, -24));
  EXPECT_EQ(yz_tensor_get(&b16, 1), -3.0);
}

TEST(Compare, Bf16AgainstItsBitsInU16) {
  // numpy has no bfloat16: a reference of u16 bits stands for bf16.
  uint16_t a[2] = {0x3f80, 0x4000}, b[2] = {0x3f80, 0x4001};
  yz_tensor got = {YZ_DTYPE_BF16, 1, {2}, a}, want = {YZ_DTYPE_U16, 1, {2}, b};
  EXPECT_FALSE(compare(got, want, 0, 0)) << report;
  EXPECT_TRUE(compare(got, want, 1e-2, 0)) << report; // 2 vs 2.015625
  EXPECT_FALSE(compare(want, got, 1, 1)); // not the other way round
  EXPECT_EQ(report, "dtype u16, reference has bf16");
}

TEST(Compare, StructureFirst) {
  float a[2] = {0, 0};
  yz_tensor got = {YZ_DTYPE_F32, 1, {2}, a}, want = {YZ_DTYPE_F64, 1, {2}, a};
  EXPECT_FALSE(compare(got, want, 0, 0));
  EXPECT_EQ(report, "dtype f32, reference has f64");
  want = {YZ_DTYPE_F32, 2, {1, 2}, a};
  EXPECT_FALSE(compare(got, want, 0, 0));
  EXPECT_EQ(report, "shape differs from the reference's");
}

} // namespace
