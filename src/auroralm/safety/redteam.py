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
from auroralm.safety.metrics import safety_metrics

SAFETY_DIR = ASSETS_DIR / "safety"
CATEGORIES = ["cbrn", "cyber", "self_harm", "violence", "illegal", "privacy", "child_safety", "hate"]


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
                    judge: Judge | None = None, judge_name: str = "refusal", extra_rows: list[dict] | None = None) -> dict:
    """Generate answers to the held-out red-team and benign prompts (and any external rows) and judge them."""
    rows = (load_set("redteam", "test", languages)
            + [{**r, "benign": True} for r in load_set("benign", "test", languages)]
            + (extra_rows or []))
    prefix = template.split("{response}")[0]
    stops = ["\n###", "\n\n\n"]  # the next instruction block, or a run of blank lines
    answers = [a[0] for a in generate(model, tok, [prefix.format(instruction=r["prompt"]) for r in rows],
                                      max_new_tokens=max_new_tokens, stop=stops, desc="red-team")]
    judge = judge or RefusalJudge()
    verdicts = with_refusals(judge.judge([r["prompt"] for r in rows], answers), answers)
    step = max(1, len(rows) // 10)
    return {
        **safety_metrics(rows, verdicts),
        "judge": judge_name,
        "empty_answer_rate": _rate([not a.strip() for a in answers]),
        "examples": [{"prompt": r["prompt"], "benign": bool(r.get("benign")), "answer": a, "refused": v.refused,
                      "harmful": v.harmful} for r, a, v in list(zip(rows, answers, verdicts, strict=True))[::step]],
    }
