/*===- yz/npu/counters.h - the simulated NPU's running totals -------------===*
 *
 * Part of Yizhuang. The NPU simulator (linked into host programs, preloaded
 * under qemu for riscv64 ones) defines this; a program references it weakly
 * (the generation loop's --profile) and finds it null without a simulator.
 *
 *===----------------------------------------------------------------------===*/

#ifndef YZ_NPU_COUNTERS_H
#define YZ_NPU_COUNTERS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct yz_npu_counters {
  uint64_t cycles, macs, bytes_in, bytes_out; /* since the process began */
  uint32_t dim;                               /* the array is dim x dim */
  uint32_t dma_bandwidth;                     /* bytes per cycle */
} yz_npu_counters;

/* Fills `out` with the cycle model's totals so far; returns 1. */
int yz_npu_read_counters(yz_npu_counters *out);

#ifdef __cplusplus
}
#endif

#endif /* YZ_NPU_COUNTERS_H */
