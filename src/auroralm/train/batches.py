"""From sampled token windows to model inputs: fill-in-the-middle and per-document positions."""

from __future__ import annotations

import numpy as np


class FIM:
    """StarCoder-style fill-in-the-middle on token windows (PSM order), applied per document.

    A document ``d`` becomes ``<fim_prefix> d[:a] <fim_suffix> d[b:] <fim_middle> d[a:b]`` with
    probability ``rate``; the window is cut back to its length, as Megatron's FIM does.
    """

    def __init__(self, tok, rate: float, seed: int):
        ids = [tok.convert_tokens_to_ids(t) for t in ("<fim_prefix>", "<fim_middle>", "<fim_suffix>")]
        if any(i is None or i == tok.unk_token_id for i in ids):
            raise ValueError("the tokenizer has no <fim_prefix>/<fim_middle>/<fim_suffix> tokens")
        self.prefix, self.middle, self.suffix = ids
        self.eos = tok.eos_token_id
        self.rate = rate
        self.seed = seed

    def __call__(self, window: np.ndarray, sample_index: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, sample_index])
        cuts = np.flatnonzero(window == self.eos) + 1
        out: list[np.ndarray] = []
        for doc in np.split(window, cuts):
            end = doc[-1:] if len(doc) and doc[-1] == self.eos else doc[:0]
            body = doc[: len(doc) - len(end)]
            if len(body) >= 2 and rng.random() < self.rate:
                a, b = sorted(rng.integers(0, len(body) + 1, size=2))
                doc = np.concatenate([[self.prefix], body[:a], [self.suffix], body[b:], [self.middle], body[a:b], end])
            out.append(doc.astype(window.dtype))
        return np.concatenate(out)[: len(window)]


def positions_per_document(inputs: np.ndarray, eos: int) -> np.ndarray:
    """Position ids that restart at 0 after every EOS (document-boundary reset)."""
    idx = np.broadcast_to(np.arange(inputs.shape[1]), inputs.shape)
    after_eos = np.zeros(inputs.shape, dtype=bool)
    after_eos[:, 1:] = inputs[:, :-1] == eos
    start = np.maximum.accumulate(np.where(after_eos, idx, 0), axis=1)
    return idx - start
