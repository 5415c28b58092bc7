//===- NpyTest.cpp - .npy reading and writing -----------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/runtime.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

std::string tempPath(const char *name) {
  return std::string(::testing::TempDir()) + "yz_npy_" +
         std::to_string(getpid()) + "_" + name;
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A version-1 header for `dict`, padded as numpy pads it.
std::string npyHeader(const std::string &dict, char version = 1) {
  std::string body = dict;
  size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + body.size() + 1) % 64)
    body += ' ';
  body += '\n';
  std::string out = std::string("\x93NUMPY", 6) + version + '\0';
  out += char(body.size() & 0xff);
  out += char(body.size() >> 8);
  if (version != 1)
    out += std::string(2, '\0');
  return out + body;
}

TEST(Npy, RoundTripsFloatMatrix) {
  float data[6] = {1, 2, 3, 4, 5, -6.5f};
  yz_tensor t = {YZ_DTYPE_F32, 2, {2, 3}, data};
  std::string path = tempPath("f32.npy");
  ASSERT_EQ(yz_npy_save(path.c_str(), &t), YZ_OK) << yz_last_error();
  yz_tensor back;
  ASSERT_EQ(yz_npy_load(path.c_str(), &back), YZ_OK) << yz_last_error();
  EXPECT_EQ(back.dtype, YZ_DTYPE_F32);
  ASSERT_EQ(back.rank, 2);
  EXPECT_EQ(back.shape[0], 2);
  EXPECT_EQ(back.shape[1], 3);
  EXPECT_EQ(std::memcmp(back.data, data, sizeof data), 0);
  yz_tensor_free(&back);
  std::remove(path.c_str());
}

TEST(Npy, SavesTheHeaderNumpyWrites) {
  int8_t data[5] = {1, -2, 3, -4, 5};
  yz_tensor t = {YZ_DTYPE_I8, 1, {5}, data};
  std::string path = tempPath("i8.npy");
  ASSERT_EQ(yz_npy_save(path.c_str(), &t), YZ_OK);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.size(), 128u + 5u); // data starts 64-byte aligned, as numpy
  EXPECT_NE(bytes.find("{'descr': '|i1', 'fortran_order': False, "
                       "'shape': (5,), }"),
            std::string::npos);
  std::remove(path.c_str());
}

TEST(Npy, Bf16IsSavedAsItsBitsAndLoadsAsU16) {
  uint16_t data[2] = {0x3f80, 0xc040};
  yz_tensor t = {YZ_DTYPE_BF16, 1, {2}, data};
  std::string path = tempPath("bf16.npy");
  ASSERT_EQ(yz_npy_save(path.c_str(), &t), YZ_OK) << yz_last_error();
  yz_tensor back;
  ASSERT_EQ(yz_npy_load(path.c_str(), &back), YZ_OK) << yz_last_error();
  EXPECT_EQ(back.dtype, YZ_DTYPE_U16); // what numpy wrote it as
  EXPECT_EQ(std::memcmp(back.data, data, sizeof data), 0);
  yz_tensor_free(&back);
  std::remove(path.c_str());
}

TEST(Npy, ReadsScalarsAndVersion2Headers) {
  std::string path = tempPath("v2.npy");
  int32_t value = 42;
  writeFile(path, npyHeader("{'descr': '<i4', 'fortran_order': False, "
                            "'shape': (), }",
                            2) +
                      std::string(reinterpret_cast<char *>(&value), 4));
  yz_tensor t;
  ASSERT_EQ(yz_npy_load(path.c_str(), &t), YZ_OK) << yz_last_error();
  EXPECT_EQ(t.rank, 0);
  EXPECT_EQ(t.dtype, YZ_DTYPE_I32);
  EXPECT_EQ(*static_cast<int32_t *>(t.data), 42);
  yz_tensor_free(&t);
  std::remove(path.c_str());
}

TEST(Npy, ReportsAMissingFile) {
  yz_tensor t;
  EXPECT_EQ(yz_npy_load("/nonexistent/x.npy", &t), YZ_ERR_IO);
  EXPECT_NE(std::strstr(yz_last_error(), "cannot open"), nullptr);
}

struct BadFile {
  const char *name;
  std::string bytes;
  const char *message;
};

TEST(Npy, RejectsMalformedFiles) {
  const std::string f32 = "{'descr': '<f4', 'fortran_order': False, ";
  BadFile cases[] = {
      {"text", "hello, world", "not a .npy file"},
      {"truncated_header", std::string("\x93NUMPY\x01\x00\x40\x00{'de", 14),
       "truncated .npy header"},
      {"truncated_data", npyHeader(f32 + "'shape': (4,), }") + "abcd",
       "has 4 bytes of data, expected 16"},
      {"big_endian",
       npyHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }"),
       "big-endian"},
      {"fortran",
       npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }"),
       "C-order"},
      {"complex",
       npyHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"),
       "unsupported dtype <c8"},
      {"bad_shape", npyHeader(f32 + "'shape': (a,), }"), "malformed shape"},
  };
  for (const BadFile &c : cases) {
    std::string path = tempPath(c.name);
    writeFile(path, c.bytes);
    yz_tensor t;
    EXPECT_EQ(yz_npy_load(path.c_str(), &t), YZ_ERR_FORMAT) << c.name;
    EXPECT_NE(std::strstr(yz_last_error(), c.message), nullptr)
        << c.name << ": " << yz_last_error();
    std::remove(path.c_str());
  }
}

} // namespace
