"""Offline language identification for the recipe's languages, plus source-code detection.

Scripts decide Hindi (Devanagari) and Japanese (kana); Vietnamese is told apart from other
Latin-script text by its tone-marked letters; English, Finnish and a few neighbours by their
function words. Code is detected first, from line-level syntax signals.
"""

from __future__ import annotations

import re
import unicodedata

_CODE_LINE = re.compile(
    r"""(^\s*(def|class|import|from|return|elif|else:|try:|except|with|for|while|if)\b.*[:)]?\s*$)
      |(^\s*(\#include|\#define|package|public|private|static|func|fn|let|const|var|use|impl|fun|val|mut|pub
              |struct|enum|trait|match|interface|local|function|end|elsif|unless|puts|require|module|echo|export
              |then|fi|do|done|esac)\b)
      |(^\s*(SELECT|INSERT|UPDATE|CREATE|DELETE|ALTER|DROP|WITH|JOIN|LEFT|RIGHT|INNER|WHERE|AND|OR|ORDER\ BY
              |GROUP\ BY|HAVING|LIMIT|VALUES|SET|ON|UNION|PRAGMA|BEGIN|COMMIT)\b)|(^\s*--\s)
      |(\b(INTEGER|VARCHAR|NOT\ NULL|PRIMARY\ KEY|REFERENCES|DEFAULT|BOOLEAN|TIMESTAMP)\b)
      |(\b[a-z_]+\.[a-z_]{2,}\b,?\s*$)|(^\s*(FROM|RUN|COPY|ADD|CMD|ENTRYPOINT|ENV
              |WORKDIR|EXPOSE|ARG)\s)
      |([;{]\s*$)|(^\s*[})\]];?,?\s*$)|(=>)|(\bself\.)|(\w\(.*\)\s*[:{]?\s*$)|(^\s*//)|(^\s*\#!)
      |(^\s*\#\s)|(==|!=|\+=|->|::|:=|\$\{?\w+)
      |(^\s*</?[A-Za-z][\w-]*(\s[^>]*)?/?>)|(</[A-Za-z][\w-]*>\s*$)
      |(^\s*"[^"]+"\s*:\s*)|(^\s*\[[\w.-]+\]\s*$)|(^\s*[a-z_][\w.-]*\s*=\s*\S)
      |(^\s*[a-z_][\w.-]*:(\s+\S.{0,60})?$)|(^\t\S)|(\bdo\s*\|\w+)""",
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
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters that exist in Vietnamese orthography but not in the other Latin-script languages here.
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


_DEVANAGARI = re.compile("[\u0900-\u097F]")
_KANA = re.compile("[\u3040-\u30FF]")
_HAN = re.compile("[\u4E00-\u9FFF]")
_LATIN = re.compile("[A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]")
_VI_ONLY = re.compile("[" + "".join(sorted(_VI_LETTERS)) + "]")


def _script_counts(text: str) -> tuple[int, int, int, int, int]:
    """Counts of (devanagari, kana, han, latin, vietnamese-specific) letters (regexes run in C)."""
    latin = len(_LATIN.findall(text))
    vi = len(_VI_ONLY.findall(text)) if latin else 0
    return len(_DEVANAGARI.findall(text)), len(_KANA.findall(text)), len(_HAN.findall(text)), latin, vi


def code_score(text: str) -> float:
    """Fraction of non-blank lines that look like source code."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    return sum(1 for ln in lines if _CODE_LINE.search(ln)) / len(lines)


def _short_code(text: str, cs: float, letters: int) -> bool:
    """A one- or two-line snippet is code when its lines look like code and symbols are dense,
    but symbol soup with few letters is not."""
    if letters < 0.3 * len(text):
        return False
    symbols = len(_CODE_SYMBOL.findall(text)) / max(1, len(text))
    return (cs >= 0.5 and symbols >= 0.08) or (cs == 1.0 and symbols >= 0.03)


def identify(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code or ``code`` or ``unknown``, confidence in [0, 1])."""
    text = unicodedata.normalize("NFC", text)
    deva, kana, han, latin, vi = _script_counts(text)
    letters = deva + kana + han + latin
    cs = code_score(text)
    if cs >= 0.4 and (text.count("\n") >= 2 or _short_code(text, cs, letters)):
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
