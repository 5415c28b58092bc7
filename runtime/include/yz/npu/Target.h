//===- Target.h - the NPU's parametric target description -------*- C++ -*-===//
//
// Part of Yizhuang. One typed description of the hardware, shared by the
// compiler (as the #npu.target attribute) and the simulator.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_NPU_TARGET_H
#define YZ_NPU_TARGET_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace yz::npu {

struct Target {
  uint32_t dim = 16;            // the systolic array is dim x dim MACs
  uint32_t spRows = 8192;       // scratchpad rows of dim 16-bit slots (256 KiB)
  uint32_t accRows = 1024;      // accumulator rows of dim 32-bit values (64 KiB)
  uint32_t dmaBandwidth = 16;   // bytes per cycle
  uint32_t dmaLatency = 64;     // cycles from issue to the first byte
  uint32_t queueDepth = 8;      // instructions in flight per queue
  uint32_t issueCost = 4;       // host cycles to issue one instruction

  bool operator==(const Target &o) const {
    return dim == o.dim && spRows == o.spRows && accRows == o.accRows &&
           dmaBandwidth == o.dmaBandwidth && dmaLatency == o.dmaLatency &&
           queueDepth == o.queueDepth && issueCost == o.issueCost;
  }
  bool operator!=(const Target &o) const { return !(*this == o); }

  /// "dim=16,sp-rows=8192,acc-rows=1024,dma-bw=16,dma-latency=64,queue=8,issue=4"
  std::string str() const {
    char buf[160];
    snprintf(buf, sizeof buf,
             "dim=%u,sp-rows=%u,acc-rows=%u,dma-bw=%u,dma-latency=%u,"
             "queue=%u,issue=%u",
             dim, spRows, accRows, dmaBandwidth, dmaLatency, queueDepth,
             issueCost);
    return buf;
  }

  /// Parses str()'s format; any subset of keys, the rest keep their
  /// values. Returns an error message, or "" on success.
  std::string parse(const std::string &text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find(',', pos);
      std::string item = text.substr(pos, end == std::string::npos
                                              ? std::string::npos
                                              : end - pos);
      pos = end == std::string::npos ? text.size() : end + 1;
      size_t eq = item.find('=');
      if (eq == std::string::npos)
        return "expected key=value, got '" + item + "'";
      std::string key = item.substr(0, eq), value = item.substr(eq + 1);
      char *rest = nullptr;
      unsigned long v = strtoul(value.c_str(), &rest, 10);
      if (value.empty() || *rest || v == 0 || v > 0xffffff)
        return "'" + key + "' needs a positive integer, got '" + value + "'";
      uint32_t *slot = key == "dim"           ? &dim
                       : key == "sp-rows"     ? &spRows
                       : key == "acc-rows"    ? &accRows
                       : key == "dma-bw"      ? &dmaBandwidth
                       : key == "dma-latency" ? &dmaLatency
                       : key == "queue"       ? &queueDepth
                       : key == "issue"       ? &issueCost
                                              : nullptr;
      if (!slot)
        return "unknown key '" + key +
               "' (dim, sp-rows, acc-rows, dma-bw, dma-latency, queue, issue)";
      *slot = uint32_t(v);
    }
    return validate();
  }

  /// The limits the encoding imposes (field widths in isa.def).
  std::string validate() const {
    if (dim < 2 || dim > 128)
      return "dim must be between 2 and 128";
    if (spRows < 2 * dim || spRows >= (1u << 24))
      return "sp-rows must be at least 2*dim and below 2^24";
    if (accRows < dim || accRows >= (1u << 24))
      return "acc-rows must be at least dim and below 2^24";
    if (dmaBandwidth >= (1u << 16) || dmaLatency >= (1u << 16) ||
        queueDepth >= 256 || issueCost >= 256)
      return "dma-bw and dma-latency must be below 65536, queue and issue "
             "below 256";
    return "";
  }
};

} // namespace yz::npu

#endif // YZ_NPU_TARGET_H
