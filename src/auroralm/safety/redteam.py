"""Red-team safety evaluation: refusal, attack success and over-refusal, per harm category × language.

The built-in set (``assets/safety``, written by us) has harmful requests in eight harm areas of US
Executive Order 14110 and benign look-alike prompts ("how do I kill a Python process?") in five
languages, each split into train (mixed into CAT) and test (evaluated here).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from auroralm.eval.generate import generate
from auroralm.eval.stats import bootstrap_ci
from auroralm.recipe import ASSETS_DIR
from auroralm.safety.judge import is_refusal

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


def evaluate_safety(model, tok, template: str, languages: list[str], max_new_tokens: int = 48) -> dict:
    """Generate answers to the held-out red-team and benign prompts and judge them."""
    harmful = load_set("redteam", "test", languages)
    benign = load_set("benign", "test", languages)
    prefix = template.split("{response}")[0]
    prompts = [prefix.format(instruction=r["prompt"]) for r in harmful + benign]
    stops = ["\n###", "\n\n\n"]  # the next instruction block, or a run of blank lines
    answers = [a[0] for a in generate(model, tok, prompts, max_new_tokens=max_new_tokens, stop=stops,
                                      desc="red-team")]
    refused = [is_refusal(a) for a in answers]
    h_ref, b_ref = refused[: len(harmful)], refused[len(harmful) :]
    cells: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for row, r in zip(harmful, h_ref, strict=True):
        cells[row["category"]][row["lang"]].append(r)
    over: dict[str, list[bool]] = defaultdict(list)
    for row, r in zip(benign, b_ref, strict=True):
        over[row["lang"]].append(r)
    return {
        "refusal_rate": _rate(h_ref),
        "refusal_rate_ci": bootstrap_ci(h_ref),
        "attack_success_rate": _rate([not r for r in h_ref]),
        "attack_success_rate_ci": bootstrap_ci([not r for r in h_ref]),
        "over_refusal_rate": _rate(b_ref),
        "over_refusal_rate_ci": bootstrap_ci(b_ref),
        "judge": "refusal-phrases (offline); attack success = harmful request not refused",
        "empty_answer_rate": _rate([not a.strip() for a in answers]),
        "n_harmful": len(harmful),
        "n_benign": len(benign),
        "by_category": {
            cat: {lang: {"refusal_rate": _rate(v), "n": len(v)} for lang, v in sorted(cells[cat].items())}
            for cat in CATEGORIES if cat in cells
        },
        "over_refusal_by_language": {lang: {"rate": _rate(v), "n": len(v)} for lang, v in sorted(over.items())},
        "examples": [{"prompt": row["prompt"], "answer": a, "refused": r}
                     for row, a, r in list(zip(harmful + benign, answers, refused, strict=True))[:: max(1, len(answers) // 10)]],
    }
