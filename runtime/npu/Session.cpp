//===- Session.cpp - the process's simulated NPU --------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "Session.h"

#include "Npu.h"
#include "yz/npu/counters.h"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace yz::npu;

namespace {

void writeReports();

Npu &session() {
  static Npu *npu = [] {
    Target target;
    bool adopt = true;
    if (const char *text = getenv("YZ_NPU_TARGET"); text && *text) {
      std::string error = target.parse(text);
      if (!error.empty()) {
        fprintf(stderr, "npu: error: YZ_NPU_TARGET: %s\n", error.c_str());
        _exit(1);
      }
      adopt = false;
    }
    atexit(writeReports);
    return new Npu(target, adopt);
  }();
  return *npu;
}

void writeReports() {
  Npu &npu = session();
  Report report = npu.report();
  if (!report.instructions && report.layers.empty())
    return;
  if (const char *p = getenv("YZ_NPU_PROFILE"); p && *p && *p != '0') {
    fflush(stdout);
    fputs(report.text().c_str(), stdout);
    fflush(stdout);
  }
  if (const char *path = getenv("YZ_NPU_TRACE"); path && *path) {
    if (FILE *f = fopen(path, "w")) {
      npu.writeTrace(f);
      fclose(f);
    } else {
      fprintf(stderr, "npu: error: cannot write the trace to '%s'\n", path);
    }
  }
  if (const char *path = getenv("YZ_NPU_JSON"); path && *path) {
    if (FILE *f = fopen(path, "w")) {
      fprintf(f, "%s\n", report.json().c_str());
      fclose(f);
    } else {
      fprintf(stderr, "npu: error: cannot write the report to '%s'\n", path);
    }
  }
}

} // namespace

extern "C" int yz_npu_read_counters(yz_npu_counters *out) {
  Report report = session().report();
  out->cycles = report.cycles;
  out->macs = report.macs;
  out->bytes_in = report.bytesIn;
  out->bytes_out = report.bytesOut;
  out->dim = report.target.dim;
  out->dma_bandwidth = report.target.dmaBandwidth;
  return 1;
}

uint64_t yz::npu::executeOrDie(uint32_t word, uint64_t rs1, uint64_t rs2,
                               uint64_t pc) {
  uint64_t rd = 0;
  std::string error;
  if (session().execute(word, rs1, rs2, rd, error))
    return rd;
  Op op;
  const char *name = decode(word, op) ? info(op).mnemonic : "unknown";
  fprintf(stderr,
          "npu: error at pc 0x%llx: %s (0x%08x, rs1=0x%llx, rs2=0x%llx): %s\n",
          (unsigned long long)pc, name, word, (unsigned long long)rs1,
          (unsigned long long)rs2, error.c_str());
  fflush(stdout);
  _exit(1);
}
