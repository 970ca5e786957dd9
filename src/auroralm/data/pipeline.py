"""``prepare``: raw sources → cleaned documents → tokenizer → packed token shards + stats.json.

Every input document ends up in exactly one place: kept for training, kept as held-out
evaluation text, or dropped with a reason, so ``documents_in == kept + sum(dropped)``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

import numpy as np
from tqdm import tqdm

from auroralm.data import filters
from auroralm.data.langid import identify
from auroralm.data.readers import ReadOptions, read_path
from auroralm.data.tokenizer import load_tokenizer, train_tokenizer
from auroralm.recipe import Recipe, SourceConfig

HELDOUT_DIR = "heldout"


def write_json_atomic(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def fingerprint(recipe: Recipe) -> str:
    """Hash of everything that determines prepare's output (sources, data, tokenizer, model)."""
    files = {s.name: [str(p) for p in recipe.files(s)] for s in recipe.sources}
    sizes = {name: [os.path.getsize(p) for p in paths] for name, paths in files.items()}
    blob = json.dumps(
        [
            [asdict(s) for s in recipe.sources],
            asdict(recipe.data),
            asdict(recipe.tokenizer),
            recipe.model.pretrained,
            files,
            sizes,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _is_held_out(text: str, fraction: float) -> bool:
    if fraction <= 0:
        return False
    h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return (h % 10_000) < fraction * 10_000


class _Stats:
    def __init__(self) -> None:
        self.documents_in = 0
        self.documents_kept = 0
        self.held_out = 0
        self.dropped: Counter[str] = Counter()
        self.by_language: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_source: dict[str, Counter[str]] = defaultdict(Counter)

    def record(self, source: str, lang: str, reason: str | None, held_out: bool = False) -> None:
        self.documents_in += 1
        self.by_language[lang]["in"] += 1
        self.by_source[source]["in"] += 1
        if reason:
            self.dropped[reason] += 1
            self.by_source[source][f"dropped_{reason}"] += 1
            return
        self.documents_kept += 1
        self.by_language[lang]["kept"] += 1
        self.by_source[source]["kept"] += 1
        if held_out:
            self.held_out += 1

    def as_dict(self) -> dict:
        return {
            "documents_in": self.documents_in,
            "documents_kept": self.documents_kept,
            "held_out": self.held_out,
            "dropped": dict(self.dropped),
            "by_language": {k: {"in": v["in"], "kept": v["kept"]} for k, v in sorted(self.by_language.items())},
            "by_source": {k: dict(v) for k, v in self.by_source.items()},
        }


def _clean_source(
    recipe: Recipe, source: SourceConfig, out: Path, stats: _Stats, seen: set[bytes], heldout: dict
) -> None:
    cfg = recipe.data
    docs_path = out / source.name / "docs.jsonl"
    docs_path.parent.mkdir(parents=True, exist_ok=True)
    opts = ReadOptions(text_field=source.text_field, paired=source.kind in ("instructions", "safety"),
                       template=cfg.instruction_template, split=source.split)
    records = (rec for path in recipe.files(source) for rec in read_path(path, source.format, opts))
    with open(docs_path, "w", encoding="utf-8") as fh:
        for rec in tqdm(records, desc=f"clean {source.name}", unit="doc", leave=False):
            if rec.text is None:
                stats.record(source.name, "unknown", rec.reason)
                continue
            text = filters.normalize(rec.text)
            if source.kind in ("instructions", "safety"):
                # Instruction templates mix an English frame with the payload: trust the hint.
                lang, conf = (source.language, 1.0) if source.language else identify(text)
            else:
                lang, conf = identify(text)
            reason = filters.too_short(text, cfg)
            if reason is None and lang != "code" and source.kind != "code":
                reason = filters.symbol_heavy(text, cfg)
            if reason is None and source.kind in ("web", "code") and conf < cfg.langid_min_confidence:
                reason = "low_langid_confidence"
            if reason is None and source.language and lang != source.language:
                reason = "wrong_language"
            if reason is None:
                digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
                if digest in seen:
                    reason = "exact_duplicate"
                seen.add(digest)
            held = reason is None and _is_held_out(text, source.held_out)
            stats.record(source.name, lang, reason, held)
            if reason:
                continue
            line = json.dumps({"id": rec.doc_id, "lang": lang, "text": text}, ensure_ascii=False)
            if held:
                heldout.setdefault(lang, []).append(line)
            else:
                fh.write(line + "\n")


def _iter_texts(paths: list[Path], limit_bytes: int):
    used = 0
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"]
                used += len(text.encode())
                yield text
                if used >= limit_bytes:
                    return


def _pack_source(tok, docs_path: Path, out_dir: Path) -> dict:
    """Tokenize documents, append EOS after each, write one memory-mappable token file."""
    texts = [json.loads(line)["text"] for line in open(docs_path, encoding="utf-8")]
    dtype = np.uint16 if len(tok) < 2**16 else np.uint32
    eos = tok.eos_token_id
    ids: list[np.ndarray] = []
    batch = 256
    for i in range(0, len(texts), batch):
        enc = tok(texts[i : i + batch], add_special_tokens=False)["input_ids"]
        ids.extend(np.array(e + [eos], dtype=dtype) for e in enc)
    tokens = np.concatenate(ids) if ids else np.zeros(0, dtype=dtype)
    starts = np.cumsum([0] + [len(a) for a in ids[:-1]]).astype(np.int64) if ids else np.zeros(0, np.int64)
    tmp = out_dir / "tokens.bin.tmp"
    tokens.tofile(tmp)
    os.replace(tmp, out_dir / "tokens.bin")
    np.save(out_dir / "doc_starts.npy", starts)
    index = {"dtype": np.dtype(dtype).name, "tokens": int(tokens.size), "documents": len(texts),
             "bytes": sum(len(t.encode()) for t in texts)}
    write_json_atomic(out_dir / "index.json", index)
    return index


def prepare(recipe: Recipe, run_dir: Path) -> dict:
    """Run the data pipeline into ``run_dir/data``; skipped when its inputs are unchanged."""
    out = run_dir / "data"
    stats_path = out / "stats.json"
    fp = fingerprint(recipe)
    if stats_path.exists():
        old = json.loads(stats_path.read_text())
        if old.get("fingerprint") == fp:
            print(f"prepare: {out} is up to date (delete it to rebuild)")
            return old
    out.mkdir(parents=True, exist_ok=True)
    stats = _Stats()
    seen: set[bytes] = set()
    heldout: dict[str, list[str]] = {}
    for source in recipe.sources:
        _clean_source(recipe, source, out, stats, seen, heldout)
    (out / HELDOUT_DIR).mkdir(exist_ok=True)
    for lang, lines in heldout.items():
        (out / HELDOUT_DIR / f"{lang}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    tok_dir = run_dir / "tokenizer"
    tok_path = recipe.tokenizer.path or recipe.model.pretrained
    if tok_path:
        tok = load_tokenizer(tok_path)
        if recipe.tokenizer.extend:
            from auroralm.data.vocab import extend_tokenizer

            docs = [out / s.name / "docs.jsonl" for s in recipe.sources if s.kind != "code"]
            added = extend_tokenizer(tok, _iter_texts(docs, recipe.tokenizer.train_bytes), recipe.tokenizer.extend)
            print(f"prepare: added {added} new-language tokens to the tokenizer ({len(tok)} in all)")
        tok.save_pretrained(tok_dir)
    else:
        docs = [out / s.name / "docs.jsonl" for s in recipe.sources]
        print(f"prepare: training a {recipe.tokenizer.vocab_size}-token BPE tokenizer")
        tok = train_tokenizer(_iter_texts(docs, recipe.tokenizer.train_bytes), recipe.tokenizer.vocab_size, tok_dir)

    sources = {}
    for source in tqdm(recipe.sources, desc="tokenize", unit="source", leave=False):
        sources[source.name] = _pack_source(tok, out / source.name / "docs.jsonl", out / source.name)
    result = stats.as_dict()
    result["sources"] = sources
    result["fingerprint"] = fp
    write_json_atomic(stats_path, result)
    return result
