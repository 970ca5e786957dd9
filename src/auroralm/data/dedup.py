"""Exact and MinHash-LSH near-duplicate removal: streaming, single pass, deterministic, memory-bounded.

Shingles are word n-grams (n=5) of normalized text (NFKC, lowercase, punctuation and symbols
removed, whitespace collapsed); for languages written without spaces (ja, zh, th, ...) they are
n-character grams of the text with whitespace removed. Code is tokenized like text: identifiers and
numbers, symbols dropped (as bigcode's near-dedup does).

LSH banding. A signature of ``num_perm`` minimum hashes is cut into ``bands`` bands of
``r = num_perm / bands`` rows; two documents with Jaccard similarity ``s`` share at least one band
with probability ``P(s) = 1 - (1 - s**r) ** bands``, an S-curve whose steepest point is near
``(1 / bands) ** (1 / r)``. The default 14 x 8 puts it at 0.72: P(0.6) = 0.21, P(0.7) = 0.57,
P(0.75) = 0.77, P(0.8) = 0.92, P(0.85) = 0.99. With ``verify`` on (the default), a band collision
is only a candidate: it is called a duplicate when the signatures agree on >= ``threshold`` of
their positions (the unbiased Jaccard estimate, standard error ~ sqrt(s(1-s)/num_perm) = 0.04).

Memory. The index holds, per kept document, one 8-byte key per band in an open-addressing table
(12 bytes per slot, load 1/4 to 1/2: 24-48 bytes per band), its id (UTF-8 + 8 bytes), and with
``verify`` its signature (4 bytes x num_perm). Texts and shingles are never kept.

Sharding. Shards can be deduplicated in parallel, each with its own deduper; ``merge`` then folds a
shard's index into another in shard order and names the shard's documents that duplicate earlier
shards, so a reduce step over saved indexes (no texts) finishes the job. Band tables are
independent rows of the index (``table_keys[band]``), so a very large index can also be split by
band across workers: a document is a candidate if any band matches, and the union of per-band
collisions is exactly the candidate set.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import unicodedata
from abc import ABC, abstractmethod
from array import array
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from auroralm.errors import AuroraError

# Languages written without spaces between words: shingle by characters instead.
CHAR_NGRAM_LANGS = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo"})

_B = 0x9E3779B97F4A7C15  # odd, hence invertible mod 2**64: lets n-gram hashes come from prefix sums
_B_INV = pow(_B, -1, 1 << 64)
_START = np.uint64(1 << 21)  # above every code point: marks the first unit of each token
_EMPTY = 0xFFFFFFFF


@functools.cache
def _separators() -> np.ndarray:
    """Boolean table over all code points: punctuation, symbols and whitespace separate tokens."""
    return np.array([unicodedata.category(chr(c))[0] in "PS" or chr(c).isspace() for c in range(0x110000)], dtype=bool)


@functools.cache
def _translation() -> dict[int, str]:
    return dict.fromkeys(np.flatnonzero(_separators()).tolist(), " ")


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)  # ASCII is already NFKC


def normalize(text: str) -> str:
    """NFKC, lowercase, punctuation and symbols replaced by spaces, whitespace collapsed."""
    return " ".join(_nfkc(text).lower().translate(_translation()).split())


def shingles(text: str, lang: str, n: int = 5) -> set[str]:
    """The shingle set MinHash sees: word n-grams, or character n-grams for CHAR_NGRAM_LANGS.

    A text with fewer than ``n`` tokens is one shingle; an empty one has none.
    """
    norm = normalize(text)
    tokens: list[str] = list(norm.replace(" ", "")) if lang in CHAR_NGRAM_LANGS else norm.split()
    sep = "" if lang in CHAR_NGRAM_LANGS else " "
    if len(tokens) < n:
        return {sep.join(tokens)} if tokens else set()
    return {sep.join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads every input bit over the output (polynomial hashes have weak low bits)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


class NgramHasher:
    """64-bit hashes of the n-token windows of one text, for any n, in a few vectorized passes.

    A polynomial hash mod 2**64 over the units, read off prefix sums: equal windows hash equally
    wherever they occur. Not collision resistant against an adversary, which at worst nudges a
    Jaccard estimate; ~5x faster than building each shingle string and hashing it with blake2b.
    """

    def __init__(self, text: str, lang: str) -> None:
        # The tokens of ``shingles``, as code points + 1 with a flag on each token's first unit.
        cp = np.frombuffer(_nfkc(text).lower().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        keep = ~_separators()[cp]
        self.units = cp[keep].astype(np.uint64) + np.uint64(1)
        if lang in CHAR_NGRAM_LANGS:
            self.starts = np.arange(self.units.size)
        else:
            first = keep.copy()
            first[1:] &= ~keep[:-1]
            self.starts = np.flatnonzero(first[keep])
            self.units[self.starts] += _START  # so that "ab c" and "a bc" hash differently
        length = self.units.size
        power = np.full(length, _B, dtype=np.uint64)
        power[:1] = 1
        inverse = np.full(length, _B_INV, dtype=np.uint64)
        inverse[:1] = 1
        self._power = np.cumprod(power)
        # prefix[m] = sum_{k<m} u_k B^-k, so window [i, j) is B^(j-1) (prefix[j] - prefix[i]) = sum u_k B^(j-1-k).
        self._prefix = np.zeros(length + 1, dtype=np.uint64)
        np.cumsum(self.units * np.cumprod(inverse), out=self._prefix[1:])

    @property
    def tokens(self) -> int:
        """Number of tokens (words, or characters for CHAR_NGRAM_LANGS)."""
        return self.starts.size

    def hashes(self, n: int, whole_if_short: bool = True) -> np.ndarray:
        """One hash per window position (repeats included); with fewer than n tokens, the whole
        text as one window (``whole_if_short``) or nothing."""
        t, length = self.starts.size, self.units.size
        if t == 0 or (t < n and not whole_if_short):
            return np.zeros(0, dtype=np.uint64)
        if t < n:
            i, j = np.zeros(1, dtype=np.int64), np.array([length])
        else:
            i, j = self.starts[: t - n + 1], np.append(self.starts[n:], length)
        return _mix64(self._power[j - 1] * (self._prefix[j] - self._prefix[i]))


def shingle_hashes(text: str, lang: str, n: int = 5) -> np.ndarray:
    """64-bit hashes of ``shingles(text, lang, n)`` (with repeats)."""
    return NgramHasher(text, lang).hashes(n)


class _Table:
    """Open-addressing hash tables, one row per band, from 64-bit keys (``width`` words) to uint32 indices.

    Linear probing over flat numpy arrays read through memoryviews: ~24-48 bytes per entry against
    ~100 for a dict of Python ints.
    """

    def __init__(self, rows: int, width: int = 1, capacity: int = 1024) -> None:
        self.rows, self.width = rows, width
        self._alloc(capacity)
        self.size = [0] * rows

    def _alloc(self, capacity: int) -> None:
        self.cap = capacity
        self.keys = np.zeros(self.rows * capacity * self.width, dtype=np.uint64)
        self.vals = np.full(self.rows * capacity, _EMPTY, dtype=np.uint32)
        self._k, self._v = memoryview(self.keys), memoryview(self.vals)

    def lookup(self, row: int, key: tuple[int, ...]) -> tuple[int, int]:
        """(slot, value); value is _EMPTY when the key is absent, and slot is then where it goes."""
        mask, base, w = self.cap - 1, row * self.cap, self.width
        pos = key[0] & mask
        while True:
            slot = base + pos
            value = self._v[slot]
            if value == _EMPTY or (self._k[slot * w] == key[0] and (w == 1 or self._k[slot * w + 1] == key[1])):
                return slot, value
            pos = (pos + 1) & mask

    def put(self, row: int, slot: int, key: tuple[int, ...], value: int) -> None:
        """Fill a slot returned empty by ``lookup`` (call ``reserve`` before the lookups)."""
        self._v[slot] = value
        for w, word in enumerate(key):
            self._k[slot * self.width + w] = word
        self.size[row] += 1

    def reserve(self) -> None:
        """Grow (x2) so that one more key per row keeps the load at most 1/2."""
        if 2 * (max(self.size) + 1) <= self.cap:
            return
        old_keys = self.keys.reshape(self.rows, self.cap, self.width)
        old_vals = self.vals.reshape(self.rows, self.cap)
        rows, slots = np.nonzero(old_vals != _EMPTY)
        keys, vals = old_keys[rows, slots], old_vals[rows, slots]
        self._alloc(self.cap * 2)
        mask = self.cap - 1
        pos = (keys[:, 0] & np.uint64(mask)).astype(np.int64)
        flat_keys = self.keys.reshape(-1, self.width)
        pending = np.arange(vals.size)
        # Vectorized re-insertion: each round, one key claims each free slot; the rest probe on.
        while pending.size:
            flat = rows[pending] * self.cap + pos[pending]
            free = self.vals[flat] == _EMPTY
            claimed, first = np.unique(flat[free], return_index=True)
            winners = pending[free][first]
            self.vals[claimed], flat_keys[claimed] = vals[winners], keys[winners]
            pending = np.setdiff1d(pending, winners, assume_unique=True)
            pos[pending] = (pos[pending] + 1) & mask

    def state(self) -> dict[str, np.ndarray]:
        return {
            "table_keys": self.keys.reshape(self.rows, self.cap, self.width),
            "table_vals": self.vals.reshape(self.rows, self.cap),
        }

    def load(self, state: dict[str, np.ndarray]) -> None:
        vals = np.ascontiguousarray(state["table_vals"], dtype=np.uint32)
        self.rows, self.cap = vals.shape
        self.keys = np.ascontiguousarray(state["table_keys"], dtype=np.uint64).reshape(-1).copy()
        self.vals = vals.reshape(-1).copy()
        self._k, self._v = memoryview(self.keys), memoryview(self.vals)
        self.size = (vals != _EMPTY).sum(axis=1).tolist()


class _Ids:
    """Document ids packed in one byte buffer (UTF-8 + an 8-byte end offset each)."""

    def __init__(self) -> None:
        self.buf, self.ends = bytearray(), array("q")

    def append(self, doc_id: str) -> int:
        self.buf += doc_id.encode()
        self.ends.append(len(self.buf))
        return len(self.ends) - 1

    def __getitem__(self, i: int) -> str:
        return self.buf[self.ends[i - 1] if i else 0 : self.ends[i]].decode()

    def __len__(self) -> int:
        return len(self.ends)

    def state(self) -> dict[str, np.ndarray]:
        return {"ids": np.frombuffer(bytes(self.buf), dtype=np.uint8), "id_ends": np.array(self.ends, dtype=np.int64)}

    def load(self, state: dict[str, np.ndarray]) -> None:
        self.buf = bytearray(state["ids"].tobytes())
        self.ends = array("q", state["id_ends"].tolist())


class _Index(ABC):
    """What both dedupers share: a key table, packed ids, and save/load as a plain .npz (no pickle)."""

    _table: _Table
    _ids: _Ids

    @abstractmethod
    def config(self) -> dict[str, Any]:
        """Constructor arguments, saved with the index."""

    def __len__(self) -> int:
        """Number of documents kept (indexed) so far."""
        return len(self._ids)

    def state_dict(self) -> dict[str, np.ndarray]:
        """The whole index as numpy arrays."""
        return {"config": np.array(json.dumps(self.config())), **self._table.state(), **self._ids.state()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Continue from a saved index; the parameters must match."""
        saved = json.loads(str(state["config"]))
        if saved != self.config():
            raise AuroraError(
                f"index was built with {saved}, not {self.config()}: use .load(path), or construct with those parameters"
            )
        self._table.load(state)
        self._ids.load(state)

    def save(self, path: str | os.PathLike) -> None:
        """Write the index atomically to ``path`` (.npz)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, **self.state_dict())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Any:
        """A deduper with the parameters and index saved at ``path``."""
        with np.load(path, allow_pickle=False) as data:
            state = dict(data)
        obj = cls(**json.loads(str(state["config"])))
        obj.load_state_dict(state)
        return obj


class MinHashDeduper(_Index):
    """Streaming MinHash-LSH near-duplicate detector: the first document of a cluster is kept."""

    def __init__(
        self,
        num_perm: int = 112,
        bands: int = 14,
        seed: int = 1,
        ngram: int = 5,
        threshold: float = 0.75,
        verify: bool = True,
    ) -> None:
        if num_perm % bands:
            raise AuroraError(f"num_perm ({num_perm}) must be a multiple of bands ({bands}): pick bands that divide it")
        self.num_perm, self.bands, self.seed, self.ngram = num_perm, bands, seed, ngram
        self.threshold, self.verify = threshold, verify
        self.rows = num_perm // bands
        rng = np.random.default_rng(seed)
        # Multiply-add-shift (Dietzfelbinger 1996): ((a*x + b) mod 2**64) >> 32 is 2-independent for
        # 32-bit x, like datasketch's (a*x + b) mod p but without the slow 64-bit modulo.
        self._a = rng.integers(0, 1 << 64, num_perm, dtype=np.uint64, endpoint=False)[:, None]
        self._b = rng.integers(0, 1 << 64, num_perm, dtype=np.uint64, endpoint=False)[:, None]
        self._table = _Table(bands)
        self._ids = _Ids()
        self._sigs = np.zeros((0, num_perm), dtype=np.uint32)  # kept documents' signatures, when verifying

    def config(self) -> dict[str, Any]:
        return {
            "num_perm": self.num_perm,
            "bands": self.bands,
            "seed": self.seed,
            "ngram": self.ngram,
            "threshold": self.threshold,
            "verify": self.verify,
        }

    def signature(self, text: str, lang: str) -> np.ndarray | None:
        """MinHash signature (uint32 x num_perm) of the text's shingles; None when it has none."""
        x = shingle_hashes(text, lang, self.ngram) >> np.uint64(32)
        if x.size == 0:
            return None
        sig = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        for lo in range(0, x.size, 2048):  # blocks bound the num_perm x shingles temporary
            v = self._a * x[lo : lo + 2048]
            v += self._b
            np.minimum(sig, v.min(axis=1), out=sig)
        # The shift is monotone, so it commutes with min: one pass over the matrix saved.
        return (sig >> np.uint64(32)).astype(np.uint32)

    def _band_keys(self, sig: np.ndarray) -> list[int | None]:
        buf, step = sig.astype("<u4").tobytes(), 4 * self.rows
        return [
            int.from_bytes(hashlib.blake2b(buf[i : i + step], digest_size=8).digest(), "little")
            for i in range(0, len(buf), step)
        ]

    def add(self, doc_id: str, text: str, lang: str) -> str | None:
        """Id of an earlier kept near-duplicate (drop this document), or None (kept and indexed).

        A text without a single token is neither indexed nor called a duplicate.
        """
        sig = self.signature(text, lang)
        if sig is None:
            return None
        return self._add(doc_id, sig, self._band_keys(sig))

    def _add(self, doc_id: str, sig: np.ndarray | None, keys: list[int | None]) -> str | None:
        self._table.reserve()
        empty, candidates = [], []
        for band, key in enumerate(keys):
            if key is None:
                continue
            slot, value = self._table.lookup(band, (key,))
            if value == _EMPTY:
                empty.append((band, slot, key))
            else:
                candidates.append(value)
        match = self._best(candidates, sig) if candidates else None
        if match is not None:
            return self._ids[match]
        idx = self._ids.append(doc_id)
        # A band whose key already points at an unconfirmed candidate keeps that older entry.
        for band, slot, key in empty:
            self._table.put(band, slot, (key,), idx)
        if self.verify:
            if idx == len(self._sigs):
                grow = np.zeros((max(1024, idx), self.num_perm), dtype=np.uint32)
                self._sigs = np.concatenate([self._sigs, grow])
            self._sigs[idx] = sig
        return None

    def _best(self, candidates: list[int], sig: np.ndarray | None) -> int | None:
        if not self.verify:
            return Counter(candidates).most_common(1)[0][0]  # the one sharing most bands
        uniq = np.unique(candidates)
        sim = (self._sigs[uniq] == sig).mean(axis=1)
        best = int(np.argmax(sim))
        return int(uniq[best]) if sim[best] >= self.threshold else None

    def merge(self, other: MinHashDeduper) -> dict[str, str]:
        """Fold a later shard's index into this one; return {its doc id: id here} for its duplicates.

        Equivalent to having streamed the shard's kept documents after this one's.
        """
        if other.config() != self.config():
            raise AuroraError(
                f"cannot merge an index built with {other.config()} into one with {self.config()}: shards must share parameters"
            )
        n = len(other)
        if other.verify:
            doc_keys: list[list[int | None]] = [self._band_keys(s) for s in other._sigs[:n]]
        else:  # no signatures: recover each document's band keys from the table
            doc_keys = [[None] * self.bands for _ in range(n)]
            state = other._table.state()
            for band in range(self.bands):
                vals, keys = state["table_vals"][band], state["table_keys"][band, :, 0]
                for slot in np.flatnonzero(vals != _EMPTY).tolist():
                    doc_keys[int(vals[slot])][band] = int(keys[slot])
        dropped = {}
        for j in range(n):
            match = self._add(other._ids[j], other._sigs[j] if other.verify else None, doc_keys[j])
            if match is not None:
                dropped[other._ids[j]] = match
        return dropped

    def state_dict(self) -> dict[str, np.ndarray]:
        """The whole index as numpy arrays: band tables, ids, signatures (empty unless verifying)."""
        return {**super().state_dict(), "signatures": self._sigs[: len(self)]}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Continue from a saved index; the parameters must match."""
        super().load_state_dict(state)
        self._sigs = np.array(state["signatures"], dtype=np.uint32).reshape(-1, self.num_perm)


class ExactDeduper(_Index):
    """Drops documents whose normalized text was seen before (16-byte blake2b keys)."""

    def __init__(self) -> None:
        self._table = _Table(rows=1, width=2)
        self._ids = _Ids()

    def config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def key(text: str, lang: str = "") -> tuple[int, int]:
        """Digest of the normalized text; code keeps case and symbols, which carry meaning there."""
        if lang == "code":
            norm = " ".join(_nfkc(text).split())
        else:
            norm = normalize(text)
        digest = hashlib.blake2b(norm.encode(), digest_size=16).digest()
        return int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")

    def add(self, doc_id: str, text: str, lang: str = "") -> str | None:
        """Id of the first document with the same normalized text, or None (kept)."""
        key = self.key(text, lang)
        self._table.reserve()
        slot, value = self._table.lookup(0, key)
        if value != _EMPTY:
            return self._ids[value]
        self._table.put(0, slot, key, self._ids.append(doc_id))
        return None
