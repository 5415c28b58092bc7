//===- Npu.cpp - the NPU functional simulator -----------------------------===//
//
// Part of Yizhuang. The semantics here are docs/npu-isa.md's.
//
//===----------------------------------------------------------------------===//

#include "Npu.h"

#include <cmath>
#include <cstring>

using namespace yz::npu;
using namespace yz::npu::field;

namespace {

float bf16ToFloat(uint16_t bits) {
  uint32_t w = uint32_t(bits) << 16;
  float f;
  memcpy(&f, &w, 4);
  return f;
}

/// Round to nearest even, as the DMA does when it narrows f32 to bf16.
uint16_t floatToBf16(float f) {
  uint32_t w;
  memcpy(&w, &f, 4);
  if ((w & 0x7fffffff) > 0x7f800000) // NaN stays a (quiet) NaN
    return uint16_t((w >> 16) | 0x40);
  w += 0x7fff + ((w >> 16) & 1);
  return uint16_t(w >> 16);
}

float asFloat(uint32_t w) {
  float f;
  memcpy(&f, &w, 4);
  return f;
}
uint32_t asBits(float f) {
  uint32_t w;
  memcpy(&w, &f, 4);
  return w;
}

std::string fmt(const char *format, uint64_t a = 0, uint64_t b = 0,
                uint64_t c = 0) {
  char buf[256];
  snprintf(buf, sizeof buf, format, (unsigned long long)a,
           (unsigned long long)b, (unsigned long long)c);
  return buf;
}

} // namespace

Npu::Npu(const Target &target, bool adoptProgramTarget)
    : target_(target), adopt_(adoptProgramTarget), timing_(target) {
  reset();
}

void Npu::reset() {
  sp_.assign(size_t(target_.spRows) * target_.dim, 0);
  acc_.assign(size_t(target_.accRows) * target_.dim, 0);
  timing_ = CycleModel(target_);
}

int32_t Npu::accInt(uint32_t row, uint32_t col) const {
  return int32_t(acc_[size_t(row) * target_.dim + col]);
}
float Npu::accFloat(uint32_t row, uint32_t col) const {
  return asFloat(acc_[size_t(row) * target_.dim + col]);
}
uint16_t Npu::spSlot(uint32_t row, uint32_t col) const {
  return sp_[size_t(row) * target_.dim + col];
}

bool Npu::configTarget(uint64_t rs1, uint64_t rs2, std::string &error) {
  Target t = target_;
  t.dim = uint32_t(ConfigTarget_Dim.get(rs1));
  t.spRows = uint32_t(ConfigTarget_SpRows.get(rs1));
  t.accRows = uint32_t(ConfigTarget_AccRows.get(rs1));
  t.dmaBandwidth = uint32_t(ConfigTarget_DmaBandwidth.get(rs2));
  t.dmaLatency = uint32_t(ConfigTarget_DmaLatency.get(rs2));
  t.queueDepth = uint32_t(ConfigTarget_QueueDepth.get(rs2));
  t.issueCost = uint32_t(ConfigTarget_IssueCost.get(rs2));
  if (t == target_)
    return true;
  std::string invalid = t.validate();
  if (!invalid.empty()) {
    error = "invalid target description: " + invalid;
    return false;
  }
  if (!adopt_ || executedAny_) {
    error = "program compiled for NPU " + t.str() + ", this NPU is " +
            target_.str();
    return false;
  }
  target_ = t;
  reset();
  return true;
}

bool Npu::dmaOperands(uint64_t rs2, bool acc, uint64_t &row, uint64_t &rows,
                      uint64_t &cols, std::string &error) const {
  // Every DMA instruction has DmaIn's rs2 layout (isa.def).
  row = DmaIn_Row.get(rs2);
  rows = DmaIn_Rows.get(rs2);
  cols = DmaIn_Cols.get(rs2);
  uint64_t limit = acc ? target_.accRows : target_.spRows;
  if (cols < 1 || cols > target_.dim)
    return error = fmt("cols = %llu, must be 1..%llu", cols, target_.dim),
           false;
  if (rows < 1 || row + rows > limit)
    return error = fmt("rows %llu..%llu are outside the %llu rows", row,
                       row + rows - 1, limit) +
                   (acc ? " of the accumulator" : " of the scratchpad"),
           false;
  return true;
}

bool Npu::dmaIn(Op op, uint64_t rs1, uint64_t rs2, std::string &error) {
  bool acc = op == Op::DmaInAcc;
  uint64_t row, rows, cols;
  if (!dmaOperands(rs2, acc, row, rows, cols, error))
    return false;
  if (acc != (srcType_ == SrcType::Raw32))
    return error = acc ? "dma_in.acc needs config.load source type 3 (raw "
                         "32-bit)"
                       : "source type 3 (raw 32-bit) loads only the "
                         "accumulator",
           false;
  const unsigned char *src = reinterpret_cast<const unsigned char *>(
      uintptr_t(DmaIn_Address.get(rs1)));
  size_t elem = srcType_ == SrcType::I8 ? 1 : srcType_ == SrcType::BF16 ? 2 : 4;
  for (uint64_t r = 0; r < rows; ++r) {
    const unsigned char *p = src + r * loadStride_;
    size_t base = size_t(row + r) * target_.dim;
    for (uint64_t c = 0; c < target_.dim; ++c) {
      if (acc) {
        uint32_t v = 0;
        if (c < cols)
          memcpy(&v, p + c * 4, 4);
        acc_[base + c] = v;
        continue;
      }
      uint16_t slot = 0;
      if (c < cols) {
        if (srcType_ == SrcType::I8)
          slot = uint16_t(int16_t(int8_t(p[c])));
        else if (srcType_ == SrcType::BF16)
          memcpy(&slot, p + 2 * c, 2);
        else {
          float f;
          memcpy(&f, p + 4 * c, 4);
          slot = floatToBf16(f);
        }
      }
      sp_[base + c] = slot;
    }
  }
  timing_.dma(op, acc, uint32_t(row), uint32_t(rows), rows * cols * elem);
  return true;
}

bool Npu::dmaOut(Op op, uint64_t rs1, uint64_t rs2, std::string &error) {
  bool fromAcc = op != Op::DmaOut;
  uint64_t row, rows, cols;
  if (!dmaOperands(rs2, fromAcc, row, rows, cols, error))
    return false;
  if (op == Op::DmaOutQ && dataType_ != DataType::I8)
    return error = "dma_out.q requantizes i32 results: config.exec must "
                   "select i8",
           false;
  unsigned char *dst =
      reinterpret_cast<unsigned char *>(uintptr_t(DmaOut_Address.get(rs1)));
  size_t elem = op == Op::DmaOutQ                ? 1
                : op == Op::DmaOutAcc            ? 4
                : dataType_ == DataType::I8 ? 1
                                                 : 2;
  for (uint64_t r = 0; r < rows; ++r) {
    unsigned char *p = dst + r * storeStride_;
    size_t base = size_t(row + r) * target_.dim;
    for (uint64_t c = 0; c < cols; ++c) {
      if (op == Op::DmaOut) {
        uint16_t slot = sp_[base + c];
        if (elem == 1)
          p[c] = uint8_t(slot);
        else
          memcpy(p + 2 * c, &slot, 2);
      } else if (op == Op::DmaOutQ) {
        // q = clamp(round_half_even(acc * scale) + zero_point)
        // Per channel: scales in ScaleRow, biases in the row after it.
        uint32_t sum = acc_[base + c];
        float scale = scale_;
        if (perChannel_) {
          scale = asFloat(acc_[scaleRow_ * target_.dim + c]);
          sum += acc_[(scaleRow_ + 1) * target_.dim + c]; // wraps
        }
        float scaled = float(int32_t(sum)) * scale;
        float rounded = std::nearbyint(scaled);
        double q = double(rounded) + zeroPoint_;
        q = std::fmin(std::fmax(q, clampMin_), clampMax_);
        p[c] = uint8_t(int8_t(q));
      } else {
        uint32_t v = acc_[base + c];
        if (dataType_ == DataType::BF16 && activation_ != Activation::None) {
          float f = std::fmax(asFloat(v), 0.0f);
          if (activation_ == Activation::Relu6)
            f = std::fmin(f, 6.0f);
          v = asBits(f);
        } else if (dataType_ == DataType::I8 &&
                   activation_ != Activation::None) {
          int32_t i = std::max(int32_t(v), 0);
          v = uint32_t(i);
        }
        memcpy(p + 4 * c, &v, 4);
      }
    }
  }
  timing_.dma(op, fromAcc, uint32_t(row), uint32_t(rows), rows * cols * elem,
              op == Op::DmaOutQ && perChannel_ ? int64_t(scaleRow_) : -1);
  return true;
}

bool Npu::matmul(uint64_t rs1, uint64_t rs2, std::string &error) {
  uint64_t aRow = Matmul_ARow.get(rs1), bRow = Matmul_BRow.get(rs1),
           cRow = Matmul_CRow.get(rs2), m = Matmul_M.get(rs2),
           n = Matmul_N.get(rs2), k = Matmul_K.get(rs2);
  bool accumulate = Matmul_Accumulate.get(rs2),
       transA = Matmul_TransposeA.get(rs2),
       transB = Matmul_TransposeB.get(rs2);
  uint64_t dim = target_.dim;
  if (m < 1 || m > dim || n < 1 || n > dim || k < 1 || k > dim)
    return error = fmt("M, N, K = %llu, %llu, %llu; each must be 1..DIM", m,
                       n, k) + fmt(" (DIM = %llu)", dim),
           false;
  uint64_t aRows = transA ? k : m, bRows = transB ? n : k;
  if (aRow + aRows > target_.spRows || bRow + bRows > target_.spRows)
    return error = fmt("A rows %llu+%llu or B rows %llu+", aRow, aRows, bRow) +
                   fmt("%llu exceed the %llu scratchpad rows", bRows,
                       target_.spRows),
           false;
  if (cRow + m > target_.accRows)
    return error = fmt("C rows %llu..%llu exceed the %llu accumulator rows",
                       cRow, cRow + m - 1, target_.accRows),
           false;
  auto a = [&](uint64_t i, uint64_t kk) {
    return transA ? sp_[(aRow + kk) * dim + i] : sp_[(aRow + i) * dim + kk];
  };
  auto b = [&](uint64_t kk, uint64_t j) {
    return transB ? sp_[(bRow + j) * dim + kk] : sp_[(bRow + kk) * dim + j];
  };
  for (uint64_t i = 0; i < m; ++i)
    for (uint64_t j = 0; j < n; ++j) {
      uint32_t &c = acc_[(cRow + i) * dim + j];
      if (dataType_ == DataType::I8) {
        uint32_t sum = accumulate ? c : 0; // wraps like the hardware adder
        for (uint64_t kk = 0; kk < k; ++kk)
          sum += uint32_t(int32_t(int16_t(a(i, kk))) *
                          int32_t(int16_t(b(kk, j))));
        c = sum;
      } else {
        // bf16 x bf16 is exact in f32; sums are f32, in order of k.
        float sum = accumulate ? asFloat(c) : 0.0f;
        for (uint64_t kk = 0; kk < k; ++kk)
          sum += bf16ToFloat(a(i, kk)) * bf16ToFloat(b(kk, j));
        c = asBits(sum);
      }
    }
  timing_.matmul(uint32_t(aRow), uint32_t(aRows), uint32_t(bRow),
                 uint32_t(bRows), uint32_t(cRow), uint32_t(m), uint32_t(n),
                 uint32_t(k), transB);
  return true;
}

bool Npu::execute(uint32_t word, uint64_t rs1, uint64_t rs2, uint64_t &rd,
                  std::string &error) {
  Op op;
  if (!decode(word, op)) {
    error = "not an NPU instruction";
    return false;
  }
  bool ok = true;
  switch (op) {
  case Op::ConfigTarget:
    ok = configTarget(rs1, rs2, error);
    timing_.config(op);
    break;
  case Op::ConfigLoad: {
    uint64_t src = ConfigLoad_SrcType.get(rs2);
    if (src > 3)
      return error = fmt("source type %llu is not 0..3", src), false;
    srcType_ = SrcType(src);
    loadStride_ = ConfigLoad_Stride.get(rs1);
    timing_.config(op);
    break;
  }
  case Op::ConfigStore: {
    uint64_t act = ConfigStore_Activation.get(rs1);
    if (act > 2)
      return error = fmt("activation %llu is not 0..2", act), false;
    storeStride_ = ConfigStore_Stride.get(rs1);
    activation_ = Activation(act);
    scale_ = asFloat(uint32_t(ConfigStore_Scale.get(rs2)));
    zeroPoint_ = int8_t(ConfigStore_ZeroPoint.get(rs2));
    clampMin_ = int8_t(ConfigStore_ClampMin.get(rs2));
    clampMax_ = int8_t(ConfigStore_ClampMax.get(rs2));
    perChannel_ = ConfigStore_PerChannel.get(rs2);
    scaleRow_ = ConfigStore_ScaleRow.get(rs1);
    if (perChannel_ && scaleRow_ + 1 >= target_.accRows)
      return error = fmt("scale row %llu and its bias row must be below the "
                         "%llu accumulator rows",
                         scaleRow_, target_.accRows),
             false;
    if (clampMin_ > clampMax_)
      return error = "clamp_min is above clamp_max", false;
    timing_.config(op);
    break;
  }
  case Op::ConfigExec: {
    uint64_t type = ConfigExec_DataType.get(rs1);
    if (type > 1)
      return error = fmt("data type %llu is not 0 (i8) or 1 (bf16)", type),
             false;
    dataType_ = DataType(type);
    timing_.config(op);
    break;
  }
  case Op::DmaIn:
  case Op::DmaInAcc:
    ok = dmaIn(op, rs1, rs2, error);
    break;
  case Op::DmaOut:
  case Op::DmaOutQ:
  case Op::DmaOutAcc:
    ok = dmaOut(op, rs1, rs2, error);
    break;
  case Op::Matmul:
    ok = matmul(rs1, rs2, error);
    break;
  case Op::Fence:
    timing_.fence(op);
    break;
  case Op::Layer: {
    const char *name = reinterpret_cast<const char *>(Layer_Name.get(rs1));
    timing_.layer(name ? std::string(name, strnlen(name, 256)) : "?",
                  Layer_Macs.get(rs2), Layer_OnCpu.get(rs2));
    break;
  }
  case Op::Counter: {
    uint64_t now = timing_.fence(op);
    Report r = timing_.report();
    switch (Counter_Id.get(rs1)) {
    case 0: rd = now; break;
    case 1: rd = r.macs; break;
    case 2: rd = r.bytesIn; break;
    case 3: rd = r.bytesOut; break;
    case 4: rd = r.instructions; break;
    default:
      return error = fmt("counter %llu is not 0..4", Counter_Id.get(rs1)),
             false;
    }
    break;
  }
  }
  executedAny_ |= ok && op != Op::ConfigTarget && op != Op::Layer;
  return ok;
}
