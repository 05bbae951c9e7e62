#!/usr/bin/env python3
"""Check an SFT trace (`nexttoken trace --objective sft ...`) with NumPy alone.

    python3 Scripts/check_sft_trace.py trace.safetensors [--mask-prompt false]

- labels are −100 exactly where no loss is taken: with the mask on, a position is
  labelled iff it lies from <|assistant|> up to the token before <|end|> (its target is
  a response token or <|end|>); with --mask-prompt false, every position before <|end|>;
- some but not all positions carry loss, and act.losses is 0 where the label is −100;
- the loss equals the mean of −log softmax(logits)[label] over the labelled positions;
- within a response, each label is the next input token.
The role tokens are the last three ids: <|user|> = V−3, <|assistant|> = V−2, <|end|> = V−1.
"""
import json
import struct
import sys

import numpy as np


def load(path):
    data = open(path, "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "I32": np.int32}[info["dtype"]]
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[8 + size + start:8 + size + end], dtype=dtype).reshape(info["shape"])
    return tensors


def main():
    path = sys.argv[1]
    mask_prompt = not (len(sys.argv) > 3 and sys.argv[2] == "--mask-prompt" and sys.argv[3] == "false")
    t = load(path)
    ids, labels = t["batch.input_ids"], t["batch.labels"]
    logits = t["act.logits"].astype(np.float64)
    rows, length = ids.shape
    labelled = labels != -100
    count = int(labelled.sum())
    assert 0 < count < rows * length, f"{count} of {rows * length} positions labelled"
    top = logits.max(-1, keepdims=True)
    logsumexp = np.log(np.exp(logits - top).sum(-1)) + top[..., 0]
    picked = np.take_along_axis(logits, np.where(labelled, labels, 0)[..., None], -1)[..., 0]
    mean = float((logsumexp - picked)[labelled].mean())
    assert abs(mean - float(t["loss"])) < 1e-4, (mean, float(t["loss"]))
    assert np.all(t["act.losses"][~labelled] == 0)
    vocab = logits.shape[-1]
    assistant, end = vocab - 2, vocab - 1
    for r in range(rows):
        row = list(ids[r])
        a, e = row.index(assistant), row.index(end)
        for i in range(length):
            expected = (a <= i < e) if mask_prompt else (i < e)
            assert labelled[r, i] == expected, f"row {r} position {i}: labelled {labelled[r, i]}, expected {expected}"
            if labelled[r, i] and i + 1 < length and labelled[r, i + 1]:
                assert labels[r, i] == ids[r, i + 1]
    print(f"ok: {count} of {rows * length} positions carry loss; loss {float(t['loss']):.6f} = NumPy's {mean:.6f}")


if __name__ == "__main__":
    main()
