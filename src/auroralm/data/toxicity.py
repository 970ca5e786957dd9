"""Word-list toxicity filter (adult content, profanity, slurs) for en, fi, hi, ja, vi.

Lists live in ``assets/wordlists/toxic_<lang>.txt`` with innocent look-alikes in
``allow_<lang>.txt``. Entries are ``word`` (whole word), ``word*`` (prefix: Finnish and Hindi
inflect), ``*word*`` (inside a word) or ``two words`` (a phrase of consecutive words), matched
against ``segment.words`` of the lowercased text. Japanese has no word boundaries, so its entries
are plain substrings. Languages without lists use the English one: English abuse is everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auroralm.data.segment import words

WORDLISTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "wordlists"
LANGUAGES = ("en", "fi", "hi", "ja", "vi")
MAX_RATIO = 0.02  # one hit in a text under 50 words is enough: short abusive comments


@dataclass(frozen=True)
class _Terms:
    """One word list, split by how each entry matches."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    infix: re.Pattern | None
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> phrases, longest first

    def may_match(self, vocab: set[str], lowered: str) -> bool:
        """Cheap test on the set of words: False means no entry can match."""
        return (
            not vocab.isdisjoint(self.exact)
            or any(vocab.issuperset(p) for ps in self.phrases.values() for p in ps)
            or (bool(self.prefixes) and any(w.startswith(self.prefixes) for w in vocab))
            or (self.infix is not None and self.infix.search(lowered) is not None)
        )

    def word_matches(self, word: str) -> bool:
        return (
            word in self.exact
            or (bool(self.prefixes) and word.startswith(self.prefixes))
            or (self.infix is not None and self.infix.search(word) is not None)
        )


@dataclass(frozen=True)
class _Lists:
    toxic: _Terms
    allow: _Terms
    toxic_ja: re.Pattern | None = None  # substring patterns for Japanese
    allow_ja: re.Pattern | None = None


def _read(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _terms(entries: list[str]) -> _Terms:
    exact, prefixes, infixes = set(), [], []
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for e in entries:
        if " " in e:
            phrase = tuple(e.split())
            phrases.setdefault(phrase[0], []).append(phrase)
        elif e.startswith("*") and e.endswith("*"):
            infixes.append(re.escape(e.strip("*")))
        elif e.endswith("*"):
            prefixes.append(e[:-1])
        else:
            exact.add(e)
    return _Terms(
        exact=frozenset(exact),
        prefixes=tuple(prefixes),
        infix=re.compile("|".join(infixes)) if infixes else None,
        phrases={k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()},
    )


def _alternation(entries: list[str]) -> re.Pattern | None:
    # Longest first, so that an allowed word wins over a toxic substring at the same place.
    entries = sorted(entries, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, entries))) if entries else None


@cache
def load_lists(lang: str) -> _Lists:
    """The parsed toxic and allow lists for ``lang`` (English for languages without lists)."""
    lang = lang if lang in LANGUAGES else "en"
    toxic, allow = _read(WORDLISTS_DIR / f"toxic_{lang}.txt"), _read(WORDLISTS_DIR / f"allow_{lang}.txt")
    if lang == "ja":
        empty = _terms([])
        return _Lists(empty, empty, _alternation(toxic), _alternation(allow))
    return _Lists(_terms(toxic), _terms(allow))


def _phrase_at(ws: list[str], i: int, terms: _Terms) -> int:
    """Length of the longest phrase of ``terms`` starting at ``ws[i]``, or 0."""
    for phrase in terms.phrases.get(ws[i], ()):
        if tuple(ws[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _count_words(ws: list[str], lists: _Lists) -> int:
    """Toxic words and phrases in ``ws``, each occurrence once, allowed spans skipped."""
    allowed: set[int] = set()
    for i in range(len(ws)):
        n = _phrase_at(ws, i, lists.allow)
        allowed.update(range(i, i + n))
    hits, i = 0, 0
    while i < len(ws):
        n = 0 if i in allowed else _phrase_at(ws, i, lists.toxic)
        if n:
            hits += 1
            i += n
            continue
        w = ws[i]
        if i not in allowed and lists.toxic.word_matches(w) and not lists.allow.word_matches(w):
            hits += 1
        i += 1
    return hits


def _count_ja(text: str, lists: _Lists) -> int:
    hits = [m.span() for m in lists.toxic_ja.finditer(text)] if lists.toxic_ja else []
    if not hits or lists.allow_ja is None:
        return len(hits)
    allowed = [m.span() for m in lists.allow_ja.finditer(text)]
    return sum(1 for s, e in hits if not any(a <= s and e <= b for a, b in allowed))


def toxic_hits(text: str, lang: str) -> tuple[int, int]:
    """(toxic words or phrases found, words in ``text``) with ``lang``'s lists."""
    lists = load_lists(lang)
    lowered = text.lower()
    if lists.toxic_ja is not None:
        if not lists.toxic_ja.search(lowered):
            return 0, 0  # the common case: skip segmentation
        return _count_ja(lowered, lists), len(words(lowered, "ja"))
    ws = words(lowered, lang)
    hits = _count_words(ws, lists) if lists.toxic.may_match(set(ws), lowered) else 0
    return hits, len(ws)


def toxic_reason(text: str, lang: str, min_hits: int = 2, max_ratio: float = MAX_RATIO) -> str | None:
    """``"toxic_words"`` when ``text`` has at least ``min_hits`` listed terms or more than
    ``max_ratio`` of its words are listed terms; None keeps it."""
    hits, n_words = toxic_hits(text, lang)
    if hits and (hits >= min_hits or hits > max_ratio * max(n_words, 1)):
        return "toxic_words"
    return None
