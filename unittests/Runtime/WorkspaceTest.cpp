//===- WorkspaceTest.cpp - the buffers compiled models keep between calls -===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

extern "C" {
void *_mlir_memref_to_llvm_alloc(size_t size);
void _mlir_memref_to_llvm_free(void *ptr);
}

namespace {

// A call of a model with many large buffers (RegNetX-400MF frees 337): the
// next call gets the same blocks back, none fresh from malloc.
TEST(Workspace, KeepsAModelsLargeBuffersBetweenCalls) {
  yz_workspace_release();
  std::vector<size_t> sizes;
  for (int i = 0; i < 400; ++i)
    sizes.push_back(64 * 1024 + 4096 * size_t(i));
  std::vector<void *> first;
  for (size_t s : sizes)
    first.push_back(_mlir_memref_to_llvm_alloc(s));
  for (void *p : first)
    _mlir_memref_to_llvm_free(p);
  std::set<void *> kept(first.begin(), first.end());
  std::vector<void *> second;
  for (size_t s : sizes) {
    void *p = _mlir_memref_to_llvm_alloc(s);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u); // malloc's
    EXPECT_TRUE(kept.count(p)) << "a fresh block for " << s << " bytes";
    second.push_back(p);
  }
  for (void *p : second)
    _mlir_memref_to_llvm_free(p);
  yz_workspace_release();
}

// A block is reused only for a size it fits without wasting over half.
TEST(Workspace, ReusesOnlyBlocksThatFit) {
  yz_workspace_release();
  void *big = _mlir_memref_to_llvm_alloc(1 << 20);
  _mlir_memref_to_llvm_free(big);
  void *small = _mlir_memref_to_llvm_alloc(100 * 1024);
  EXPECT_NE(small, big);
  void *again = _mlir_memref_to_llvm_alloc(600 * 1024);
  EXPECT_EQ(again, big);
  _mlir_memref_to_llvm_free(small);
  _mlir_memref_to_llvm_free(again);
  yz_workspace_release();
}

// Of blocks that fit equally, the one freed last comes back first: its
// memory is the likeliest in cache.
TEST(Workspace, ReusesTheLastFreedOfEqualBlocks) {
  yz_workspace_release();
  void *a = _mlir_memref_to_llvm_alloc(256 * 1024);
  void *b = _mlir_memref_to_llvm_alloc(256 * 1024);
  void *c = _mlir_memref_to_llvm_alloc(256 * 1024);
  _mlir_memref_to_llvm_free(b);
  _mlir_memref_to_llvm_free(a);
  _mlir_memref_to_llvm_free(c);
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(256 * 1024), c);
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(256 * 1024), a);
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(256 * 1024), b);
  for (void *p : {a, b, c})
    _mlir_memref_to_llvm_free(p);
  yz_workspace_release();
}

} // namespace
