//===- CycleModel.cpp - NPU timing: queues, hazards, DMA ------------------===//
//
// Part of Yizhuang.
//
// Three in-order units (load = DMA in, exec = systolic array, store = DMA
// out) fed by queues of target.queueDepth instructions. The host issues one
// instruction every target.issueCost cycles and stalls when a queue is full.
// An instruction starts when its unit is free and its rows are safe:
//   RAW: rows it reads were written (by another unit) and that write is done;
//   WAR/WAW: rows it writes are no longer being read or written.
// DMA occupies its unit for ceil(bytes / bandwidth) cycles; its data lands
// dmaLatency cycles later (so back-to-back DMAs hide the latency).
// A matmul streams M rows of A through the array (M cycles); changing the
// weights costs K cycles on a separate preload path that overlaps the
// previous matmul (double-buffered weights); results reach the accumulator
// 2 * dim cycles after the last row enters (the array's depth). Matmuls into
// the same accumulator rows pipeline without waiting for each other.
//
//===----------------------------------------------------------------------===//

#include "CycleModel.h"

#include <algorithm>
#include <cinttypes>

using namespace yz::npu;

// Trace tracks: the three units, the exec unit's weight-preload path, and
// the layers.
constexpr unsigned kWeightTrack = kNumUnits, kLayerTrack = kNumUnits + 1;
static const char *kTrackNames[kLayerTrack + 1] = {"load", "exec", "store",
                                                   "weights", "layers"};

CycleModel::CycleModel(const Target &target)
    : target_(target), sp_(target.spRows), acc_(target.accRows) {
  stats_.target = target;
}

LayerReport *CycleModel::current() {
  return layer_ >= 0 ? &stats_.layers[layer_] : nullptr;
}

uint64_t CycleModel::issue(Op op, Unit unit) {
  config(op); // the issue cost and the counts
  auto &queue = inflight_[unsigned(unit)];
  while (!queue.empty() && queue.front() <= host_)
    queue.pop_front();
  if (queue.size() >= target_.queueDepth) { // the host stalls
    host_ = queue.front();
    queue.pop_front();
  }
  return std::max(host_, free_[unsigned(unit)]);
}

uint64_t CycleModel::readyAfter(std::vector<RowState> &rows, uint32_t first,
                                uint32_t count, Unit unit, bool write) const {
  uint64_t t = 0;
  for (uint32_t r = first; r < first + count; ++r) {
    const RowState &s = rows[r];
    // A unit's own earlier writes are ordered by its pipeline.
    if (s.writer != int8_t(unit))
      t = std::max(t, s.ready);
    if (write)
      t = std::max(t, s.readDone);
  }
  return t;
}

void CycleModel::mark(std::vector<RowState> &rows, uint32_t first,
                      uint32_t count, Unit unit, bool write, uint64_t readEnd,
                      uint64_t writeEnd) {
  for (uint32_t r = first; r < first + count; ++r) {
    RowState &s = rows[r];
    if (write) {
      s.ready = writeEnd;
      s.writer = int8_t(unit);
    } else {
      s.readDone = std::max(s.readDone, readEnd);
    }
  }
}

void CycleModel::retire(Unit unit, uint64_t start, uint64_t end) {
  inflight_[unsigned(unit)].push_back(end);
  end_ = std::max(end_, end);
  layerEnd_ = std::max(layerEnd_, end);
  (void)start;
}

void CycleModel::dma(Op op, bool acc, uint32_t row, uint32_t rows,
                     uint64_t bytes, int64_t scaleRow) {
  bool in = op == Op::DmaIn || op == Op::DmaInAcc;
  Unit unit = in ? Unit::Load : Unit::Store;
  std::vector<RowState> &state = acc ? acc_ : sp_;
  uint64_t start = std::max(issue(op, unit),
                            readyAfter(state, row, rows, unit, /*write=*/in));
  // dma_out.q with per-channel scales also reads them and the biases.
  if (scaleRow >= 0)
    start = std::max(start, readyAfter(acc_, uint32_t(scaleRow), 2, unit,
                                       /*write=*/false));
  uint64_t busy = (bytes + target_.dmaBandwidth - 1) / target_.dmaBandwidth;
  uint64_t end = start + target_.dmaLatency + busy;
  free_[unsigned(unit)] = start + busy;
  // DMA in writes rows as data lands; DMA out has read them by `end`.
  mark(state, row, rows, unit, in, end, end);
  if (scaleRow >= 0)
    mark(acc_, uint32_t(scaleRow), 2, unit, false, end, end);
  LayerReport *layer = current();
  if (in) {
    stats_.bytesIn += bytes;
    if (layer)
      layer->bytesIn += bytes;
    // Rewriting the rows the array's weights came from invalidates them.
    if (!acc && weightsRow_ >= 0 && row < weightsRow_ + weightsRows_ &&
        row + rows > uint64_t(weightsRow_))
      weightsRow_ = -1;
  } else {
    stats_.bytesOut += bytes;
    if (layer)
      layer->bytesOut += bytes;
  }
  stats_.busy[unsigned(unit)] += busy;
  retire(unit, start, end);
  events_.push_back({op, unit, start, end - start, row, rows});
}

void CycleModel::matmul(uint32_t aRow, uint32_t aRows, uint32_t bRow,
                        uint32_t bRows, uint32_t cRow, uint32_t m, uint32_t n,
                        uint32_t k, bool transposeB) {
  Unit unit = Unit::Exec;
  uint64_t issued = issue(Op::Matmul, unit);
  uint64_t computeStart = std::max(
      {issued, readyAfter(sp_, aRow, aRows, unit, false),
       readyAfter(acc_, cRow, m, unit, true)});
  bool sameWeights = weightsRow_ == int64_t(bRow) && weightsK_ == k &&
                     weightsN_ == n && weightsTransposed_ == transposeB;
  uint64_t preloadEnd = 0;
  if (!sameWeights) {
    uint64_t preloadStart =
        std::max({host_, preloadFree_, readyAfter(sp_, bRow, bRows, unit, false)});
    preloadEnd = preloadStart + k;
    preloadFree_ = preloadEnd;
    mark(sp_, bRow, bRows, unit, false, preloadEnd, 0);
    weightsRow_ = bRow;
    weightsRows_ = bRows;
    weightsK_ = k;
    weightsN_ = n;
    weightsTransposed_ = transposeB;
    weightsLoadedAt_ = preloadEnd;
    events_.push_back({Op::Matmul, Unit(kWeightTrack), preloadStart, k, bRow,
                       bRows});
  }
  computeStart = std::max(computeStart, std::max(preloadEnd, weightsLoadedAt_));
  uint64_t streamEnd = computeStart + m;
  uint64_t end = streamEnd + 2 * uint64_t(target_.dim);
  free_[unsigned(unit)] = streamEnd;
  // The weight path may preload the next weights once these are in use.
  preloadFree_ = std::max(preloadFree_, computeStart);
  mark(sp_, aRow, aRows, unit, false, streamEnd, 0);
  mark(acc_, cRow, m, unit, true, 0, end);
  stats_.macs += uint64_t(m) * n * k;
  if (LayerReport *layer = current())
    layer->macs += uint64_t(m) * n * k;
  stats_.busy[unsigned(unit)] += m;
  retire(unit, computeStart, end);
  events_.push_back({Op::Matmul, unit, computeStart, m, cRow, m});
}

void CycleModel::config(Op op) {
  host_ += target_.issueCost;
  ++stats_.instructions;
  ++stats_.perOp[unsigned(op)];
  if (LayerReport *layer = current())
    ++layer->instructions;
}

void CycleModel::closeLayer(Report &into) const {
  if (layer_ >= 0 && layerEnd_ > layerStart_)
    into.layers[layer_].cycles += layerEnd_ - layerStart_;
}

void CycleModel::layer(const std::string &name, uint64_t macs, bool onCpu) {
  if (layer_ >= 0) {
    closeLayer(stats_);
    spans_.push_back({uint32_t(layer_), layerStart_, layerEnd_});
  }
  auto it = std::find_if(stats_.layers.begin(), stats_.layers.end(),
                         [&](const LayerReport &l) { return l.name == name; });
  if (it == stats_.layers.end()) {
    stats_.layers.push_back({});
    it = stats_.layers.end() - 1;
    it->name = name;
    it->onCpu = onCpu;
  }
  ++it->calls;
  if (onCpu) // the NPU counts its own layers' MACs as they run
    it->macs += macs;
  layer_ = it - stats_.layers.begin();
  layerStart_ = layerEnd_ = host_;
}

uint64_t CycleModel::fence(Op op) {
  config(op);
  host_ = std::max(host_, end_);
  for (auto &queue : inflight_)
    queue.clear();
  return host_;
}

Report CycleModel::report() const {
  Report r = stats_;
  closeLayer(r);
  r.cycles = std::max(host_, end_);
  uint64_t peak = uint64_t(target_.dim) * target_.dim;
  r.computeBound = (r.macs + peak - 1) / peak;
  r.memoryBound = (r.bytesIn + r.bytesOut + target_.dmaBandwidth - 1) /
                  target_.dmaBandwidth;
  return r;
}

double Report::utilization() const {
  return cycles ? double(macs) / (double(target.dim) * target.dim * cycles)
                : 0.0;
}

std::string Report::text() const {
  char buf[2048];
  uint64_t bound = rooflineCycles();
  int n = snprintf(
      buf, sizeof buf,
      "NPU cycle report (%s)\n"
      "  cycles          %" PRIu64 "\n"
      "  MACs            %" PRIu64 "\n"
      "  utilization     %.1f%%  (MACs / (DIM^2 x cycles))\n"
      "  roofline bound  %" PRIu64 " cycles (%s-bound); achieved %.1f%% of it\n"
      "  bytes in / out  %" PRIu64 " / %" PRIu64 "\n"
      "  unit busy       load %.1f%%, exec %.1f%%, store %.1f%%\n"
      "  instructions    %" PRIu64 ":",
      target.str().c_str(), cycles, macs, 100 * utilization(), bound,
      computeBound >= memoryBound ? "compute" : "memory",
      cycles ? 100.0 * double(bound) / double(cycles) : 0.0, bytesIn, bytesOut,
      cycles ? 100.0 * busy[0] / cycles : 0.0,
      cycles ? 100.0 * busy[1] / cycles : 0.0,
      cycles ? 100.0 * busy[2] / cycles : 0.0, instructions);
  std::string s(buf, std::min<size_t>(n, sizeof buf - 1));
  for (const InsnInfo &i : kInsns)
    if (perOp[unsigned(i.op)])
      s += " " + std::string(i.mnemonic) + " " +
           std::to_string(perOp[unsigned(i.op)]);
  s += "\n";
  if (layers.empty())
    return s;
  // Per layer: NPU layers' spans may overlap (the next layer's DMA starts
  // while the last one drains); CPU layers are not timed.
  s += "  per layer       (cycles: from the layer's first instruction to its "
       "last completion)\n";
  int width = 5; // the names' column, up to 64 characters
  for (const LayerReport &l : layers)
    width = std::max(width, int(std::min<size_t>(l.name.size(), 64)));
  snprintf(buf, sizeof buf, "    %-*s %-5s %5s %10s %12s %6s %10s %10s\n",
           width, "layer", "where", "calls", "cycles", "MACs", "util",
           "bytes in", "bytes out");
  s += buf;
  for (const LayerReport &l : layers) {
    std::string name = int(l.name.size()) > width
                           ? "..." + l.name.substr(l.name.size() - width + 3)
                           : l.name;
    if (l.onCpu)
      snprintf(buf, sizeof buf, "    %-*s %-5s %5" PRIu64 " %10s %12" PRIu64
               " %6s %10s %10s\n", width, name.c_str(), "cpu", l.calls, "-",
               l.macs, "-", "-", "-");
    else
      snprintf(buf, sizeof buf, "    %-*s %-5s %5" PRIu64 " %10" PRIu64
               " %12" PRIu64 " %5.1f%% %10" PRIu64 " %10" PRIu64 "\n",
               width, name.c_str(), "npu", l.calls, l.cycles, l.macs,
               100 * l.utilization(target.dim), l.bytesIn, l.bytesOut);
    s += buf;
  }
  return s;
}

/// `text` as a JSON string literal.
static std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (uint8_t(c) < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", unsigned(uint8_t(c)));
      out += esc;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string Report::json() const {
  char buf[1024];
  snprintf(buf, sizeof buf,
           "{\"target\": \"%s\", \"cycles\": %" PRIu64 ", \"macs\": %" PRIu64
           ", \"utilization\": %.6f, \"roofline_cycles\": %" PRIu64
           ", \"bytes_in\": %" PRIu64 ", \"bytes_out\": %" PRIu64
           ", \"instructions\": %" PRIu64 ", \"layers\": [",
           target.str().c_str(), cycles, macs, utilization(), rooflineCycles(),
           bytesIn, bytesOut, instructions);
  std::string s = buf;
  for (const LayerReport &l : layers) {
    snprintf(buf, sizeof buf,
             "%s{\"name\": %s, \"where\": \"%s\", \"calls\": %" PRIu64
             ", \"cycles\": %" PRIu64 ", \"macs\": %" PRIu64
             ", \"utilization\": %.6f, \"bytes_in\": %" PRIu64
             ", \"bytes_out\": %" PRIu64 ", \"instructions\": %" PRIu64 "}",
             &l == &layers.front() ? "" : ", ", jsonString(l.name).c_str(),
             l.onCpu ? "cpu" : "npu", l.calls, l.cycles, l.macs,
             l.utilization(target.dim), l.bytesIn, l.bytesOut, l.instructions);
    s += buf;
  }
  return s + "]}";
}

void CycleModel::writeTrace(FILE *out) const {
  // Chrome trace-event format; one cycle is shown as one microsecond.
  fprintf(out, "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n");
  for (unsigned u = 0; u <= kLayerTrack; ++u)
    fprintf(out,
            "{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, "
            "\"tid\": %u, \"args\": {\"name\": \"%s\"}},\n",
            u, kTrackNames[u]);
  std::vector<Span> spans = spans_;
  if (layer_ >= 0)
    spans.push_back({uint32_t(layer_), layerStart_, layerEnd_});
  for (const Span &span : spans)
    if (!stats_.layers[span.layer].onCpu)
      fprintf(out,
              "{\"name\": %s, \"ph\": \"X\", \"pid\": 1, \"tid\": %u, "
              "\"ts\": %" PRIu64 ", \"dur\": %" PRIu64 "},\n",
              jsonString(stats_.layers[span.layer].name).c_str(), kLayerTrack,
              span.start, span.end - span.start);
  for (const Event &e : events_)
    fprintf(out,
            "{\"name\": \"%s\", \"ph\": \"X\", \"pid\": 1, \"tid\": %u, "
            "\"ts\": %" PRIu64 ", \"dur\": %" PRIu64
            ", \"args\": {\"row\": %u, \"rows\": %u}},\n",
            info(e.op).mnemonic, unsigned(e.unit), e.start, e.duration, e.row,
            e.rows);
  fprintf(out,
          "{\"name\": \"end\", \"ph\": \"i\", \"pid\": 1, \"tid\": 0, "
          "\"ts\": %" PRIu64 ", \"s\": \"g\"}\n]}\n",
          std::max(host_, end_));
}
