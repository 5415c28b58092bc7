# RUN: %python %s | FileCheck %s
# yizhuang.compile_decoder and CompiledDecoder.generate: yizhuang.gpt's
# small GPT compiled from its torch module as a step and
# a prefill model, its greedy tokens equal to PyTorch's decoding on the host
# and on riscv64; seeded sampling reproducible; the context limit an error.
import torch

import yizhuang
from yizhuang.gpt import Gpt, torch_generate

torch.manual_seed(0)
model = Gpt(context=40, chunk=4).eval()
shape = model.cache_shape()
prompt = [3, 14, 15, 9, 2, 6]
want = torch_generate(model, prompt, 30)
for target in ["host", "riscv64"]:
    decoder = yizhuang.compile_decoder(model, shape, prefill_chunk=4, target=target)
    got = decoder.generate(prompt, 30)
    # CHECK: host: 30 tokens, equal: True, context 40, vocabulary 64
    # CHECK: riscv64: 30 tokens, equal: True, context 40, vocabulary 64
    print(f"{target}: {len(got)} tokens, equal: {got == want}, "
          f"context {decoder.max_context}, vocabulary {decoder.vocab}")
tokens, logits = decoder.generate(prompt, 5, return_logits=True)
# CHECK: logits (5, 64), argmax = tokens: True
print(f"logits {logits.shape}, argmax = tokens: "
      f"{logits.argmax(1).tolist() == tokens}")
a = decoder.generate([1, 2], 10, top_k=8, temperature=0.9, seed=3)
b = decoder.generate([1, 2], 10, top_k=8, temperature=0.9, seed=3)
# CHECK: sampled twice alike: True
print(f"sampled twice alike: {a == b}")
try:
    decoder.generate(list(range(41)), 1)
except RuntimeError as e:
    # CHECK: RuntimeError: generating with 'gpt_step' failed: the prompt (41 tokens at position 0) does not fit the context of 40 tokens
    print(f"RuntimeError: {e}")
try:
    yizhuang.compile_decoder(model, (40, 8, 0))
except ValueError as e:
    # CHECK: ValueError: cache_shape must be [A..., T, D] of positive sizes, got (40, 8, 0)
    print(f"ValueError: {e}")
for call, args in [(decoder.generate, ([], 3)), (decoder.generate, ([1], -1)),
                   (yizhuang.compile_decoder, (model, shape, 0))]:
    try:
        call(*args)
    except ValueError as e:
        # CHECK: ValueError: the prompt needs at least one token
        # CHECK: ValueError: max_new_tokens must not be negative
        # CHECK: ValueError: prefill_chunk must be positive, got 0
        print(f"ValueError: {e}")
