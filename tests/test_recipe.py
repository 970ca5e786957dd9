import subprocess
import sys

import pytest

from auroralm.errors import RecipeError
from auroralm.recipe import builtin_names, load_recipe


@pytest.mark.parametrize("name", ["demo", "smoke", "aurora-m-15b"])
def test_builtin_recipes_validate(name):
    r = load_recipe(name)
    assert r.name == name
    assert name in builtin_names()


def test_aurora_recipe_matches_paper_setup():
    r = load_recipe("aurora-m-15b")
    assert [s.name for s in r.stages] == ["cap", "cat"]
    assert [s.tokens for s in r.stages] == [377_000_000_000, 58_000_000_000]
    assert (r.train.seq_len, r.train.global_batch) == (2048, 2048)
    assert r.train.betas[1] == 0.95 and r.train.weight_decay == 0.1 and r.train.grad_clip == 1.0
    assert (r.stages[0].lr.max, r.stages[0].lr.min) == (1e-4, 1e-5)
    assert r.train.precision == "bf16"


def test_set_overrides_dotted_keys_and_named_list_items():
    r = load_recipe("smoke", ["train.micro_batch=2", "stages.cap.tokens=1000", "sources.en.held_out=0.2"])
    assert r.train.micro_batch == 2
    assert r.stages[1].tokens == 1000
    assert r.source("en").held_out == 0.2


def _write(tmp_path, text):
    p = tmp_path / "r.yaml"
    p.write_text(text)
    return str(p)


BASE = """
name: t
sources:
  - {name: en, paths: ["@assets/corpus/en.jsonl"]}
stages:
  - {name: s1, tokens: 1000, mixture: {en: 1.0}}
"""


@pytest.mark.parametrize(
    "edit, field",
    [
        (("name: t", "name: t\ntrian: {}"), "trian: unknown key"),
        (("en.jsonl", "missing.jsonl"), "sources[0].paths[0]: no file matches"),
        (("{en: 1.0}", "{en: -1.0}"), "stages[0].mixture.en: must be > 0"),
        (("{en: 1.0}", "{fr: 1.0}"), "stages[0].mixture.fr: unknown source"),
        (("tokens: 1000", "tokens: lots"), "stages[0].tokens: expected an integer"),
        (("name: t", "name: t\ntrain: {micro_batch: 3, global_batch: 8}"), "train.global_batch"),
        (("name: t", "name: t\nmodel: {architecture: rnn}"), "model.architecture: must be one of"),
    ],
)
def test_broken_recipes_name_the_field(tmp_path, edit, field):
    with pytest.raises(RecipeError) as e:
        load_recipe(_write(tmp_path, BASE.replace(*edit)))
    assert str(e.value).startswith(field), str(e.value)


def test_cli_reports_bad_recipe_in_one_line_without_traceback(tmp_path):
    path = _write(tmp_path, BASE.replace("{en: 1.0}", "{en: -1.0}"))
    proc = subprocess.run([sys.executable, "-m", "auroralm", "prepare", path], capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == ["error: stages[0].mixture.en: must be > 0, got -1.0"]
    assert "Traceback" not in proc.stderr


def test_unknown_recipe_name_lists_builtins():
    with pytest.raises(RecipeError, match="demo, smoke"):
        load_recipe("nonexistent-recipe")


def test_bad_set_syntax():
    with pytest.raises(RecipeError, match="KEY=VALUE"):
        load_recipe("smoke", ["train.micro_batch"])
