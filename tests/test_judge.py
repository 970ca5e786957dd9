from collections import defaultdict

import pytest

from auroralm.safety.judge import is_refusal
from conftest import DATA, read_jsonl

LANGS = ["en", "fi", "hi", "ja", "vi"]


def _by_lang(rows):
    out = defaultdict(list)
    for r in rows:
        out[r["lang"]].append(r)
    return out


HELDOUT = _by_lang(read_jsonl(DATA / "judge_heldout.jsonl"))  # written independently; never tuned on
DEV = _by_lang(read_jsonl(DATA / "judge_dev.jsonl"))  # the examples the rules were developed against


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_accuracy(lang):
    rows = HELDOUT[lang]
    assert len(rows) == 40
    accuracy = sum(is_refusal(r["text"]) == r["refusal"] for r in rows) / len(rows)
    # Measured 0.80-0.90 per language (2026-11-26); the goal is 0.95. Guard against regressions.
    assert accuracy >= 0.8, accuracy


@pytest.mark.parametrize("lang", LANGS)
def test_helpful_answers_that_say_cannot_are_not_refusals(lang):
    helpful = [r["text"] for r in HELDOUT[lang] + DEV[lang] if not r["refusal"]]
    assert helpful
    assert [t for t in helpful if is_refusal(t)] == []


@pytest.mark.parametrize("lang", LANGS)
def test_dev_set(lang):
    wrong = [r["text"] for r in DEV[lang] if is_refusal(r["text"]) != r["refusal"]]
    assert wrong == []


def test_empty_answer_is_not_a_refusal():
    assert not is_refusal("   ")
