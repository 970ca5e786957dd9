"""Per-language quality filters: Gopher quality + repetition, FineWeb line filters, code filters.

Every check returns None to keep a document or a stable snake_case reason to drop it.
Sources of the numbers (each threshold in ``THRESHOLDS`` says where it comes from):

- Gopher: Rae et al. 2021, "Scaling Language Models", appendix A (quality rules and table A1
  repetition fractions), as implemented by datatrove's ``GopherQualityFilter`` and
  ``GopherRepetitionFilter``.
- FineWeb: Penedo et al. 2024, datatrove's ``FineWebQualityFilter`` defaults.
- FineWeb-2: Penedo et al. 2025, per-language values from ``huggingface/fineweb-2`` ``configs/
  {fin_Latn,hin_Deva,jpn_Jpan,vie_Latn}.yml`` and its pipeline (which also loosens the duplicated
  line characters threshold to 0.1 and turns the short-line filter off).
- Code: the StarCoder / The Stack filters from bigcode-dataset (line lengths, alphanumeric
  fraction; stricter alphanumeric fraction for JSON/YAML) and codeparrot's auto-generated check.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np

from auroralm.data.segment import words

_GOPHER_NGRAMS = {
    "top_ngrams": ((2, 0.20), (3, 0.18), (4, 0.16)),  # Gopher table A1
    "dup_ngrams": ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)),  # table A1
}

_DEFAULT: dict = {
    "min_words": 50,  # Gopher
    "max_words": 100_000,  # Gopher
    "min_mean_word_length": 3.0,  # Gopher
    "max_mean_word_length": 10.0,  # Gopher
    "max_symbol_word_ratio": 0.1,  # Gopher: '#' or ellipses per word
    "max_bullet_lines": 0.9,  # Gopher
    "max_ellipsis_lines": 0.3,  # Gopher
    "min_alpha_words": 0.8,  # Gopher: 80% of words contain a letter
    "min_stopwords": 2,  # Gopher
    "max_dup_line_fraction": 0.30,  # Gopher table A1
    "max_dup_para_fraction": 0.30,  # Gopher table A1
    **_GOPHER_NGRAMS,
    "min_line_punct": 0.12,  # FineWeb line_punct_thr
    "max_short_lines": 0.67,  # FineWeb short_line_thr ...
    "short_line_chars": 30,  # ... of lines of at most short_line_length characters
    # FineWeb English used 0.01; FineWeb-2 raised it to 0.1 for all languages, and so do we for
    # English too: at 0.01 every forum thread whose "reply from X:" headers repeat is dropped.
    "max_dup_line_chars": 0.1,
    "max_newline_ratio": 0.3,  # FineWeb new_line_ratio ("list-like" documents)
}


def _with(**overrides: object) -> dict:
    return {**_DEFAULT, **overrides}


THRESHOLDS: dict[str, dict] = {
    # Languages without an entry (de, fr, ...) get these, minus the stopword check: English
    # stopwords silently applied to other languages would drop all of them.
    "default": _DEFAULT,
    "en": _with(),  # Gopher and FineWeb as published, but see max_dup_line_chars
    "fi": _with(  # FineWeb-2 fin_Latn
        min_mean_word_length=4.0,
        max_mean_word_length=13.0,
        min_alpha_words=0.755,
        max_dup_line_fraction=0.333,
        min_line_punct=0.25,
        max_newline_ratio=0.219,
        top_ngrams=((2, 0.101), (3, 0.132), (4, 0.163)),
        dup_ngrams=((5, 0.171), (6, 0.149), (7, 0.131), (8, 0.119), (9, 0.106), (10, 0.094)),
    ),
    "hi": _with(  # FineWeb-2 hin_Deva
        min_mean_word_length=2.0,
        max_mean_word_length=21.0,
        min_alpha_words=0.837,
        max_dup_line_fraction=0.206,
        min_line_punct=0.091,
        max_newline_ratio=0.316,
        top_ngrams=((2, 0.208), (3, 0.198), (4, 0.161)),
        dup_ngrams=((5, 0.135), (6, 0.125), (7, 0.116), (8, 0.108), (9, 0.099), (10, 0.09)),
    ),
    "ja": _with(  # FineWeb-2 jpn_Jpan, adapted to script runs (see below)
        # FineWeb-2 counts morphemes; a script run (旧川端小学校, している) often spans several,
        # so runs are fewer and longer: the upper word-length bound moves from 5 to 6 and the
        # 50-word minimum stays (a 50-run text is ~100 characters, a short paragraph).
        min_mean_word_length=1.0,
        max_mean_word_length=6.0,
        min_alpha_words=0.759,
        max_dup_line_fraction=0.375,
        min_line_punct=0.167,
        max_newline_ratio=0.162,
        short_line_chars=12,  # ~30 Latin characters carry as much text as ~12 Japanese ones
        top_ngrams=((2, 0.121), (3, 0.129), (4, 0.145)),
        dup_ngrams=((5, 0.307), (6, 0.283), (7, 0.264), (8, 0.248), (9, 0.234), (10, 0.223)),
    ),
    "vi": _with(  # FineWeb-2 vie_Latn
        # FineWeb-2's Vietnamese tokenizer joins compounds (học_sinh); ours counts syllables,
        # whose mean length is ~3.4, so the lower bound drops from 3 to 2.
        min_mean_word_length=2.0,
        max_mean_word_length=11.0,
        min_alpha_words=0.803,
        max_dup_line_fraction=0.293,
        min_line_punct=0.333,
        max_newline_ratio=0.103,
        top_ngrams=((2, 0.223), (3, 0.197), (4, 0.171)),
        dup_ngrams=((5, 0.178), (6, 0.163), (7, 0.15), (8, 0.136), (9, 0.124), (10, 0.111)),
    ),
}

# Function words, written for this project (~30 each; Gopher's eight English words included).
# Japanese entries are hiragana script runs as ``segment.words`` yields them.
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(ws.split())
    for lang, ws in {
        "en": "the be to of and that have with a in is it for not on as you do at this but by from "
        "they we or an are was his her",
        "fi": "ja on ei se että oli hän mutta kun tai myös ovat joka sen sekä kanssa jälkeen mukaan "
        "niin kuin jos ole olla ne tämä mikä vain jo nyt jossa",
        "hi": "के में है की और से का को एक हैं पर ने यह भी था थे कि तो लिए हो इस नहीं कर वह जो ही गया किया साथ",
        "ja": "の に は を が で と も へ や から まで より など した して する です ます ました "
        "である という として には では にも この その こと",
        "vi": "là và của một được trong năm các có những này đã người cho không với để khi đến từ "
        "cũng như về thì tại sẽ ra nhiều theo",
    }.items()
}

_BULLETS = ("•", "‣", "⁃", "◦", "▪", "●", "○", "■", "□", "–", "-", "*", "·")
_ELLIPSES = ("...", "…")
# FineWeb's stop characters (. ' " ! ?) plus their Unicode, Devanagari and CJK counterparts.
_TERMINAL = tuple(".'\"!?…”’»。！？」』।॥")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _lines(text: str) -> list[str]:
    # Blank lines are layout (paragraph breaks), not content: FineWeb's ratios were measured on
    # trafilatura output, which has no blank lines, so counting them here would skew every ratio.
    return [s for s in (line.strip() for line in text.split("\n")) if s]


def _dup_count(items: list[str]) -> tuple[int, int]:
    """(number of repeated items, characters in them), first occurrences not counted.

    Items without a letter (separators such as ―――― or * * *) are skipped: they are layout, and
    a forum thread that repeats one between every post is not repetitive text.
    """
    seen: set[str] = set()
    n = chars = 0
    for item in items:
        if not _HAS_LETTER.search(item):
            continue
        if item in seen:
            n += 1
            chars += len(item)
        else:
            seen.add(item)
    return n, chars


def _dup_ngram_chars(ws: list[str], starts: list[int], n: int) -> int:
    """Characters in repeated n-grams, counted as datatrove does: later occurrences only,
    skipping past each match. ``starts`` are the positions whose n-gram occurs twice or more."""
    seen: set[tuple[str, ...]] = set()
    dup_chars = next_free = 0
    for i in starts:
        if i < next_free:
            continue
        gram = tuple(ws[i : i + n])
        if gram in seen:
            dup_chars += sum(map(len, gram))
            next_free = i + n
        else:
            seen.add(gram)
    return dup_chars


def _repetition(ws: list[str], total_chars: int, t: dict) -> str | None:
    """Gopher's top n-gram and duplicated n-gram checks over word characters.

    An n-gram can only repeat where its leading (n-1)-gram repeats, so each n only looks at the
    positions that survived n-1: in ordinary text that set is small by n=4 and empty by n=6.
    """
    top, dup = dict(t["top_ngrams"]), dict(t["dup_ngrams"])
    max_n = max([*top, *dup])
    grams = dict(enumerate(zip(ws, ws[1:])))
    n = 2
    while True:
        counts = Counter(grams.values())
        starts = [i for i, g in grams.items() if counts[g] > 1]
        if not starts:
            return None
        if n in top:
            gram, count = counts.most_common(1)[0]
            if count * sum(map(len, gram)) > top[n] * total_chars:
                return "gopher_top_ngram"
        if n in dup and _dup_ngram_chars(ws, starts, n) > dup[n] * total_chars:
            return "gopher_dup_ngram"
        n += 1
        if n > max_n:
            return None
        grams = {i: tuple(ws[i : i + n]) for i in starts if i + n <= len(ws)}


def check_quality(text: str, lang: str, thresholds: dict | None = None) -> str | None:
    """Gopher quality + repetition and FineWeb line filters for ``lang``; None keeps the text."""
    t = thresholds or THRESHOLDS.get(lang, THRESHOLDS["default"])
    ws = words(text.lower(), lang)
    n = len(ws)
    if not t["min_words"] <= n <= t["max_words"]:
        return "gopher_word_count"
    total_chars = sum(map(len, ws))
    if not t["min_mean_word_length"] <= total_chars / n <= t["max_mean_word_length"]:
        return "gopher_mean_word_length"
    max_symbols = t["max_symbol_word_ratio"] * n
    if text.count("#") > max_symbols or text.count("...") + text.count("…") > max_symbols:
        return "gopher_symbol_ratio"
    lines = _lines(text)
    n_lines = len(lines)
    if sum(line.startswith(_BULLETS) for line in lines) > t["max_bullet_lines"] * n_lines:
        return "gopher_bullet_lines"
    if sum(line.endswith(_ELLIPSES) for line in lines) > t["max_ellipsis_lines"] * n_lines:
        return "gopher_ellipsis_lines"
    # Words are runs of word characters, so one without a letter is a number.
    if n - sum(map(str.isdigit, ws)) < t["min_alpha_words"] * n:
        return "gopher_alpha_words"
    stopwords = STOPWORDS.get(lang)
    if stopwords is not None and sum(map(stopwords.__contains__, ws)) < t["min_stopwords"]:
        return "gopher_stopwords"

    dup_lines, dup_line_chars = _dup_count(lines)
    if dup_lines > t["max_dup_line_fraction"] * n_lines:
        return "gopher_dup_line_fraction"
    paragraphs = [p.strip() for p in _PARAGRAPH.split(text.strip())]
    if _dup_count(paragraphs)[0] > t["max_dup_para_fraction"] * len(paragraphs):
        return "gopher_dup_para_fraction"
    reason = _repetition(ws, total_chars, t)
    if reason:
        return reason

    if sum(line.endswith(_TERMINAL) for line in lines) <= t["min_line_punct"] * n_lines:
        return "fineweb_line_punct"
    short = t["short_line_chars"]
    if sum(len(line) <= short for line in lines) >= t["max_short_lines"] * n_lines:
        return "fineweb_short_lines"
    if dup_line_chars >= t["max_dup_line_chars"] * sum(map(len, lines)):
        return "fineweb_dup_line_chars"
    if n_lines - 1 > t["max_newline_ratio"] * n:
        return "fineweb_list_ratio"
    return None


# --- CAT: symbol- or number-dominated text ------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]|[\u0300-\u036f\u0900-\u0963\u0966-\u097f]")
_SPACE = re.compile(r"\s")
_SENTENCE_PUNCT = re.compile(r"[.,;:!?'\"()\-–—…“”‘’«»。、！？「」『』（）・।॥]")


@functools.cache
def _symbol_tables() -> tuple[np.ndarray, np.ndarray]:
    """Tables over all code points, read off the three regexes above (each matches single
    characters, whatever their neighbours): is it whitespace; how many of letter and sentence
    punctuation is it (0 or 1: no character is both)."""
    every = "".join(map(chr, range(0x110000)))
    space = np.zeros(0x110000, dtype=bool)
    space[[m.start() for m in _SPACE.finditer(every)]] = True
    text = np.zeros(0x110000, dtype=np.uint8)
    for regex in (_LETTER, _SENTENCE_PUNCT):
        text[[m.start() for m in regex.finditer(every)]] += 1
    return space, text


def symbol_or_number_dominated(text: str, max_ratio: float = 0.5) -> bool:
    """True when digits and symbols (not sentence punctuation) are over ``max_ratio`` of the
    non-space characters: tables, numeric dumps, symbol soup (Aurora-M's CAT-stage filter)."""
    space, letter_or_punct = _symbol_tables()
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    non_space = cp.size - int(np.count_nonzero(space[cp]))
    if non_space == 0:
        return True
    other = non_space - int(letter_or_punct[cp].sum())
    return other > max_ratio * non_space


# --- code ---------------------------------------------------------------------------------

CODE_THRESHOLDS: dict[str, dict] = {
    # StarCoder (bigcode-dataset): drop files with a line over 1000 characters, a mean line over
    # 100, or under 25% alphanumeric characters; JSON and YAML need 50% alphanumeric.
    "default": {"max_line_length": 1000, "max_mean_line_length": 100, "min_alnum_fraction": 0.25},
    "json": {"max_line_length": 1000, "max_mean_line_length": 100, "min_alnum_fraction": 0.5},
    "yaml": {"max_line_length": 1000, "max_mean_line_length": 100, "min_alnum_fraction": 0.5},
}
_AUTOGEN_LINES = 5  # codeparrot looks at the first five lines
_AUTOGEN = re.compile(
    r"auto-?generated|automatically generated|do not (?:edit|modify)"
    # "generated by" only as a header ("# Generated by Django", "file was generated by SWIG"),
    # not in prose such as "numbers generated by a Mersenne twister".
    r"|^\W*(?:this )?(?:(?:file|code|source) (?:(?:is|was|has been) )?)?generated (?:by|with|from)\b",
    re.IGNORECASE | re.MULTILINE,
)
# A run of 64+ base64 or hex characters with no space: embedded images, keys, compiled blobs.
_BLOB = re.compile(r"[A-Za-z0-9+/]{64,}={0,2}")
_NUMBER = re.compile(r"\b(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b")
_TOKEN = re.compile(r"\w+(?:\.\d+)?")
MAX_BLOB_FRACTION = 0.3  # of all characters; one inline icon in a big file is fine
MAX_NUMBER_FRACTION = 0.5  # of all tokens: lookup tables and numeric dumps, not programs


def check_code(text: str, language: str | None) -> str | None:
    """StarCoder-style filters for a source file in ``language`` (python, json, ...)."""
    t = CODE_THRESHOLDS.get((language or "").lower(), CODE_THRESHOLDS["default"])
    lines = text.splitlines() or [""]
    if max(map(len, lines)) > t["max_line_length"]:
        return "code_max_line_length"
    if len(text) / len(lines) > t["max_mean_line_length"]:
        return "code_mean_line_length"
    if sum(map(str.isalnum, text)) < t["min_alnum_fraction"] * len(text):
        return "code_alnum_fraction"
    if _AUTOGEN.search("\n".join(lines[:_AUTOGEN_LINES])):
        return "code_autogenerated"
    blobs = [m for m in _BLOB.findall(text) if not m.isalpha()]  # long identifiers are not data
    if sum(map(len, blobs)) > MAX_BLOB_FRACTION * len(text):
        return "code_data_blob"
    tokens = _TOKEN.findall(text)
    if tokens and len(_NUMBER.findall(text)) > MAX_NUMBER_FRACTION * len(tokens):
        return "code_mostly_numbers"
    return None
