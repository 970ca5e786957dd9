"""Evaluate a model after a stage and write ``eval/<stage>.json``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tqdm import tqdm

from auroralm.data.pipeline import HELDOUT_DIR, write_json_atomic
from auroralm.eval.bpb import bits_per_byte
from auroralm.eval.stats import bootstrap_ci
from auroralm.recipe import Recipe

CODE_STOPS = ["\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\nassert "]  # as bigcode-eval-harness


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


def code_allowed(flag: bool) -> bool:
    return flag or os.environ.get("AURORALM_ALLOW_CODE_EXECUTION") == "1"


def evaluate_code(recipe: Recipe, out: Path, stage: str, model, tok) -> dict:
    """Greedy completions for the recipe's code problems, executed in the sandbox → pass@1."""
    from auroralm.eval.code import evaluate_samples, load_problems
    from auroralm.eval.generate import generate

    problems = load_problems(recipe.eval.code_problems)
    tasks = list(problems.values())[: recipe.eval.code_limit]
    completions = generate(model, tok, [p["prompt"] for p in tasks], stop=CODE_STOPS,
                           max_new_tokens=recipe.eval.code_max_new_tokens, desc="code")
    samples = out / f"{stage}_code_samples.jsonl"
    with open(samples, "w", encoding="utf-8") as fh:
        for p, c in zip(tasks, completions, strict=True):
            fh.write(json.dumps({"task_id": p["task_id"], "completion": c[0]}) + "\n")
    rows, pass_at_k = evaluate_samples(str(samples), {p["task_id"]: p for p in tasks}, [1],
                                       recipe.eval.code_timeout, workers=2)
    return {"pass@1": pass_at_k["pass@1"], "pass@1_ci": bootstrap_ci([r["passed"] for r in rows]),
            "problems": len(tasks), "samples_file": samples.name}


def evaluate_stage(recipe: Recipe, run_dir: Path, stage: str, model, tok, tokens_seen: int,
                   allow_code: bool = False) -> dict:
    """Bits-per-byte per language, code pass@1 (when allowed) and safety → ``eval/<stage>.json``."""
    out = run_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"stage": stage, "tokens_seen": tokens_seen, "bits_per_byte": {}, "bits_per_byte_ci": {},
                    "heldout": {}}
    for lang in tqdm(recipe.eval.languages, desc=f"eval {stage}", unit="lang", leave=False):
        texts = heldout_texts(run_dir, lang, recipe.eval.max_bytes_per_language)
        if not texts:
            continue
        m = bits_per_byte(model, tok, texts, recipe.train.seq_len)
        result["bits_per_byte"][lang] = round(m["bits_per_byte"], 4)
        result["bits_per_byte_ci"][lang] = [round(v, 4) for v in m["ci"]]
        result["heldout"][lang] = {k: m[k] for k in ("bytes", "tokens", "documents")}
    if recipe.eval.code_problems:
        if code_allowed(allow_code):
            name = Path(recipe.eval.code_problems).name.split(".")[0]
            result["code"] = {name: evaluate_code(recipe, out, stage, model, tok)}
        else:
            result["code_skipped"] = "code execution not allowed: pass --allow-code-execution"
    if recipe.eval.safety:
        from auroralm.safety.redteam import evaluate_safety

        languages = [lang for lang in recipe.eval.languages if lang != "code"]
        result["safety"] = evaluate_safety(model, tok, recipe.data.instruction_template, languages,
                                           recipe.eval.safety_max_new_tokens,
                                           samples_path=out / f"{stage}.redteam.jsonl")
    write_json_atomic(out / f"{stage}.json", result)
    model.train()
    return result
