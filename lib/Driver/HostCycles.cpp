//===- HostCycles.cpp - the host's share of a model's time ----------------===//
//
// Part of Yizhuang. See HostCycles.h. Why counted blocks and not the nest's
// loop bodies times their static trip counts: qemu's counts are exact for
// every block (remainder loops, prologues, the code between nests), and a
// block is straight-line code ending in a branch, which is what llvm-mca
// models. Each block is priced as llvm-mca's steady-state cycles per
// iteration of it, so a block that runs once is priced without its
// latencies (an underestimate where a nest is a few short blocks).
//
//===----------------------------------------------------------------------===//

#include "yz/Driver/HostCycles.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <set>

using llvm::StringRef;
using namespace mlir::yz;

namespace {

/// What the object says about its code.
struct ModelCode {
  std::set<std::string> functions;
  std::map<std::string, std::string> layers; // nest function -> layer
  std::string features;                      // "+m,+v,..."
};

/// One translated block that ran.
struct Block {
  uint64_t count = 0, vaddr = 0;
  std::string symbol;
  std::vector<uint8_t> bytes;
  std::string text;          // disassembled, one instruction per line
  std::string lmul, sew;     // the vector type in effect, for llvm-mca
  unsigned instructions = 0; // decoded ones
  unsigned unknown = 0;      // custom (NPU) instructions: 1 cycle each
  double cycles = 0;         // per execution
};

struct Row {
  std::string name;
  double hostCycles = 0;
  double issueCycles = 0; // of hostCycles, in functions driving the NPU
  uint64_t instructions = 0;
  uint64_t npuCycles = 0;
};

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message);
}

llvm::Expected<ModelCode> readObject(StringRef path) {
  auto binary = llvm::object::ObjectFile::createObjectFile(path);
  if (!binary)
    return binary.takeError();
  llvm::object::ObjectFile &obj = *binary->getBinary();
  ModelCode code;
  if (auto features = obj.getFeatures())
    code.features = features->getString();
  else
    llvm::consumeError(features.takeError());
  for (const llvm::object::SymbolRef &sym : obj.symbols()) {
    auto name = sym.getName();
    auto type = sym.getType();
    auto flags = sym.getFlags();
    if (!name || !type || !flags) {
      llvm::consumeError(name.takeError());
      llvm::consumeError(type.takeError());
      llvm::consumeError(flags.takeError());
      continue;
    }
    if (*flags & llvm::object::SymbolRef::SF_Undefined)
      continue;
    if (*type == llvm::object::SymbolRef::ST_Function)
      code.functions.insert(name->str());
    if (!name->starts_with("yz_layers_"))
      continue;
    auto section = sym.getSection();
    auto value = sym.getValue();
    if (!section || !value || *section == obj.section_end()) {
      if (!section)
        llvm::consumeError(section.takeError());
      if (!value)
        llvm::consumeError(value.takeError());
      continue;
    }
    auto contents = (*section)->getContents();
    if (!contents) {
      llvm::consumeError(contents.takeError());
      continue;
    }
    StringRef table = contents->drop_front(*value);
    table = table.take_until([](char c) { return c == 0; });
    llvm::SmallVector<StringRef> lines;
    table.split(lines, '\n', -1, false);
    for (StringRef line : lines) {
      auto [fn, layer] = line.split('\t');
      code.layers[fn.str()] = layer.str();
    }
  }
  return code;
}

/// The plugin's lines: <count> <vaddr> <symbol> <bytes>; the model's only.
llvm::Expected<std::vector<Block>> readCounts(StringRef path,
                                              const ModelCode &code) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return error("no block counts from qemu in '" + path +
                 "': " + buffer.getError().message());
  std::vector<Block> blocks;
  llvm::SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  for (StringRef line : lines) {
    llvm::SmallVector<StringRef, 4> fields;
    line.split(fields, ' ', -1, false);
    Block b;
    if (fields.size() != 4 || fields[0].getAsInteger(10, b.count) ||
        fields[1].getAsInteger(16, b.vaddr))
      return error("'" + path + "': bad line '" + line + "'");
    if (!code.functions.count(fields[2].str()))
      continue; // the runner's own code
    b.symbol = fields[2].str();
    std::string bytes = llvm::fromHex(fields[3]);
    b.bytes.assign(bytes.begin(), bytes.end());
    blocks.push_back(std::move(b));
  }
  return blocks;
}

/// "e32" and "m4" of `vsetvli a0, a1, e32, m4, ta, ma`, in llvm-mca's
/// instrument spelling (E32, M4).
void vectorType(StringRef text, std::string &lmul, std::string &sew) {
  llvm::SmallVector<StringRef> tokens;
  text.split(tokens, ',');
  for (StringRef t : tokens) {
    t = t.trim();
    if (t.size() >= 2 && t[0] == 'e' && llvm::all_of(t.drop_front(), llvm::isDigit))
      sew = t.upper();
    else if (t.size() >= 2 && t[0] == 'm' &&
             (llvm::isDigit(t[1]) || t[1] == 'f'))
      lmul = t.upper();
  }
}

/// Disassembles every block; the vector type in effect is the nearest
/// `vset*` before the block in its function (qemu ends a block at each).
llvm::Error disassemble(std::vector<Block> &blocks, StringRef features,
                        StringRef mcpu) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllDisassemblers();
  llvm::Triple triple("riscv64-unknown-linux-gnu");
  std::string message;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target)
    return error("no RISC-V target in LLVM: " + message);
  std::unique_ptr<llvm::MCRegisterInfo> mri(target->createMCRegInfo(triple));
  llvm::MCTargetOptions mcOptions;
  std::unique_ptr<llvm::MCAsmInfo> mai(
      target->createMCAsmInfo(*mri, triple, mcOptions));
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, mcpu, features));
  std::unique_ptr<llvm::MCInstrInfo> mii(target->createMCInstrInfo());
  if (!mri || !mai || !sti || !mii)
    return error("cannot set up the RISC-V disassembler");
  llvm::MCContext ctx(triple, mai.get(), mri.get(), sti.get());
  std::unique_ptr<llvm::MCDisassembler> dis(
      target->createMCDisassembler(*sti, ctx));
  std::unique_ptr<llvm::MCInstPrinter> printer(
      target->createMCInstPrinter(triple, 0, *mai, *mii, *mri));
  if (!dis || !printer)
    return error("cannot set up the RISC-V disassembler");

  std::vector<Block *> order;
  for (Block &b : blocks)
    order.push_back(&b);
  llvm::sort(order, [](const Block *a, const Block *b) {
    return std::tie(a->symbol, a->vaddr) < std::tie(b->symbol, b->vaddr);
  });
  std::string lmul, sew, symbol;
  for (Block *b : order) {
    if (b->symbol != symbol)
      lmul = sew = "", symbol = b->symbol;
    b->lmul = lmul;
    b->sew = sew;
    llvm::raw_string_ostream os(b->text);
    for (uint64_t at = 0; at < b->bytes.size();) {
      llvm::MCInst inst;
      uint64_t size = 0;
      llvm::ArrayRef<uint8_t> rest(b->bytes.data() + at, b->bytes.size() - at);
      if (dis->getInstruction(inst, size, rest, b->vaddr + at, llvm::nulls()) !=
          llvm::MCDisassembler::Success) {
        ++b->unknown; // the NPU's custom opcodes
        at += (rest[0] & 3) == 3 ? 4 : 2;
        continue;
      }
      std::string line;
      llvm::raw_string_ostream ls(line);
      printer->printInst(&inst, b->vaddr + at, "", *sti, ls);
      StringRef trimmed = StringRef(line).trim();
      if (trimmed.starts_with("vset"))
        vectorType(trimmed, lmul, sew);
      os << trimmed << "\n";
      ++b->instructions;
      at += size;
    }
  }
  return llvm::Error::success();
}

/// Sets every block's cycles per execution from one llvm-mca run with a
/// region per block.
llvm::Error price(std::vector<Block> &blocks, StringRef features,
                  StringRef mcpu, StringRef mca) {
  llvm::SmallString<128> input, output;
  if (auto ec = llvm::sys::fs::createTemporaryFile("yz-blocks", "s", input))
    return error("cannot create a temporary file: " + ec.message());
  if (auto ec = llvm::sys::fs::createTemporaryFile("yz-mca", "json", output))
    return error("cannot create a temporary file: " + ec.message());
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(input);
    llvm::sys::fs::remove(output);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(input, ec);
    if (ec)
      return error("cannot write '" + input + "': " + ec.message());
    for (size_t i = 0; i < blocks.size(); ++i) {
      const Block &b = blocks[i];
      if (!b.instructions)
        continue;
      os << "# LLVM-MCA-BEGIN b" << i << "\n";
      if (!b.lmul.empty())
        os << "# LLVM-MCA-RISCV-LMUL " << b.lmul << "\n";
      if (!b.sew.empty())
        os << "# LLVM-MCA-RISCV-SEW " << b.sew << "\n";
      os << b.text << "# LLVM-MCA-END b" << i << "\n";
    }
  }
  auto program = llvm::sys::findProgramByName(mca);
  if (!program)
    return error("cannot find " + mca + " (needed to price the host code)");
  std::string cpuArg = ("-mcpu=" + mcpu).str(),
              attrArg = ("-mattr=" + features).str();
  llvm::SmallVector<StringRef> args = {
      *program, "-mtriple=riscv64-unknown-linux-gnu", cpuArg, attrArg,
      "-iterations=100", "-json", "-skip-unsupported-instructions=any", input};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(output),
                                          StringRef("/dev/null")};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*program, args, std::nullopt,
                                         redirects, 0, 0, &message);
  if (status != 0)
    return error("llvm-mca failed on the model's blocks" +
                 (message.empty() ? "" : ": " + message) +
                 " (is -mcpu=" + mcpu + " an LLVM RISC-V CPU?)");
  auto buffer = llvm::MemoryBuffer::getFile(output);
  if (!buffer)
    return error("no output from llvm-mca");
  auto json = llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return error("llvm-mca's JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Array *regions =
      json->getAsObject() ? json->getAsObject()->getArray("CodeRegions")
                          : nullptr;
  if (!regions)
    return error("llvm-mca's JSON has no CodeRegions");
  for (const llvm::json::Value &r : *regions) {
    const llvm::json::Object *region = r.getAsObject();
    const llvm::json::Object *summary =
        region ? region->getObject("SummaryView") : nullptr;
    auto name = region ? region->getString("Name") : std::nullopt;
    size_t index;
    if (!summary || !name || !name->consume_front("b") ||
        name->getAsInteger(10, index) || index >= blocks.size())
      continue;
    double cycles = summary->getNumber("TotalCycles").value_or(0);
    double iterations =
        std::max(summary->getNumber("Iterations").value_or(1), 1.0);
    Block &b = blocks[index];
    b.cycles = cycles / iterations;
    // Instructions llvm-mca skipped (no scheduling information, or text it
    // cannot parse back) count a cycle each, as the NPU's do below.
    double analysed = summary->getNumber("Instructions").value_or(0) / iterations;
    b.cycles += std::max(0.0, b.instructions - analysed);
  }
  for (Block &b : blocks)
    b.cycles += b.unknown;
  return llvm::Error::success();
}

/// The index k of "<model>_nest<k>" (or its "_task" or "_body"), for the
/// program order; -1 for other functions.
long nestIndex(StringRef symbol) {
  size_t at = symbol.rfind("_nest");
  if (at == StringRef::npos)
    return -1;
  StringRef digits = symbol.drop_front(at + 5);
  digits = digits.take_while(llvm::isDigit);
  long k;
  return digits.getAsInteger(10, k) ? -1 : k;
}

} // namespace

llvm::Error mlir::yz::reportHostCycles(StringRef objectPath,
                                       StringRef countsPath, StringRef jsonPath,
                                       const HostCycleOptions &options) {
  auto code = readObject(objectPath);
  if (!code)
    return code.takeError();
  auto blocks = readCounts(countsPath, *code);
  if (!blocks)
    return blocks.takeError();
  if (auto err = disassemble(*blocks, code->features, options.mcpu))
    return err;
  if (auto err = price(*blocks, code->features, options.mcpu, options.llvmMca))
    return err;

  // Host rows: each nest's layer, in program order; the rest of the
  // model's code (the entry function between nests) is a row of its own.
  const std::string between = "(between layers)";
  std::set<std::string> drivers; // functions that issue NPU instructions
  for (const Block &b : *blocks)
    if (b.unknown)
      drivers.insert(b.symbol);
  std::map<std::string, std::pair<long, Row>> host;
  std::map<std::string, Row> functions; // for the JSON: name = its layer
  for (const Block &b : *blocks) {
    std::string fn = b.symbol;
    auto layer = code->layers.find(fn);
    // A parallel nest's task and its body (yz-parallelize-nests).
    for (StringRef suffix : {"_task", "_body"})
      if (layer == code->layers.end() && StringRef(fn).ends_with(suffix))
        layer = code->layers.find(fn.substr(0, fn.size() - suffix.size()));
    std::string name = layer != code->layers.end() ? layer->second : between;
    auto &[order, row] = host[name];
    long k = nestIndex(fn);
    if (row.name.empty())
      order = k;
    else if (k >= 0 && (order < 0 || k < order))
      order = k;
    row.name = name;
    row.hostCycles += b.cycles * b.count;
    if (drivers.count(fn))
      row.issueCycles += b.cycles * b.count;
    row.instructions += uint64_t(b.instructions + b.unknown) * b.count;
    Row &f = functions[fn];
    f.name = name;
    f.hostCycles += b.cycles * b.count;
    f.instructions += uint64_t(b.instructions + b.unknown) * b.count;
  }
  std::vector<std::pair<long, Row>> hostRows;
  for (auto &[name, entry] : host)
    hostRows.push_back(entry);
  llvm::sort(hostRows, [](const auto &a, const auto &b) {
    // The between-layers row (-1) last; names are unique.
    auto key = [](const auto &e) {
      return std::make_pair(e.first < 0 ? LONG_MAX : e.first, e.second.name);
    };
    return key(a) < key(b);
  });

  // NPU rows, in the simulator's order.
  std::vector<Row> npuRows;
  uint64_t npuCycles = 0;
  // The simulator writes no report for a model without NPU work.
  std::optional<llvm::json::Value> report;
  if (!jsonPath.empty() && !llvm::sys::fs::exists(jsonPath))
    report = llvm::json::Object{};
  else if (!jsonPath.empty()) {
    auto buffer = llvm::MemoryBuffer::getFile(jsonPath);
    if (!buffer)
      return error("cannot read '" + jsonPath + "'");
    auto parsed = llvm::json::parse((*buffer)->getBuffer());
    if (!parsed)
      return error("'" + jsonPath + "': " + llvm::toString(parsed.takeError()));
    report = std::move(*parsed);
    if (llvm::json::Object *r = report->getAsObject()) {
      npuCycles = r->getInteger("cycles").value_or(0);
      if (const llvm::json::Array *layers = r->getArray("layers"))
        for (const llvm::json::Value &l : *layers)
          if (const llvm::json::Object *layer = l.getAsObject();
              layer && layer->getString("where") == StringRef("npu")) {
            Row row;
            row.name = layer->getString("name").value_or("").str();
            row.npuCycles = layer->getInteger("cycles").value_or(0);
            npuRows.push_back(row);
          }
    }
  }

  // One table in program order: host rows, with each NPU layer merged into
  // the row of the same name or put before the next host row after it.
  std::vector<Row> rows;
  std::map<std::string, size_t> npuAt;
  for (size_t i = 0; i < npuRows.size(); ++i)
    npuAt.emplace(npuRows[i].name, i);
  size_t nextNpu = 0;
  for (auto &[order, row] : hostRows) {
    auto it = npuAt.find(row.name);
    if (it != npuAt.end() && it->second >= nextNpu) {
      for (; nextNpu < it->second; ++nextNpu)
        rows.push_back(npuRows[nextNpu]);
      row.npuCycles = npuRows[nextNpu++].npuCycles;
    }
    rows.push_back(row);
  }
  for (; nextNpu < npuRows.size(); ++nextNpu)
    rows.push_back(npuRows[nextNpu]);

  // The model's time: a layer's NPU work overlaps the host's issuing of
  // it (the NPU queues instructions), so it takes the longer of the two;
  // the host's other work runs between the NPU's.
  double hostCycles = 0, issueCycles = 0, modelMs = 0;
  uint64_t instructions = 0;
  size_t width = 28;
  auto ms = [](double cycles, double mhz) { return cycles / (mhz * 1e3); };
  for (const Row &r : rows) {
    hostCycles += r.hostCycles;
    issueCycles += r.issueCycles;
    instructions += r.instructions;
    width = std::max(width, r.name.size());
    modelMs += ms(r.hostCycles - r.issueCycles, options.hostMHz) +
               std::max(ms(r.issueCycles, options.hostMHz),
                        ms(r.npuCycles, options.npuMHz));
  }
  double hostMs = ms(hostCycles, options.hostMHz);
  double npuMs = ms(npuCycles, options.npuMHz);

  std::string table;
  llvm::raw_string_ostream os(table);
  os << "Host cycle estimate (llvm-mca -mcpu=" << options.mcpu
     << " per block x its count under qemu)\n";
  os << llvm::format("  %-*s %13s %13s %13s %12s\n", int(width), "layer",
                     "host cycles", "NPU issue", "instructions", "NPU cycles");
  auto line = [&](StringRef name, double host, double issue,
                  uint64_t instructions, uint64_t npu) {
    os << llvm::format("  %-*s %13.0f %13.0f %13llu %12llu\n", int(width),
                       name.str().c_str(), host, issue,
                       (unsigned long long)instructions,
                       (unsigned long long)npu);
  };
  for (const Row &r : rows)
    line(r.name, r.hostCycles, r.issueCycles, r.instructions, r.npuCycles);
  line("total", hostCycles, issueCycles, instructions, npuCycles);
  os << llvm::format("at host %.0f MHz, NPU %.0f MHz: host %.3f ms (%.3f ms "
                     "issuing to the NPU), NPU %.3f ms; whole model %.3f ms\n",
                     options.hostMHz, options.npuMHz, hostMs,
                     ms(issueCycles, options.hostMHz), npuMs, modelMs);
  if (options.print) {
    llvm::outs() << table;
    llvm::outs().flush();
  }

  if (report && report->getAsObject()) {
    llvm::json::Array layers;
    for (const Row &r : rows)
      layers.push_back(llvm::json::Object{{"name", r.name},
                                          {"host_cycles", r.hostCycles},
                                          {"issue_cycles", r.issueCycles},
                                          {"instructions", r.instructions},
                                          {"npu_cycles", r.npuCycles}});
    llvm::json::Array fns;
    for (const auto &[fn, r] : functions)
      fns.push_back(llvm::json::Object{{"function", fn},
                                       {"layer", r.name},
                                       {"host_cycles", r.hostCycles},
                                       {"npu_issue", drivers.count(fn) > 0},
                                       {"instructions", r.instructions}});
    (*report->getAsObject())["host"] = llvm::json::Object{
        {"mcpu", options.mcpu},
        {"host_mhz", options.hostMHz},
        {"npu_mhz", options.npuMHz},
        {"cycles", hostCycles},
        {"issue_cycles", issueCycles},
        {"instructions", instructions},
        {"host_ms", hostMs},
        {"npu_ms", npuMs},
        {"model_ms", modelMs},
        {"layers", std::move(layers)},
        {"functions", std::move(fns)}};
    std::error_code ec;
    llvm::raw_fd_ostream out(jsonPath, ec);
    if (ec)
      return error("cannot write '" + jsonPath + "': " + ec.message());
    out << *report << "\n";
  }
  return llvm::Error::success();
}
