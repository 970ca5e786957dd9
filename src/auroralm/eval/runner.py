"""Evaluate a model after a stage and write ``eval/<stage>.json``."""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from auroralm.data.pipeline import HELDOUT_DIR, write_json_atomic
from auroralm.eval.bpb import bits_per_byte
from auroralm.recipe import Recipe


def heldout_texts(run_dir: Path, lang: str, max_bytes: int) -> list[str]:
    """Held-out documents of one language, in file order, up to ``max_bytes``."""
    path = run_dir / "data" / HELDOUT_DIR / f"{lang}.jsonl"
    texts, used = [], 0
    if not path.exists():
        return texts
    for line in open(path, encoding="utf-8"):
        text = json.loads(line)["text"]
        texts.append(text)
        used += len(text.encode())
        if used >= max_bytes:
            break
    return texts


def evaluate_stage(recipe: Recipe, run_dir: Path, stage: str, model, tok, tokens_seen: int) -> dict:
    result: dict = {"stage": stage, "tokens_seen": tokens_seen, "bits_per_byte": {}, "heldout": {}}
    for lang in tqdm(recipe.eval.languages, desc=f"eval {stage}", unit="lang", leave=False):
        texts = heldout_texts(run_dir, lang, recipe.eval.max_bytes_per_language)
        if not texts:
            continue
        m = bits_per_byte(model, tok, texts, recipe.train.seq_len)
        result["bits_per_byte"][lang] = round(m["bits_per_byte"], 4)
        result["heldout"][lang] = {k: m[k] for k in ("bytes", "tokens", "documents")}
    out = run_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / f"{stage}.json", result)
    model.train()
    return result
