"""``prepare`` and ``clean``: raw inputs → cleaned documents (→ tokenizer → packed token shards) + stats.json.

Every input document ends up in exactly one place: kept for training, kept as held-out
evaluation text, or dropped with a reason, so ``documents_in == documents_kept + sum(dropped)``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import numpy as np
from tqdm import tqdm

from auroralm.data.readers import ReadOptions
from auroralm.data.shards import Task, clean_corpus
from auroralm.data.tokenizer import load_tokenizer, train_tokenizer
from auroralm.recipe import DataConfig, Recipe

HELDOUT_DIR = "heldout"
WORK_DIR = "work"


def write_json_atomic(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def write_jsonl_atomic(path: Path, rows) -> None:
    """One JSON object per line; readers never see a half-written file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def _signature(path: Path) -> list[int]:
    """Size (and file count for folders) so that changed inputs invalidate earlier results."""
    if path.is_file():
        return [path.stat().st_size]
    sizes = [f.stat().st_size for f in path.rglob("*") if f.is_file()]
    return [len(sizes), sum(sizes)]


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def fingerprint(recipe: Recipe) -> str:
    """Hash of everything that determines prepare's output (sources, data, tokenizer, model)."""
    files = {s.name: [[str(p), _signature(p)] for p in recipe.files(s)] for s in recipe.sources}
    return _digest([[asdict(s) for s in recipe.sources], asdict(recipe.data), asdict(recipe.tokenizer),
                    recipe.model.pretrained, files])


def _is_held_out(text: str, fraction: float) -> bool:
    if fraction <= 0:
        return False
    h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return (h % 10_000) < fraction * 10_000


def _work_dir(out: Path, fp: str) -> Path:
    """Task outputs of an interrupted run with the same inputs are reused; others are discarded."""
    work = out / WORK_DIR
    marker = work / "FINGERPRINT"
    if work.exists() and (not marker.exists() or marker.read_text() != fp):
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    marker.write_text(fp)
    return work


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


def response_marker(template: str) -> str:
    """The template text between the instruction and the response ("\n\n### Response:\n")."""
    return template.split("{instruction}", 1)[-1].split("{response}", 1)[0]


def _response_mask(tok, texts: list[str], enc: list[list[int]], marker: str) -> list[np.ndarray]:
    """Per token: 1 from the first token of the response on (EOS included), 0 over the prompt."""
    offsets = tok(texts, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    masks = []
    for text, ids, offs in zip(texts, enc, offsets, strict=True):
        at = text.find(marker)
        start = at + len(marker) if at >= 0 else 0  # no marker: the whole document counts
        masks.append(np.array([int(a >= start) for a, _ in offs] + [1], dtype=np.uint8))
        assert len(masks[-1]) == len(ids) + 1
    return masks


def _pack_source(tok, docs_path: Path, out_dir: Path, tokens_by_language: Counter, marker: str = "") -> dict:
    """Tokenize documents, append EOS after each, write one memory-mappable token file. With a
    ``marker`` (instruction sources), also ``loss_mask.bin``: 1 for response tokens, 0 for prompts."""
    docs = [json.loads(line) for line in open(docs_path, encoding="utf-8")]
    dtype = np.uint16 if len(tok) < 2**16 else np.uint32
    eos = tok.eos_token_id
    ids: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    batch = 256
    for i in range(0, len(docs), batch):
        chunk = docs[i : i + batch]
        texts = [d["text"] for d in chunk]
        enc = tok(texts, add_special_tokens=False)["input_ids"]
        if marker:
            masks.extend(_response_mask(tok, texts, enc, marker))
        for d, e in zip(chunk, enc, strict=True):
            ids.append(np.array(e + [eos], dtype=dtype))
            tokens_by_language[d["lang"]] += len(e) + 1
    tokens = np.concatenate(ids) if ids else np.zeros(0, dtype=dtype)
    starts = np.cumsum([0] + [len(a) for a in ids[:-1]]).astype(np.int64) if ids else np.zeros(0, np.int64)
    outputs = [("tokens.bin", tokens)] + ([("loss_mask.bin", np.concatenate(masks))] if masks else [])
    for name, array in outputs:
        tmp = out_dir / f"{name}.tmp"
        array.tofile(tmp)
        os.replace(tmp, out_dir / name)
    if not masks:
        (out_dir / "loss_mask.bin").unlink(missing_ok=True)
    np.save(out_dir / "doc_starts.npy", starts)
    index = {"dtype": np.dtype(dtype).name, "tokens": int(tokens.size), "documents": len(docs),
             "bytes": sum(len(d["text"].encode()) for d in docs)}
    if masks:
        index["response_tokens"] = int(sum(int(m.sum()) for m in masks))
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
    tasks = []
    for source in recipe.sources:
        opts = ReadOptions(text_field=source.text_field, paired=source.kind in ("instructions", "safety"),
                           template=recipe.data.instruction_template, split=source.split)
        for path in recipe.files(source):
            tasks.append(Task(len(tasks), source.name, str(path), source.format, source.kind, source.language, opts))
    writers = {}
    for source in recipe.sources:
        (out / source.name).mkdir(exist_ok=True)
        writers[source.name] = open(out / source.name / "docs.jsonl", "w", encoding="utf-8")
    heldout: dict[str, list[str]] = {}

    def emit(task: Task, doc: dict) -> None:
        line = json.dumps(doc, ensure_ascii=False)
        if _is_held_out(doc["text"], recipe.source(task.source).held_out):
            heldout.setdefault(doc["lang"], []).append(line)
        else:
            writers[task.source].write(line + "\n")

    try:
        funnel = clean_corpus(tasks, recipe.data, _work_dir(out, fp), emit, recipe.data.workers)
    finally:
        for fh in writers.values():
            fh.close()
    shutil.rmtree(out / HELDOUT_DIR, ignore_errors=True)
    (out / HELDOUT_DIR).mkdir()
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
    tokens_by_language: Counter[str] = Counter()
    for source in tqdm(recipe.sources, desc="tokenize", unit="source", leave=False):
        marker = response_marker(recipe.data.instruction_template) if source.kind in ("instructions", "safety") else ""
        sources[source.name] = _pack_source(tok, out / source.name / "docs.jsonl", out / source.name,
                                            tokens_by_language, marker)
    result = funnel.as_dict()
    result["held_out"] = sum(len(v) for v in heldout.values())
    for lang, n in tokens_by_language.items():
        result["by_language"].setdefault(lang, {})["tokens_kept"] = n
    result["sources"] = sources
    result["fingerprint"] = fp
    write_json_atomic(stats_path, result)
    return result


def clean(inputs: list[Path], out: Path, cfg: DataConfig | None = None, workers: int = 1) -> dict:
    """``auroralm clean``: kept documents as ``out/<lang>.jsonl`` and ``out/stats.json``."""
    cfg = cfg or DataConfig()
    tasks = []
    for path in inputs:
        tasks.append(Task(len(tasks), path.name, str(path), "auto", "code" if _is_code_input(path) else "web"))
    fp = _digest([asdict(cfg), [[str(p), _signature(p)] for p in inputs]])
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[str, object] = {}

    def emit(task: Task, doc: dict) -> None:
        if doc["lang"] not in writers:
            writers[doc["lang"]] = open(out / f"{doc['lang']}.jsonl.tmp", "w", encoding="utf-8")
        writers[doc["lang"]].write(json.dumps(doc, ensure_ascii=False) + "\n")

    try:
        funnel = clean_corpus(tasks, cfg, _work_dir(out, fp), emit, workers)
    finally:
        for fh in writers.values():
            fh.close()
    for old in out.glob("*.jsonl"):
        old.unlink()
    for lang in writers:
        os.replace(out / f"{lang}.jsonl.tmp", out / f"{lang}.jsonl")
    result = funnel.as_dict()
    write_json_atomic(out / "stats.json", result)
    return result


def _is_code_input(path: Path) -> bool:
    from auroralm.data.readers import detect_format

    return detect_format(path) == "code"
