import json

import pytest

from auroralm.cli import main
from auroralm.eval.forgetting import forgetting_report
from auroralm.eval.stats import bootstrap_ci


def _result(bpb, ci, code=None, refusal=None):
    r = {"bits_per_byte": {"code": bpb}, "bits_per_byte_ci": {"code": ci}}
    if code is not None:
        r["code"] = {"humaneval": {"pass@1": code, "pass@1_ci": [max(0, code - 0.05), code + 0.05]}}
    if refusal is not None:
        r["safety"] = {"refusal_rate": refusal, "refusal_rate_ci": [refusal - 0.1, refusal + 0.1]}
    return r


def test_forgetting_flags_only_changes_beyond_noise():
    results = {
        "base": _result(2.00, [1.95, 2.05], code=0.30, refusal=0.1),
        "cap": _result(2.03, [1.98, 2.08], code=0.28, refusal=0.15),  # within noise
        "cat": _result(2.30, [2.25, 2.35], code=0.10, refusal=0.6),  # code forgotten; safety gained
    }
    report = forgetting_report(results, "base")
    flagged = {(r["stage"], r["metric"]) for r in report["flagged"]}
    assert flagged == {("cat", "bits_per_byte.code"), ("cat", "code.humaneval.pass@1")}
    row = next(r for r in report["rows"] if r["stage"] == "cat" and r["metric"] == "safety.refusal_rate")
    assert row["delta"] == pytest.approx(0.5) and not row["worse"]


def test_bootstrap_ci_brackets_the_mean():
    lo, hi = bootstrap_ci([1.0] * 30 + [0.0] * 70)
    assert lo < 0.3 < hi


def test_run_writes_forgetting_and_ci(smoke_run):
    ev = json.loads((smoke_run / "eval" / "cat.json").read_text())
    for lang, (lo, hi) in ev["bits_per_byte_ci"].items():
        assert lo <= ev["bits_per_byte"][lang] <= hi
    report = json.loads((smoke_run / "eval" / "forgetting.json").read_text())
    assert report["baseline"] == "base"
    assert {r["stage"] for r in report["rows"]} == {"cap", "cat"}


def test_checkpoint_all_gives_scaling_curves(smoke_run):
    assert main(["eval", "smoke", "--out", str(smoke_run), "--checkpoint", "all"]) == 0
    curves = json.loads((smoke_run / "eval" / "scaling.json").read_text())
    tokens = [p["tokens_seen"] for p in curves["points"]]
    assert tokens == sorted(tokens) and len(tokens) == 6  # 2 kept checkpoints x 3 stages
    assert (smoke_run / "plots" / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
