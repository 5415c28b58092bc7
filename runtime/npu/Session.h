//===- Session.h - the process's simulated NPU ------------------*- C++ -*-===//
//
// Part of Yizhuang. One NPU per process, shared by the host C API and the
// riscv64 SIGILL handler. Environment:
//   YZ_NPU_TARGET=dim=16,...  the hardware (default: adopt the program's)
//   YZ_NPU_PROFILE=1          print the cycle report at exit
//   YZ_NPU_TRACE=trace.json   write the Chrome trace-event timeline at exit
//   YZ_NPU_JSON=report.json   write the report as JSON at exit
//
//===----------------------------------------------------------------------===//

#ifndef YZ_NPU_SESSION_H
#define YZ_NPU_SESSION_H

#include <cstdint>

namespace yz::npu {

/// Executes one instruction on the process's NPU; on bad operands prints
/// the pc, the instruction and the reason, and exits with status 1.
uint64_t executeOrDie(uint32_t word, uint64_t rs1, uint64_t rs2, uint64_t pc);

} // namespace yz::npu

#endif // YZ_NPU_SESSION_H
