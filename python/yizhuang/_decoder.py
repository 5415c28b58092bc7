"""Generative decoding: a decoder module compiled as a step and a prefill
model sharing a KV cache the runtime owns (docs/decoding.md)."""
# Part of Yizhuang.
import io
import os
import tempfile

import numpy as np

from . import _core
from ._model import compile as _compile

def _export(module, cache_shape, tokens, name):
    """`module` at `tokens` tokens as an onnx.ModelProto named `name`."""
    import onnx

    from .gpt import export_decoder  # imports torch: only when exporting
    buffer = io.BytesIO()
    was_training = module.training
    module.eval()
    try:  # with gradients on: some modules' no-grad paths do not export
        export_decoder(module, buffer, tokens, cache_shape)
    finally:
        module.train(was_training)
    model = onnx.load_from_string(buffer.getvalue())
    model.graph.name = name
    return model


def compile_decoder(module, cache_shape, prefill_chunk=8, target="riscv64",
                    npu="default", *, vlen=256, opt_level=2, name=None):
    """Compiles a decoder `module` as a step model (one token) and, when
    `prefill_chunk` > 1, a prefill model (chunks of the prompt).

    module.forward(input_ids [1, S] int64, position [1] int64, cache_key,
    cache_value) returns (logits [1, S, V], new_key, new_value), the caches
    f32 `cache_shape` = [A..., T, D] and the new keys and values
    [A..., S, D]; it attends to cache slots below `position` and causally
    to its own tokens (docs/decoding.md). Returns a CompiledDecoder.
    """
    if len(cache_shape) < 2 or any(int(d) < 1 for d in cache_shape):
        raise ValueError(f"cache_shape must be [A..., T, D] of positive "
                         f"sizes, got {cache_shape}")
    if int(prefill_chunk) < 1:
        raise ValueError(f"prefill_chunk must be positive, got {prefill_chunk}")
    name = name or type(module).__name__.lower()
    common = dict(target=target, npu=npu, vlen=vlen, opt_level=opt_level)
    step = _compile(_export(module, cache_shape, 1, f"{name}_step"), **common)
    prefill = None
    if prefill_chunk > 1:
        prefill = _compile(_export(module, cache_shape, prefill_chunk,
                                   f"{name}_prefill"), **common)
    return CompiledDecoder(step, prefill)


class CompiledDecoder:
    """A decoder's step model and optional prefill model (CompiledModel
    each); `generate` runs them with yz-generate's loop."""

    def __init__(self, step, prefill=None):
        self.step, self.prefill = step, prefill
        spec = {t.name: t for t in step.inputs + step.outputs}
        self.max_context = spec["cache_key"].shape[-2]
        self.vocab = spec["logits"].shape[-1]

    def __repr__(self):
        return (f"<CompiledDecoder {self.step.name} ({self.step.target}), "
                f"context {self.max_context}, vocabulary {self.vocab}>")

    def generate(self, prompt, max_new_tokens=16, top_k=0, temperature=1.0,
                 seed=0, return_logits=False):
        """The token ids generated after `prompt` (a list of ids): greedy,
        or sampled among the top_k with the softmax of logits / temperature
        from `seed`. With return_logits, also each token's logits [N, V].
        Raises RuntimeError with the runtime's message (a prompt longer
        than the context, a step past it, a token outside the vocabulary)."""
        prompt = [int(t) for t in prompt]
        if not prompt:
            raise ValueError("the prompt needs at least one token")
        if max_new_tokens < 0:
            raise ValueError("max_new_tokens must not be negative")
        with tempfile.TemporaryDirectory(prefix="yizhuang-gen-") as tmp:
            log = os.path.join(tmp, "log.txt")
            logits = os.path.join(tmp, "logits.npy") if return_logits else ""
            status = _core.generate(
                os.path.join(self.step._workdir(), "model.o"),
                os.path.join(self.prefill._workdir(), "model.o")
                if self.prefill else "",
                ",".join(map(str, prompt)), int(max_new_tokens), int(top_k),
                float(temperature), int(seed), logits, log,
                self.step._meta["vlen"])
            with open(log, errors="replace") as f:
                text = f.read()
            if status != 0:
                errors = [l[len("error: "):] for l in text.splitlines()
                          if l.startswith("error: ")]
                raise RuntimeError(f"generating with '{self.step.name}' failed: "
                                   + (errors[-1] if errors else text.strip()))
            line = next(l for l in text.splitlines() if l.startswith("tokens:"))
            tokens = [int(t) for t in line.split()[1:]]
            if return_logits:
                return tokens, np.load(logits)
            return tokens
