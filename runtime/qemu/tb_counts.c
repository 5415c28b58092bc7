/*===- tb_counts.c - qemu TCG plugin: how often each block of code ran ----===//
 *
 * Part of Yizhuang. Loaded by yz-run --host-cycles into qemu-riscv64
 * (-plugin libyz_tb_counts.so,out=FILE[,all=on]). Every translated block
 * of the program's own code (one with a symbol; with all=on, every block,
 * "?" for those without) gets an inline counter; at exit, FILE gets one
 * line per block that ran:
 *
 *   <executions> <vaddr hex> <symbol> <instruction bytes, hex>
 *
 * yz-run then prices each block with llvm-mca (lib/Driver/HostCycles.cpp).
 * Guest threads race on the counters; profile with one thread.
 *
 * qemu ships no plugin header in Debian: the few entry points used are
 * declared here as qemu 7.2 exports them (plugin API version 1).
 *===----------------------------------------------------------------------===*/

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(
    qemu_plugin_id_t, void (*)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *,
                                              enum qemu_plugin_op, void *,
                                              uint64_t);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t,
                                    void (*)(qemu_plugin_id_t, void *),
                                    void *);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *,
                                                 size_t);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *);
const char *qemu_plugin_insn_symbol(const struct qemu_plugin_insn *);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

struct block {
  uint64_t count; /* incremented by the translated code */
  uint64_t vaddr;
  size_t size;
  const char *symbol;
  unsigned char *bytes;
  struct block *next;
};

enum { kBuckets = 1 << 14 };
static struct block *table[kBuckets];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *outPath;
static int everyBlock; /* all=on */

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  if (n == 0)
    return;
  const char *symbol = qemu_plugin_insn_symbol(qemu_plugin_tb_get_insn(tb, 0));
  if (!symbol && !everyBlock)
    return; /* the simulator, libc, the dynamic loader */
  if (!symbol)
    symbol = "?";
  size_t size = 0;
  for (size_t i = 0; i < n; ++i)
    size += qemu_plugin_insn_size(qemu_plugin_tb_get_insn(tb, i));
  uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
  pthread_mutex_lock(&lock);
  struct block **slot = &table[(vaddr >> 1) & (kBuckets - 1)];
  struct block *b = *slot;
  while (b && !(b->vaddr == vaddr && b->size == size))
    b = b->next;
  if (!b) { /* else a retranslation: the same counter */
    b = calloc(1, sizeof *b);
    b->vaddr = vaddr;
    b->size = size;
    b->symbol = strdup(symbol);
    b->bytes = malloc(size);
    size_t at = 0;
    for (size_t i = 0; i < n; ++i) {
      struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
      size_t len = qemu_plugin_insn_size(insn);
      memcpy(b->bytes + at, qemu_plugin_insn_data(insn), len);
      at += len;
    }
    b->next = *slot;
    *slot = b;
  }
  pthread_mutex_unlock(&lock);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                           &b->count, 1);
}

static void finished(qemu_plugin_id_t id, void *data) {
  (void)id;
  (void)data;
  FILE *out = fopen(outPath, "w");
  if (!out) {
    fprintf(stderr, "tb_counts: cannot write '%s'\n", outPath);
    return;
  }
  for (unsigned i = 0; i < kBuckets; ++i)
    for (struct block *b = table[i]; b; b = b->next) {
      if (!b->count)
        continue;
      fprintf(out, "%llu %llx %s ", (unsigned long long)b->count,
              (unsigned long long)b->vaddr, b->symbol);
      for (size_t j = 0; j < b->size; ++j)
        fprintf(out, "%02x", b->bytes[j]);
      fputc('\n', out);
    }
  fclose(out);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
                    char **argv) {
  (void)info;
  for (int i = 0; i < argc; ++i)
    if (!strncmp(argv[i], "out=", 4))
      outPath = strdup(argv[i] + 4);
    else if (!strcmp(argv[i], "all=on"))
      everyBlock = 1;
  if (!outPath) {
    fprintf(stderr, "tb_counts: usage: -plugin libyz_tb_counts.so,out=FILE[,all=on]\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
  qemu_plugin_register_atexit_cb(id, finished, NULL);
  return 0;
}
