//===- host_api.cpp - the NPU as a C function for host builds -------------===//
//
// Part of Yizhuang. Host-target models call yz_npu_exec with the same
// instruction word the riscv64 build would execute, so both builds go
// through one decoder.
//
//===----------------------------------------------------------------------===//

#include "Session.h"

#include <cstdint>

extern "C" uint64_t yz_npu_exec(uint32_t word, uint64_t rs1, uint64_t rs2) {
  return yz::npu::executeOrDie(
      word, rs1, rs2, uint64_t(uintptr_t(__builtin_return_address(0))));
}
