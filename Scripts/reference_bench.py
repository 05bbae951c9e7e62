#!/usr/bin/env python3
"""Time the same GPT-2 training step in PyTorch (eager, CPU), to compare with `nexttoken bench`.

Same sizes, vocabulary (65), random tokens, causal LM targets, AdamW and
counting as `nexttoken bench`: tokens per second is batch x context per full
step (forward, backward, AdamW), the median over steps after a warm-up.

    python3 Scripts/reference_bench.py --size all --threads 1

Needs PyTorch (`pip install torch`). Prints one line per size, or JSON lines with --json.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {  # channels, layers, heads, context, batch, steps
    "S": (32, 1, 2, 16, 8, 2000),
    "M": (64, 2, 4, 64, 32, 200),
    "L": (128, 4, 4, 128, 32, 20),
}
VOCAB = 65


class Block(nn.Module):
    def __init__(self, c, h):
        super().__init__()
        self.h = h
        self.ln_1, self.ln_2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.c_attn, self.c_proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.c_fc, self.mlp_proj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.h, c // self.h).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, c, layers, h, t):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, c), nn.Embedding(t, c)
        self.blocks = nn.ModuleList(Block(c, h) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))


def measure(size, steps=None, warmup=5):
    c, layers, h, t, b, default_steps = SIZES[size]
    torch.manual_seed(0)
    model = GPT(c, layers, h, t)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    stream = torch.randint(0, VOCAB, (b * t + 1,))
    idx, targets = stream[:-1].view(b, t), stream[1:].view(b, t)
    seconds = []
    for i in range(warmup + (steps or default_steps)):
        start = time.perf_counter()
        loss = model(idx, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if i >= warmup:
            seconds.append(time.perf_counter() - start)
    return b * t / statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["S", "M", "L", "all"], default="all")
    parser.add_argument("--threads", type=int, choices=[1, 2], default=1)
    parser.add_argument("--steps", type=int, help="measured steps per size (default: by size)")
    parser.add_argument("--json", action="store_true", help="one JSON object per measurement")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for size in (["S", "M", "L"] if args.size == "all" else [args.size]):
        rate = measure(size, args.steps)
        if args.json:
            print(json.dumps({"kind": "pytorch", "size": size, "threads": args.threads, "tokens_per_second": round(rate)}))
        else:
            print(f"{size}  {args.threads}  {rate:10.0f} tokens/s  (PyTorch {torch.__version__}, eager)")


if __name__ == "__main__":
    main()
