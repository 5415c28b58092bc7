// Part of Yizhuang. Every smt.vmadot* form, executed (under qemu: by the
// preloaded emulator), against a scalar reference; `bad-lmul` and
// `odd-vd` execute an illegal one instead, which must be reported.
// `zicond`: czero.eqz/nez (the X60 has Zicond, qemu 7.2 does not).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// One instruction on A (64 bytes: vs1 = v2, vs1+1 = v3), B (v4), C (v16, v17).
#define VMADOT(insn)                                                           \
  static void run_##insn(const int8_t *a, const int8_t *b, int32_t *c) {      \
    __asm__ volatile("vsetvli t0, zero, e8, m1, ta, ma\n"                     \
                     "vle8.v v2, (%0)\naddi t1, %0, 32\nvle8.v v3, (t1)\n"    \
                     "vle8.v v4, (%1)\n"                                       \
                     "vsetivli zero, 16, e32, m2, ta, ma\nvle32.v v16, (%2)\n" \
                     "vsetvli t0, zero, e8, m1, ta, ma\n"                     \
                     "smt." #insn " v16, v2, v4\n"                             \
                     "vsetivli zero, 16, e32, m2, ta, ma\nvse32.v v16, (%2)\n" \
                     ::"r"(a), "r"(b), "r"(c)                                  \
                     : "t0", "t1", "v2", "v3", "v4", "v16", "v17", "memory");  \
  }
#define FORMS(X)                                                               \
  X(vmadot, 0, 1, 1) X(vmadotu, 0, 0, 0) X(vmadotsu, 0, 1, 0)                  \
  X(vmadotus, 0, 0, 1) X(vmadot1, 1, 1, 1) X(vmadot1u, 1, 0, 0)                \
  X(vmadot1su, 1, 1, 0) X(vmadot1us, 1, 0, 1) X(vmadot2, 2, 1, 1)              \
  X(vmadot2u, 2, 0, 0) X(vmadot2su, 2, 1, 0) X(vmadot2us, 2, 0, 1)             \
  X(vmadot3, 3, 1, 1) X(vmadot3u, 3, 0, 0) X(vmadot3su, 3, 1, 0)               \
  X(vmadot3us, 3, 0, 1)
#define DEFINE(insn, slide, as, bs) VMADOT(insn)
FORMS(DEFINE)

static int check(const char *name, void (*fn)(const int8_t *, const int8_t *,
                                               int32_t *),
                 int slide, int aSigned, int bSigned) {
  int8_t a[64], b[32];
  int32_t c[16], want[16];
  for (int i = 0; i < 64; ++i) a[i] = (int8_t)rand();
  for (int i = 0; i < 32; ++i) b[i] = (int8_t)rand();
  for (int i = 0; i < 16; ++i) c[i] = want[i] = rand() - RAND_MAX / 2;
  for (int r = 0; r < 4; ++r)
    for (int n = 0; n < 4; ++n)
      for (int k = 0; k < 8; ++k) {
        int av = a[(r + slide) * 8 + k], bv = b[n * 8 + k];
        if (!aSigned) av = (uint8_t)av;
        if (!bSigned) bv = (uint8_t)bv;
        want[r * 4 + n] += av * bv;
      }
  fn(a, b, c);
  if (memcmp(c, want, sizeof c)) {
    printf("%s: MISMATCH\n", name);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "bad-lmul")) {
    __asm__ volatile("vsetvli t0, zero, e8, m2, ta, ma\n"
                     "smt.vmadot v16, v2, v4" ::: "t0", "v16", "v17");
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "odd-vd")) {
    // smt.vmadot v17, v0, v1: the assembler refuses it, so as a word.
    __asm__ volatile("vsetvli t0, zero, e8, m1, ta, ma\n"
                     ".word 0xe21038ab" ::: "t0", "v17", "v18");
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "zicond")) {
    long values[] = {0, 7, -3};
    for (int i = 0; i < 3; ++i) {
      long eqz, nez, v = values[i];
      __asm__ volatile("czero.eqz %0, %2, %3\nczero.nez %1, %2, %3"
                       : "=&r"(eqz), "=&r"(nez)
                       : "r"(42L), "r"(v));
      printf("cond %ld: czero.eqz %ld, czero.nez %ld\n", v, eqz, nez);
    }
    return 0;
  }
  int failures = 0, forms = 0;
  for (int round = 0; round < 20; ++round) {
#define CHECK(insn, slide, as, bs)                                             \
  failures += check(#insn, run_##insn, slide, as, bs);                         \
  forms += round == 0;
    FORMS(CHECK)
  }
  printf("%d forms, %d mismatches\n", forms, failures);
  return failures != 0;
}
