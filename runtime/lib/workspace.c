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
  kHeader = 64,          /* keeps the caller's data 64-byte aligned */
  kSlots = 256,          /* cached blocks at most (a model's distinct sizes) */
  kSmall = 64 * 1024     /* smaller blocks: malloc's own bins do well */
};

static struct {
  void *block; /* the malloc'ed block, header first */
  size_t size; /* its usable size */
} slots[kSlots];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *payload(void *block, size_t size) {
  *(size_t *)block = size;
  return (char *)block + kHeader;
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size >= kSmall) {
    /* The smallest cached block that fits and wastes at most half. */
    int best = -1;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < kSlots; ++i)
      if (slots[i].block && slots[i].size >= size &&
          slots[i].size / 2 <= size &&
          (best < 0 || slots[i].size < slots[best].size))
        best = i;
    void *block = best >= 0 ? slots[best].block : NULL;
    size_t cached = best >= 0 ? slots[best].size : 0;
    if (best >= 0)
      slots[best].block = NULL;
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
    for (int i = 0; i < kSlots; ++i)
      if (!slots[i].block) {
        slots[i].block = block;
        slots[i].size = size;
        block = NULL;
        break;
      }
    pthread_mutex_unlock(&lock);
  }
  free(block); /* no free slot (or small): back to malloc */
}

void yz_workspace_release(void) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < kSlots; ++i) {
    free(slots[i].block);
    slots[i].block = NULL;
  }
  pthread_mutex_unlock(&lock);
}
