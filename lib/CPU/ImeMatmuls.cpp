//===- ImeMatmuls.cpp - int8 matmuls on SpacemiT's IME instructions -------===//
//
// Part of Yizhuang. yz-pack-matmuls has packed each int8 matmul into blocks
// of IME tiles (LHS [M1, K1, 4R, 8], RHS [N1, K1, 4C, 8], result
// [M1, N1, 4R, 4C], a linalg.mmt4d marked yz.ime_tile = [R, C]). Here, on
// buffers, each R x C block of 4x4 result tiles becomes a loop over K whose
// body is one inline assembly block: two vector loads (the LHS block into
// v24.., the RHS block into v28..) and R x C smt.vmadot, accumulating in
// the register pairs v0..v(2RC-1), which the loop carries. The registers
// are named in the constraints ({v0}, ...) so that the block can address
// the tiles of a loaded group one by one; the accumulators are scalable
// vectors there (LLVM 22 cannot pin fixed-length vectors to registers),
// inserted from and extracted to the 16 int32 of a tile. Each block sets
// vtype itself: smt.vmadot needs LMUL 1, and LLVM does not track vtype
// across inline assembly.
//
//===----------------------------------------------------------------------===//

#include "yz/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include <string>

namespace mlir::yz {
#define GEN_PASS_DEF_YZIMEMATMULS
#include "yz/CPU/Passes.h.inc"
} // namespace mlir::yz

using namespace mlir;
using namespace mlir::yz;

namespace {

/// Registers: accumulator pairs from v0, the LHS group at v24 (up to 4
/// tiles), the RHS group at v28 (up to 3, loaded with LMUL 4).
constexpr unsigned kLhsReg = 24, kRhsReg = 28;

unsigned lmulFor(int64_t tiles) { return tiles == 1 ? 1 : tiles == 2 ? 2 : 4; }

/// The assembly of one step of K and its constraints. Operands: the
/// accumulators' outputs $0..$(RC-1), then the LHS and RHS block
/// addresses, their byte counts, and the accumulators' inputs (tied).
std::pair<std::string, std::string> stepAssembly(int64_t r, int64_t c) {
  int64_t acc = r * c;
  std::string pa = "$" + std::to_string(acc), pb = "$" + std::to_string(acc + 1),
              na = "$" + std::to_string(acc + 2),
              nb = "$" + std::to_string(acc + 3);
  auto vset = [](const std::string &n, unsigned lmul) {
    return "vsetvli zero, " + n + ", e8, m" + std::to_string(lmul) +
           ", ta, ma\n";
  };
  std::string text = vset(na, lmulFor(r)) + "vle8.v v" +
                     std::to_string(kLhsReg) + ", (" + pa + ")\n";
  if (c != r)
    text += vset(nb, lmulFor(c));
  text += "vle8.v v" + std::to_string(kRhsReg) + ", (" + pb + ")\n";
  if (lmulFor(c) != 1)
    text += vset(na, 1); // vl: VLMAX (32); smt.vmadot does not read it
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      text += "smt.vmadot v" + std::to_string(2 * (i * c + j)) + ", v" +
              std::to_string(kLhsReg + i) + ", v" +
              std::to_string(kRhsReg + j) + "\n";
  text.pop_back();

  std::string constraints;
  for (int64_t i = 0; i < acc; ++i)
    constraints += "={v" + std::to_string(2 * i) + "},";
  constraints += "r,r,r,r";
  for (int64_t i = 0; i < acc; ++i)
    constraints += "," + std::to_string(i);
  for (unsigned v = kLhsReg; v < 32; ++v)
    constraints += ",~{v" + std::to_string(v) + "}";
  constraints += ",~{memory}";
  return {text, constraints};
}

/// The address of `buffer` (contiguous, row-major) as an i64.
Value baseAddress(OpBuilder &b, Location loc, Value buffer) {
  Value ptr = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  unsigned bytes =
      cast<MemRefType>(buffer.getType()).getElementTypeBitWidth() / 8;
  Value offset = arith::MulIOp::create(
      b, loc, meta.getOffset(), arith::ConstantIndexOp::create(b, loc, bytes));
  ptr = arith::AddIOp::create(b, loc, ptr, offset);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), ptr);
}

/// The zero fill of `out` before `op` that nothing else reads or writes in
/// between, through `out` or a view of it (no other op before `op` may use
/// `out` at all): the accumulators can start at zero instead, since every
/// element of the result is written once, whole.
linalg::FillOp zeroFillBefore(Operation *op, Value out) {
  linalg::FillOp zeroFill;
  for (Operation *user : out.getUsers()) {
    if (user == op)
      continue;
    Operation *at = op->getBlock()->findAncestorOpInBlock(*user);
    if (at && !at->isBeforeInBlock(op))
      continue; // after op
    auto fill = dyn_cast<linalg::FillOp>(user);
    if (!fill || zeroFill || fill->getBlock() != op->getBlock() ||
        fill.getOutputs()[0] != out ||
        !matchPattern(fill.getInputs()[0], m_Zero()))
      return {};
    zeroFill = fill;
  }
  return zeroFill;
}

LogicalResult lower(linalg::LinalgOp op) {
  ArrayRef<int64_t> tile =
      op->getAttrOfType<DenseI64ArrayAttr>(kImeTileAttr).asArrayRef();
  int64_t r = tile[0], c = tile[1];
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1],
        out = op.getDpsInits()[0];
  auto lt = cast<MemRefType>(lhs.getType()), rt = cast<MemRefType>(rhs.getType()),
       ot = cast<MemRefType>(out.getType());
  for (MemRefType t : {lt, rt})
    if (!t.hasStaticShape() || !t.getLayout().isIdentity() ||
        t.getShape().back() != 8)
      return op->emitError("yz-ime-matmuls: an operand is not a packed, "
                           "contiguous block of 8-wide IME tiles");
  int64_t rank = lt.getRank(); // 4, or 5 with a batch
  bool batched = rank == 5;
  ArrayRef<int64_t> ls = lt.getShape(), rs = rt.getShape(), os = ot.getShape();
  if (ls[rank - 2] != 4 * r || rs[rank - 2] != 4 * c ||
      os[rank - 2] != 4 * r || os[rank - 1] != 4 * c)
    return op->emitError("yz-ime-matmuls: block shapes do not match "
                         "yz.ime_tile");
  int64_t batch = batched ? ls[0] : 1, m1 = ls[rank - 4], k1 = ls[rank - 3],
          n1 = rs[rank - 4];

  linalg::FillOp zeroFill = zeroFillBefore(op, out);
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  auto i64 = [&](int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  };
  Value lhsBase = baseAddress(b, loc, lhs), rhsBase = baseAddress(b, loc, rhs);
  Value lhsBytes = i64(32 * r), rhsBytes = i64(32 * c);
  std::pair<std::string, std::string> assembly = stepAssembly(r, c);

  auto tileType = VectorType::get({16}, b.getI32Type());
  auto rowType = VectorType::get({4}, b.getI32Type());
  auto pairType = VectorType::get({4}, b.getI32Type(), /*scalable=*/true);
  Type stepType =
      r * c == 1 ? Type(pairType)
                 : LLVM::LLVMStructType::getLiteral(
                       ctx, SmallVector<Type>(r * c, pairType));

  // The result blocks are independent: one scf.parallel over them (the
  // runtime's threads take it with yzc --threads; else plain loops).
  scf::ParallelOp::create(
      b, loc, ValueRange{index(0), index(0), index(0)},
      ValueRange{index(batch), index(m1), index(n1)},
      ValueRange{index(1), index(1), index(1)},
      [&](OpBuilder &b, Location loc, ValueRange ivs) {
        Value bi = ivs[0], mi = ivs[1], ni = ivs[2];
        // The result block's tiles, row by row, into the register pairs.
        auto at = [&](int64_t row, int64_t col) {
          SmallVector<Value> idx;
          if (batched)
            idx.push_back(bi);
          idx.append({mi, ni, arith::ConstantIndexOp::create(b, loc, row),
                      arith::ConstantIndexOp::create(b, loc, col)});
          return idx;
        };
        Value zeroPair = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(pairType, b.getI32IntegerAttr(0)));
        SmallVector<Value> accs;
        for (int64_t i = 0; i < r; ++i)
          for (int64_t j = 0; j < c; ++j) {
            if (zeroFill) {
              accs.push_back(zeroPair);
              continue;
            }
            Value t = arith::ConstantOp::create(
                b, loc, DenseElementsAttr::get(tileType, b.getI32IntegerAttr(0)));
            for (int64_t row = 0; row < 4; ++row) {
              Value v = vector::LoadOp::create(b, loc, rowType, out,
                                               at(4 * i + row, 4 * j));
              t = vector::InsertStridedSliceOp::create(
                  b, loc, v, t, ArrayRef<int64_t>{4 * row},
                  ArrayRef<int64_t>{1});
            }
            accs.push_back(
                vector::ScalableInsertOp::create(b, loc, t, zeroPair, 0));
          }
        // Byte offsets of this block's first step of K.
        Value bm = batched ? arith::AddIOp::create(
                                 b, loc,
                                 arith::MulIOp::create(b, loc, bi, index(m1)),
                                 mi)
                           : mi;
        Value bn = batched ? arith::AddIOp::create(
                                 b, loc,
                                 arith::MulIOp::create(b, loc, bi, index(n1)),
                                 ni)
                           : ni;
        auto start = [&](Value base, Value block, int64_t bytes) {
          Value off = arith::MulIOp::create(b, loc, block, index(k1 * bytes));
          return arith::AddIOp::create(
              b, loc, base,
              arith::IndexCastOp::create(b, loc, b.getI64Type(), off));
        };
        Value pa0 = start(lhsBase, bm, 32 * r), pb0 = start(rhsBase, bn, 32 * c);
        auto kLoop = scf::ForOp::create(
            b, loc, index(0), index(k1), index(1), accs,
            [&](OpBuilder &b, Location loc, Value ki, ValueRange carried) {
              Value k64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), ki);
              Value pa = arith::AddIOp::create(
                  b, loc, pa0, arith::MulIOp::create(b, loc, k64, lhsBytes));
              Value pb = arith::AddIOp::create(
                  b, loc, pb0, arith::MulIOp::create(b, loc, k64, rhsBytes));
              SmallVector<Value> operands{pa, pb, lhsBytes, rhsBytes};
              operands.append(carried.begin(), carried.end());
              auto step = LLVM::InlineAsmOp::create(
                  b, loc, stepType, operands, assembly.first, assembly.second,
                  /*has_side_effects=*/true, /*is_align_stack=*/false,
                  LLVM::tailcallkind::TailCallKind::None,
                  LLVM::AsmDialectAttr(), ArrayAttr());
              SmallVector<Value> next;
              if (r * c == 1)
                next.push_back(step.getResult(0));
              else
                for (int64_t i = 0; i < r * c; ++i)
                  next.push_back(LLVM::ExtractValueOp::create(
                      b, loc, step.getResult(0), ArrayRef<int64_t>{i}));
              scf::YieldOp::create(b, loc, next);
            });
        for (int64_t i = 0; i < r; ++i)
          for (int64_t j = 0; j < c; ++j) {
            Value t = vector::ScalableExtractOp::create(
                b, loc, tileType, kLoop.getResult(i * c + j), 0);
            for (int64_t row = 0; row < 4; ++row) {
              Value v = vector::ExtractStridedSliceOp::create(
                  b, loc, t, ArrayRef<int64_t>{4 * row}, ArrayRef<int64_t>{4},
                  ArrayRef<int64_t>{1});
              vector::StoreOp::create(b, loc, v, out, at(4 * i + row, 4 * j));
            }
          }
      });
  op->erase();
  if (zeroFill)
    zeroFill->erase();
  return success();
}

struct ImeMatmuls : yz::impl::YzImeMatmulsBase<ImeMatmuls> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kImeTileAttr))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("yz-ime-matmuls: runs after bufferization");
        return signalPassFailure();
      }
      if (failed(lower(op)))
        return signalPassFailure();
    }
  }
};

} // namespace
