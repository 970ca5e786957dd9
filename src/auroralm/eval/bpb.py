"""Bits per byte: tokenizer-independent language-model quality on held-out text."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


@torch.no_grad()
def bits_per_byte(model, tok, texts: list[str], window: int, batch_size: int = 8) -> dict:
    """Sum of -log2 p(text) over documents divided by their UTF-8 bytes.

    Each document is scored after an EOS token (as in training), cut into non-overlapping
    windows of ``window`` predicted tokens.
    """
    model.eval()
    eos = tok.eos_token_id
    pieces: list[list[int]] = []
    n_bytes = 0
    for text in texts:
        ids = [eos] + tok(text, add_special_tokens=False)["input_ids"]
        n_bytes += len(text.encode("utf-8"))
        for s in range(0, len(ids) - 1, window):
            pieces.append(ids[s : s + window + 1])
    pieces.sort(key=len)
    nll = 0.0
    n_tokens = 0
    for b in range(0, len(pieces), batch_size):
        chunk = pieces[b : b + batch_size]
        width = max(len(p) for p in chunk)
        x = torch.full((len(chunk), width), eos, dtype=torch.long)
        y = torch.full((len(chunk), width - 1), -100, dtype=torch.long)
        for i, p in enumerate(chunk):
            x[i, : len(p)] = torch.tensor(p)
            y[i, : len(p) - 1] = torch.tensor(p[1:])
        logits = model(input_ids=x[:, :-1]).logits.float()
        nll += F.cross_entropy(logits.flatten(0, 1), y.flatten(), ignore_index=-100, reduction="sum").item()
        n_tokens += int((y != -100).sum())
    if n_bytes == 0:
        return {"bits_per_byte": None, "bytes": 0, "tokens": 0, "documents": 0}
    return {
        "bits_per_byte": nll / math.log(2) / n_bytes,
        "bytes": n_bytes,
        "tokens": n_tokens,
        "documents": len(texts),
    }
