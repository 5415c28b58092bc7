/*===- decoder.c - generative decoding with a runtime-owned KV cache ------===*
 *
 * Part of Yizhuang. See yz/decoder.h. The cache is this decoder's memory,
 * passed to the models as their cache inputs as it is: after a call only
 * the rows of the tokens just fed are written, at their positions, so a
 * token costs its own keys and values, never a copy of the cache.
 *
 * Two layouts of the same idea are recognized (docs/decoding.md):
 *   yz:    cache_key, cache_value [A..., T, D] -> new_key, new_value
 *          [A..., S, D], with `position`;
 *   past:  past_key_values.N.key|value [A..., T, D] -> present.N.key|value
 *          [A..., T + S, D] (the past, then the chunk's rows), with
 *          attention_mask [1, T + S] and, optionally, position_ids [1, S]
 *          or position.
 *
 *===----------------------------------------------------------------------===*/

#include "yz/decoder.h"

#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Caches a decoder may have: key and value of up to 64 layers. */
#define MAX_CACHES 128

/* One cache tensor: its model input, the output with its new rows, where
 * they start in that output and how many rows the output has. */
typedef struct cache_io {
  int32_t input, output;
  int64_t offset, rows;
} cache_io;

/* One model's inputs and outputs by role (-1: absent) and its chunk. */
typedef struct binding {
  const yz_model *model;
  int32_t ids, position, mask, position_ids, logits;
  int32_t num_caches;
  cache_io caches[MAX_CACHES];
  int64_t chunk;
  int32_t num_outputs;
  void **outputs; /* per output: a buffer of its size */
} binding;

struct yz_decoder {
  binding step, prefill;
  int has_prefill;
  int64_t rows, context, width, vocab; /* per cache: A, T, D; V */
  int64_t position;
  int32_t num_caches;
  float *caches[MAX_CACHES];
  float *logits;
  /* Per-call inputs, sized for the longer chunk. */
  int64_t *ids, *position_ids, *mask;
};

/* A tensor's shape for messages. */
static const char *shape_text(const yz_tensor_info *t, char *buf, size_t n) {
  return yz_shape_str(t->rank, t->shape, buf, n);
}

static int32_t find(const yz_tensor_info *list, int32_t count,
                    const char *name) {
  for (int32_t i = 0; i < count; ++i)
    if (list[i].name && !strcmp(list[i].name, name))
      return i;
  return -1;
}

/* Whether `t` is int64 [d0] or [d0, d1] (d1 < 1: any). */
static int is_i64(const yz_tensor_info *t, int32_t rank, int64_t d0,
                  int64_t d1) {
  return t->dtype == YZ_DTYPE_I64 && t->rank == rank && t->shape[0] == d0 &&
         (rank < 2 || d1 < 1 || t->shape[1] == d1);
}

/* The output holding input `name`'s new rows: new_key for cache_key,
 * present.N.key for past_key_values.N.key; NULL if `name` is no cache. */
static const char *cache_output(const char *name, char *buf, size_t n) {
  if (!strcmp(name, "cache_key"))
    return "new_key";
  if (!strcmp(name, "cache_value"))
    return "new_value";
  /* Model descriptors spell the names' dots as underscores. */
  static const char *seps[] = {".", "_"};
  for (int i = 0; i < 2; ++i) {
    const char *sep = seps[i];
    char prefix[32];
    snprintf(prefix, sizeof prefix, "past_key_values%s", sep);
    if (!strncmp(name, prefix, strlen(prefix))) {
      snprintf(buf, n, "present%s%s", sep, name + strlen(prefix));
      return buf;
    }
  }
  return NULL;
}

/* Binds `model` by name and checks its tensors (docs/decoding.md). */
static yz_status bind(const yz_model *model, const char *role, binding *b) {
  if (!model)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "no %s model", role);
  if (model->abi_version != YZ_ABI_VERSION)
    return yz_fail(YZ_ERR_ABI, "model '%s' has ABI version %d, runtime has %d",
                   model->name, model->abi_version, YZ_ABI_VERSION);
  const char *m = model->name;
  const yz_tensor_info *in = model->inputs, *out = model->outputs;
  b->model = model;
  b->ids = find(in, model->num_inputs, "input_ids");
  b->position = find(in, model->num_inputs, "position");
  b->mask = find(in, model->num_inputs, "attention_mask");
  b->position_ids = find(in, model->num_inputs, "position_ids");
  b->logits = find(out, model->num_outputs, "logits");
  if (b->ids < 0 || b->logits < 0)
    return yz_fail(YZ_ERR_ARITY, "%s model '%s' has no input 'input_ids' or "
                   "no output 'logits': not a decoder model (docs/decoding.md)",
                   role, m);
  char s1[96], s2[96];
  if (!is_i64(&in[b->ids], 2, 1, 0))
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': input_ids must be int64 "
                   "[1, S], got %s %s", role, m,
                   yz_dtype_name((yz_dtype)in[b->ids].dtype),
                   shape_text(&in[b->ids], s1, 96));
  b->chunk = in[b->ids].shape[1];
  /* Every other input is a cache, or one of the position inputs. */
  b->num_caches = 0;
  const yz_tensor_info *first = NULL;
  for (int32_t i = 0; i < model->num_inputs; ++i) {
    if (i == b->ids || i == b->position || i == b->mask || i == b->position_ids)
      continue;
    char buf[256];
    const char *partner = cache_output(in[i].name, buf, sizeof buf);
    int32_t o = partner ? find(out, model->num_outputs, partner) : -1;
    if (!partner)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s': input '%s' is not one a "
                     "decoder has (input_ids, position, attention_mask, "
                     "position_ids, cache_key, cache_value, "
                     "past_key_values.N.key, past_key_values.N.value)",
                     role, m, in[i].name);
    if (o < 0)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s': cache input '%s' has no "
                     "output '%s'", role, m, in[i].name, partner);
    if (b->num_caches == MAX_CACHES)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s' has more than %d caches",
                     role, m, MAX_CACHES);
    const yz_tensor_info *c = &in[i], *n = &out[o];
    if (!first)
      first = c;
    int past = strncmp(partner, "new_", 4) != 0; /* present.N: past + new */
    int32_t r = c->rank;
    int64_t t = r >= 2 ? c->shape[r - 2] : 0;
    int ok = c->dtype == YZ_DTYPE_F32 && n->dtype == YZ_DTYPE_F32 && r >= 2 &&
             c->rank == first->rank && n->rank == r;
    for (int32_t k = 0; ok && k < r; ++k)
      ok = c->shape[k] == first->shape[k] &&
           n->shape[k] == (k == r - 2 ? (past ? t : 0) + b->chunk : c->shape[k]);
    if (!ok)
      return yz_fail(YZ_ERR_SHAPE, "%s model '%s': cache '%s' must be f32 "
                     "[A..., T, D] like the others and '%s' [A..., %s%lld, D], "
                     "got %s and %s", role, m, c->name, n->name,
                     past ? "T + " : "", (long long)b->chunk,
                     shape_text(c, s1, 96), shape_text(n, s2, 96));
    b->caches[b->num_caches++] =
        (cache_io){i, o, past ? t : 0, (past ? t : 0) + b->chunk};
  }
  if (!first)
    return yz_fail(YZ_ERR_ARITY, "%s model '%s' has no KV cache input "
                   "(cache_key and cache_value, or past_key_values.N.key and "
                   ".value)", role, m);
  int64_t t = first->shape[first->rank - 2];
  for (int32_t o = 0; o < model->num_outputs; ++o) {
    int used = o == b->logits;
    for (int32_t c = 0; c < b->num_caches && !used; ++c)
      used = b->caches[c].output == o;
    if (!used)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s': output '%s' is not one a "
                     "decoder has (logits, and the caches' new rows)", role,
                     m, out[o].name);
  }
  if (b->position >= 0 && !is_i64(&in[b->position], 1, 1, 0))
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': position must be int64 [1]",
                   role, m);
  if (b->mask >= 0 && !is_i64(&in[b->mask], 2, 1, t + b->chunk))
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': attention_mask must be int64 "
                   "[1, %lld] (the cache, then the chunk)", role, m,
                   (long long)(t + b->chunk));
  if (b->position_ids >= 0 && !is_i64(&in[b->position_ids], 2, 1, b->chunk))
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': position_ids must be int64 "
                   "[1, %lld]", role, m, (long long)b->chunk);
  if (b->position < 0 && b->mask < 0)
    return yz_fail(YZ_ERR_ARITY, "%s model '%s' has neither 'position' nor "
                   "'attention_mask': it cannot tell the filled cache slots",
                   role, m);
  const yz_tensor_info *lg = &out[b->logits];
  if (lg->dtype != YZ_DTYPE_F32 || lg->rank != 3 || lg->shape[0] != 1 ||
      lg->shape[1] != b->chunk)
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': logits must be f32 [1, %lld, "
                   "V], got %s", role, m, (long long)b->chunk,
                   shape_text(lg, s1, 96));
  /* Output buffers of the model's sizes. */
  b->outputs = calloc((size_t)model->num_outputs, sizeof(void *));
  if (!b->outputs)
    return yz_fail(YZ_ERR_NOMEM, "out of memory");
  b->num_outputs = model->num_outputs;
  for (int32_t o = 0; o < model->num_outputs; ++o) {
    int64_t n = 1;
    for (int32_t k = 0; k < out[o].rank; ++k)
      n *= out[o].shape[k];
    if (!(b->outputs[o] = calloc((size_t)n, sizeof(float))))
      return yz_fail(YZ_ERR_NOMEM, "out of memory");
  }
  return YZ_OK;
}

static void unbind(binding *b) {
  for (int32_t o = 0; b->outputs && o < b->num_outputs; ++o)
    free(b->outputs[o]);
  free(b->outputs);
  b->outputs = NULL;
}

/* The cache shape of binding `b` (all its caches have it). */
static const yz_tensor_info *cache_info(const binding *b) {
  return &b->model->inputs[b->caches[0].input];
}

yz_status yz_decoder_create(const yz_model *step, const yz_model *prefill,
                            yz_decoder **out) {
  if (!out)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null decoder pointer");
  *out = NULL;
  yz_decoder *d = calloc(1, sizeof *d);
  if (!d)
    return yz_fail(YZ_ERR_NOMEM, "out of memory");
  yz_status s = bind(step, "step", &d->step);
  if (s == YZ_OK && d->step.chunk != 1)
    s = yz_fail(YZ_ERR_SHAPE, "step model '%s' takes %lld tokens; a step "
                "takes 1", step->name, (long long)d->step.chunk);
  if (s == YZ_OK && prefill) {
    s = bind(prefill, "prefill", &d->prefill);
    d->has_prefill = s == YZ_OK;
    if (s == YZ_OK) {
      const yz_tensor_info *a = cache_info(&d->step),
                           *b = cache_info(&d->prefill);
      int same = a->rank == b->rank &&
                 d->step.num_caches == d->prefill.num_caches &&
                 prefill->outputs[d->prefill.logits].shape[2] ==
                     step->outputs[d->step.logits].shape[2];
      for (int32_t i = 0; same && i < a->rank; ++i)
        same = a->shape[i] == b->shape[i];
      for (int32_t c = 0; same && c < d->step.num_caches; ++c)
        same = !strcmp(step->inputs[d->step.caches[c].input].name,
                       prefill->inputs[d->prefill.caches[c].input].name);
      if (!same)
        s = yz_fail(YZ_ERR_SHAPE, "the prefill model '%s' and the step model "
                    "'%s' differ in their caches or vocabularies",
                    prefill->name, step->name);
    }
  }
  if (s != YZ_OK) {
    yz_decoder_destroy(d);
    return s;
  }
  const yz_tensor_info *c = cache_info(&d->step);
  d->rows = 1;
  for (int32_t i = 0; i < c->rank - 2; ++i)
    d->rows *= c->shape[i];
  d->context = c->shape[c->rank - 2];
  d->width = c->shape[c->rank - 1];
  d->vocab = step->outputs[d->step.logits].shape[2];
  d->num_caches = d->step.num_caches;
  int64_t chunk = d->has_prefill && d->prefill.chunk > 1 ? d->prefill.chunk : 1;
  size_t cache = (size_t)(d->rows * d->context * d->width);
  int ok = (d->logits = calloc((size_t)d->vocab, sizeof(float))) &&
           (d->ids = calloc((size_t)chunk, sizeof(int64_t))) &&
           (d->position_ids = calloc((size_t)chunk, sizeof(int64_t))) &&
           (d->mask = calloc((size_t)(d->context + chunk), sizeof(int64_t)));
  for (int32_t i = 0; ok && i < d->num_caches; ++i)
    ok = (d->caches[i] = calloc(cache, sizeof(float))) != NULL;
  if (!ok) {
    yz_decoder_destroy(d);
    return yz_fail(YZ_ERR_NOMEM, "cannot allocate a KV cache of %d x %zu "
                   "floats", d->num_caches, cache);
  }
  *out = d;
  return YZ_OK;
}

void yz_decoder_destroy(yz_decoder *d) {
  if (!d)
    return;
  unbind(&d->step);
  unbind(&d->prefill);
  for (int32_t i = 0; i < MAX_CACHES; ++i)
    free(d->caches[i]);
  free(d->logits);
  free(d->ids);
  free(d->position_ids);
  free(d->mask);
  free(d);
}

void yz_decoder_reset(yz_decoder *d) {
  if (d)
    d->position = 0;
}

int64_t yz_decoder_position(const yz_decoder *d) { return d ? d->position : 0; }
int64_t yz_decoder_max_context(const yz_decoder *d) { return d ? d->context : 0; }
int64_t yz_decoder_vocab(const yz_decoder *d) { return d ? d->vocab : 0; }
const float *yz_decoder_logits(const yz_decoder *d) { return d ? d->logits : NULL; }

/* Runs `b` on `count` tokens (padded to its chunk with the last one) at
 * the current position, then writes their keys and values into the cache
 * and keeps the last one's logits. The caller checked that they fit. */
static void run(yz_decoder *d, const binding *b, const int64_t *tokens,
                int64_t count) {
  int64_t position = d->position, t = d->context;
  for (int64_t i = 0; i < b->chunk; ++i) {
    d->ids[i] = tokens[i < count ? i : count - 1];
    d->position_ids[i] = position + i;
  }
  /* Attend to the filled slots and to the chunk (causally, in the model). */
  for (int64_t j = 0; j < t + b->chunk; ++j)
    d->mask[j] = j < position || j >= t;
  const yz_model *m = b->model;
  void *buffers[2 * MAX_CACHES + 8];
  buffers[b->ids] = d->ids;
  if (b->position >= 0)
    buffers[b->position] = &position;
  if (b->mask >= 0)
    buffers[b->mask] = d->mask;
  if (b->position_ids >= 0)
    buffers[b->position_ids] = d->position_ids;
  for (int32_t c = 0; c < b->num_caches; ++c)
    buffers[b->caches[c].input] = d->caches[c];
  for (int32_t o = 0; o < m->num_outputs; ++o)
    buffers[m->num_inputs + o] = b->outputs[o];
  m->invoke(buffers);
  size_t row = (size_t)d->width * sizeof(float);
  for (int32_t c = 0; c < b->num_caches; ++c) {
    const cache_io *io = &b->caches[c];
    const float *fresh = b->outputs[io->output];
    for (int64_t a = 0; a < d->rows; ++a)
      for (int64_t s = 0; s < count; ++s)
        memcpy(d->caches[c] + (a * t + position + s) * d->width,
               fresh + (a * io->rows + io->offset + s) * d->width, row);
  }
  memcpy(d->logits, (const float *)b->outputs[b->logits] + (count - 1) * d->vocab,
         (size_t)d->vocab * sizeof(float));
  d->position += count;
}

yz_status yz_decoder_prefill(yz_decoder *d, const int64_t *tokens,
                             int64_t count) {
  if (!d || (count && !tokens) || count < 1)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "a prompt needs at least one "
                   "token");
  if (count > d->context - d->position)
    return yz_fail(YZ_ERR_SHAPE, "the prompt (%lld tokens at position %lld) "
                   "does not fit the context of %lld tokens",
                   (long long)count, (long long)d->position,
                   (long long)d->context);
  for (int64_t i = 0; i < count; ++i)
    if (tokens[i] < 0 || tokens[i] >= d->vocab)
      return yz_fail(YZ_ERR_INVALID_ARGUMENT, "token %lld (%lld) is not in "
                     "the vocabulary of %lld", (long long)i,
                     (long long)tokens[i], (long long)d->vocab);
  const binding *b = d->has_prefill ? &d->prefill : &d->step;
  for (int64_t at = 0; at < count; at += b->chunk) {
    int64_t n = count - at < b->chunk ? count - at : b->chunk;
    run(d, b, tokens + at, n);
  }
  return YZ_OK;
}

yz_status yz_decoder_step(yz_decoder *d, int64_t token) {
  if (!d)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null decoder");
  if (d->position >= d->context)
    return yz_fail(YZ_ERR_SHAPE, "the context is full (%lld tokens): reset "
                   "the decoder to go on", (long long)d->context);
  if (token < 0 || token >= d->vocab)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "token %lld is not in the "
                   "vocabulary of %lld", (long long)token, (long long)d->vocab);
  run(d, &d->step, &token, 1);
  return YZ_OK;
}

/* xorshift64*: small, seedable, the same on every target. */
static uint64_t next_random(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

void yz_sampler_init(yz_sampler *s, int32_t top_k, float temperature,
                     uint64_t seed) {
  if (!s)
    return;
  s->top_k = top_k;
  s->temperature = temperature;
  s->state = seed ? seed : 0x9E3779B97F4A7C15ULL; /* never 0 */
}

yz_status yz_decoder_sample(const yz_decoder *d, yz_sampler *s,
                            int64_t *token) {
  if (!d || !s || !token)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null decoder, sampler or token");
  if (d->position == 0)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "no logits yet: feed a prompt");
  const float *l = d->logits;
  int64_t best = 0;
  for (int64_t i = 1; i < d->vocab; ++i)
    if (l[i] > l[best])
      best = i;
  if (s->top_k <= 1 || !(s->temperature > 0)) {
    *token = best;
    return YZ_OK;
  }
  /* The top k by selection (k is small), then a draw from their softmax. */
  int64_t k = s->top_k < d->vocab ? s->top_k : d->vocab;
  int64_t *top = malloc((size_t)k * sizeof(int64_t));
  double *p = malloc((size_t)k * sizeof(double));
  if (!top || !p) {
    free(top);
    free(p);
    return yz_fail(YZ_ERR_NOMEM, "out of memory");
  }
  for (int64_t j = 0; j < k; ++j) {
    int64_t pick = -1;
    for (int64_t i = 0; i < d->vocab; ++i) {
      int taken = 0;
      for (int64_t t = 0; t < j && !taken; ++t)
        taken = top[t] == i;
      if (!taken && (pick < 0 || l[i] > l[pick]))
        pick = i;
    }
    top[j] = pick;
  }
  double total = 0;
  for (int64_t j = 0; j < k; ++j)
    total += p[j] = exp(((double)l[top[j]] - l[top[0]]) / s->temperature);
  double u = (double)(next_random(&s->state) >> 11) / 9007199254740992.0 * total;
  *token = top[k - 1];
  for (int64_t j = 0; j < k; ++j) {
    if (u < p[j]) {
      *token = top[j];
      break;
    }
    u -= p[j];
  }
  free(top);
  free(p);
  return YZ_OK;
}
