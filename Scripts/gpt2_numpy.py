"""A GPT-2 forward pass in NumPy (float64), written from the paper's equations, for checks.

It reads a NextToken checkpoint (or an exported model.safetensors) with the `safetensors`
library and shares no code with the Swift engine, so agreement is evidence, not an echo.
"""
import json

import numpy as np
from safetensors import safe_open


def load_checkpoint(path):
    """The weights (float64) and the metadata of a NextToken checkpoint."""
    with safe_open(path, framework="np") as f:
        metadata = f.metadata() or {}
        tensors = {name: f.get_tensor(name).astype(np.float64) for name in f.keys() if not name.startswith("optim.")}
    config = json.loads(metadata["config"]) if "config" in metadata else None
    return tensors, metadata, config


def strip_prefix(tensors):
    """Exported names start with `transformer.`; the checkpoint's do not."""
    return {name.removeprefix("transformer."): value for name, value in tensors.items()}


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def logits(weights, ids, heads):
    """(T, V) logits for the ids (T ≤ the context), with the causal mask."""
    w = weights
    T = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    C = x.shape[1]
    d = C // heads
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    layer = 0
    while f"h.{layer}.ln_1.weight" in w:
        p = f"h.{layer}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, i * C:(i + 1) * C].reshape(T, heads, d).transpose(1, 0, 2) for i in range(3))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        scores[:, mask] = -np.inf
        scores -= scores.max(axis=-1, keepdims=True)
        att = np.exp(scores)
        att /= att.sum(axis=-1, keepdims=True)
        y = (att @ v).transpose(1, 0, 2).reshape(T, C)
        x = x + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
        x = x + gelu_new(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"]) @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        layer += 1
    x = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"])
    return x @ w["wte.weight"].T


def greedy(weights, ids, heads, context, count, banned=()):
    """`count` greedy tokens after `ids` (never a banned id), each from the last `context` ids."""
    ids = list(ids)
    for _ in range(count):
        row = logits(weights, ids[-context:], heads)[-1].copy()
        row[list(banned)] = -np.inf
        ids.append(int(np.argmax(row)))
    return ids
