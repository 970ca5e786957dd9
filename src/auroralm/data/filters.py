"""Basic document checks. Each filter returns None to keep a document or a short reason to drop it."""

from __future__ import annotations

import unicodedata

from auroralm.recipe import DataConfig


def normalize(text: str) -> str:
    """Unicode NFC, Unix newlines, no surrounding whitespace."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def too_short(text: str, cfg: DataConfig) -> str | None:
    return "too_short" if len(text) < cfg.min_chars else None
