//===- DecoderTest.cpp - the KV-cache decoder of yz/decoder.h -------------===//
//
// Part of Yizhuang. Hand-written descriptors stand in for compiled decoder
// models: their entries write recognizable keys, values and logits, and
// record what the runtime gave them, so the tests see the cache written in
// place, the masks, the chunks, sampling and every refusal.
//
//===----------------------------------------------------------------------===//

#include "yz/decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

constexpr int64_t kContext = 4, kWidth = 2, kVocab = 5;

/// What the fake models saw on their last call.
struct Seen {
  int calls = 0;
  int64_t position = -1;
  std::vector<float> cacheKey;   // cache_key[0][j][0] for every slot j
  std::vector<int64_t> mask, positionIds;
} seen;

/// A model's tensors, owned, with a descriptor pointing at them.
struct Fake {
  struct Tensor {
    std::string name;
    int32_t dtype;
    std::vector<int64_t> shape;
  };
  std::vector<Tensor> inputs, outputs;
  std::vector<yz_tensor_info> in, out;
  yz_model model{};

  const yz_model *get(void (*invoke)(void **), const char *name = "fake") {
    in.clear();
    out.clear();
    for (auto &t : inputs)
      in.push_back({t.name.c_str(), t.dtype, int32_t(t.shape.size()),
                    t.shape.data()});
    for (auto &t : outputs)
      out.push_back({t.name.c_str(), t.dtype, int32_t(t.shape.size()),
                     t.shape.data()});
    model = {YZ_ABI_VERSION, name, int32_t(in.size()), int32_t(out.size()),
             in.data(), out.data(), invoke};
    return &model;
  }
};

/// The yz layout: cache [2, T, D] (A = 2), chunk `s`.
Fake yzLayout(int64_t s) {
  Fake f;
  f.inputs = {{"input_ids", YZ_DTYPE_I64, {1, s}},
              {"position", YZ_DTYPE_I64, {1}},
              {"cache_key", YZ_DTYPE_F32, {2, kContext, kWidth}},
              {"cache_value", YZ_DTYPE_F32, {2, kContext, kWidth}}};
  f.outputs = {{"logits", YZ_DTYPE_F32, {1, s, kVocab}},
               {"new_key", YZ_DTYPE_F32, {2, s, kWidth}},
               {"new_value", YZ_DTYPE_F32, {2, s, kWidth}}};
  return f;
}

/// Keys {id, position} and values {-id, a} per row; the logits favour
/// (id + 1) mod V. Records the cache slots' first key component.
template <int64_t S> void yzEntry(void **b) {
  auto *ids = static_cast<const int64_t *>(b[0]);
  int64_t pos = *static_cast<const int64_t *>(b[1]);
  auto *ck = static_cast<const float *>(b[2]);
  auto *logits = static_cast<float *>(b[4]);
  auto *nk = static_cast<float *>(b[5]), *nv = static_cast<float *>(b[6]);
  ++seen.calls;
  seen.position = pos;
  seen.cacheKey.clear();
  for (int64_t j = 0; j < kContext; ++j)
    seen.cacheKey.push_back(ck[j * kWidth]);
  for (int64_t s = 0; s < S; ++s) {
    for (int64_t v = 0; v < kVocab; ++v)
      logits[s * kVocab + v] = v == (ids[s] + 1) % kVocab ? 1.0f : float(v) / 10;
    for (int64_t a = 0; a < 2; ++a) {
      float *k = nk + (a * S + s) * kWidth, *v = nv + (a * S + s) * kWidth;
      k[0] = float(ids[s]), k[1] = float(pos + s);
      v[0] = -float(ids[s]), v[1] = float(a);
    }
  }
}

struct Decoder : ::testing::Test {
  yz_decoder *d = nullptr;
  void SetUp() override { seen = Seen(); }
  void TearDown() override { yz_decoder_destroy(d); }
  /// Creating from `step` (and `prefill`) fails with `message`.
  void refused(const yz_model *step, const yz_model *prefill,
               const char *message) {
    EXPECT_NE(yz_decoder_create(step, prefill, &d), YZ_OK);
    EXPECT_EQ(d, nullptr);
    EXPECT_STREQ(yz_last_error(), message);
  }
};

TEST_F(Decoder, WritesTheCacheInPlaceChunkByChunk) {
  Fake step = yzLayout(1), prefill = yzLayout(2);
  ASSERT_EQ(yz_decoder_create(step.get(yzEntry<1>, "step"),
                              prefill.get(yzEntry<2>, "prefill"), &d),
            YZ_OK)
      << yz_last_error();
  EXPECT_EQ(yz_decoder_max_context(d), kContext);
  EXPECT_EQ(yz_decoder_vocab(d), kVocab);
  const int64_t prompt[] = {1, 2, 3};
  ASSERT_EQ(yz_decoder_prefill(d, prompt, 3), YZ_OK) << yz_last_error();
  // Two chunks: [1, 2] at 0, then [3, pad] at 2 seeing slots 0 and 1.
  EXPECT_EQ(seen.calls, 2);
  EXPECT_EQ(seen.position, 2);
  EXPECT_EQ(seen.cacheKey[0], 1.0f);
  EXPECT_EQ(seen.cacheKey[1], 2.0f);
  EXPECT_EQ(yz_decoder_position(d), 3);
  // The logits are the last real token's (3): greedy picks 4.
  yz_sampler greedy;
  yz_sampler_init(&greedy, 0, 1.0f, 0);
  int64_t token = -1;
  ASSERT_EQ(yz_decoder_sample(d, &greedy, &token), YZ_OK);
  EXPECT_EQ(token, 4);
  ASSERT_EQ(yz_decoder_step(d, token), YZ_OK);
  EXPECT_EQ(seen.position, 3);
  EXPECT_EQ(seen.cacheKey[2], 3.0f); // the prompt's third token
  EXPECT_EQ(seen.cacheKey[3], 0.0f); // the pad's row was not written
  EXPECT_EQ(yz_decoder_position(d), kContext);
  // The context is full: nothing runs, nothing is written.
  int calls = seen.calls;
  EXPECT_EQ(yz_decoder_step(d, 0), YZ_ERR_SHAPE);
  EXPECT_STREQ(yz_last_error(),
               "the context is full (4 tokens): reset the decoder to go on");
  EXPECT_EQ(seen.calls, calls);
  yz_decoder_reset(d);
  EXPECT_EQ(yz_decoder_position(d), 0);
}

TEST_F(Decoder, RefusesPromptsAndTokensThatDoNotFit) {
  Fake step = yzLayout(1);
  ASSERT_EQ(yz_decoder_create(step.get(yzEntry<1>), nullptr, &d), YZ_OK);
  yz_sampler s;
  yz_sampler_init(&s, 0, 1.0f, 0);
  int64_t token;
  EXPECT_EQ(yz_decoder_sample(d, &s, &token), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "no logits yet: feed a prompt");
  const int64_t five[] = {0, 1, 2, 3, 4};
  EXPECT_EQ(yz_decoder_prefill(d, five, 5), YZ_ERR_SHAPE);
  EXPECT_STREQ(yz_last_error(), "the prompt (5 tokens at position 0) does "
                                "not fit the context of 4 tokens");
  EXPECT_EQ(yz_decoder_prefill(d, five, 0), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "a prompt needs at least one token");
  const int64_t bad[] = {1, 7};
  EXPECT_EQ(yz_decoder_prefill(d, bad, 2), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "token 1 (7) is not in the vocabulary of 5");
  EXPECT_EQ(yz_decoder_step(d, -1), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "token -1 is not in the vocabulary of 5");
  EXPECT_EQ(seen.calls, 0);
  EXPECT_EQ(yz_decoder_step(nullptr, 1), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "null decoder");
  EXPECT_EQ(yz_decoder_sample(d, nullptr, &token), YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "null decoder, sampler or token");
  EXPECT_EQ(yz_decoder_create(step.get(yzEntry<1>), nullptr, nullptr),
            YZ_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(yz_last_error(), "null decoder pointer");
}

TEST_F(Decoder, SamplesTopKReproducibly) {
  Fake step = yzLayout(1);
  ASSERT_EQ(yz_decoder_create(step.get(yzEntry<1>), nullptr, &d), YZ_OK);
  const int64_t prompt[] = {0};
  ASSERT_EQ(yz_decoder_prefill(d, prompt, 1), YZ_OK);
  // Logits {0, 1, .2, .3, .4}: the top 2 are tokens 1 and 4.
  std::vector<int64_t> a, b;
  for (auto *out : {&a, &b}) {
    yz_sampler s;
    yz_sampler_init(&s, 2, 1.0f, 42);
    for (int i = 0; i < 64; ++i) {
      int64_t token;
      ASSERT_EQ(yz_decoder_sample(d, &s, &token), YZ_OK);
      EXPECT_TRUE(token == 1 || token == 4) << token;
      out->push_back(token);
    }
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(std::count(a.begin(), a.end(), 4), 0);
  EXPECT_GT(std::count(a.begin(), a.end(), 1), std::count(a.begin(), a.end(), 4));
}

TEST_F(Decoder, RefusesModelsOffTheConvention) {
  Fake f = yzLayout(1);
  refused(nullptr, nullptr, "no step model");
  f.inputs[0].name = "tokens";
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake' has no input 'input_ids' or no output 'logits': "
          "not a decoder model (docs/decoding.md)");
  f = yzLayout(1);
  f.inputs[0].dtype = YZ_DTYPE_I32;
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': input_ids must be int64 [1, S], got i32 1x1");
  f = yzLayout(1);
  f.inputs.push_back({"temperature", YZ_DTYPE_F32, {1}});
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': input 'temperature' is not one a decoder has "
          "(input_ids, position, attention_mask, position_ids, cache_key, "
          "cache_value, past_key_values.N.key, past_key_values.N.value)");
  f = yzLayout(1);
  f.outputs[1].name = "keys";
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': cache input 'cache_key' has no output 'new_key'");
  f = yzLayout(1);
  f.outputs[1].shape = {2, 1, 3};
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': cache 'cache_key' must be f32 [A..., T, D] like "
          "the others and 'new_key' [A..., 1, D], got 2x4x2 and 2x1x3");
  f = yzLayout(1);
  f.inputs.resize(2);
  f.outputs.resize(1);
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake' has no KV cache input (cache_key and "
          "cache_value, or past_key_values.N.key and .value)");
  f = yzLayout(1);
  f.outputs.push_back({"hidden", YZ_DTYPE_F32, {1, 1, 2}});
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': output 'hidden' is not one a decoder has "
          "(logits, and the caches' new rows)");
  f = yzLayout(1);
  f.inputs[1].shape = {2};
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': position must be int64 [1]");
  f = yzLayout(1);
  f.inputs.erase(f.inputs.begin() + 1);
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake' has neither 'position' nor 'attention_mask': it "
          "cannot tell the filled cache slots");
  f = yzLayout(1);
  f.outputs[0].shape = {1, kVocab};
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake': logits must be f32 [1, 1, V], got 1x5");
  f = yzLayout(2);
  refused(f.get(yzEntry<2>), nullptr,
          "step model 'fake' takes 2 tokens; a step takes 1");
  Fake step = yzLayout(1), prefill = yzLayout(2);
  prefill.inputs[2].shape = prefill.inputs[3].shape = {2, 8, kWidth};
  prefill.outputs[1].shape = prefill.outputs[2].shape = {2, 2, kWidth};
  refused(step.get(yzEntry<1>, "step"), prefill.get(yzEntry<2>, "prefill"),
          "the prefill model 'prefill' and the step model 'step' differ in "
          "their caches or vocabularies");
  f = yzLayout(1);
  yz_model old = *f.get(yzEntry<1>);
  old.abi_version = YZ_ABI_VERSION + 1;
  refused(&old, nullptr, "model 'fake' has ABI version 2, runtime has 1");
}

/// The past layout, one layer: past_key_values.0.key/value [1, T, D] ->
/// present.0.key/value [1, T + 1, D], with attention_mask and
/// position_ids (descriptors spell the dots as underscores).
Fake pastLayout() {
  Fake f;
  f.inputs = {{"input_ids", YZ_DTYPE_I64, {1, 1}},
              {"attention_mask", YZ_DTYPE_I64, {1, kContext + 1}},
              {"position_ids", YZ_DTYPE_I64, {1, 1}},
              {"past_key_values_0_key", YZ_DTYPE_F32, {1, kContext, kWidth}},
              {"past_key_values_0_value", YZ_DTYPE_F32, {1, kContext, kWidth}}};
  f.outputs = {{"logits", YZ_DTYPE_F32, {1, 1, kVocab}},
               {"present_0_key", YZ_DTYPE_F32, {1, kContext + 1, kWidth}},
               {"present_0_value", YZ_DTYPE_F32, {1, kContext + 1, kWidth}}};
  return f;
}

void pastEntry(void **b) {
  int64_t id = *static_cast<const int64_t *>(b[0]);
  auto *mask = static_cast<const int64_t *>(b[1]);
  seen.positionIds = {*static_cast<const int64_t *>(b[2])};
  seen.mask.assign(mask, mask + kContext + 1);
  auto *pk = static_cast<const float *>(b[3]);
  auto *logits = static_cast<float *>(b[5]);
  auto *present = static_cast<float *>(b[6]), *presentV = static_cast<float *>(b[7]);
  ++seen.calls;
  seen.cacheKey.clear();
  for (int64_t j = 0; j < kContext; ++j)
    seen.cacheKey.push_back(pk[j * kWidth]);
  // The past, then this token's row (a sentinel in the slots before it).
  for (int64_t j = 0; j < kContext * kWidth; ++j)
    present[j] = presentV[j] = -99;
  present[kContext * kWidth] = float(id);
  presentV[kContext * kWidth] = -float(id);
  for (int64_t v = 0; v < kVocab; ++v)
    logits[v] = v == (id + 1) % kVocab ? 1.0f : 0.0f;
}

TEST_F(Decoder, ReadsTheDecoderWithPastForm) {
  Fake f = pastLayout();
  ASSERT_EQ(yz_decoder_create(f.get(pastEntry), nullptr, &d), YZ_OK)
      << yz_last_error();
  const int64_t prompt[] = {3, 1};
  ASSERT_EQ(yz_decoder_prefill(d, prompt, 2), YZ_OK);
  // The second token: slot 0 filled, the rest masked, the chunk attended.
  EXPECT_EQ(seen.mask, (std::vector<int64_t>{1, 0, 0, 0, 1}));
  EXPECT_EQ(seen.positionIds, (std::vector<int64_t>{1}));
  EXPECT_EQ(seen.cacheKey[0], 3.0f); // only the new row, not the sentinels
  ASSERT_EQ(yz_decoder_step(d, 2), YZ_OK);
  EXPECT_EQ(seen.cacheKey[1], 1.0f);
  EXPECT_EQ(seen.mask, (std::vector<int64_t>{1, 1, 0, 0, 1}));
  f = pastLayout();
  f.inputs[1].shape = {1, kContext};
  refused(f.get(pastEntry), nullptr,
          "step model 'fake': attention_mask must be int64 [1, 5] (the "
          "cache, then the chunk)");
  f = pastLayout();
  f.inputs[2].shape = {1, 2};
  refused(f.get(pastEntry), nullptr,
          "step model 'fake': position_ids must be int64 [1, 1]");
}

TEST_F(Decoder, RefusesMoreCachesThanItHolds) {
  Fake f = yzLayout(1);
  f.inputs.resize(1);
  f.outputs.resize(1);
  f.inputs.push_back({"position", YZ_DTYPE_I64, {1}});
  for (int i = 0; i < 65; ++i)
    for (const char *kind : {"key", "value"}) {
      std::string n = std::to_string(i) + "." + kind;
      f.inputs.push_back({"past_key_values." + n, YZ_DTYPE_F32, {1, kContext, kWidth}});
      f.outputs.push_back({"present." + n, YZ_DTYPE_F32, {1, kContext + 1, kWidth}});
    }
  refused(f.get(yzEntry<1>), nullptr,
          "step model 'fake' has more than 128 caches");
}

} // namespace
