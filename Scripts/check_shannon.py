#!/usr/bin/env python3
"""Check `nexttoken shannon --json` against an independent NumPy implementation.

Trains tiny CLM checkpoints with `nexttoken train` (char, word, BPE), scores texts with
`nexttoken shannon --json` (for char the validation split and a --text file; for word and
BPE a --text file, its ids from the exported tokenizer.json), and recomputes every
number from the checkpoint's tensors with the NumPy GPT-2 in gpt2_numpy.py: token i is
predicted from the up-to-T tokens before it, rank = 1 + the number of tokens with a strictly
higher probability, Shannon's bounds from the rank frequencies. Every number must agree to
1e-3 bits (the rank frequencies exactly).

    python3 Scripts/check_shannon.py [--nexttoken .build/debug/nexttoken]

Needs numpy and safetensors (`pip install numpy safetensors`); tokenizers for word and BPE.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2_numpy  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-3


def score(weights, ids, heads, context):
    """Positions, cross-entropy, top-1, bounds and rank frequencies, as the issue defines them."""
    ranks, bits = [], []
    first = gpt2_numpy.logits(weights, ids[:context], heads)
    rows = [(first[i], ids[i + 1]) for i in range(min(context, len(ids) - 1))]
    for i in range(context + 1, len(ids)):
        rows.append((gpt2_numpy.logits(weights, ids[i - context:i], heads)[-1], ids[i]))
    for row, target in rows:
        ranks.append(1 + int(np.sum(row > row[target])))
        shifted = row - row.max()
        bits.append(-(shifted[target] - math.log(np.exp(shifted).sum())) / math.log(2))
    n = len(ranks)
    q = {r: c / n for r, c in Counter(ranks).items()}
    upper = -sum(v * math.log2(v) for v in q.values())
    # Shannon's lower bound assumes q_1 >= q_2 >= ...: the frequencies sorted, ranks relabelled 1, 2, ...
    ordered = sorted(q.values(), reverse=True) + [0]
    lower = sum(i * (ordered[i - 1] - ordered[i]) * math.log2(i) for i in range(1, len(ordered)))
    return {
        "positions": n,
        "cross_entropy_bits": sum(bits) / n,
        "top1_accuracy": q.get(1, 0),
        "upper_bound_bits": upper,
        "lower_bound_bits": lower,
        "rank_frequencies": {str(r): v for r, v in sorted(q.items())},
    }


def compare(label, ours, theirs):
    problems = []
    for key in ("positions", "cross_entropy_bits", "top1_accuracy", "upper_bound_bits", "lower_bound_bits"):
        if abs(ours[key] - theirs[key]) > TOLERANCE:
            problems.append(f"{key}: nexttoken {ours[key]} numpy {theirs[key]}")
    if set(ours["rank_frequencies"]) != set(theirs["rank_frequencies"]) or any(
        abs(ours["rank_frequencies"][r] - theirs["rank_frequencies"][r]) > 1e-6 for r in theirs["rank_frequencies"]
    ):
        problems.append("rank_frequencies differ")
    worst = max(abs(ours[k] - theirs[k]) for k in ("cross_entropy_bits", "upper_bound_bits", "lower_bound_bits"))
    status = "FAIL" if problems else "ok"
    print(f"{status}  {label}: {theirs['positions']} positions, cross-entropy {ours['cross_entropy_bits']:.4f} bits "
          f"(numpy {theirs['cross_entropy_bits']:.4f}), bounds {ours['lower_bound_bits']:.4f}–{ours['upper_bound_bits']:.4f}, "
          f"largest difference {worst:.2e} bits")
    for problem in problems:
        print("      " + problem)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nexttoken", default=os.path.join(REPO, ".build/debug/nexttoken"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="shannon-check-")
    checkpoint = os.path.join(work, "char.safetensors")
    subprocess.run([args.nexttoken, "train", "--corpus", "sentences.en.txt", "--steps", "150", "--layers", "2",
                    "--heads", "2", "--dim", "32", "--context", "24", "--batch", "8", "--eval-every", "0",
                    "--out", checkpoint], check=True, stdout=subprocess.DEVNULL)
    weights, metadata, config = gpt2_numpy.load_checkpoint(checkpoint)
    vocabulary = {c: i for i, c in enumerate(json.loads(metadata["tokenizer.data"])["tokens"])}
    heads, context = config["heads"], config["contextLength"]

    def encode(text):
        # Code points are characters here: the texts below have no combining marks or CRLF.
        return [vocabulary[c] for c in text]

    corpus = open(os.path.join(REPO, "Corpora/sentences.en.txt"), encoding="utf-8").read()
    ids = encode(corpus)
    validation = ids[len(ids) * 9 // 10:]
    sample = os.path.join(work, "sample.txt")
    with open(sample, "w", encoding="utf-8") as f:
        f.write("The cat sleeps on the mat. We walk to the river when it is warm.\n")
    cases = [("validation split", [], validation), ("--text sample.txt", ["--text", sample], encode(open(sample).read()))]
    ok = True
    for label, flags, case_ids in cases:
        run = subprocess.run([args.nexttoken, "shannon", "--checkpoint", checkpoint, "--json", *flags],
                             check=True, capture_output=True, text=True)
        ok &= compare(label, json.loads(run.stdout), score(weights, case_ids, heads, context))
    # Word and BPE checkpoints: the ids of the --text file from the exported tokenizer.json
    # (check_export.py shows it gives NextToken's ids), scored by NumPy as above.
    try:
        from tokenizers import Tokenizer
    except ImportError:
        Tokenizer = None
        print("tokenizers is not installed: word and BPE checkpoints not checked")
    for kind in ("word", "bpe") if Tokenizer else ():
        path = os.path.join(work, f"{kind}.safetensors")
        subprocess.run([args.nexttoken, "train", "--corpus", "mixed.txt", "--tokenizer", kind, "--steps", "150",
                        "--layers", "2", "--heads", "2", "--dim", "32", "--context", "24", "--batch", "8",
                        "--eval-every", "0", "--out", path], check=True, stdout=subprocess.DEVNULL)
        folder = os.path.join(work, f"{kind}-hf")
        subprocess.run([args.nexttoken, "export", "--checkpoint", path, "--out", folder], check=True, stdout=subprocess.DEVNULL)
        text = "The lazy dog sleeps in the sun. 那只懒狗在太阳底下睡觉。The fox is quick.\n"
        sample = os.path.join(work, f"{kind}.txt")
        with open(sample, "w", encoding="utf-8") as f:
            f.write(text)
        kind_ids = Tokenizer.from_file(os.path.join(folder, "tokenizer.json")).encode(text).ids
        kind_weights, _, kind_config = gpt2_numpy.load_checkpoint(path)
        run = subprocess.run([args.nexttoken, "shannon", "--checkpoint", path, "--json", "--text", sample],
                             check=True, capture_output=True, text=True)
        ok &= compare(f"{kind} --text", json.loads(run.stdout),
                      score(kind_weights, kind_ids, kind_config["heads"], kind_config["contextLength"]))
    print("shannon matches the NumPy implementation" if ok else "shannon DIFFERS from the NumPy implementation")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
