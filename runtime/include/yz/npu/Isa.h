//===- Isa.h - NPU instruction encoding helpers -----------------*- C++ -*-===//
//
// Part of Yizhuang. C++ views of isa.def for the compiler and the simulator:
// opcodes, instruction words, and operand fields.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_NPU_ISA_H
#define YZ_NPU_ISA_H

#include <cstdint>

namespace yz::npu {

/// The RISC-V custom-0 major opcode.
constexpr uint32_t kCustom0 = 0x0b;

enum class Op : uint8_t {
#define YZ_NPU_INSN(Name, mnemonic, funct7, funct3, writes_rd, summary) Name,
#include "yz/npu/isa.def"
};

enum class Reg : uint8_t { rs1, rs2 };

struct InsnInfo {
  Op op;
  const char *mnemonic;
  uint32_t funct7, funct3;
  bool writesRd;
  const char *summary;
};

constexpr InsnInfo kInsns[] = {
#define YZ_NPU_INSN(Name, mnemonic, funct7, funct3, writes_rd, summary)        \
  {Op::Name, mnemonic, funct7, funct3, writes_rd != 0, summary},
#include "yz/npu/isa.def"
};

/// A bit field of an operand register.
struct Field {
  Op op;
  const char *name;
  Reg reg;
  unsigned lsb, width;
  const char *summary;

  constexpr uint64_t mask() const {
    return width == 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  }
  constexpr uint64_t get(uint64_t value) const {
    return (value >> lsb) & mask();
  }
  constexpr uint64_t put(uint64_t fieldValue) const {
    return (fieldValue & mask()) << lsb;
  }
  /// Whether `fieldValue` survives put() unchanged.
  constexpr bool fits(uint64_t fieldValue) const {
    return (fieldValue & ~mask()) == 0;
  }
};

constexpr Field kFields[] = {
#define YZ_NPU_FIELD(Name, FieldName, reg, lsb, width, summary)                \
  {Op::Name, #FieldName, Reg::reg, lsb, width, summary},
#include "yz/npu/isa.def"
};

/// Named fields: field::Matmul_M.get(rs2), field::DmaIn_Rows.put(n), ...
namespace field {
#define YZ_NPU_FIELD(Name, FieldName, reg, lsb, width, summary)                \
  constexpr Field Name##_##FieldName{Op::Name, #FieldName, Reg::reg, lsb,      \
                                     width, summary};
#include "yz/npu/isa.def"
} // namespace field

constexpr const InsnInfo &info(Op op) { return kInsns[unsigned(op)]; }

/// The 32-bit instruction word for `op` with register numbers.
constexpr uint32_t encode(Op op, unsigned rd, unsigned rs1, unsigned rs2) {
  const InsnInfo &i = info(op);
  return i.funct7 << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 |
         i.funct3 << 12 | (rd & 31) << 7 | kCustom0;
}

/// Decodes an instruction word; false if it is not an NPU instruction.
constexpr bool decode(uint32_t word, Op &op) {
  if ((word & 0x7f) != kCustom0)
    return false;
  uint32_t funct7 = word >> 25, funct3 = (word >> 12) & 7;
  for (const InsnInfo &i : kInsns)
    if (i.funct7 == funct7 && i.funct3 == funct3) {
      op = i.op;
      return true;
    }
  return false;
}

constexpr unsigned rdOf(uint32_t word) { return (word >> 7) & 31; }
constexpr unsigned rs1Of(uint32_t word) { return (word >> 15) & 31; }
constexpr unsigned rs2Of(uint32_t word) { return (word >> 20) & 31; }

/// Element types in the scratchpad and the accumulator.
enum class DataType : uint8_t { I8 = 0, BF16 = 1 };
/// Source element types of dma_in (ConfigLoad.SrcType).
enum class SrcType : uint8_t { I8 = 0, BF16 = 1, F32 = 2, Raw32 = 3 };
enum class Activation : uint8_t { None = 0, Relu = 1, Relu6 = 2 };
enum class CounterId : uint8_t {
  Cycles = 0, Macs = 1, BytesIn = 2, BytesOut = 3, Instructions = 4
};

} // namespace yz::npu

#endif // YZ_NPU_ISA_H
