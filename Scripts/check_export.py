#!/usr/bin/env python3
"""Check `nexttoken export` against Hugging Face transformers.

For a char, a word and a BPE checkpoint (trained here with `nexttoken train` on the bundled
English/Chinese corpus), exports a model folder with `nexttoken export` and checks that
- `AutoTokenizer.from_pretrained(DIR)` cuts a page of text (English, Chinese, emoji,
  characters outside the vocabulary, combining marks, CRLF) into exactly the ids that
  `nexttoken tokenize` gives, and decodes them back to the same text;
- greedy `AutoModelForCausalLM.from_pretrained(DIR).generate` continues a prompt with
  exactly the text `nexttoken generate --top-k 1` writes;
- for a fine-tuned (SFT) checkpoint of each tokenizer (a CLM base trained on chat.en.txt,
  then `train --objective sft --resume` it), `tokenizer.apply_chat_template` gives the ids
  `nexttoken tokenize --chat` gives (and, with the answer, those of the whole template), and
  greedy `generate` from them, stopping at <|end|>, answers with exactly the text
  `nexttoken generate --chat --top-k 1` writes, for held-out questions.
Without PyTorch, the generation check runs the NumPy GPT-2 of gpt2_numpy.py over the
exported model.safetensors instead, and says so.

    python3 Scripts/check_export.py [--nexttoken .build/debug/nexttoken]

Needs transformers, tokenizers, safetensors and numpy; torch for the model check.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = (
    "The quick brown fox jumps over the lazy dog. The dog's bowl is blue; it isn't full.\n"
    "敏捷的棕色狐狸跳过了那只懒狗。我每天早上都喝茶，猫在暖和的窗台上睡觉。\n"
    "Emoji: 🦊🐶 👩‍💻 👍🏽 🇨🇭 — and symbols outside the vocabulary: ☃ Ω ∑ ß Ж ק ﷺ.\n"
    "Combining marks: e\u0301 a\u0308 ﬁ cafe\u0301; tabs\tand  double  spaces,\r\nCRLF lines,\n\n\n"
    "  leading spaces, numbers 1,234.5 and ١٢٣, under_scores, it’s, rock 'n' roll, 'quoted'.\n"
    "日本語のかなカナ、한국어 텍스트, ภาษาไทย, Ελληνικά, русский текст. Tab\tend \n"
)
PROMPTS = {"char": "The dog", "word": "The quick", "bpe": "The lazy"}
NEW_TOKENS = 24


def nexttoken(binary, *args, stdin=None):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True, input=stdin).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nexttoken", default=os.path.join(REPO, ".build/debug/nexttoken"))
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--chat-only", action="store_true", help="check only the fine-tuned (chat) export")
    args = parser.parse_args()
    from transformers import AutoTokenizer

    try:
        import torch
        from transformers import AutoModelForCausalLM
    except ImportError:
        torch = None
        print("PyTorch is not installed: the generation check uses the NumPy GPT-2 over the exported model.safetensors")
    work = tempfile.mkdtemp(prefix="export-check-")
    page = os.path.join(work, "page.txt")
    with open(page, "w", encoding="utf-8", newline="") as f:
        f.write(PAGE)
    ok = True
    for kind in () if args.chat_only else ("char", "word", "bpe"):
        checkpoint = os.path.join(work, f"{kind}.safetensors")
        nexttoken(args.nexttoken, "train", "--corpus", "mixed.txt", "--tokenizer", kind, "--steps", str(args.steps),
                  "--layers", "2", "--heads", "2", "--dim", "32", "--context", "48", "--batch", "8",
                  "--eval-every", "0", "--out", checkpoint)
        folder = os.path.join(work, f"{kind}-hf")
        nexttoken(args.nexttoken, "export", "--checkpoint", checkpoint, "--out", folder)

        # Tokenizer: the same ids for the page, and the page back from them.
        expected = json.loads(nexttoken(args.nexttoken, "tokenize", "--checkpoint", checkpoint, "--text", page, "--json"))["ids"]
        tokenizer = AutoTokenizer.from_pretrained(folder)
        ids = tokenizer(PAGE)["input_ids"]
        unknown = sum(1 for i in expected if i == tokenizer.unk_token_id)
        same = ids == expected
        first = next((i for i, (a, b) in enumerate(zip(ids, expected)) if a != b), min(len(ids), len(expected)))
        decoded = tokenizer.decode(ids)
        roundtrip = unknown > 0 or decoded == PAGE
        print(f"{'ok  ' if same else 'FAIL'} {kind} tokenizer: {len(expected)} ids from nexttoken, {len(ids)} from AutoTokenizer"
              f"{'' if same else f', first difference at {first}: nexttoken {expected[first:first + 5]} transformers {ids[first:first + 5]}'}"
              f" ({unknown} [UNK])")
        if not roundtrip:
            print(f"FAIL {kind} decode: {decoded!r}")
        ok &= same and roundtrip
        # And every bundled corpus, whole.
        corpora = sorted(n for n in os.listdir(os.path.join(REPO, "Corpora")) if n.endswith(".txt"))
        differing = []
        total = 0
        for name in corpora:
            path = os.path.join(REPO, "Corpora", name)
            want = json.loads(nexttoken(args.nexttoken, "tokenize", "--checkpoint", checkpoint, "--text", path, "--json"))["ids"]
            got = tokenizer(open(path, encoding="utf-8", newline="").read())["input_ids"]
            total += len(want)
            if got != want:
                differing.append(name)
        print(f"{'ok  ' if not differing else 'FAIL'} {kind} tokenizer on the {len(corpora)} bundled corpora: {total} ids"
              + (f", different in {', '.join(differing)}" if differing else ", all the same"))
        ok &= not differing

        # Generation: greedy continuation of a prompt, compared as text.
        prompt = PROMPTS[kind]
        ours = nexttoken(args.nexttoken, "generate", "--checkpoint", checkpoint, "--prompt", prompt,
                         "--tokens", str(NEW_TOKENS), "--top-k", "1").removesuffix("\n")
        prompt_ids = tokenizer(prompt)["input_ids"]
        if torch is not None:
            model = AutoModelForCausalLM.from_pretrained(folder)
            model.eval()
            with torch.no_grad():
                out = model.generate(torch.tensor([prompt_ids]), max_new_tokens=NEW_TOKENS, do_sample=False)
            continuation = out[0].tolist()[len(prompt_ids):]
            engine = "transformers generate"
        else:
            import gpt2_numpy
            from safetensors.numpy import load_file

            weights = gpt2_numpy.strip_prefix({k: v.astype("float64") for k, v in load_file(os.path.join(folder, "model.safetensors")).items()})
            config = json.load(open(os.path.join(folder, "config.json")))
            suppress = json.load(open(os.path.join(folder, "generation_config.json")))["suppress_tokens"]
            continuation = gpt2_numpy.greedy(weights, prompt_ids, config["n_head"], config["n_positions"], NEW_TOKENS, suppress)[len(prompt_ids):]
            engine = "NumPy greedy over the exported weights"
        theirs = prompt + tokenizer.decode(continuation)
        same = theirs == ours
        print(f"{'ok  ' if same else 'FAIL'} {kind} {engine}: {theirs!r}" + ("" if same else f"\n     nexttoken generate --top-k 1: {ours!r}"))
        ok &= same
    ok &= check_chat(args, work, torch)
    print("export matches transformers" if ok else "export DIFFERS from transformers")
    sys.exit(0 if ok else 1)


# Held-out questions: from the validation split (the last tenth) of chat.en.txt, never trained on.
CHAT_QUESTIONS = ["What number comes after eleven?", "What is the plural of man?", "Where does the bee live?"]


def check_chat(args, work, torch):
    """The chat template and greedy answers of fine-tuned checkpoints, against transformers."""
    from transformers import AutoTokenizer

    ok = True
    for kind in ("char", "word", "bpe"):
        base = os.path.join(work, f"{kind}-chat-base.safetensors")
        tuned = os.path.join(work, f"{kind}-chat.safetensors")
        nexttoken(args.nexttoken, "train", "--corpus", "chat.en.txt", "--tokenizer", kind, "--steps", str(args.steps),
                  "--layers", "2", "--heads", "2", "--dim", "32", "--context", "64", "--batch", "8",
                  "--eval-every", "0", "--out", base)
        nexttoken(args.nexttoken, "train", "--objective", "sft", "--corpus", "chat.en.txt", "--resume", base,
                  "--steps", str(args.steps // 2), "--eval-every", "0", "--out", tuned)
        folder = os.path.join(work, f"{kind}-chat-hf")
        nexttoken(args.nexttoken, "export", "--checkpoint", tuned, "--out", folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        config = json.load(open(os.path.join(folder, "config.json")))
        has_template = bool(getattr(tokenizer, "chat_template", None))
        print(f"{'ok  ' if has_template else 'FAIL'} {kind} chat: tokenizer_config.json has a chat_template, eos {tokenizer.eos_token}")
        ok &= has_template
        model = None
        if torch is not None:
            model = AutoModelForCausalLM_from(folder)
        for question in CHAT_QUESTIONS:
            messages = [{"role": "user", "content": question}]
            ids = chat_ids(tokenizer, messages, add_generation_prompt=True)
            want = json.loads(nexttoken(args.nexttoken, "tokenize", "--checkpoint", tuned, "--chat", "--json", stdin=question))["ids"]
            same = ids == want
            ours = nexttoken(args.nexttoken, "generate", "--checkpoint", tuned, "--chat", "--prompt", question, "--top-k", "1").removesuffix("\n")
            whole = chat_ids(tokenizer, messages + [{"role": "assistant", "content": ours}])
            want_whole = json.loads(nexttoken(args.nexttoken, "tokenize", "--checkpoint", tuned, "--json",
                                              stdin=f"<|user|>{question}<|assistant|>{ours}<|end|>"))["ids"]
            same_whole = whole == want_whole
            print(f"{'ok  ' if same and same_whole else 'FAIL'} {kind} apply_chat_template({question!r}): {len(ids)} ids"
                  + ("" if same else f", nexttoken tokenize --chat gives {want}")
                  + ("" if same_whole else f"; with the answer {whole} against {want_whole}"))
            ok &= same and same_whole
            if model is None:
                continue
            with torch.no_grad():
                out = model.generate(torch.tensor([ids]), max_new_tokens=config["n_positions"] - len(ids), do_sample=False)
            theirs = tokenizer.decode(out[0].tolist()[len(ids):], skip_special_tokens=True)
            same = theirs == ours
            print(f"{'ok  ' if same else 'FAIL'} {kind} greedy chat answer: {theirs!r}" + ("" if same else f"\n     nexttoken generate --chat --top-k 1: {ours!r}"))
            ok &= same
    if torch is None:
        print("PyTorch is not installed: the chat answers were not generated with transformers")
    return ok


def chat_ids(tokenizer, messages, **options):
    """apply_chat_template's ids, whether this transformers returns a list or an encoding."""
    out = tokenizer.apply_chat_template(messages, tokenize=True, **options)
    if hasattr(out, "keys"):
        out = out["input_ids"]
    out = list(out)
    return list(out[0]) if out and isinstance(out[0], list) else out


def AutoModelForCausalLM_from(folder):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(folder)
    model.eval()
    return model


if __name__ == "__main__":
    main()
