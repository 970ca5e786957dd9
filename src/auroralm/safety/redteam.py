"""Red-team safety evaluation: refusal, attack success and over-refusal, per harm category × language.

The built-in set (``assets/safety``, written by us) has harmful requests in eight harm areas of US
Executive Order 14110 and benign look-alike prompts ("how do I kill a Python process?") in five
languages, each split into train (mixed into CAT) and test (evaluated here).
"""

from __future__ import annotations

import json
from pathlib import Path

from auroralm.eval.generate import generate
from auroralm.recipe import ASSETS_DIR
from auroralm.safety.judges import Judge, RefusalJudge, with_refusals
from auroralm.safety.metrics import CATEGORIES, safety_metrics  # noqa: F401 (CATEGORIES: part of this module's API)

SAFETY_DIR = ASSETS_DIR / "safety"


def load_set(kind: str, split: str, languages: list[str] | None = None, directory: Path = SAFETY_DIR) -> list[dict]:
    """Rows of ``<kind>_<lang>.jsonl`` (kind: redteam or benign) in the given split."""
    rows = []
    for path in sorted(directory.glob(f"{kind}_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("split") == split and (languages is None or row["lang"] in languages):
                rows.append(row)
    return rows


def _rate(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def evaluate_safety(model, tok, template: str, languages: list[str], max_new_tokens: int = 48,
                    judge: Judge | None = None, judge_name: str = "refusal", extra_rows: list[dict] | None = None,
                    samples_path: Path | None = None) -> dict:
    """Generate answers to the held-out red-team and benign prompts (and any external rows) and judge them.
    With ``samples_path``, every prompt, answer and verdict is also written there as JSONL."""
    rows = (load_set("redteam", "test", languages)
            + [{**r, "benign": True} for r in load_set("benign", "test", languages)]
            + (extra_rows or []))
    prefix = template.split("{response}")[0]
    stops = ["\n###", "\n\n\n"]  # the next instruction block, or a run of blank lines
    answers = [a[0] for a in generate(model, tok, [prefix.format(instruction=r["prompt"]) for r in rows],
                                      max_new_tokens=max_new_tokens, stop=stops, desc="red-team")]
    judge = judge or RefusalJudge()
    verdicts = with_refusals(judge.judge([r["prompt"] for r in rows], answers), answers)
    if samples_path is not None:
        _write_samples(samples_path, rows, answers, verdicts)
    step = max(1, len(rows) // 10)
    return {
        **safety_metrics(rows, verdicts),
        "judge": judge_name,
        "empty_answer_rate": _rate([not a.strip() for a in answers]),
        "examples": [{"prompt": r["prompt"], "benign": bool(r.get("benign")), "answer": a, "refused": v.refused,
                      "harmful": v.harmful} for r, a, v in list(zip(rows, answers, verdicts, strict=True))[::step]],
    }


def _write_samples(path: Path, rows: list[dict], answers: list[str], verdicts: list) -> None:
    from auroralm.data.pipeline import write_jsonl_atomic

    write_jsonl_atomic(path, ({k: r.get(k) for k in ("id", "lang", "category")} | {
        "benign": bool(r.get("benign")), "prompt": r["prompt"], "answer": a,
        "refused": v.refused, "harmful": v.harmful, "error": v.error}
        for r, a, v in zip(rows, answers, verdicts, strict=True)))


def run_redteam(recipe, run_dir: Path, checkpoint: Path | None, judge_spec: str, external: list[str]) -> dict:
    """``auroralm redteam``: judge every finished stage (or one export); update ``eval/<name>.json``."""
    from auroralm.data.pipeline import write_json_atomic
    from auroralm.data.tokenizer import load_tokenizer
    from auroralm.errors import AuroraError
    from auroralm.safety.judges import make_judge
    from auroralm.safety.loaders import load_external
    from auroralm.train.model import load_pretrained
    from auroralm.train.trainer import stage_done

    judge = make_judge(judge_spec)  # a bad spec or an unreachable judge fails before any generation
    extra = []
    for item in external:
        kind, _, path = item.partition("=")
        if not path:
            raise AuroraError(f"--external {item}: expected KIND=PATH, e.g. xstest=xstest_prompts.csv")
        extra.extend(load_external(kind, Path(path)))
    if checkpoint:
        targets = [(checkpoint.name, checkpoint)]
    else:
        targets = [(s.name, run_dir / "hf" / s.name) for s in recipe.stages if stage_done(run_dir, s.name)]
    if not targets:
        raise AuroraError(f"no finished stage in {run_dir}: run `auroralm train` first, or pass --checkpoint")
    languages = [lang for lang in recipe.eval.languages if lang != "code"]
    results = {}
    (run_dir / "eval").mkdir(parents=True, exist_ok=True)
    for name, path in targets:
        safety = evaluate_safety(load_pretrained(str(path)), load_tokenizer(path), recipe.data.instruction_template,
                                 languages, recipe.eval.safety_max_new_tokens, judge, judge_spec, extra,
                                 samples_path=run_dir / "eval" / f"{name}.redteam.jsonl")
        out = run_dir / "eval" / f"{name}.json"
        result = json.loads(out.read_text()) if out.exists() else {"stage": name}
        result["safety"] = safety
        write_json_atomic(out, result)
        results[name] = safety
    return results
