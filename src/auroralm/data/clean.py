"""One document through the cleaning chain, and the funnel that accounts for every document.

Chain, in order (the first failing step names the drop reason):
normalize → length → code filters (code) / symbol-and-number filter (text) → language id →
expected language → Gopher/FineWeb quality per language → toxicity → PII redaction (kept, counted).
Near-duplicate removal and decontamination need all documents and run afterwards (``shards.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from auroralm.data import filters
from auroralm.data.langid import identify
from auroralm.recipe import DataConfig

SAMPLES_PER_REASON = 3
SAMPLE_CHARS = 300
DEFAULT_MIN_CONFIDENCE = 0.5  # language id, for languages a per-language mapping leaves out


@dataclass
class Outcome:
    text: str
    lang: str
    reason: str | None
    pii: dict[str, int]


class DocumentCleaner:
    """Applies the chain configured by ``DataConfig`` to one document at a time."""

    def __init__(self, cfg: DataConfig):
        self.cfg = cfg
        # ``langid_min_confidence``: one number, or a minimum per language with a "default" (0.5).
        mins = cfg.langid_min_confidence
        if isinstance(mins, dict):
            self.min_confidence = {lang: v for lang, v in mins.items() if lang != "default"}
            self.default_min_confidence = mins.get("default", DEFAULT_MIN_CONFIDENCE)
        else:
            self.min_confidence, self.default_min_confidence = {}, mins

    def __call__(self, text: str, kind: str = "web", hint: str | None = None, meta: dict | None = None) -> Outcome:
        from auroralm.data import pii, quality

        cfg = self.cfg
        if len(text.encode("utf-8", "surrogatepass")) > cfg.max_doc_bytes:
            return Outcome("", hint or "unknown", "too_long", {})  # never run regexes over huge blobs
        text = filters.normalize(text)
        meta = meta or {}
        if kind in ("instructions", "safety"):
            # Instruction templates wrap the payload in an English frame: trust the record's language.
            lang, conf = (meta.get("language") or hint, 1.0) if (meta.get("language") or hint) else identify(text)
        elif kind == "code":
            lang, conf = "code", 1.0
        else:
            lang, conf = identify(text)
        reason = filters.too_short(text, cfg)
        if reason is None and (kind == "code" or lang == "code"):
            reason = quality.check_code(text, meta.get("programming_language"))
        elif reason is None and lang != "code" and quality.symbol_or_number_dominated(text, cfg.max_symbol_ratio):
            reason = "symbol_heavy"
        if reason is None and kind == "web" and conf < self.min_confidence.get(lang, self.default_min_confidence):
            reason = "low_langid_confidence"
        if reason is None and hint and lang != hint:
            reason = "wrong_language"
        if reason is None and cfg.quality_filters and kind == "web" and lang != "code":
            reason = quality.check_quality(text, lang)
        if reason is None and cfg.toxicity and kind != "code" and lang != "code":
            from auroralm.data import toxicity

            reason = toxicity.toxic_reason(text, lang)
        counts: dict[str, int] = {}
        if reason is None and cfg.pii and kind not in ("safety",):
            text, counts = pii.redact(text)
        return Outcome(text, lang, reason, counts)


class Funnel:
    """Counts per reason, language and source, with a few dropped examples per reason."""

    def __init__(self) -> None:
        self.documents_in = 0
        self.documents_kept = 0
        self.bytes_in = 0
        self.bytes_kept = 0
        self.dropped: Counter[str] = Counter()
        self.dropped_bytes: Counter[str] = Counter()
        self.by_language: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_source: dict[str, Counter[str]] = defaultdict(Counter)
        self.pii: Counter[str] = Counter()
        self.samples: dict[str, list[dict]] = defaultdict(list)

    def add_input(self, source: str, lang: str, nbytes: int) -> None:
        self.documents_in += 1
        self.bytes_in += nbytes
        self.by_language[lang]["in"] += 1
        self.by_language[lang]["bytes_in"] += nbytes
        self.by_source[source]["in"] += 1

    def keep(self, source: str, lang: str, nbytes: int) -> None:
        self.documents_kept += 1
        self.bytes_kept += nbytes
        self.by_language[lang]["kept"] += 1
        self.by_language[lang]["bytes_kept"] += nbytes
        self.by_source[source]["kept"] += 1

    def drop(self, source: str, lang: str, reason: str, nbytes: int, doc_id: str, text: str | None) -> None:
        self.dropped[reason] += 1
        self.dropped_bytes[reason] += nbytes
        self.by_source[source][f"dropped_{reason}"] += 1
        self.by_language[lang][f"dropped_{reason}"] += 1
        if len(self.samples[reason]) < SAMPLES_PER_REASON:
            self.samples[reason].append({"id": doc_id, "source": source, "lang": lang,
                                         "text": (text or "")[:SAMPLE_CHARS]})

    def unkeep(self, source: str, lang: str, reason: str, nbytes: int, doc_id: str, text: str) -> None:
        """A kept document removed by a later, corpus-wide step (dedup, decontamination)."""
        self.documents_kept -= 1
        self.bytes_kept -= nbytes
        self.by_language[lang]["kept"] -= 1
        self.by_language[lang]["bytes_kept"] -= nbytes
        self.by_source[source]["kept"] -= 1
        self.drop(source, lang, reason, nbytes, doc_id, text)

    def merge(self, other: dict) -> None:
        """Add a funnel saved with ``as_dict`` (one shard's counts)."""
        self.documents_in += other["documents_in"]
        self.documents_kept += other["documents_kept"]
        self.bytes_in += other["bytes_in"]
        self.bytes_kept += other["bytes_kept"]
        self.dropped.update(other["dropped"])
        self.dropped_bytes.update(other["dropped_bytes"])
        self.pii.update(other["pii_redacted"])
        for lang, c in other["by_language"].items():
            self.by_language[lang].update(c)
        for src, c in other["by_source"].items():
            self.by_source[src].update(c)
        for reason, rows in other["samples"].items():
            room = SAMPLES_PER_REASON - len(self.samples[reason])
            self.samples[reason].extend(rows[: max(0, room)])

    def as_dict(self) -> dict:
        return {
            "documents_in": self.documents_in,
            "documents_kept": self.documents_kept,
            "bytes_in": self.bytes_in,
            "bytes_kept": self.bytes_kept,
            "dropped": dict(self.dropped),
            "dropped_bytes": dict(self.dropped_bytes),
            "by_language": {k: {"in": v["in"], "kept": v["kept"], **v} for k, v in sorted(self.by_language.items())},
            "by_source": {k: dict(v) for k, v in self.by_source.items()},
            "pii_redacted": dict(self.pii),
            "samples": dict(self.samples),
        }
