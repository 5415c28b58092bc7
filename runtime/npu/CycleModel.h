//===- CycleModel.h - NPU timing: queues, hazards, DMA ----------*- C++ -*-===//
//
// Part of Yizhuang. The timing half of the simulator; docs/npu-isa.md
// ("Cycle model") states the same rules as formulas.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_NPU_CYCLEMODEL_H
#define YZ_NPU_CYCLEMODEL_H

#include "yz/npu/Isa.h"
#include "yz/npu/Target.h"

#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

namespace yz::npu {

enum class Unit : uint8_t { Load = 0, Exec = 1, Store = 2 };
constexpr unsigned kNumUnits = 3;
constexpr unsigned kNumOps = unsigned(Op::Layer) + 1;

/// One layer of the profile (layer markers with the same name add up).
struct LayerReport {
  std::string name;
  bool onCpu = false;
  uint64_t calls = 0, cycles = 0, macs = 0, bytesIn = 0, bytesOut = 0;
  uint64_t instructions = 0;
  double utilization(unsigned dim) const {
    return cycles ? double(macs) / (double(dim) * dim * cycles) : 0.0;
  }
};

struct Report {
  Target target;
  uint64_t cycles = 0, macs = 0, bytesIn = 0, bytesOut = 0;
  uint64_t instructions = 0, perOp[kNumOps] = {};
  uint64_t busy[kNumUnits] = {};
  uint64_t computeBound = 0, memoryBound = 0; // roofline, in cycles
  std::vector<LayerReport> layers;             // in first-seen order
  double utilization() const; // macs / (dim^2 * cycles)
  uint64_t rooflineCycles() const {
    return computeBound > memoryBound ? computeBound : memoryBound;
  }
  std::string text() const;
  std::string json() const;
};

class CycleModel {
public:
  explicit CycleModel(const Target &target);

  void dma(Op op, bool acc, uint32_t row, uint32_t rows, uint64_t bytes,
           int64_t scaleRow = -1);
  void matmul(uint32_t aRow, uint32_t aRows, uint32_t bRow, uint32_t bRows,
              uint32_t cRow, uint32_t m, uint32_t n, uint32_t k,
              bool transposeB);
  /// Config instructions take effect at issue and cost only the issue.
  void config(Op op);
  /// Waits for every unit; returns the cycle it completes at.
  uint64_t fence(Op op);
  /// A layer marker: later instructions count for layer `name`, whose span
  /// runs from now to the last completion among them. Costs no cycles.
  void layer(const std::string &name, uint64_t macs, bool onCpu);

  Report report() const;
  void writeTrace(FILE *out) const;

private:
  struct RowState {
    uint64_t ready = 0;    // the last write completes
    uint64_t readDone = 0; // the last read completes
    int8_t writer = -1;    // the unit of the last write
  };
  struct Event {
    Op op;
    Unit unit;
    uint64_t start, duration;
    uint32_t row, rows;
  };

  uint64_t issue(Op op, Unit unit);
  uint64_t readyAfter(std::vector<RowState> &rows, uint32_t first,
                      uint32_t count, Unit unit, bool write) const;
  void mark(std::vector<RowState> &rows, uint32_t first, uint32_t count,
            Unit unit, bool write, uint64_t readEnd, uint64_t writeEnd);
  void retire(Unit unit, uint64_t start, uint64_t end);
  /// The open layer's report, or null before the first marker.
  LayerReport *current();
  /// Adds the open layer call's span to its cycles.
  void closeLayer(Report &into) const;

  Target target_;
  uint64_t host_ = 0;                 // the host's issue clock
  uint64_t free_[kNumUnits] = {};     // a unit's next free cycle
  uint64_t end_ = 0;                  // the last completion
  std::deque<uint64_t> inflight_[kNumUnits];
  std::vector<RowState> sp_, acc_;
  // The weights held in the array (weight-stationary), and when the
  // weight-load path is next free: preloads overlap the previous matmul.
  int64_t weightsRow_ = -1;
  uint32_t weightsRows_ = 0, weightsK_ = 0, weightsN_ = 0;
  bool weightsTransposed_ = false;
  uint64_t weightsLoadedAt_ = 0, preloadFree_ = 0;
  Report stats_;
  std::vector<Event> events_;
  // The open layer call: its index in stats_.layers, when it began, and
  // the last completion among its instructions.
  int64_t layer_ = -1;
  uint64_t layerStart_ = 0, layerEnd_ = 0;
  struct Span {
    uint32_t layer;
    uint64_t start, end;
  };
  std::vector<Span> spans_; // closed layer calls, for the trace
};

} // namespace yz::npu

#endif // YZ_NPU_CYCLEMODEL_H
