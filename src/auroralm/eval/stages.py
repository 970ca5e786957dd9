"""Evaluating the stages of a run: after training, for finished stages, and the end-of-run summary."""

from __future__ import annotations

import json
from pathlib import Path

from auroralm.data.pipeline import write_json_atomic
from auroralm.data.tokenizer import load_tokenizer
from auroralm.eval.forgetting import forgetting_report, format_report
from auroralm.eval.runner import evaluate_stage
from auroralm.train.model import load_pretrained
from auroralm.train.trainer import stage_done


def stage_end_callback(recipe, run_dir: Path, results: dict, allow_code: bool):
    """Evaluate each stage with the trainer's model in memory, as soon as the stage ends."""

    def on_stage_end(stage, model, tok, tokens_seen):
        results[stage] = evaluate_stage(recipe, run_dir, stage, model, tok, tokens_seen, allow_code)

    return on_stage_end


def evaluate_export(recipe, run_dir: Path, name: str, path: Path, tokens_seen: int, allow_code: bool) -> dict:
    """Evaluate an HF export directory and write ``eval/<name>.json``."""
    return evaluate_stage(recipe, run_dir, name, load_pretrained(str(path)), load_tokenizer(path),
                          tokens_seen, allow_code)


def evaluate_missing(recipe, run_dir: Path, results: dict, allow_code: bool) -> None:
    """Stages finished in an earlier run keep their eval file; evaluate those that lack one."""
    for stage in recipe.stages:
        path = run_dir / "eval" / f"{stage.name}.json"
        if stage.name in results:
            continue
        if path.exists():
            results[stage.name] = json.loads(path.read_text())
        elif (done := stage_done(run_dir, stage.name)) is not None:
            results[stage.name] = evaluate_export(recipe, run_dir, stage.name, run_dir / "hf" / stage.name,
                                                   done["tokens_seen"], allow_code)


def write_forgetting(recipe, run_dir: Path, results: dict) -> None:
    """``eval/forgetting.json``: every metric of every stage against the first stage; printed too."""
    ordered = {s.name: results[s.name] for s in recipe.stages if s.name in results}
    if len(ordered) < 2:
        return
    report = forgetting_report(ordered, recipe.stages[0].name)
    write_json_atomic(run_dir / "eval" / "forgetting.json", report)
    print("\n" + format_report(report))


def print_summary(recipe, results: dict) -> None:
    """One table: bits-per-byte per language, code pass@1 and safety rates per stage."""
    stages = [s.name for s in recipe.stages if s.name in results]
    langs = recipe.eval.languages
    print("\nheld-out bits per byte (lower is better), code pass@1 and safety per stage")
    header = f"{'stage':<8}{'tokens':>12}" + "".join(f"{lang:>8}" for lang in langs)
    print(header + f"{'pass@1':>8}{'refusal':>9}{'over-ref':>9}")
    for st in stages:
        r = results[st]
        cells = "".join(f"{r['bits_per_byte'].get(lang, float('nan')):>8.3f}" for lang in langs)
        code = next(iter(r.get("code", {}).values()), {}).get("pass@1")
        safety = r.get("safety", {})
        extra = "".join(f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}" for v, w in
                        ((code, 8), (safety.get("refusal_rate"), 9), (safety.get("over_refusal_rate"), 9)))
        print(f"{st:<8}{r['tokens_seen']:>12,}" + cells + extra)


def add_lm_eval(tasks: str, limit: int | None, run_dir: Path, name: str, path: Path, result: dict) -> None:
    """Run lm-evaluation-harness tasks on an export and store them in its eval file."""
    from auroralm.eval.lmeval import run_lm_eval

    result["lm_eval"] = run_lm_eval(path, [t.strip() for t in tasks.split(",") if t.strip()], limit=limit)
    write_json_atomic(run_dir / "eval" / f"{name}.json", result)
    for task, metrics in result["lm_eval"].items():
        cells = "  ".join(f"{k}={v:.3f}" for k, v in metrics.items() if isinstance(v, float) and "stderr" not in k)
        print(f"lm-eval {name} {task}: {cells}")
