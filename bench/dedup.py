"""Near-duplicate detection: auroralm's MinHashDeduper against datasketch's MinHash + MinHashLSH.

Corpus (built here, seeded): the demo corpus (en, fi, hi, ja, vi, code) cut into units (sentences;
code: blank-line blocks), plus synthetic distinct documents that combine random units of one language,
plus planted variants of ~30% of these documents (1-3 each), made by deleting or inserting a unit and
replacing 0-4% of the words (ja: characters). The stream is shuffled. Ground truth: a document is a
near-duplicate when its exact 5-gram Jaccard similarity with an earlier document of its family (the
source and its variants) is >= 0.75; documents of different families share too few units to come
near that (checked: every flagged cross-family pair's exact similarity is counted below).

Every method reads the same stream, uses the same shingles (``auroralm.data.dedup.shingles``: datasketch
gets them as UTF-8 bytes), 112 permutations and threshold 0.75, and streams: query, then index the
document only if it is kept. Methods:

- auroralm verify / no-verify: ``MinHashDeduper(num_perm=112, bands=14, threshold=0.75, verify=...)``.
- datasketch LSH: ``MinHashLSH(threshold=0.75, num_perm=112)`` (it picks bands x rows itself),
  duplicate if any candidate.
- datasketch 14x8 + verify: ``MinHashLSH(params=(14, 8))``, duplicate if a candidate's
  ``MinHash.jaccard`` >= 0.75 (kept MinHash objects): the same algorithm as auroralm verify.

docs/s: whole stream, one process, text in, decision out (shingling included). signatures/s: the
signature step alone (auroralm ``signature``; datasketch ``shingles`` + ``MinHash.update_batch``).
Memory, in a second run under tracemalloc (which counts numpy buffers): peak, and retained after the
run with the index alive (the index itself).

    .venv/bin/pip install datasketch   # benchmark only
    .venv/bin/python bench/dedup.py --json dedup-results.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

import auroralm
from auroralm.data.dedup import CHAR_NGRAM_LANGS, MinHashDeduper, shingles

CORPUS = Path(auroralm.__file__).parent / "assets" / "corpus"
LANGS = ("en", "fi", "hi", "ja", "vi", "code")
THRESHOLD, NUM_PERM = 0.75, 112
Doc = tuple[str, str, str, int]  # id, text, lang, family


def split_units(text: str, lang: str) -> list[str]:
    if lang == "code":
        return [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    return [u for u in re.split(r"(?<=[.!?।。])\s*", text) if u.strip()]


def join_units(units: list[str], lang: str) -> str:
    return ("\n\n" if lang == "code" else "" if lang in CHAR_NGRAM_LANGS else " ").join(units)


def variant(text: str, lang: str, rng: random.Random, pool: list[str]) -> str:
    """A re-post: maybe a unit deleted or inserted, then 0-4% of the words (ja: characters) replaced."""
    units = split_units(text, lang)
    if rng.random() < 0.3 and len(units) > 3:
        del units[rng.randrange(len(units))]
    if rng.random() < 0.3:
        units.insert(rng.randrange(len(units) + 1), rng.choice(pool))
    text = join_units(units, lang)
    tokens = list(text) if lang in CHAR_NGRAM_LANGS else text.split(" ")
    for pos in rng.sample(range(len(tokens)), int(rng.uniform(0, 0.04) * len(tokens))):
        tokens[pos] = rng.choice(tokens)
    return ("" if lang in CHAR_NGRAM_LANGS else " ").join(tokens)


def build_corpus(per_lang: int, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    family = 0
    for lang in LANGS:
        real = [json.loads(line)["text"] for line in (CORPUS / f"{lang}.jsonl").read_text("utf-8").splitlines()]
        pool = [u for t in real for u in split_units(t, lang)]
        lo, hi = (4, 8) if lang == "code" else (6, 14)
        bases = real + [join_units(rng.sample(pool, rng.randint(lo, hi)), lang) for _ in range(per_lang - len(real))]
        for k, text in enumerate(bases):
            docs.append((f"{lang}-{k}", text, lang, family))
            if rng.random() < 0.3:
                for v in range(rng.randint(1, 3)):
                    docs.append((f"{lang}-{k}-v{v}", variant(text, lang, rng, pool), lang, family))
            family += 1
    rng.shuffle(docs)
    return docs


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def ground_truth(docs: list[Doc], sets: list[set[str]]) -> tuple[np.ndarray, list[list[int]]]:
    """Per document: best exact similarity with an earlier document of its family (0 for none), and
    the earlier documents at or above the threshold."""
    best = np.zeros(len(docs))
    near: list[list[int]] = []
    seen: dict[int, list[int]] = {}
    for i, (_, _, _, fam) in enumerate(docs):
        earlier = seen.setdefault(fam, [])
        sims = [(jaccard(sets[i], sets[j]), j) for j in earlier]
        best[i] = max((s for s, _ in sims), default=0.0)
        near.append([j for s, j in sims if s >= THRESHOLD])
        earlier.append(i)
    return best, near


Runner = Callable[[list[Doc]], tuple[list[str | None], object]]


def run_auroralm(verify: bool) -> Runner:
    def run(docs):
        dedup = MinHashDeduper(num_perm=NUM_PERM, bands=14, threshold=THRESHOLD, verify=verify)
        return [dedup.add(i, t, lang) for i, t, lang, _ in docs], dedup

    return run


def run_datasketch(params: tuple[int, int] | None, verify: bool) -> Runner:
    def run(docs):
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=params)
        kept: dict[str, MinHash] = {}
        out: list[str | None] = []
        for doc_id, text, lang, _ in docs:
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([s.encode() for s in shingles(text, lang)])
            candidates = lsh.query(m)
            if verify:
                scored = [(m.jaccard(kept[c]), c) for c in candidates]
                candidates = [c for s, c in sorted(scored, reverse=True) if s >= THRESHOLD]
            out.append(candidates[0] if candidates else None)
            if not candidates:
                lsh.insert(doc_id, m)
                if verify:
                    kept[doc_id] = m
        return out, (lsh, kept)

    return run


def bands_rows(params: tuple[int, int] | None) -> str:
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=params)
    return f"{lsh.b}x{lsh.r}"


def signature_rate(method: str, docs: list[Doc]) -> float:
    start = time.perf_counter()
    if method.startswith("auroralm"):
        dedup = MinHashDeduper(num_perm=NUM_PERM, bands=14)
        for _, text, lang, _ in docs:
            dedup.signature(text, lang)
    else:
        for _, text, lang, _ in docs:
            MinHash(num_perm=NUM_PERM).update_batch([s.encode() for s in shingles(text, lang)])
    return len(docs) / (time.perf_counter() - start)


def score(
    docs: list[Doc], sets: list[set[str]], truth: np.ndarray, near: list[list[int]], found: list[str | None]
) -> dict:
    index = {d[0]: i for i, d in enumerate(docs)}
    flagged = np.array([m is not None for m in found])
    positive = truth >= THRESHOLD
    tp = int((flagged & positive).sum())
    # A streaming deduper compares with kept documents only: a miss whose near-duplicates were all dropped
    # earlier (as duplicates of something less similar to it) is out of its reach.
    unreachable = sum(not flagged[i] and all(flagged[j] for j in near[i]) for i in np.flatnonzero(positive))
    cross = [(i, index[m]) for i, m in enumerate(found) if m is not None and docs[index[m]][3] != docs[i][3]]
    by_lang = {}
    for lang in LANGS:
        sel = np.array([d[2] == lang for d in docs])
        by_lang[lang] = {
            "recall": float((flagged & positive & sel).sum() / max(1, (positive & sel).sum())),
            "precision": float((flagged & positive & sel).sum() / max(1, (flagged & sel).sum())),
        }
    return {
        "flagged": int(flagged.sum()),
        "recall": tp / max(1, positive.sum()),
        "recall_j085": float((flagged & (truth >= 0.85)).sum() / max(1, (truth >= 0.85).sum())),
        "precision": tp / max(1, flagged.sum()),
        "flagged_below_0.6": int((flagged & (truth < 0.6)).sum()),
        "missed_unreachable": int(unreachable),
        "cross_family_flags": len(cross),
        "cross_family_true_dups": sum(jaccard(sets[i], sets[j]) >= THRESHOLD for i, j in cross),
        "by_language": by_lang,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-lang", type=int, default=1400, help="distinct documents per language (before variants)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per method (best kept)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()

    docs = build_corpus(args.per_lang, args.seed)
    sets = [shingles(t, lang) for _, t, lang, _ in docs]
    truth, near = ground_truth(docs, sets)
    n_pos = int((truth >= THRESHOLD).sum())
    variants = int(sum("-v" in d[0] for d in docs))
    print(
        f"corpus: {len(docs)} documents, {variants} planted variants, {n_pos} near-duplicates (J >= {THRESHOLD}), "
        f"{int(((truth > 0) & (truth < THRESHOLD)).sum())} variants below; {sum(map(len, sets)) / len(sets):.0f} shingles/doc"
    )

    methods = [
        ("auroralm verify", "14x8", run_auroralm(True)),
        ("auroralm no-verify", "14x8", run_auroralm(False)),
        ("datasketch LSH", bands_rows(None), run_datasketch(None, False)),
        ("datasketch 14x8 + verify", bands_rows((14, 8)), run_datasketch((14, 8), True)),
    ]
    # Timings interleave the methods and keep each one's best of --repeats, so a busy machine
    # (other jobs on these cores) penalizes them alike.
    found: dict[str, list[str | None]] = {}
    elapsed: dict[str, float] = {}
    sig_rate: dict[str, float] = {}
    for _ in range(args.repeats):
        for name, _, run in methods:
            start = time.perf_counter()
            found[name], _ = run(docs)
            elapsed[name] = min(elapsed.get(name, float("inf")), time.perf_counter() - start)
            sig_rate[name] = max(sig_rate.get(name, 0.0), signature_rate(name, docs))
    results = {}
    for name, banding, run in methods:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        again, index = run(docs)
        retained = tracemalloc.get_traced_memory()[0] - base
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        del index
        assert again == found[name], f"{name} is not deterministic"
        results[name] = {
            "bands_x_rows": banding,
            "docs_per_s": len(docs) / elapsed[name],
            "signatures_per_s": sig_rate[name],
            "peak_mib": peak / 2**20,
            "index_mib": retained / 2**20,
            **score(docs, sets, truth, near, found[name]),
        }

    header = f"{'method':28} {'b x r':>6} {'docs/s':>8} {'sigs/s':>8} {'recall':>7} {'R@J>=.85':>8} {'precision':>9} {'peak MiB':>9} {'index MiB':>9}"
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(
            f"{name:28} {r['bands_x_rows']:>6} {r['docs_per_s']:8.0f} {r['signatures_per_s']:8.0f} {r['recall']:7.3f} "
            f"{r['recall_j085']:8.3f} {r['precision']:9.3f} {r['peak_mib']:9.1f} {r['index_mib']:9.1f}"
        )
    for name, r in results.items():
        print(
            f"{name}: flagged {r['flagged']}, flagged with J < 0.6: {r['flagged_below_0.6']}, "
            f"missed because their near-duplicates were dropped: {r['missed_unreachable']}, "
            f"cross-family flags {r['cross_family_flags']} (true near-duplicates among them: {r['cross_family_true_dups']})"
        )
    if args.json:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("Model name")), "")
        meta = {
            "documents": len(docs),
            "near_duplicates": n_pos,
            "planted_variants": variants,
            "threshold": THRESHOLD,
            "num_perm": NUM_PERM,
            "cpu": model or platform.processor(),
            "python": platform.python_version(),
        }
        args.json.write_text(json.dumps({"corpus": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()
