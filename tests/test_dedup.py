"""Near-duplicate and exact dedup on the demo corpus: planted near-copies found, real documents kept."""

import json
import random
from pathlib import Path

import numpy as np
import pytest

import auroralm
from auroralm.data.dedup import ExactDeduper, MinHashDeduper, shingle_hashes, shingles
from auroralm.errors import AuroraError

CORPUS = Path(auroralm.__file__).parent / "assets" / "corpus"
LANGS = ["en", "fi", "hi", "ja", "vi", "code"]


def corpus_docs(include_junk: bool = False) -> list[tuple[str, str, str]]:
    """(id, text, lang) for every readable demo document; instruction pairs joined as one text."""
    docs = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        lang = path.stem.removeprefix("instruct_")
        if lang == "junk" and not include_junk:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # junk.jsonl has a deliberately broken line
            text = rec.get("text", f"{rec.get('instruction')}\n\n{rec.get('response')}")
            if isinstance(text, str) and text.strip():
                docs.append((rec["id"], text, "en" if lang == "junk" else lang))
    return docs


def near_copy(text: str, lang: str, seed: int) -> str:
    """A plausible re-post: a word changed per ~150 (ja: a character per ~200, and a line appended)."""
    rng = random.Random(seed)
    if lang == "ja":
        chars = list(text)
        for pos in rng.sample(range(len(chars)), 1 + len(chars) // 200):
            chars[pos] = "新"
        return "".join(chars) + "\n詳しくは公式サイトをご覧ください。"
    words = text.split(" ")
    plain = [w for w in words if w.isalpha()] or ["edited"]
    for pos in rng.sample(range(len(words)), 1 + len(words) // 150):
        words[pos] = rng.choice(plain)
    return " ".join(words)


def jaccard(a: str, b: str, lang: str) -> float:
    sa, sb = shingles(a, lang), shingles(b, lang)
    return len(sa & sb) / len(sa | sb)


def by_lang(lang: str) -> list[tuple[str, str, str]]:
    return [d for d in corpus_docs() if d[2] == lang and "-inst-" not in d[0]]


@pytest.mark.parametrize("verify", [True, False])
@pytest.mark.parametrize("lang", LANGS)
def test_planted_near_copies_are_found(lang, verify):
    docs = by_lang(lang)
    dedup = MinHashDeduper(verify=verify)
    assert all(dedup.add(i, t, lang) is None for i, t, _ in docs), "real documents must all be kept"
    for k, (doc_id, text, _) in enumerate(docs[:12]):
        copy = near_copy(text, lang, seed=k)
        assert 0.8 < jaccard(text, copy, lang) < 1.0
        assert dedup.add(f"{doc_id}-copy", copy, lang) == doc_id
    assert len(dedup) == len(docs)


@pytest.mark.parametrize("verify", [True, False])
def test_whole_demo_corpus_has_no_false_duplicates(verify):
    dedup = MinHashDeduper(verify=verify)
    found = {i: dedup.add(i, t, lang) for i, t, lang in corpus_docs()}
    assert {i: m for i, m in found.items() if m} == {}


def test_labelled_junk_duplicates():
    dedup, exact = MinHashDeduper(), ExactDeduper()
    found = {i: (dedup.add(i, t, lang), exact.add(i, t, lang)) for i, t, lang in corpus_docs(include_junk=True)}
    assert found["junk-018"][0] == "junk-017"  # one word changed (5-gram Jaccard 0.78)
    assert found["junk-020"] == ("junk-017", "junk-017")  # exact copy
    # Same boilerplate, different site names: 5-gram Jaccard 0.53, not a near-duplicate.
    assert found["junk-002"] == (None, None)


def test_signature_estimates_jaccard_and_is_deterministic():
    dedup, other_seed = MinHashDeduper(), MinHashDeduper(seed=2)
    for lang in LANGS:
        for k, (_, text, _) in enumerate(by_lang(lang)[:5]):
            copy = near_copy(text, lang, seed=k)
            estimate = float(np.mean(dedup.signature(text, lang) == dedup.signature(copy, lang)))
            assert abs(estimate - jaccard(text, copy, lang)) < 0.12
            assert np.array_equal(dedup.signature(text, lang), MinHashDeduper().signature(text, lang))
            assert not np.array_equal(dedup.signature(text, lang), other_seed.signature(text, lang))


def test_shingles_are_language_aware():
    assert shingles("Hello,   WORLD! Hello world.", "en", n=2) == {"hello world", "world hello"}
    # Japanese has no spaces: character n-grams, punctuation and spaces removed.
    assert shingles("東京は、晴れ。 明日", "ja", n=3) == {"東京は", "京は晴", "は晴れ", "晴れ明", "れ明日"}
    # Devanagari vowel signs are part of the word; the danda is punctuation.
    assert shingles("नमस्ते दुनिया। फिर मिलेंगे", "hi", n=2) == {"नमस्ते दुनिया", "दुनिया फिर", "फिर मिलेंगे"}
    assert shingles("two words", "en", n=5) == {"two words"}
    assert shingles(" ... ", "en") == set()
    for _, text, lang in corpus_docs()[::7]:
        assert len(np.unique(shingle_hashes(text, lang))) == len(shingles(text, lang))


def test_empty_text_is_neither_indexed_nor_a_duplicate():
    dedup = MinHashDeduper()
    assert dedup.add("a", "", "en") is None and dedup.add("b", "!!!", "en") is None
    assert len(dedup) == 0


@pytest.mark.parametrize("verify", [True, False])
def test_save_and_load_resume_with_identical_decisions(tmp_path, verify):
    stream = corpus_docs(include_junk=True)
    stream += [(f"{i}-copy", near_copy(t, lang, seed=n), lang) for n, (i, t, lang) in enumerate(stream[::5])]
    random.Random(0).shuffle(stream)
    half = len(stream) // 2

    straight = MinHashDeduper(verify=verify)
    expected = [straight.add(*doc) for doc in stream]
    assert sum(m is not None for m in expected) > 100

    first = MinHashDeduper(verify=verify)
    got = [first.add(*doc) for doc in stream[:half]]
    first.save(tmp_path / "index.npz")
    resumed = MinHashDeduper.load(tmp_path / "index.npz")
    got += [resumed.add(*doc) for doc in stream[half:]]
    assert got == expected
    assert len(resumed) == len(straight)

    with pytest.raises(AuroraError, match="index was built with"):
        MinHashDeduper(num_perm=128, bands=16, verify=verify).load_state_dict(first.state_dict())


@pytest.mark.parametrize("verify", [True, False])
def test_merging_shards_finds_cross_shard_duplicates(verify):
    docs = corpus_docs()
    shard_a = docs[::2]
    shard_b = [(f"{i}-copy", near_copy(t, lang, seed=n), lang) for n, (i, t, lang) in enumerate(shard_a[:30])]
    shard_b += docs[1::2]
    a, b = MinHashDeduper(verify=verify), MinHashDeduper(verify=verify)
    assert all(a.add(*doc) is None for doc in shard_a)
    assert all(b.add(*doc) is None for doc in shard_b)  # copies and originals sit in different shards
    dropped = a.merge(b)
    assert dropped == {f"{i}-copy": i for i, _, _ in shard_a[:30]}
    assert len(a) == len(docs)


def test_index_memory_per_document():
    for verify, budget in ((True, 1200), (False, 800)):
        dedup = MinHashDeduper(verify=verify)
        docs = corpus_docs()
        for doc in docs:
            dedup.add(*doc)
        size = sum(a.nbytes for a in dedup.state_dict().values())
        assert size / len(docs) < budget


def test_exact_deduper_normalizes_text_but_not_code(tmp_path):
    exact = ExactDeduper()
    assert exact.add("a", "The quick brown fox.", "en") is None
    assert exact.add("b", "  the QUICK brown fox!\n", "en") == "a"
    assert exact.add("c", "The quick brown cat.", "en") is None
    assert exact.add("d", "x = a + b\n", "code") is None
    assert exact.add("e", "x = a - b", "code") is None  # symbols carry meaning in code
    assert exact.add("f", "x  =  a + b", "code") == "d"
    exact.save(tmp_path / "exact.npz")
    loaded = ExactDeduper.load(tmp_path / "exact.npz")
    assert loaded.add("g", "the quick brown cat", "en") == "c"
    for n in range(3000):  # grows past its first table size
        assert loaded.add(f"n{n}", f"document number {n}", "en") is None
    assert loaded.add("again", "Document number 1234.", "en") == "n1234"
