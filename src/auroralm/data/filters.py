"""Document filters. Each returns None to keep a document or a short reason to drop it."""

from __future__ import annotations

import unicodedata

from auroralm.recipe import DataConfig


def normalize(text: str) -> str:
    """Unicode NFC, Unix newlines, no surrounding whitespace."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def symbol_ratio(text: str) -> float:
    """Fraction of non-space characters that are neither letters nor sentence punctuation."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 1.0
    other = sum(
        1 for c in chars if not (c.isalpha() or unicodedata.category(c) in ("Po", "Mn", "Mc"))
    )
    return other / len(chars)


def too_short(text: str, cfg: DataConfig) -> str | None:
    return "too_short" if len(text) < cfg.min_chars else None


def symbol_heavy(text: str, cfg: DataConfig) -> str | None:
    """The CAT-style filter: text dominated by digits and symbols (tables, dumps, spam)."""
    return "symbol_heavy" if symbol_ratio(text) > cfg.max_symbol_ratio else None
