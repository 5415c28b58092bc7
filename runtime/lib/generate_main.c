/*===- generate_main.c - the generation loop of yz-generate --------------===*
 *
 * Part of Yizhuang. The runner's `main` calls this when a decoder's models
 * are linked in (yz-generate binds them to yz_generate_step and, if given,
 * yz_generate_prefill). Usage:
 *   decoder.exe --prompt ID,ID,... [--tokens N] [--top-k K]
 *               [--temperature T] [--seed S] [--logits-out FILE.npy]
 *               [--profile]
 * Prints the generated token ids and the time of the prefill and per
 * decode step; with --profile, the NPU's cycles, bytes, MACs and
 * utilization of the prefill and of each step, against the DMA bound. Exit status: 0 ok, 1 a runtime error (after the tokens
 * generated so far), 2 bad usage.
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "yz/decoder.h"
#include "yz/npu/counters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int yz_generate_main(int argc, char **argv, const yz_model *step,
                     const yz_model *prefill);

/* The simulator's, when one is linked in or preloaded (else null). */
extern int yz_npu_read_counters(yz_npu_counters *out) __attribute__((weak));

/* --profile: the NPU's work between two readings, a line per token. */
static void profile_line(const char *what, const yz_npu_counters *before,
                         const yz_npu_counters *now, int64_t calls) {
  uint64_t cycles = (now->cycles - before->cycles) / (uint64_t)calls;
  uint64_t macs = (now->macs - before->macs) / (uint64_t)calls;
  uint64_t bytes = (now->bytes_in + now->bytes_out - before->bytes_in -
                    before->bytes_out) / (uint64_t)calls;
  double bound = now->dma_bandwidth ? (double)bytes / now->dma_bandwidth : 0;
  printf("npu %s: %llu cycles, %llu bytes, %llu MACs, utilization %.1f%%, "
         "DMA bound of those bytes %.0f cycles (%.0f%% of the cycles)\n",
         what, (unsigned long long)cycles, (unsigned long long)bytes,
         (unsigned long long)macs,
         cycles ? 100.0 * (double)macs / ((double)now->dim * now->dim * cycles)
                : 0.0,
         bound, cycles ? 100.0 * bound / (double)cycles : 0.0);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* "1,2,3" -> ids; returns the count, or -1 on a malformed list. */
static int64_t parse_ids(const char *text, int64_t **ids) {
  int64_t count = 1;
  for (const char *c = text; *c; ++c)
    count += *c == ',';
  *ids = calloc((size_t)count, sizeof(int64_t));
  const char *at = text;
  for (int64_t i = 0; i < count; ++i) {
    char *end;
    long long v = strtoll(at, &end, 10);
    if (end == at || (*end && *end != ','))
      return -1;
    (*ids)[i] = v;
    at = end + (*end == ',');
  }
  return count;
}

static int fail(yz_decoder *d) {
  fflush(stdout);
  fprintf(stderr, "error: %s\n", yz_last_error());
  yz_decoder_destroy(d);
  return 1;
}

int yz_generate_main(int argc, char **argv, const yz_model *step,
                     const yz_model *prefill) {
  const char *prompt_text = NULL, *logits_out = NULL;
  int profile = 0;
  long long tokens = 16, top_k = 0, seed = 0;
  double temperature = 1.0;
  for (int i = 1; i < argc; ++i) {
    int has_value = i + 1 < argc;
    if (!strcmp(argv[i], "--prompt") && has_value)
      prompt_text = argv[++i];
    else if (!strcmp(argv[i], "--tokens") && has_value)
      tokens = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--top-k") && has_value)
      top_k = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--temperature") && has_value)
      temperature = atof(argv[++i]);
    else if (!strcmp(argv[i], "--seed") && has_value)
      seed = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--logits-out") && has_value)
      logits_out = argv[++i];
    else if (!strcmp(argv[i], "--profile"))
      profile = 1;
    else {
      fprintf(stderr, "error: unknown or incomplete option '%s'\n", argv[i]);
      return 2;
    }
  }
  int64_t *prompt = NULL;
  int64_t count = prompt_text ? parse_ids(prompt_text, &prompt) : 0;
  if (count < 1 || tokens < 0) {
    fprintf(stderr, "error: give --prompt as comma-separated token ids and "
                    "--tokens as a count\n");
    return 2;
  }
  yz_decoder *d = NULL;
  if (yz_decoder_create(step, prefill, &d) != YZ_OK)
    return fail(d);
  int64_t vocab = yz_decoder_vocab(d);
  float *logits = logits_out ? calloc((size_t)(tokens * vocab + 1), sizeof(float))
                             : NULL;
  yz_sampler sampler;
  yz_sampler_init(&sampler, (int32_t)top_k, (float)temperature,
                  (uint64_t)seed);
  printf("context: %lld tokens, vocabulary: %lld, prompt: %lld tokens\n",
         (long long)yz_decoder_max_context(d), (long long)vocab,
         (long long)count);
  if (profile && !yz_npu_read_counters) {
    printf("npu: no NPU simulator in this process: --profile reports nothing\n");
    profile = 0;
  }
  /* Readings before the prefill, after it, and after each step. */
  yz_npu_counters *reading =
      profile ? calloc((size_t)tokens + 2, sizeof(yz_npu_counters)) : NULL;
  if (profile)
    yz_npu_read_counters(&reading[0]);
  double start = now_ms();
  if (yz_decoder_prefill(d, prompt, count) != YZ_OK)
    return fail(d);
  double prefill_ms = now_ms() - start, decode_ms = 0;
  if (profile)
    yz_npu_read_counters(&reading[1]);
  printf("tokens:");
  int64_t token = 0, steps = 0;
  for (long long i = 0; i < tokens; ++i) {
    if (i > 0) {
      double t = now_ms();
      yz_status s = yz_decoder_step(d, token);
      decode_ms += now_ms() - t;
      if (s != YZ_OK) {
        printf("\n");
        return fail(d);
      }
      ++steps;
      if (profile)
        yz_npu_read_counters(&reading[steps + 1]);
    }
    if (logits)
      memcpy(logits + i * vocab, yz_decoder_logits(d),
             (size_t)vocab * sizeof(float));
    if (yz_decoder_sample(d, &sampler, &token) != YZ_OK) {
      printf("\n");
      return fail(d);
    }
    printf(" %lld", (long long)token);
  }
  printf("\n");
  printf("prefill: %.3f ms for %lld tokens\n", prefill_ms, (long long)count);
  if (steps)
    printf("decode: %.3f ms per token (%lld steps)\n", decode_ms / steps,
           (long long)steps);
  if (profile) {
    profile_line("prefill", &reading[0], &reading[1], 1);
    for (int64_t i = 1; i <= steps; ++i) {
      char what[32];
      snprintf(what, sizeof what, "step %lld", (long long)i);
      profile_line(what, &reading[i], &reading[i + 1], 1);
    }
    if (steps)
      profile_line("step average", &reading[1], &reading[steps + 1], steps);
    free(reading);
  }
  if (logits) {
    yz_tensor t = {YZ_DTYPE_F32, 2, {tokens, vocab}, logits};
    if (yz_npy_save(logits_out, &t) != YZ_OK)
      return fail(d);
    free(logits);
  }
  free(prompt);
  yz_decoder_destroy(d);
  return 0;
}
