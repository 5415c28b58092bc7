"""A GPT decoder written to the decoding convention of docs/decoding.md,
and PyTorch's own decoding of it: a working example of the convention,
and the model the decoding tests, benchmark and demo use.

    model = Gpt(vocab=64, width=32, heads=4, layers=2, context=80, chunk=8)
    decoder = yizhuang.compile_decoder(model, model.cache_shape(), 8)
    decoder.generate(prompt, 64) == torch_generate(model, prompt, 64)
"""
# Part of Yizhuang.
import math
import os

import numpy as np
import torch


class Gpt(torch.nn.Module):
    """Pre-norm GPT blocks (attention, then a GELU MLP) with learned token
    and position embeddings. forward(input_ids [1, S], position [1],
    cache_key, cache_value [layers, 1, heads, context, head size]) returns
    (logits [1, S, vocab], new_key, new_value [layers, 1, heads, S, head
    size]); it attends to cache slots below `position` and causally to its
    own tokens."""

    def __init__(self, vocab=64, width=32, heads=4, layers=2, context=80,
                 chunk=8):
        super().__init__()
        self.heads, self.head, self.context = heads, width // heads, context
        self.embed = torch.nn.Embedding(vocab, width)
        # Padded prefill chunks reach position context + chunk - 2.
        self.where = torch.nn.Embedding(context + chunk, width)
        self.blocks = torch.nn.ModuleList()
        for _ in range(layers):
            b = torch.nn.Module()
            b.ln1, b.ln2 = torch.nn.LayerNorm(width), torch.nn.LayerNorm(width)
            b.qkv = torch.nn.Linear(width, 3 * width)
            b.out = torch.nn.Linear(width, width)
            b.up = torch.nn.Linear(width, 4 * width)
            b.down = torch.nn.Linear(4 * width, width)
            self.blocks.append(b)
        self.ln = torch.nn.LayerNorm(width)
        self.head_out = torch.nn.Linear(width, vocab)

    def train_logits(self, ids):
        """Logits [B, S, vocab] of token batches [B, S] from position 0,
        attending causally: the same network, for training."""
        b, s = ids.shape
        x = self.embed(ids) + self.where(torch.arange(s))[None]
        causal = torch.ones(s, s, dtype=torch.bool).tril()
        for blk in self.blocks:
            x = self.block(blk, x, causal)[0]
        return self.head_out(self.ln(x))

    def cache_shape(self):
        return (len(self.blocks), 1, self.heads, self.context, self.head)

    def forward(self, input_ids, position, cache_key, cache_value):
        s, t = input_ids.shape[1], cache_key.shape[3]
        at = position + torch.arange(s)
        x = self.embed(input_ids) + self.where(at)[None]
        # Cache slots before `position`, then this chunk's tokens causally.
        seen = (torch.arange(t) < position)[None, :].expand(s, t)
        own = torch.ones(s, s, dtype=torch.bool).tril()
        allowed = torch.cat([seen, own], 1)
        keys, values = [], []
        for i, b in enumerate(self.blocks):
            x, k, v, _, _ = self.block(b, x, allowed, cache_key[i], cache_value[i])
            keys.append(k)
            values.append(v)
        return self.head_out(self.ln(x)), torch.stack(keys), torch.stack(values)

    def block(self, b, x, allowed, past_key=None, past_value=None):
        """Block `b` on x [B, S, width]: attention to the past keys and
        values (if any) then its own, where `allowed` [S, past + S] is
        true; returns x, the chunk's keys and values, and with the past."""
        n, s = x.shape[:2]
        q, k, v = b.qkv(b.ln1(x)).split(x.shape[-1], -1)
        q, k, v = (z.reshape(n, s, self.heads, self.head).transpose(1, 2)
                   for z in (q, k, v))
        kk = k if past_key is None else torch.cat([past_key, k], 2)
        vv = v if past_value is None else torch.cat([past_value, v], 2)
        a = q @ kk.transpose(-1, -2) / math.sqrt(self.head)
        a = torch.softmax(a.masked_fill(~allowed, float("-inf")), -1) @ vv
        x = x + b.out(a.transpose(1, 2).reshape(n, s, -1))
        x = x + b.down(torch.nn.functional.gelu(b.up(b.ln2(x))))
        return x, k, v, kk, vv


DECODER_INPUTS = ["input_ids", "position", "cache_key", "cache_value"]
DECODER_OUTPUTS = ["logits", "new_key", "new_value"]


def export_decoder(module, f, tokens, cache_shape=None):
    """Exports `module` (the convention of docs/decoding.md) at `tokens`
    tokens to `f` (a path or a binary file), opset 17, with its caches of
    `cache_shape` (default: module.cache_shape())."""
    shape = cache_shape or module.cache_shape()
    args = (torch.zeros(1, tokens, dtype=torch.int64),
            torch.zeros(1, dtype=torch.int64), torch.zeros(shape), torch.zeros(shape))
    torch.onnx.export(module, args, f, opset_version=17,
                      input_names=DECODER_INPUTS, output_names=DECODER_OUTPUTS)


def write_calibration(model, sequences, tokens, root, samples):
    """The inputs of `model` (input_ids, position, cache_key, cache_value)
    while it reads each of `sequences` (1-D token tensors) `tokens` at a
    time from position 0, written as yzc --calibration takes them: a
    directory per sample under `root`, `samples` in all. Returns root."""
    shape, context = model.cache_shape(), model.cache_shape()[-2]
    n = 0
    with torch.no_grad():
        for seq in sequences:
            ck, cv, pos = torch.zeros(shape), torch.zeros(shape), 0
            while pos + tokens <= min(context, len(seq)) and n < samples:
                ids = seq[pos:pos + tokens][None]
                d = os.path.join(root, f"{n:04d}")
                os.makedirs(d, exist_ok=True)
                for key, a in [("input_ids", ids), ("position", torch.tensor([pos])),
                               ("cache_key", ck), ("cache_value", cv)]:
                    np.save(os.path.join(d, f"{key}.npy"), a.numpy())
                _, k, v = model(ids, torch.tensor([pos]), ck, cv)
                ck[:, :, :, pos:pos + tokens], cv[:, :, :, pos:pos + tokens] = k, v
                pos, n = pos + tokens, n + 1
            if n == samples:
                break
    return root


def torch_generate(model, prompt, tokens):
    """PyTorch's greedy decoding of `model` with its own KV cache: the
    prompt in one call, then one call per token; stops early when the
    context is full."""
    shape = model.cache_shape()
    ck, cv = torch.zeros(shape), torch.zeros(shape)
    out, pos, context = [], 0, shape[-2]
    ids = torch.tensor([list(prompt)])
    with torch.no_grad():
        while len(out) < tokens:
            logits, k, v = model(ids, torch.tensor([pos]), ck, cv)
            n = ids.shape[1]
            ck[:, :, :, pos:pos + n] = k
            cv[:, :, :, pos:pos + n] = v
            pos += n
            out.append(int(logits[0, -1].argmax()))
            if len(out) < tokens and pos >= context:
                break
            ids = torch.tensor([[out[-1]]])
    return out


class GptWithPast(torch.nn.Module):
    """`gpt` in the "decoder with past" form exporters write: inputs
    input_ids [1, S], attention_mask [1, T + S], position_ids [1, S] and
    past_key_values.N.key/.value [1, heads, T, head size]; outputs logits
    and present.N.key/.value [1, heads, T + S, head size], the past then
    the chunk's rows. Export it with `past_names(layers)` as names."""

    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids, attention_mask, position_ids, *past):
        g = self.gpt
        s = input_ids.shape[1]
        t = past[0].shape[2]
        x = g.embed(input_ids) + g.where(position_ids)
        filled = (attention_mask[0, :t] == 1)[None, :].expand(s, t)
        own = torch.ones(s, s, dtype=torch.bool).tril()
        allowed = torch.cat([filled, own & (attention_mask[0, t:] == 1)[None, :]], 1)
        present = []
        for i, b in enumerate(g.blocks):
            x, _, _, kk, vv = g.block(b, x, allowed, past[2 * i], past[2 * i + 1])
            present += [kk, vv]
        return (g.head_out(g.ln(x)), *present)


def past_names(layers):
    """The input and output names of GptWithPast, as exporters name them."""
    caches = [f"{n}.{i}.{kv}" for i in range(layers) for n, kv in
              [("", "key"), ("", "value")]]
    inputs = ["input_ids", "attention_mask", "position_ids"] + [
        f"past_key_values{c}" for c in caches]
    outputs = ["logits"] + [f"present{c}" for c in caches]
    return inputs, outputs
