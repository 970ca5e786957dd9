"""lm-evaluation-harness on our HF export (offline tasks), and bits-per-byte against transformers' own loss."""

import json
import math

import pytest
import torch
import yaml

from auroralm.data.langid import identify
from auroralm.errors import AuroraError
from auroralm.eval.bpb import bits_per_byte
from auroralm.eval.lmeval import PRESETS, TASKS_DIR, lm_eval_available, materialize_tasks, run_lm_eval
from auroralm.eval.runner import heldout_texts

LANGS = ["en", "fi", "hi", "ja", "vi"]
needs_lm_eval = pytest.mark.skipif(
    not lm_eval_available(), reason="lm-eval not installed (pip install 'auroralm[lmeval]')"
)


def read_set(lang: str) -> list[dict]:
    return [json.loads(line) for line in (TASKS_DIR / f"auroralm_mc_{lang}.jsonl").open(encoding="utf-8")]


def test_mc_sets_are_well_formed_and_parallel():
    sets = {lang: read_set(lang) for lang in LANGS}
    for lang, rows in sets.items():
        assert len(rows) == 40
        for r in rows:
            assert len(r["choices"]) == 4 and len(set(r["choices"])) == 4, r["id"]
            assert 0 <= r["gold"] < 4 and r["question"].strip(), r["id"]
            assert r["category"] in {"knowledge", "reading", "commonsense"}
            assert bool(r["passage"]) == (r["category"] == "reading"), r["id"]
        text = " ".join(r["passage"] + " " + r["question"] + " " + " ".join(r["choices"]) for r in rows)
        assert identify(text)[0] == lang
        # Same items in the same order, same gold positions, so per-language accuracies compare.
        assert [r["id"].split("-", 1)[1] for r in rows] == [r["id"].split("-", 1)[1] for r in sets["en"]]
        assert [r["gold"] for r in rows] == [r["gold"] for r in sets["en"]]
    golds = [r["gold"] for r in sets["en"]]
    assert all(golds.count(g) == 10 for g in range(4))  # always answering "A" scores chance, no more


def test_task_yamls_point_at_the_packaged_data(tmp_path):
    names = materialize_tasks([TASKS_DIR], tmp_path)
    assert names == {"auroralm_mc", *(f"auroralm_mc_{lang}" for lang in LANGS)}
    group = yaml.safe_load(next(tmp_path.rglob("_auroralm_mc.yaml")).read_text(encoding="utf-8"))
    assert group["task"] == [f"auroralm_mc_{lang}" for lang in LANGS]
    for lang in LANGS:
        config = yaml.safe_load(next(tmp_path.rglob(f"auroralm_mc_{lang}.yaml")).read_text(encoding="utf-8"))
        data = config["dataset_kwargs"]["data_files"]["test"]
        assert data == str(TASKS_DIR / f"auroralm_mc_{lang}.jsonl")


@pytest.fixture(scope="module")
def export(smoke_run):
    return smoke_run / "hf" / "cat"


@pytest.fixture(scope="module")
def hf_model(export):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(export, dtype=torch.float32).eval()
    return model, AutoTokenizer.from_pretrained(export)


def fitting_text(text: str, tok, max_tokens: int) -> str:
    """The longest prefix of ``text`` (in characters) that tokenizes to at most ``max_tokens``."""
    while len(tok(text, add_special_tokens=False)["input_ids"]) > max_tokens:
        text = text[: int(len(text) * 0.9)]
    return text


@torch.no_grad()
def transformers_bits(model, tok, text: str) -> tuple[float, int]:
    """-log2 p(text | EOS) from the model's own loss: mean cross-entropy × predicted tokens / ln 2."""
    ids = torch.tensor([[tok.eos_token_id] + tok(text, add_special_tokens=False)["input_ids"]])
    loss = model(input_ids=ids, labels=ids).loss.item()
    n_predicted = ids.shape[1] - 1
    return loss * n_predicted / math.log(2), n_predicted


@pytest.mark.parametrize("lang", [*LANGS, "code"])
def test_bits_per_byte_agrees_with_transformers_loss(smoke_run, hf_model, lang):
    model, tok = hf_model
    window = model.config.n_positions
    text = fitting_text(heldout_texts(smoke_run, lang, 1)[0], tok, window - 1)  # EOS + text in one window
    bits, n_predicted = transformers_bits(model, tok, text)
    ours = bits_per_byte(model, tok, [text], window)
    assert ours["tokens"] == n_predicted and ours["bytes"] == len(text.encode("utf-8"))
    assert ours["bits_per_byte"] == pytest.approx(bits / len(text.encode("utf-8")), rel=1e-4)


def test_bits_per_byte_of_a_padded_batch_agrees_with_transformers_loss(smoke_run, hf_model):
    model, tok = hf_model
    window = model.config.n_positions
    texts = [fitting_text(t, tok, n) for t, n in zip(heldout_texts(smoke_run, "en", 10**6), (60, 25, 8), strict=False)]
    assert len(texts) == 3
    total = sum(transformers_bits(model, tok, t)[0] for t in texts)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    ours = bits_per_byte(model, tok, texts, window, batch_size=3)  # shorter documents padded in one batch
    assert ours["bits_per_byte"] == pytest.approx(total / n_bytes, rel=1e-4)


@needs_lm_eval
def test_offline_tasks_score_every_language_on_the_smoke_export(export):
    results = run_lm_eval(export, ["offline"])
    for lang in LANGS:
        r = results[f"auroralm_mc_{lang}"]
        assert r["samples"] == 40  # every item fits even the toy model's 64-token context
        for metric in ("acc", "acc_norm"):
            assert 0.0 <= r[metric] <= 1.0
            assert r[f"{metric}_stderr"] > 0
    assert 0.0 <= results["auroralm_mc"]["acc"] <= 1.0


@needs_lm_eval
def test_own_task_directory_with_relative_data_and_limit(export, tmp_path):
    rows = [
        {"q": f"{a} plus {b} is", "choices": [str(a + b), str(a + b + 1)], "gold": 0}
        for a in range(1, 4)
        for b in range(1, 4)
    ]
    (tmp_path / "sums.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "sums.yaml").write_text(
        "task: my_sums\ndataset_path: json\ndataset_kwargs:\n  data_files:\n    test: sums.jsonl\n"
        "output_type: multiple_choice\ntest_split: test\ndoc_to_text: '{{q}}'\ndoc_to_choice: '{{choices}}'\n"
        "doc_to_target: gold\nmetric_list:\n  - metric: acc\n",
        encoding="utf-8",
    )
    results = run_lm_eval(export, ["my_sums"], limit=4, include_path=[tmp_path])
    assert results["my_sums"]["samples"] == 4
    assert 0.0 <= results["my_sums"]["acc"] <= 1.0


@needs_lm_eval
def test_installed_task_without_its_dataset_offline_is_a_one_line_error(export, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(AuroraError, match="xcopa_vi: its dataset is not available offline"):
        run_lm_eval(export, ["xcopa_vi"])
    with pytest.raises(AuroraError, match="unknown lm-eval task no_such_task"):
        run_lm_eval(export, ["no_such_task"])


@needs_lm_eval
def test_every_preset_task_exists_in_the_installed_lm_eval():
    from lm_eval.tasks import TaskManager

    known = set(TaskManager().all_tasks)
    missing = {lang: [t for t in tasks if t not in known] for lang, tasks in PRESETS.items() if lang != "offline"}
    assert not any(missing.values()), missing
