//===- NpuIsaDump.cpp - print the NPU encoding table ----------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/Target/NpuIsaDump.h"

#include "yz/npu/Isa.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace yz::npu;

void mlir::yz::printNpuIsaTable(llvm::raw_ostream &os) {
  os << "| instruction | funct7 | funct3 | rd | summary |\n"
     << "| --- | --- | --- | --- | --- |\n";
  for (const InsnInfo &i : kInsns)
    os << "| `" << i.mnemonic << "` | " << i.funct7 << " | " << i.funct3
       << " | " << (i.writesRd ? "result" : "x0") << " | " << i.summary
       << " |\n";
  os << "\n| instruction | register | bits | field | meaning |\n"
     << "| --- | --- | --- | --- | --- |\n";
  for (const Field &f : kFields)
    os << "| `" << info(f.op).mnemonic << "` | "
       << (f.reg == Reg::rs1 ? "rs1" : "rs2") << " | " << f.lsb + f.width - 1
       << ":" << f.lsb << " | " << f.name << " | " << f.summary << " |\n";
}

void mlir::yz::printNpuEncodings(llvm::raw_ostream &os, bool checks) {
  for (const InsnInfo &i : kInsns) {
    unsigned rd = i.writesRd ? 10 : 0; // a0 or x0; rs1 = a1, rs2 = a2
    if (checks)
      os << "CHECK: " << llvm::format_hex_no_prefix(encode(i.op, rd, 11, 12), 8)
         << " <unknown>\n";
    else
      os << "# " << i.mnemonic << "\n.insn r CUSTOM_0, " << i.funct3 << ", "
         << i.funct7 << ", " << (i.writesRd ? "a0" : "x0") << ", a1, a2\n";
  }
}
