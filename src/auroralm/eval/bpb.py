"""Bits per byte: tokenizer-independent language-model quality on held-out text."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F


@torch.no_grad()
def bits_per_byte(model, tok, texts: list[str], window: int, batch_size: int = 8, bootstrap: int = 1000) -> dict:
    """Sum of -log2 p(text) over documents divided by their UTF-8 bytes, with a 95% bootstrap CI.

    Each document is scored after an EOS token (as in training), cut into non-overlapping windows
    of ``window`` predicted tokens. The CI resamples documents.
    """
    model.eval()
    device = next(model.parameters()).device
    eos = tok.eos_token_id
    pieces: list[tuple[int, list[int]]] = []
    doc_bytes = np.array([len(t.encode("utf-8")) for t in texts], dtype=np.float64)
    for d, text in enumerate(texts):
        ids = [eos] + tok(text, add_special_tokens=False)["input_ids"]
        for s in range(0, len(ids) - 1, window):
            pieces.append((d, ids[s : s + window + 1]))
    pieces.sort(key=lambda p: len(p[1]))
    doc_nll = np.zeros(len(texts), dtype=np.float64)
    n_tokens = 0
    for b in range(0, len(pieces), batch_size):
        chunk = pieces[b : b + batch_size]
        width = max(len(p) for _, p in chunk)
        x = torch.full((len(chunk), width), eos, dtype=torch.long)
        y = torch.full((len(chunk), width - 1), -100, dtype=torch.long)
        for i, (_, p) in enumerate(chunk):
            x[i, : len(p)] = torch.tensor(p)
            y[i, : len(p) - 1] = torch.tensor(p[1:])
        logits = model(input_ids=x[:, :-1].to(device)).logits.float()
        nll = F.cross_entropy(logits.transpose(1, 2), y.to(device), ignore_index=-100, reduction="none").sum(1)
        for (d, _), v in zip(chunk, nll.tolist(), strict=True):
            doc_nll[d] += v
        n_tokens += int((y != -100).sum())
    if not texts or doc_bytes.sum() == 0:
        return {"bits_per_byte": None, "ci": None, "bytes": 0, "tokens": 0, "documents": 0}
    bits = doc_nll / math.log(2)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(texts), size=(bootstrap, len(texts)))
    samples = np.sort(bits[idx].sum(1) / doc_bytes[idx].sum(1))
    return {
        "bits_per_byte": float(bits.sum() / doc_bytes.sum()),
        "ci": [float(samples[int(0.025 * bootstrap)]), float(samples[int(0.975 * bootstrap) - 1])],
        "bytes": int(doc_bytes.sum()),
        "tokens": n_tokens,
        "documents": len(texts),
    }
