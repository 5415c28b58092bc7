//===- Program.h - building NPU instructions in tests -----------*- C++ -*-===//
//
// Part of Yizhuang. Packs operands with the isa.def fields, as the compiler
// does, and runs them on an Npu.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_UNITTESTS_NPU_PROGRAM_H
#define YZ_UNITTESTS_NPU_PROGRAM_H

#include "Npu.h"

#include <gtest/gtest.h>

#include <cstring>

namespace yz::npu::test {
using namespace yz::npu::field;

inline uint64_t addr(const void *p) { return uint64_t(uintptr_t(p)); }

struct Program {
  Npu npu;
  std::string error;
  explicit Program(Target t = Target()) : npu(t, false) {}

  /// Runs one instruction; returns false (with `error`) on bad operands.
  bool run(Op op, uint64_t rs1 = 0, uint64_t rs2 = 0, uint64_t *rd = nullptr) {
    uint64_t out = 0;
    error.clear();
    bool ok = npu.execute(encode(op, rd ? 10 : 0, 11, 12), rs1, rs2, out, error);
    if (rd)
      *rd = out;
    return ok;
  }
  void must(Op op, uint64_t rs1 = 0, uint64_t rs2 = 0) {
    ASSERT_TRUE(run(op, rs1, rs2)) << info(op).mnemonic << ": " << error;
  }
  void configLoad(uint64_t stride, SrcType src) {
    must(Op::ConfigLoad, ConfigLoad_Stride.put(stride),
         ConfigLoad_SrcType.put(uint64_t(src)));
  }
  void configStore(uint64_t stride, Activation act = Activation::None,
                   float scale = 1.0f, int8_t zp = 0, int8_t lo = -128,
                   int8_t hi = 127) {
    uint32_t bits;
    memcpy(&bits, &scale, 4);
    must(Op::ConfigStore,
         ConfigStore_Stride.put(stride) |
             ConfigStore_Activation.put(uint64_t(act)),
         ConfigStore_Scale.put(bits) | ConfigStore_ZeroPoint.put(uint8_t(zp)) |
             ConfigStore_ClampMin.put(uint8_t(lo)) |
             ConfigStore_ClampMax.put(uint8_t(hi)));
  }
  void configExec(DataType type) {
    must(Op::ConfigExec, ConfigExec_DataType.put(uint64_t(type)));
  }
  static uint64_t rows(uint64_t row, uint64_t count, uint64_t cols) {
    return DmaIn_Row.put(row) | DmaIn_Rows.put(count) | DmaIn_Cols.put(cols);
  }
  bool matmul(uint64_t a, uint64_t b, uint64_t c, uint64_t m, uint64_t n,
              uint64_t k, bool accumulate = false, bool ta = false,
              bool tb = false) {
    return run(Op::Matmul, Matmul_ARow.put(a) | Matmul_BRow.put(b),
               Matmul_CRow.put(c) | Matmul_M.put(m) | Matmul_N.put(n) |
                   Matmul_K.put(k) | Matmul_Accumulate.put(accumulate) |
                   Matmul_TransposeA.put(ta) | Matmul_TransposeB.put(tb));
  }
};

} // namespace yz::npu::test

#endif // YZ_UNITTESTS_NPU_PROGRAM_H
