/*===- decoder.c - generative decoding with a runtime-owned KV cache ------===*
 *
 * Part of Yizhuang. See yz/decoder.h. The cache is this decoder's memory,
 * passed to the models as their cache inputs as it is: after a call only
 * the rows of the tokens just fed are written, at their positions, so a
 * token costs its own keys and values, never a copy of the cache.
 *
 *===----------------------------------------------------------------------===*/

#include "yz/decoder.h"

#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One model's inputs and outputs by role, and its chunk length S. */
typedef struct binding {
  const yz_model *model;
  int32_t ids, position, cache_key, cache_value; /* input indices */
  int32_t logits, new_key, new_value;            /* output indices */
  int64_t chunk;
} binding;

struct yz_decoder {
  binding step, prefill;
  int has_prefill;
  int32_t cache_rank;
  int64_t cache_shape[YZ_MAX_RANK];
  int64_t rows, context, width, vocab; /* A, T, D, V */
  int64_t position;
  float *cache_key, *cache_value, *logits;
  /* Per-call buffers, sized for the longer chunk. */
  int64_t *ids;
  float *out_logits, *out_key, *out_value;
};

static int32_t find(const yz_tensor_info *list, int32_t count,
                    const char *name) {
  for (int32_t i = 0; i < count; ++i)
    if (list[i].name && !strcmp(list[i].name, name))
      return i;
  return -1;
}

static const char *shape_text(const yz_tensor_info *t, char *buf, size_t n) {
  size_t at = 0;
  buf[0] = 0;
  for (int32_t i = 0; i < t->rank && at < n; ++i)
    at += (size_t)snprintf(buf + at, n - at, i ? "x%lld" : "%lld",
                           (long long)t->shape[i]);
  return t->rank ? buf : "scalar";
}

/* Binds `model` by name and checks its tensors (docs/decoding.md). */
static yz_status bind(const yz_model *model, const char *role, binding *b) {
  if (!model)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "no %s model", role);
  if (model->abi_version != YZ_ABI_VERSION)
    return yz_fail(YZ_ERR_ABI, "model '%s' has ABI version %d, runtime has %d",
                   model->name, model->abi_version, YZ_ABI_VERSION);
  static const char *inputs[] = {"input_ids", "position", "cache_key",
                                 "cache_value"};
  static const char *outputs[] = {"logits", "new_key", "new_value"};
  int32_t *in_slots[] = {&b->ids, &b->position, &b->cache_key, &b->cache_value};
  int32_t *out_slots[] = {&b->logits, &b->new_key, &b->new_value};
  if (model->num_inputs != 4 || model->num_outputs != 3)
    return yz_fail(YZ_ERR_ARITY,
                   "%s model '%s' has %d inputs and %d outputs; a decoder "
                   "model has 4 (input_ids, position, cache_key, "
                   "cache_value) and 3 (logits, new_key, new_value)",
                   role, model->name, model->num_inputs, model->num_outputs);
  for (int i = 0; i < 4; ++i)
    if ((*in_slots[i] = find(model->inputs, 4, inputs[i])) < 0)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s' has no input '%s'", role,
                     model->name, inputs[i]);
  for (int i = 0; i < 3; ++i)
    if ((*out_slots[i] = find(model->outputs, 3, outputs[i])) < 0)
      return yz_fail(YZ_ERR_ARITY, "%s model '%s' has no output '%s'", role,
                     model->name, outputs[i]);
  b->model = model;
  const yz_tensor_info *ids = &model->inputs[b->ids],
                       *pos = &model->inputs[b->position],
                       *ck = &model->inputs[b->cache_key],
                       *cv = &model->inputs[b->cache_value],
                       *lg = &model->outputs[b->logits],
                       *nk = &model->outputs[b->new_key],
                       *nv = &model->outputs[b->new_value];
  char s1[96], s2[96];
  if (ids->dtype != YZ_DTYPE_I64 || ids->rank != 2 || ids->shape[0] != 1)
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': input_ids must be int64 "
                   "[1, S], got %s %s", role, model->name,
                   yz_dtype_name((yz_dtype)ids->dtype), shape_text(ids, s1, 96));
  b->chunk = ids->shape[1];
  if (pos->dtype != YZ_DTYPE_I64 || pos->rank != 1 || pos->shape[0] != 1)
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': position must be int64 [1]",
                   role, model->name);
  int32_t r = ck->rank;
  int same = ck->dtype == YZ_DTYPE_F32 && cv->dtype == YZ_DTYPE_F32 &&
             r >= 2 && cv->rank == r && nk->rank == r && nv->rank == r &&
             nk->dtype == YZ_DTYPE_F32 && nv->dtype == YZ_DTYPE_F32;
  for (int32_t i = 0; same && i < r; ++i)
    same = cv->shape[i] == ck->shape[i] &&
           nk->shape[i] == (i == r - 2 ? b->chunk : ck->shape[i]) &&
           nv->shape[i] == nk->shape[i];
  if (!same)
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': the caches must be f32 "
                   "[A..., T, D] alike and new_key, new_value [A..., S, D] "
                   "with S = %lld, got cache_key %s, new_key %s", role,
                   model->name, (long long)b->chunk, shape_text(ck, s1, 96),
                   shape_text(nk, s2, 96));
  if (lg->dtype != YZ_DTYPE_F32 || lg->rank != 3 || lg->shape[0] != 1 ||
      lg->shape[1] != b->chunk)
    return yz_fail(YZ_ERR_SHAPE, "%s model '%s': logits must be f32 [1, %lld, "
                   "V], got %s", role, model->name, (long long)b->chunk,
                   shape_text(lg, s1, 96));
  return YZ_OK;
}

yz_status yz_decoder_create(const yz_model *step, const yz_model *prefill,
                            yz_decoder **out) {
  if (!out)
    return yz_fail(YZ_ERR_INVALID_ARGUMENT, "null decoder pointer");
  *out = NULL;
  yz_decoder d;
  memset(&d, 0, sizeof d);
  yz_status s = bind(step, "step", &d.step);
  if (s != YZ_OK)
    return s;
  if (d.step.chunk != 1)
    return yz_fail(YZ_ERR_SHAPE, "step model '%s' takes %lld tokens; a step "
                   "takes 1", step->name, (long long)d.step.chunk);
  const yz_tensor_info *ck = &step->inputs[d.step.cache_key];
  if (prefill) {
    if ((s = bind(prefill, "prefill", &d.prefill)) != YZ_OK)
      return s;
    const yz_tensor_info *pk = &prefill->inputs[d.prefill.cache_key];
    int same = pk->rank == ck->rank &&
               prefill->outputs[d.prefill.logits].shape[2] ==
                   step->outputs[d.step.logits].shape[2];
    for (int32_t i = 0; same && i < ck->rank; ++i)
      same = pk->shape[i] == ck->shape[i];
    if (!same)
      return yz_fail(YZ_ERR_SHAPE, "the prefill model '%s' and the step "
                     "model '%s' differ in their caches or vocabularies",
                     prefill->name, step->name);
    d.has_prefill = 1;
  }
  d.cache_rank = ck->rank;
  d.rows = 1;
  for (int32_t i = 0; i < ck->rank; ++i) {
    d.cache_shape[i] = ck->shape[i];
    if (i < ck->rank - 2)
      d.rows *= ck->shape[i];
  }
  d.context = ck->shape[ck->rank - 2];
  d.width = ck->shape[ck->rank - 1];
  d.vocab = step->outputs[d.step.logits].shape[2];
  int64_t chunk = d.has_prefill && d.prefill.chunk > 1 ? d.prefill.chunk : 1;
  size_t cache = (size_t)(d.rows * d.context * d.width);
  size_t fresh = (size_t)(d.rows * chunk * d.width);
  yz_decoder *dec = calloc(1, sizeof *dec);
  if (!dec)
    return yz_fail(YZ_ERR_NOMEM, "out of memory");
  *dec = d;
  dec->cache_key = calloc(cache, sizeof(float));
  dec->cache_value = calloc(cache, sizeof(float));
  dec->logits = calloc((size_t)d.vocab, sizeof(float));
  dec->ids = calloc((size_t)chunk, sizeof(int64_t));
  dec->out_logits = calloc((size_t)(chunk * d.vocab), sizeof(float));
  dec->out_key = calloc(fresh, sizeof(float));
  dec->out_value = calloc(fresh, sizeof(float));
  if (!dec->cache_key || !dec->cache_value || !dec->logits || !dec->ids ||
      !dec->out_logits || !dec->out_key || !dec->out_value) {
    yz_decoder_destroy(dec);
    return yz_fail(YZ_ERR_NOMEM, "cannot allocate a KV cache of 2 x %zu "
                   "floats", cache);
  }
  *out = dec;
  return YZ_OK;
}

void yz_decoder_destroy(yz_decoder *d) {
  if (!d)
    return;
  free(d->cache_key);
  free(d->cache_value);
  free(d->logits);
  free(d->ids);
  free(d->out_logits);
  free(d->out_key);
  free(d->out_value);
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
  for (int64_t i = 0; i < b->chunk; ++i)
    d->ids[i] = tokens[i < count ? i : count - 1];
  int64_t position = d->position;
  void *buffers[7];
  buffers[b->ids] = d->ids;
  buffers[b->position] = &position;
  buffers[b->cache_key] = d->cache_key;
  buffers[b->cache_value] = d->cache_value;
  buffers[4 + b->logits] = d->out_logits;
  buffers[4 + b->new_key] = d->out_key;
  buffers[4 + b->new_value] = d->out_value;
  b->model->invoke(buffers);
  size_t row = (size_t)d->width * sizeof(float);
  for (int64_t a = 0; a < d->rows; ++a)
    for (int64_t s = 0; s < count; ++s) {
      size_t to = (size_t)((a * d->context + position + s) * d->width);
      size_t from = (size_t)((a * b->chunk + s) * d->width);
      memcpy(d->cache_key + to, d->out_key + from, row);
      memcpy(d->cache_value + to, d->out_value + from, row);
    }
  memcpy(d->logits, d->out_logits + (count - 1) * d->vocab,
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
