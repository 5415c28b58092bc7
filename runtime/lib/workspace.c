/*===- workspace.c - the memory compiled models allocate -------------------===
 *
 * Part of Yizhuang. Compiled models allocate their intermediate buffers
 * through _mlir_memref_to_llvm_alloc/_free (MLIR's "generic" allocation
 * functions). Large buffers are kept on free and handed out again on the next
 * call of a model: without this, glibc returns multi-megabyte blocks to the
 * kernel and every call pays page faults on fresh zeroed pages (on a 1024^3
 * matmul, 3/4 of the time).
 *===----------------------------------------------------------------------===*/

#include "yz/runtime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum {
  kHeader = 64,          /* keeps malloc's alignment (MLIR aligns further) */
  kSlots = 1024,         /* cached blocks at most: RegNetX-400MF frees 337
                            large buffers a call, and with 256 the rest went
                            back to the kernel and faulted in again */
  kSmall = 64 * 1024     /* smaller blocks: malloc's own bins do well */
};

/* The cached blocks, slots[0, count), oldest freed first: a scan visits
   only those. */
static struct {
  void *block; /* the malloc'ed block, header first */
  size_t size; /* its usable size */
} slots[kSlots];
static int count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *payload(void *block, size_t size) {
  *(size_t *)block = size;
  return (char *)block + kHeader;
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size >= kSmall) {
    /* The smallest cached block that fits and wastes at most half; of
       equal ones the most recently freed, whose memory is the likeliest
       still in cache (models free each buffer after its last use, so a
       layer's result lands where a layer just before it worked). */
    void *block = NULL;
    size_t cached = 0;
    pthread_mutex_lock(&lock);
    int best = -1;
    for (int i = count - 1; i >= 0; --i)
      if (slots[i].size >= size && slots[i].size / 2 <= size &&
          (best < 0 || slots[i].size < slots[best].size))
        best = i;
    if (best >= 0) {
      block = slots[best].block;
      cached = slots[best].size;
      /* Kept in the order they were freed in. */
      for (int j = best + 1; j < count; ++j)
        slots[j - 1] = slots[j];
      --count;
    }
    pthread_mutex_unlock(&lock);
    if (block)
      return payload(block, cached);
  }
  void *block = malloc(size + kHeader);
  return block ? payload(block, size) : NULL;
}

void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  void *block = (char *)ptr - kHeader;
  size_t size = *(size_t *)block;
  if (size >= kSmall) {
    pthread_mutex_lock(&lock);
    if (count < kSlots) {
      slots[count].block = block;
      slots[count].size = size;
      ++count;
      block = NULL;
    }
    pthread_mutex_unlock(&lock);
  }
  free(block); /* no free slot (or small): back to malloc */
}

void yz_workspace_release(void) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < count; ++i)
    free(slots[i].block);
  count = 0;
  pthread_mutex_unlock(&lock);
}
