/*===- yz/decoder.h - generative decoding with a runtime-owned KV cache ---===*
 *
 * Part of Yizhuang. A decoder is one or two compiled models of the same
 * network (docs/decoding.md): a step model that takes one token, and
 * optionally a prefill model that takes a chunk of the prompt. Both read
 * the key-value cache, which this runtime owns and passes to them as
 * their own input memory, and return the keys and values of their tokens,
 * which it writes into the cache in place. By input and output name:
 *
 *   input_ids    int64 [1, S]           the tokens (S = 1 for the step)
 *   position     int64 [1]              the cache slot of input_ids[0]
 *   cache_key    f32   [A..., T, D]     T = the maximum context
 *   cache_value  f32   [A..., T, D]
 *   logits       f32   [1, S, V]        (output)
 *   new_key      f32   [A..., S, D]     (output) this chunk's keys
 *   new_value    f32   [A..., S, D]     (output)
 *
 * or, as exporters write decoders with past: past_key_values.N.key and
 * .value [A..., T, D] per layer N, whose outputs present.N.key and .value
 * [A..., T + S, D] hold the past then the chunk's rows, the filled slots
 * given by attention_mask int64 [1, T + S] (and position_ids int64 [1, S]
 * or position, if the model takes them).
 *
 * The model attends to cache slots below `position` (where the mask is 1)
 * and, causally, to its own tokens; the other slots hold stale values it
 * must mask.
 *
 *===----------------------------------------------------------------------===*/

#ifndef YZ_DECODER_H
#define YZ_DECODER_H

#include "yz/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct yz_decoder yz_decoder;

/* Checks the models against the convention above (each problem named) and
 * allocates the cache, zeroed. `prefill` may be NULL: prompts then run one
 * token at a time through `step`. */
yz_status yz_decoder_create(const yz_model *step, const yz_model *prefill,
                            yz_decoder **decoder);
void yz_decoder_destroy(yz_decoder *decoder);
/* Forgets every token (position 0); the cache is not cleared, only masked. */
void yz_decoder_reset(yz_decoder *decoder);

int64_t yz_decoder_position(const yz_decoder *decoder); /* tokens so far */
int64_t yz_decoder_max_context(const yz_decoder *decoder);
int64_t yz_decoder_vocab(const yz_decoder *decoder);

/* Feeds `count` prompt tokens (prefill chunks, the last padded, or steps).
 * Fails, writing nothing, when they do not fit in the context. */
yz_status yz_decoder_prefill(yz_decoder *decoder, const int64_t *tokens,
                             int64_t count);
/* Feeds one token. Fails, writing nothing, when the context is full. */
yz_status yz_decoder_step(yz_decoder *decoder, int64_t token);
/* The logits (vocab floats) of the last token fed. */
const float *yz_decoder_logits(const yz_decoder *decoder);

/* Sampling: greedy (the first largest logit) when top_k <= 1 or
 * temperature <= 0, else one of the top_k logits drawn with the softmax
 * of logits / temperature from a generator seeded by `seed`. */
typedef struct yz_sampler {
  int32_t top_k;
  float temperature;
  uint64_t state;
} yz_sampler;
void yz_sampler_init(yz_sampler *sampler, int32_t top_k, float temperature,
                     uint64_t seed);
yz_status yz_decoder_sample(const yz_decoder *decoder, yz_sampler *sampler,
                            int64_t *token);

#ifdef __cplusplus
}
#endif

#endif /* YZ_DECODER_H */
