import json
import shutil

import torch

from auroralm.cli import main
from auroralm.recipe import load_recipe
from conftest import read_jsonl

LANGS = ["en", "fi", "hi", "ja", "vi", "code"]


def test_run_writes_eval_per_stage_in_design_schema(smoke_run):
    seen = 0
    for stage in ["base", "cap", "cat"]:
        ev = json.loads((smoke_run / "eval" / f"{stage}.json").read_text())
        assert ev["stage"] == stage
        assert ev["tokens_seen"] > seen
        seen = ev["tokens_seen"]
        assert set(ev["bits_per_byte"]) == set(LANGS)
        assert all(0 < v < 20 for v in ev["bits_per_byte"].values())


def test_stats_account_for_every_document(smoke_run):
    stats = json.loads((smoke_run / "data" / "stats.json").read_text())
    assert stats["documents_in"] == stats["documents_kept"] + sum(stats["dropped"].values())
    assert stats["documents_in"] == sum(v["in"] for v in stats["by_language"].values())
    for reason in ("malformed_json", "missing_text_field", "exact_duplicate", "symbol_heavy"):
        assert stats["dropped"].get(reason, 0) >= 1, reason


def test_metrics_and_checkpoints(smoke_run):
    rows = read_jsonl(smoke_run / "metrics.jsonl")
    assert len(rows) >= 30
    for key in ("stage", "step", "tokens", "loss", "lr", "grad_norm", "tokens_per_s", "mfu"):
        assert key in rows[0]
    base = [r["loss"] for r in rows if r["stage"] == "base"]
    assert base[-1] < base[0]  # it learns
    ckpts = sorted(p.name for p in (smoke_run / "checkpoints" / "cap").iterdir())
    assert ckpts == ["step_10", "step_15"]  # every 5 steps, last 2 kept


def test_hf_export_loads_without_auroralm_and_matches_checkpoint(smoke_run):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from auroralm.train import checkpoint
    from auroralm.train.model import build_model
    from auroralm.train.trainer import make_optimizer

    hf = smoke_run / "hf" / "cat"
    tok = AutoTokenizer.from_pretrained(hf)
    exported = AutoModelForCausalLM.from_pretrained(hf)
    recipe = load_recipe("smoke")
    model = build_model(recipe.model, len(tok), tok.eos_token_id, seed=0)
    checkpoint.load(smoke_run / "checkpoints" / "cat" / "step_10", model, make_optimizer(model, recipe, 1e-3))
    ids = torch.tensor([tok("def add(a, b):\n    return a + b")["input_ids"]])
    with torch.no_grad():
        assert torch.allclose(exported(ids).logits, model(ids).logits, atol=1e-6)


def test_resume_from_checkpoint_reproduces_losses(smoke_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(smoke_run, run)
    # Pretend the process died after cap's checkpoint at step 10.
    shutil.rmtree(run / "checkpoints" / "cap" / "step_15")
    shutil.rmtree(run / "checkpoints" / "cat")
    shutil.rmtree(run / "hf" / "cap")
    shutil.rmtree(run / "hf" / "cat")
    full = read_jsonl(smoke_run / "metrics.jsonl")
    kept = [r for r in full if r["stage"] == "base" or (r["stage"] == "cap" and r["step"] <= 10)]
    (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in kept))
    assert main(["train", "smoke", "--out", str(run)]) == 0
    resumed = read_jsonl(run / "metrics.jsonl")
    assert [(r["stage"], r["step"]) for r in resumed] == [(r["stage"], r["step"]) for r in full]
    for a, b in zip(full, resumed, strict=True):
        assert abs(a["loss"] - b["loss"]) <= 1e-6, (a, b)


def test_rerun_is_a_no_op_once_done(smoke_run, capsys):
    n = len(read_jsonl(smoke_run / "metrics.jsonl"))
    assert main(["train", "smoke", "--out", str(smoke_run)]) == 0
    assert "already done" in capsys.readouterr().out
    assert len(read_jsonl(smoke_run / "metrics.jsonl")) == n
