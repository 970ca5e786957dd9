"""Offline language identification for the recipe's languages, plus source-code detection.

Scripts decide Hindi (Devanagari) and Japanese (kana); Vietnamese is told apart from other
Latin-script text by its tone-marked letters; English, Finnish and a few neighbours by their
function words. Code is detected first, from line-level syntax signals.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

# A line looks like code when it matches either regex. They are one alternation split in two: the
# alternatives that only match at the start of a line (used with ``match``, which anchors them there),
# and those that can match anywhere in it (used with ``search``). One ``search`` over the union tried
# every start-anchored alternative again at every position of the line, which made this the slowest
# step of language id. (The keyword alternative used to end in ``.*[:)]?\s*$``, which every rest of a
# line matches: a line never holds a newline.)
_CODE_LINE_START = re.compile(
    r"""(\s*(def|class|import|from|return|elif|else:|try:|except|with|for|while|if)\b)
      |(\s*(\#include|\#define|package|public|private|static|func|fn|let|const|var|use|impl|fun|val|mut|pub
              |struct|enum|trait|match|interface|local|function|end|elsif|unless|puts|require|module|echo|export
              |then|fi|do|done|esac)\b)
      |(\s*(SELECT|INSERT|UPDATE|CREATE|DELETE|ALTER|DROP|WITH|JOIN|LEFT|RIGHT|INNER|WHERE|AND|OR|ORDER\ BY
              |GROUP\ BY|HAVING|LIMIT|VALUES|SET|ON|UNION|PRAGMA|BEGIN|COMMIT)\b)|(\s*--\s)
      |(\s*(FROM|RUN|COPY|ADD|CMD|ENTRYPOINT|ENV|WORKDIR|EXPOSE|ARG)\s)
      |(\s*[})\]];?,?\s*$)|(\s*//)|(\s*\#!)|(\s*\#\s)
      |(\s*</?[A-Za-z][\w-]*(\s[^>]*)?/?>)
      |(\s*"[^"]+"\s*:\s*)|(\s*\[[\w.-]+\]\s*$)|(\s*[A-Za-z_][\w.-]*\s*=\s*\S)  # JSON key, [section], x = 1, KEY=value
      |(\s*\((def\w*|ns|define|setq|lambda)\s)  # Lisp forms: (defn total [items]
      # A YAML key, unless its value runs four words on like a sentence: "anna: did you run it?"
      # is a line of a chat log. (Keys whose value is prose are rare, and their neighbours count.)
      |(\s*[a-z_][\w.-]*:(?!.*?\b[^\W\d_]+\ [^\W\d_]+\ [^\W\d_]+\ [^\W\d_]+\b)(\s+\S.{0,60})?$)
      |(\t\S)
      |(\s*[\[{]+\s*"[^"]*"\s*[:,\]])  # JSON, also minified to one line: {"id": ... or ["a", ...""",
    re.VERBOSE,
)
_CODE_LINE_ANYWHERE = re.compile(
    r"""(\b(INTEGER|VARCHAR|NOT\ NULL|PRIMARY\ KEY|REFERENCES|DEFAULT|BOOLEAN|TIMESTAMP)\b)
      |(\b[a-z_]+\.[a-z_]{2,}\b,?\s*$)
      |([;{]\s*$)|(=>)|(\bself\.)|(\w\(.*\)\s*[:{]?\s*$)
      |(==|!=|\+=|->|::|:=|&&|\|\||\$\{?\w+)
      |(</[A-Za-z][\w-]*>\s*$)|(\bdo\s*\|\w+)""",
    re.VERBOSE,
)
_CODE_SYMBOL = re.compile(r"""[{}\[\]()<>;=_$#|&*/\\"':.]""")


_STOPWORDS = {
    "en": "the and of to is in that it for you with on are this be was as at by have from or not "
    "but what all were when we there can an your which their if will one do about how so "
    "they has more would been she he my its our into than them these also",
    "fi": "ja on ei että se hän mutta kun tai myös ovat oli kuin jos niin voi mikä joka tämä sen "
    "ole olla ne me te he minä sinä mitä jo vain sitten vielä kaikki hyvin nyt sekä koska "
    "kanssa ennen jälkeen aina paljon siitä sitä tässä joten eli siis",
    "de": "der die das und ist nicht ein eine zu den mit sich auf für von dem auch es im wie",
    "fr": "le la les et est des une un du que qui dans pour pas sur au avec ce il elle sont",
    "es": "el la los las y es de que en un una por con para no se del al lo como más",
    "sv": "och att det som är en på för med han inte av till den har jag de var om",
    "it": "il di che è e la per un non con una sono del della le gli anche come",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
# Every label ``identify`` returns, but "unknown".
LANGUAGES = (*_STOPWORDS, "hi", "ja", "vi", "zh", "code")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters that exist in Vietnamese orthography but not in the other Latin-script languages here.
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


# Code point classes for ``_script_counts`` (every script it counts lies below U+A000).
_OTHER, _DEVA, _KANA, _HAN, _LATIN, _VI = range(6)


def _class_table() -> np.ndarray:
    table = np.zeros(0xA001, dtype=np.uint8)  # the last entry (_OTHER) stands for U+A000 and above
    table[0x0900:0x0980] = _DEVA
    table[0x3040:0x3100] = _KANA
    table[0x4E00:0xA000] = _HAN
    # A-Z a-z ª µ º À-Ö Ø-ö ø-ɏ (Latin-1, Extended-A and -B), Ḁ-ỿ (Latin Extended Additional)
    for lo, hi in ((0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xB5, 0xB5), (0xBA, 0xBA), (0xC0, 0xD6), (0xD8, 0xF6),
                   (0xF8, 0x24F), (0x1E00, 0x1EFF)):
        table[lo : hi + 1] = _LATIN
    table[[ord(c) for c in _VI_LETTERS]] = _VI  # all of them are Latin letters too
    return table


_CLASS = _class_table()


def _script_counts(text: str) -> tuple[int, int, int, int, int]:
    """Counts of (devanagari, kana, han, latin, vietnamese-specific) letters; Latin includes the
    Vietnamese-specific ones. One table lookup per code point, counted with ``bincount``."""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = np.bincount(_CLASS[np.minimum(cp, _CLASS.size - 1)], minlength=6).tolist()
    return n[_DEVA], n[_KANA], n[_HAN], n[_LATIN] + n[_VI], n[_VI]


def code_score(text: str, threshold: float | None = None) -> float:
    """Fraction of non-blank lines that look like source code.

    With ``threshold``, counting stops as soon as the fraction can no longer reach it, and the
    value returned is then only some number below ``threshold``; a fraction at or above it is exact.
    """
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    n = len(lines)
    start, anywhere = _CODE_LINE_START.match, _CODE_LINE_ANYWHERE.search
    if threshold is None:
        return sum(1 for ln in lines if start(ln) or anywhere(ln)) / n
    hits = 0
    for k, ln in enumerate(lines):
        if start(ln) or anywhere(ln):
            hits += 1
        elif (hits + n - k - 1) / n < threshold:  # even if every remaining line were code
            return (hits + n - k - 1) / n
    return hits / n


_FULL_STOPS = ".!?。！？।"


def _short_code(text: str, cs: float, letters: int) -> bool:
    """A one- or two-line snippet is code when its lines look like code and symbols are dense,
    but symbol soup with few letters is not, and neither is a sentence: a text that starts with a
    capital (or a non-Latin letter) and ends with a full stop, like "Run make && make install."."""
    if letters < 0.3 * len(text):
        return False
    symbols = len(_CODE_SYMBOL.findall(text)) / max(1, len(text))
    if not ((cs >= 0.5 and symbols >= 0.08) or (cs == 1.0 and symbols >= 0.03)):
        return False
    first, last = text.lstrip()[:1], text.rstrip()[-1:]
    return not (first.isalpha() and (first.isupper() or not first.isascii()) and last in _FULL_STOPS)


# Block comments and docstrings hold prose, so a function under a long docstring can score as
# prose. Code is therefore also scored without them, and the higher score counts: pairing the
# quotes goes wrong in a snippet cut out of a file (its code becomes "inside"), which the plain
# score covers. Prose seldom holds a closed block.
_BLOCK_COMMENT = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|/\*[\s\S]*?\*/')


def _code_score(text: str, threshold: float) -> float:
    cs = code_score(text, threshold)
    if '"""' in text or "'''" in text or "/*" in text:
        cs = max(cs, code_score(_BLOCK_COMMENT.sub("", text), threshold))
    return cs


_CODE_MIN = 0.4  # code_score from which a text can be code


def identify(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code or ``code`` or ``unknown``, confidence in [0, 1]).

    A mixed-language document gets the language of its dominant script, and a confidence scaled
    by that script's share of the letters. Devanagari, or kana and han together, win from 40% of
    the letters (one such character carries about as much text as two or three Latin letters);
    otherwise the Latin text's function words pick the language. A text half English and half
    Japanese by sentences (about two Latin letters to one Japanese character) is ``en`` at about
    0.6, one with three Japanese sentences to one English is ``ja`` at about 0.6, and an even mix
    by letters scores about 0.5, the default ``data.langid_min_confidence``; a pure text of either
    scores 0.9 to 1. Code mixed with prose is ``code`` when at least 40% of its non-blank lines
    (outside docstrings and block comments, or counting them, whichever is more) look like code.
    """
    text = unicodedata.normalize("NFC", text)
    deva, kana, han, latin, vi = _script_counts(text)
    letters = deva + kana + han + latin
    cs = _code_score(text, _CODE_MIN)
    if cs >= _CODE_MIN and (text.count("\n") >= 2 or _short_code(text, cs, letters)):
        return "code", min(1.0, cs + 0.2)
    if letters == 0:
        return "unknown", 0.0
    if deva / letters >= 0.4:
        return "hi", deva / letters
    if (kana + han) / letters >= 0.4:
        if kana == 0:
            return "zh", han / letters
        return "ja", (kana + han) / letters
    if latin / letters < 0.4:
        return "unknown", 0.0
    if vi / latin >= 0.03:
        return "vi", min(1.0, latin / letters * (0.5 + vi / latin * 5))
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "unknown", 0.0
    hits = {lang: sum(1 for w in words if w in s) for lang, s in _STOPSETS.items()}
    umlaut = sum(text.count(c) for c in "äöÄÖ") / max(1, latin)
    hits["fi"] += int(umlaut * 10 * len(words))
    best = max(hits, key=hits.get)
    total = sum(hits.values())
    if hits[best] == 0:
        return "unknown", 0.0
    share = hits[best] / total
    coverage = min(1.0, hits[best] / len(words) / 0.15)  # function words are ~30% of running text
    return best, share * (0.5 + 0.5 * coverage) * (latin / letters)
