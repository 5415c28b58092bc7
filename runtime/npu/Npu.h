//===- Npu.h - the NPU functional simulator ---------------------*- C++ -*-===//
//
// Part of Yizhuang. Executes decoded NPU instructions on a scratchpad and an
// accumulator, reading and writing the process's memory directly, and feeds
// each one to the cycle model. The same code runs in the host library and in
// the riscv64 SIGILL handler.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_NPU_NPU_H
#define YZ_NPU_NPU_H

#include "CycleModel.h"

#include <string>
#include <vector>

namespace yz::npu {

class Npu {
public:
  /// With `adoptProgramTarget`, the first config.target instruction sets the
  /// hardware description (the simulator becomes the NPU the program was
  /// compiled for); otherwise a different description is an error.
  Npu(const Target &target, bool adoptProgramTarget);

  /// Executes one instruction word with its register operands. On bad
  /// operands returns false and sets `error` to the reason.
  bool execute(uint32_t word, uint64_t rs1, uint64_t rs2, uint64_t &rd,
               std::string &error);

  const Target &target() const { return target_; }
  Report report() const { return timing_.report(); }
  void writeTrace(FILE *out) const { timing_.writeTrace(out); }

  // Direct state access, for tests.
  int32_t accInt(uint32_t row, uint32_t col) const;
  float accFloat(uint32_t row, uint32_t col) const;
  uint16_t spSlot(uint32_t row, uint32_t col) const;

private:
  bool configTarget(uint64_t rs1, uint64_t rs2, std::string &error);
  /// Decodes and checks a DMA's rows and columns.
  bool dmaOperands(uint64_t rs2, bool acc, uint64_t &row, uint64_t &rows,
                   uint64_t &cols, std::string &error) const;
  bool dmaIn(Op op, uint64_t rs1, uint64_t rs2, std::string &error);
  bool dmaOut(Op op, uint64_t rs1, uint64_t rs2, std::string &error);
  bool matmul(uint64_t rs1, uint64_t rs2, std::string &error);
  void reset();

  Target target_;
  bool adopt_;
  bool executedAny_ = false;
  std::vector<uint16_t> sp_;  // spRows x dim slots (i8 or bf16 bits)
  std::vector<uint32_t> acc_; // accRows x dim (i32 or f32 bits)
  DataType dataType_ = DataType::I8;
  SrcType srcType_ = SrcType::I8;
  uint64_t loadStride_ = 0, storeStride_ = 0;
  Activation activation_ = Activation::None;
  float scale_ = 1.0f;
  bool perChannel_ = false;
  uint64_t scaleRow_ = 0;
  int8_t zeroPoint_ = 0, clampMin_ = -128, clampMax_ = 127;
  CycleModel timing_;
};

} // namespace yz::npu

#endif // YZ_NPU_NPU_H
