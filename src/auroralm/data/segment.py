"""Cheap, dependency-free word and sentence segmentation for the recipe's languages.

Space-delimited languages (en, fi, vi and other Latin or Devanagari text) are split on non-word
characters; a Vietnamese "word" is therefore one syllable. Japanese has no spaces, so it is cut
into script runs (kanji, hiragana, katakana, Latin, digits): a standard cheap stand-in for a
morphological analyser that keeps particles such as の or を as their own runs most of the time.
"""

from __future__ import annotations

import re

# \w misses combining marks, so Devanagari vowel signs and virama (and NFD Latin accents) would
# split words in two; the danda (U+0964/U+0965) is punctuation and must stay a separator.
_WORD = re.compile(r"[\w\u0300-\u036f\u0900-\u0963\u0966-\u097f\u200c\u200d]+")

# ー (U+30FC) belongs to katakana runs (コーヒー); after hiragana (すごーい) it splits the run.
_JA_RUN = re.compile(
    r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff々〆ヶ]+"  # kanji
    r"|[\u3041-\u3096\u309d\u309e]+"  # hiragana
    r"|[\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f]+"  # katakana (full and half width)
    r"|[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]+"  # Latin (incl. full width)
    r"|[0-9\uff10-\uff19]+"  # digits (incl. full width)
    r"|[^\W\d_\u3000-\u30ff\u4e00-\u9fff]+"  # any other letters (Hangul, Greek, ...)
)

_SENTENCE = {
    "ja": re.compile(r"[^\n]+?(?:[。！？!?]+[」』）)]*|$)", re.M),
    "hi": re.compile(r"[^\n]+?(?:[।॥]+|[.!?]+[\"'”’)]*(?=\s)|$)", re.M),
}
_SENTENCE_DEFAULT = re.compile(r"[^\n]+?(?:[.!?…]+[\"'”’»)]*(?=\s)|$)", re.M)


def words(text: str, lang: str) -> list[str]:
    """Words of ``text`` as the filters count them (script runs for Japanese)."""
    if lang == "ja":
        return _JA_RUN.findall(text)
    return _WORD.findall(text)


def sentences(text: str, lang: str) -> list[str]:
    """Sentences of ``text``: split after 。！？ (ja), । ॥ (hi) or . ! ? …, and at newlines."""
    pattern = _SENTENCE.get(lang, _SENTENCE_DEFAULT)
    return [s for s in (m.strip() for m in pattern.findall(text)) if s]
