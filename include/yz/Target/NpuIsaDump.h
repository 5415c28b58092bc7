//===- NpuIsaDump.h - print the NPU encoding table --------------*- C++ -*-===//
//
// Part of Yizhuang. Views of runtime/include/yz/npu/isa.def for people and
// for tests: the Markdown tables in docs/npu-isa.md, and assembly whose
// encodings the assembler must reproduce.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_TARGET_NPUISADUMP_H
#define YZ_TARGET_NPUISADUMP_H

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::yz {

/// Markdown: one table of instructions, one of operand fields.
void printNpuIsaTable(llvm::raw_ostream &os);

/// One `.insn` line per instruction (rd = a0 or x0, rs1 = a1, rs2 = a2);
/// with `checks`, instead FileCheck lines with the words yz encodes, as
/// llvm-objdump prints them.
void printNpuEncodings(llvm::raw_ostream &os, bool checks);

} // namespace mlir::yz

#endif // YZ_TARGET_NPUISADUMP_H
