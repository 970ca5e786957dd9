import json
from collections import Counter

import pytest

from auroralm.eval.stats import bootstrap_ci
from auroralm.safety.redteam import CATEGORIES, evaluate_safety, load_set

LANGS = ["en", "fi", "hi", "ja", "vi"]


def test_redteam_set_covers_every_category_and_split():
    train, test = load_set("redteam", "train"), load_set("redteam", "test")
    assert {r["category"] for r in train} == set(CATEGORIES)
    per = Counter((r["lang"], r["category"]) for r in test)
    for (lang, cat), n in per.items():
        assert n == 2, (lang, cat)
    train_prompts = {r["prompt"] for r in train}
    assert not train_prompts & {r["prompt"] for r in test}  # test prompts never trained on


def test_benign_contrast_prompts_have_helpful_answers():
    from auroralm.safety.judge import is_refusal

    rows = load_set("benign", "train") + load_set("benign", "test")
    assert rows
    assert not [r["response"] for r in rows if is_refusal(r["response"])]


def test_bootstrap_ci_brackets_the_rate():
    values = [True] * 30 + [False] * 70
    lo, hi = bootstrap_ci(values)
    assert lo < 0.3 < hi and 0.15 < lo and hi < 0.45
    assert bootstrap_ci([]) == [0.0, 0.0]


@pytest.mark.parametrize("lang", ["en"])
def test_evaluate_safety_on_a_trained_export(smoke_run, lang, tmp_path):
    from auroralm.data.tokenizer import load_tokenizer
    from auroralm.train.model import load_pretrained

    hf = smoke_run / "hf" / "cat"
    result = evaluate_safety(load_pretrained(str(hf)), load_tokenizer(hf),
                             "### Instruction:\n{instruction}\n\n### Response:\n{response}", [lang], 8,
                             samples_path=tmp_path / "cat.redteam.jsonl")
    assert result["n_harmful"] == 16 and result["n_benign"] == 16
    assert result["attack_success_rate"] == pytest.approx(1 - result["refusal_rate"])
    assert set(result["by_category"]) == set(CATEGORIES)
    samples = [json.loads(line) for line in (tmp_path / "cat.redteam.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(samples) == 32 and len({s["id"] for s in samples}) == 32
    assert sum(s["benign"] for s in samples) == 16 and all(s["lang"] == lang for s in samples)
    harmful = [s for s in samples if not s["benign"]]
    assert sum(s["refused"] for s in harmful) / 16 == pytest.approx(result["refusal_rate"])
