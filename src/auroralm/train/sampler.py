"""Deterministic blended sampling over packed token shards.

Sample ``i`` of a stage is a pure function of (seed, stage, i): which source it comes from is
drawn once per stage from the mixture weights, and which window of that source from a seeded
permutation per epoch. Resuming at any step therefore reproduces the exact same batches.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from auroralm.errors import AuroraError


class TokenShard:
    """A source's packed tokens (memory-mapped), cut into windows of ``seq_len + 1`` tokens.

    With ``whole_documents`` (instruction data trained unpacked, as SFT usually is), window ``k`` is
    document ``k`` alone, cut at ``seq_len + 1`` tokens and padded with EOS; the padding is not trained on.
    A packed source shorter than one window (a few documents left after cleaning) is one window that
    repeats its tokens."""

    def __init__(self, directory: Path, seq_len: int, whole_documents: bool = False):
        index = json.loads((directory / "index.json").read_text())
        self.name = directory.name
        self.tokens = np.memmap(directory / "tokens.bin", dtype=index["dtype"], mode="r") if index["tokens"] else np.zeros(0)
        self.seq_len = seq_len
        mask = directory / "loss_mask.bin"  # instruction sources: 1 on response tokens, 0 on prompts
        self.loss_mask = np.memmap(mask, dtype=np.uint8, mode="r") if mask.exists() and len(self.tokens) else None
        self.starts = None
        if whole_documents and len(self.tokens):
            ends = np.flatnonzero(np.asarray(self.tokens) == self.tokens[-1]) + 1  # every document ends with EOS
            self.starts, self.ends = np.concatenate([[0], ends[:-1]]), ends
            self.num_windows = len(ends)
        else:
            self.num_windows = (len(self.tokens) - 1) // seq_len if len(self.tokens) > seq_len else int(len(self.tokens) >= 2)

    def _length(self, k: int) -> int:
        """How many tokens of window ``k`` are the source's own (the rest is padding)."""
        if self.starts is None:
            return self.seq_len + 1
        return int(min(self.ends[k] - self.starts[k], self.seq_len + 1))

    def trained(self, k: int, responses_only: bool) -> np.ndarray:
        """Which tokens of window ``k`` count in the loss: not padding and, with ``responses_only``,
        only response tokens whose prompt is in the window (``response_mask``)."""
        keep = np.arange(self.seq_len + 1) < self._length(k)
        if responses_only and self.loss_mask is not None:
            keep &= self.response_mask(k)
        return keep

    def response_mask(self, k: int) -> np.ndarray:
        """Which tokens of window ``k`` are trained on: response tokens whose prompt is in the window.
        A window that opens inside a document (its prompt cut off before the window) does not train
        on that document's rest: answering a request the model cannot see teaches it to answer
        from the template alone."""
        keep = self.window(k, self.loss_mask) > 0
        start = k * self.seq_len
        if self.starts is None and len(self.tokens) > self.seq_len and start > 0:
            eos = self.tokens[-1]
            if self.tokens[start - 1] != eos:
                ends = np.flatnonzero(self.window(k) == eos)
                keep[: ends[0] + 1 if len(ends) else len(keep)] = False
        return keep

    def window(self, k: int, array: np.ndarray | None = None) -> np.ndarray:
        is_tokens = array is None
        array = self.tokens if array is None else array
        if self.starts is not None:
            start = int(self.starts[k])
            out = np.asarray(array[start : start + self._length(k)], dtype=np.int64)
            pad = int(self.tokens[-1]) if is_tokens else 0
            return np.concatenate([out, np.full(self.seq_len + 1 - len(out), pad, dtype=np.int64)])
        if len(array) <= self.seq_len:
            return np.resize(np.asarray(array, dtype=np.int64), self.seq_len + 1)
        start = k * self.seq_len
        return np.asarray(array[start : start + self.seq_len + 1], dtype=np.int64)


class BlendedSampler:
    def __init__(self, shards: dict[str, TokenShard], weights: dict[str, float],
                 num_samples: int, seed: int, stage: str):
        self.names = sorted(weights)
        for name in self.names:
            if shards[name].num_windows == 0:
                raise AuroraError(
                    f"source '{name}' has no tokens after cleaning (see data/stats.json); "
                    "add data or remove it from the mixture"
                )
        self.shards = [shards[n] for n in self.names]
        w = np.array([weights[n] for n in self.names], dtype=np.float64)
        self.seed = seed
        self.stage_key = int.from_bytes(stage.encode()[:8].ljust(8, b"\0"), "little")
        rng = np.random.default_rng([seed, self.stage_key])
        self.source_of = rng.choice(len(self.names), size=num_samples, p=w / w.sum()).astype(np.int16)
        self.rank_in_source = np.zeros(num_samples, dtype=np.int64)
        for k in range(len(self.names)):
            mask = self.source_of == k
            self.rank_in_source[mask] = np.arange(int(mask.sum()))
        self._perms: dict[tuple[int, int], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.source_of)

    def _perm(self, k: int, epoch: int) -> np.ndarray:
        key = (k, epoch)
        if key not in self._perms:
            rng = np.random.default_rng([self.seed, self.stage_key, k, epoch])
            self._perms[key] = rng.permutation(self.shards[k].num_windows)
        return self._perms[key]

    def _locate(self, i: int) -> tuple[int, int]:
        """(source index, window index in that source) of global sample ``i``."""
        k = int(self.source_of[i])
        epoch, pos = divmod(int(self.rank_in_source[i]), self.shards[k].num_windows)
        return k, int(self._perm(k, epoch)[pos])

    def sample(self, i: int) -> tuple[int, np.ndarray]:
        """(source index, tokens of length seq_len + 1) for global sample ``i``."""
        k, w = self._locate(i)
        return k, self.shards[k].window(w)

    def batch(self, indices: range) -> tuple[np.ndarray, np.ndarray]:
        pairs = [self.sample(i) for i in indices]
        return np.array([k for k, _ in pairs]), np.stack([t for _, t in pairs])

    def loss_masks(self, indices: range, responses_only: bool) -> np.ndarray:
        """Which tokens of each sample count in the loss (bool, shape (len(indices), seq_len + 1)):
        everything but padding, and with ``responses_only`` only the responses of instruction sources."""
        return np.stack([self.shards[k].trained(w, responses_only) for k, w in map(self._locate, indices)])

    @property
    def masked(self) -> bool:
        """Whether any source pads its windows (then the loss needs ``loss_masks``)."""
        return any(s.starts is not None for s in self.shards)

    def epochs(self) -> dict[str, float]:
        """How many times each source is read over the stage."""
        counts = np.bincount(self.source_of, minlength=len(self.names))
        return {n: float(c) / s.num_windows if s.starts is not None else float(c) * s.seq_len / max(1, len(s.tokens) - 1)
                for n, c, s in zip(self.names, counts, self.shards, strict=True)}
