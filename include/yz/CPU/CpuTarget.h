//===- CpuTarget.h - the CPU description and its code strategy --*- C++ -*-===//
//
// Part of Yizhuang. What the CPU code generation needs to know of a CPU
// (vector width, register count, cache sizes), and the one place where the
// strategy's choices (register tiles, cache blocks, vector widths) are made
// from it. The driver derives the description from the LLVM target; the
// passes take it as a `cpu=` option, printed and parsed by str()/parse().
//
//===----------------------------------------------------------------------===//

#ifndef YZ_CPU_CPUTARGET_H
#define YZ_CPU_CPUTARGET_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::yz {

struct CpuTarget {
  unsigned vectorBits = 128;     // the vector register width (RVV: VLEN)
  unsigned vectorRegisters = 16; // architectural vector registers
  unsigned l1Bytes = 32 * 1024;  // L1 data cache
  unsigned l2Bytes = 512 * 1024; // L2 (per core)
  /// 1 if a scalar x vector FMA takes its scalar from a register loaded on
  /// its own (RVV vfmacc.vf after flw), 0 if from memory (x86's broadcast
  /// operand). With 1, longer accumulator rows spread each load over more
  /// FMAs.
  unsigned fmaScalarLoads = 0;
  /// 1 if the K loop should load the next step's RHS vector one step ahead
  /// (software pipelining): an in-order core on which a vector load takes
  /// longer than a vector FMA to issue, so the FMAs would wait for it.
  unsigned loadAhead = 0;
  /// 1 if int8 matmuls use SpacemiT's IME instructions (smt.vmadot, the
  /// `xsmtvdot` feature; docs/ime.md). Needs vector-bits=256.
  unsigned ime = 0;
  /// 1 if vector loads and stores can take a stride (RVV's vlse/vsse): the
  /// transposes around an NHWC depthwise convolution are then strided
  /// vector copies. Without (x86), they would be scalar, and depthwise
  /// convolutions stay NCHW loops.
  unsigned stridedVectors = 0;
  /// 1 if a permute of two vector registers' lanes is one cheap instruction
  /// (x86: AVX-512 vpermt2ps, AVX's shuffles): a register tile stored
  /// transposed (pixels as rows, back to NCHW) is then a few rounds of
  /// shuffles. Without (RVV: a vrgather costs about a cycle per lane on the
  /// X60), its lanes move one by one.
  unsigned shuffleTransposes = 0;
  /// 1 if a matmul's K loop prefetches the next panel of a constant RHS
  /// (the weights) while the M tiles of this one run (an out-of-order x86
  /// core, whose prefetchers follow streams but not the jump to the next
  /// panel: ResNet-18's 7 x 7 layers stream 9.4 MB of weights each from
  /// memory).
  unsigned prefetchPanels = 0;

  /// Parses "vector-bits=256,vector-registers=32,l1=32768,l2=524288,
  /// fma-scalar-loads=1,load-ahead=1,ime=0,strided-vectors=1,
  /// shuffle-transposes=0,prefetch-panels=0"; keys left
  /// out keep their values.
  /// Returns an error message, or "".
  std::string parse(llvm::StringRef text);
  std::string str() const;
};

/// How a matmul of M x N x K runs: data-tiled (packed) into M0 x 1 and
/// N0 x 1 panels (mmt4d layout), a register tile of M0 x N0 accumulators
/// updated by outer products, K in blocks of kc (the LHS panel stays in L1) and
/// N in blocks of ncTiles panels (the packed RHS block stays in L2).
struct MatmulStrategy {
  int64_t m0, n0;  // register tile; n0 is a multiple of the vector lanes
  int64_t kc;      // divides K
  int64_t ncTiles; // divides ceil(N / n0)
  /// n0 / lanes: vector registers per accumulator row (RVV: the LMUL).
  int64_t vectorsPerRow;
};

MatmulStrategy chooseMatmulStrategy(const CpuTarget &target, int64_t m,
                                    int64_t n, int64_t k, unsigned eltBits);

/// Whether the product F x P x K pads less with the pixels as M and the
/// filters as N: the register tile's N0 (32 on AVX-512) pads a small plane
/// much (7 x 7 = 49 pixels to 64, 196 to 224) where M0 (8) pads it little
/// (to 56, 200). The result is transposed back to NCHW after (counted as 8
/// FMAs an element). A 1x1 conv's rows are its input transposed, which
/// yz-pack-matmuls packs straight from the input (as it packed it as
/// columns); copying them into rows instead made MobileNetV2 7% slower.
bool pixelsAsRows(const CpuTarget &target, int64_t f, int64_t p, int64_t k);

/// How an f32 depthwise convolution runs in NHWC (yz-convs-to-matmuls): an
/// output tile of ow0 pixels by c0 channels per row of the filter, whose
/// accumulators, input strip and filter row stay in vector registers.
/// ow0 divides OW and c0 divides C.
struct DepthwiseTile {
  int64_t ow0, c0;
};
DepthwiseTile chooseDepthwiseTile(const CpuTarget &target, int64_t ow,
                                  int64_t c, int64_t kw, int64_t stride,
                                  int64_t dilation);

/// The vector a row of `row` elements is computed in (`yz.row_vector`: an
/// x86 depthwise stencil's output rows, rows written into a padded
/// input): a whole register, or for a shorter row its length rounded up to
/// a power of two (a row of 7 in 8 lanes, one of them masked off).
int64_t chooseRowVector(const CpuTarget &target, int64_t row,
                        unsigned eltBits);

/// The IME register tile of an int8 M x N x K matmul: R x C accumulator
/// tiles of 4 x 4 (each an even register pair), so 4R rows of A and 4C of B
/// per step of K = 8. R <= 4 and C <= 3 (2RC pairs + the A and B groups fill
/// the 32 registers), no larger than M and N need.
struct ImeTile {
  int64_t r, c;
};
ImeTile chooseImeTile(int64_t m, int64_t n);

/// Elements of `eltBits` in one vector register.
int64_t vectorLanes(const CpuTarget &target, unsigned eltBits);

} // namespace mlir::yz

#endif // YZ_CPU_CPUTARGET_H
