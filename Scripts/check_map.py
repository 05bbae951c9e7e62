#!/usr/bin/env python3
"""Check `nexttoken map --json` against an independent PCA in NumPy, and `nexttoken bpe --json`
against the merges a checkpoint stores.

For each checkpoint (trained here with `nexttoken train` unless given), reads `wte.weight`
straight from the safetensors file, centres its rows, takes the top two eigenvectors of the
covariance with `numpy.linalg.eigh` (a full eigendecomposition, nothing like the app's
power iteration), projects, and correlates all pairwise distances between tokens with those
of the points `nexttoken map --json` prints. Distances ignore how the axes are turned or
mirrored, so they compare the pictures themselves. Passes at a correlation of at least 0.99.
For BPE checkpoints, also checks that `nexttoken bpe --corpus C --merges N --json` lists the
checkpoint's merges, in order.

    python3 Scripts/check_map.py [--nexttoken .build/debug/nexttoken] [--checkpoint C ...]

Needs numpy.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESHOLD = 0.99


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    spec = header["wte.weight"]
    assert spec["dtype"] == "F32", spec
    start, end = spec["data_offsets"]
    wte = np.frombuffer(data[start:end], dtype="<f4").reshape(spec["shape"]).astype(np.float64)
    return wte, header.get("__metadata__", {})


def numpy_pca(wte):
    centred = wte - wte.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, np.argsort(values)[::-1][:2]]
    return centred @ top


def pairwise(points):
    diff = points[:, None, :] - points[None, :, :]
    distances = np.sqrt((diff ** 2).sum(-1))
    upper = np.triu_indices(len(points), k=1)
    return distances[upper]


def check_map(nexttoken, checkpoint):
    wte, metadata = read_safetensors(checkpoint)
    out = subprocess.run([nexttoken, "map", "--checkpoint", checkpoint, "--json"], check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    ids = [row["id"] for row in rows]
    if ids != list(range(len(wte))):
        print(f"FAIL  {checkpoint}: map --json lists ids {ids[:5]}…, expected 0…{len(wte) - 1}")
        return False
    ours = np.array([[row["x"], row["y"]] for row in rows])
    theirs = numpy_pca(wte)
    r = np.corrcoef(pairwise(ours), pairwise(theirs))[0, 1]
    status = "ok" if r >= THRESHOLD else "FAIL"
    print(f"{status}  map {os.path.basename(checkpoint)}: V={len(wte)} C={wte.shape[1]}, "
          f"pairwise-distance correlation with numpy PCA {r:.6f} (need ≥ {THRESHOLD})")
    return r >= THRESHOLD


def check_bpe(nexttoken, checkpoint):
    _, metadata = read_safetensors(checkpoint)
    run = json.loads(metadata["run"])
    stored = json.loads(metadata["tokenizer.data"])
    corpus = os.path.join(REPO, "Corpora", run["corpus"]) if "/" not in run["corpus"] else run["corpus"]
    out = subprocess.run([nexttoken, "bpe", "--corpus", corpus, "--merges", str(run["bpeMerges"]), "--json"],
                         check=True, capture_output=True, text=True).stdout
    listed = [json.loads(line) for line in out.splitlines()]
    pairs = [[m["left"], m["right"]] for m in listed]
    same = pairs == stored["merges"] and [m["rank"] for m in listed] == list(range(len(listed)))
    status = "ok" if same else "FAIL"
    print(f"{status}  bpe {os.path.basename(checkpoint)}: {len(listed)} merges listed, checkpoint stores "
          f"{len(stored['merges'])}; first {listed[0]['token']!r} ({listed[0]['count']}×), "
          f"tokens {listed[0]['tokens_after'] + listed[0]['count']} → {listed[-1]['tokens_after']}")
    return same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nexttoken", default=os.path.join(REPO, ".build/debug/nexttoken"))
    parser.add_argument("--checkpoint", action="append", default=[])
    args = parser.parse_args()
    checkpoints = list(args.checkpoint)
    with tempfile.TemporaryDirectory() as folder:
        if not checkpoints:
            runs = [
                ("char", ["--corpus", "sentences.en.txt", "--tokenizer", "char", "--steps", "400", "--seed", "3"]),
                ("bpe", ["--corpus", "mixed.txt", "--tokenizer", "bpe", "--bpe-merges", "200", "--steps", "200", "--seed", "7"]),
            ]
            for name, flags in runs:
                path = os.path.join(folder, f"{name}.safetensors")
                subprocess.run([args.nexttoken, "train", *flags, "--layers", "1", "--heads", "2", "--dim", "32",
                                "--context", "32", "--batch", "8", "--threads", "1", "--out", path],
                               check=True, capture_output=True)
                checkpoints.append(path)
        good = True
        for checkpoint in checkpoints:
            good = check_map(args.nexttoken, checkpoint) and good
            _, metadata = read_safetensors(checkpoint)
            if json.loads(metadata["tokenizer.data"]).get("kind") == "bpe":
                good = check_bpe(args.nexttoken, checkpoint) and good
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
