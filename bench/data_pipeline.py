"""Data cleaning throughput: ``auroralm.data.pipeline.clean`` against datatrove's stock Gopher + FineWeb chain.

Corpus (built here, deterministic for a given ``--docs`` and ``--seed``, in a temporary folder): the demo
corpus's web documents (en, fi, hi, ja, vi) and code files, scaled up to ``--docs`` documents:

- distinct documents: 3-7 paragraphs drawn without replacement from all documents of one language, half of
  them with their sentences shuffled (code: a file's first block plus 3-8 blank-line blocks of files in the
  same programming language); the real demo documents themselves are included once;
- 5% of the web documents get a contact paragraph with an e-mail address, a phone number and a public IP;
- planted near-duplicates (8% of the corpus): a copy of an earlier document with a paragraph dropped and
  0-3% of its words replaced; exact duplicates (2%): a verbatim copy under a new id;
- junk (4%): the demo's junk records (boilerplate, spam, symbol soup, too short, empty, mixed language),
  their digits rewritten, and its one malformed JSON line and one record without a text field, once each.

Shuffled and written as ``--shards`` JSONL files (``{"id", "text", "src"}``; ``src`` is the source language
or ``junk``, which neither side reads as a hint).

Sides (same machine, same process, same files):

- datatrove (stock English chain, its defaults): ``JsonlReader`` -> ``GopherRepetitionFilter`` ->
  ``GopherQualityFilter`` -> ``FineWebQualityFilter`` -> ``PIIFormatter`` -> ``JsonlWriter``
  (``compression=None``, as ours writes plain JSONL), run by ``LocalPipelineExecutor(tasks=1, workers=1)``.
  Its word splitter for English is ``spacy.blank("en")`` (no model download); nothing in this chain
  downloads at run time, so no component is disabled. It applies English rules to every document: that
  is what the stock chain does, and it is why it keeps almost only English (see "kept by source"). It has
  no deduplication, so it also keeps the planted duplicates.
- auroralm: ``clean(shards, out, workers=1)`` with the default ``DataConfig``: normalization, language id,
  code / symbol filters, per-language Gopher + FineWeb(-2) quality, toxicity word lists, PII redaction
  (e-mail, IP, phone, secrets), then exact + MinHash near-dedup and decontamination against HumanEval and
  the red-team prompts (whose index is built inside each run). Also ``workers=2``, for information.

Timing: every side first runs once on a small warm-up corpus (other seed), in this process, so module
imports, spaCy's blank English pipeline, auroralm's word lists and code-point tables are loaded before the
timed runs (their cold cost is reported). A timed run covers the whole call: reading, every step, writing,
for auroralm also building the decontamination index and its corpus-wide pass; ``workers=2`` also pays for
spawning and importing in its worker processes. Wall time (``perf_counter``) and CPU time (this process's
``process_time`` plus the CPU time of child processes reaped during the run) are both recorded; runs are
interleaved ``--repeats`` times and each number is the best of its repeats. docs/s per core = documents
in / CPU seconds (or / wall seconds / workers); the headline ratio uses CPU time, which a loaded machine
disturbs much less than wall time.

``--profile PATH`` then runs auroralm's ``workers=1`` chain twice more: once with each step wrapped in a
``process_time`` counter (CPU time per stage, little overhead), once under cProfile (stats saved to PATH,
top functions printed; cProfile's per-call cost inflates loops over characters, so take shares from the
stage table).

    .venv/bin/pip install datatrove spacy orjson   # benchmark only
    .venv/bin/python bench/data_pipeline.py --json data-pipeline.json --profile /tmp/clean.prof
    .venv/bin/python bench/data_pipeline.py --docs 2000 --repeats 1          # a quick run
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # progress bars off, in this process and in spawned workers

import auroralm  # noqa: E402
from auroralm.data.pipeline import clean  # noqa: E402

CORPUS = Path(auroralm.__file__).parent / "assets" / "corpus"
WEB_LANGS = ("en", "fi", "hi", "ja", "vi")
SHARES = {"en": 0.24, "fi": 0.15, "hi": 0.13, "ja": 0.15, "vi": 0.13, "code": 0.20}  # of distinct docs
JUNK, NEAR, EXACT, PII = 0.04, 0.08, 0.02, 0.05
_SENTENCE_END = re.compile(r"(?<=[.!?।])\s+|(?<=[。！？])")
CONTACT = {
    "en": "For details, write to {email} or call {phone}. The booking server is at {ip}.",
    "fi": "Lisätietoja saa osoitteesta {email} tai numerosta {phone}. Varauspalvelin on osoitteessa {ip}.",
    "hi": "अधिक जानकारी के लिए {email} पर लिखें या {phone} पर फ़ोन करें। बुकिंग सर्वर {ip} पर है।",
    "ja": "詳しくは{email}までメールするか、{phone}に電話してください。予約サーバーは{ip}です。",
    "vi": "Để biết thêm chi tiết, hãy viết thư tới {email} hoặc gọi {phone}. Máy chủ đặt chỗ ở {ip}.",
}


# --- corpus ---------------------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _shuffle_sentences(par: str, lang: str, rng: random.Random) -> str:
    if "\n" in par:  # a list or a forum post's lines: keep its layout
        return par
    sents = [s for s in _SENTENCE_END.split(par) if s.strip()]
    rng.shuffle(sents)
    return ("" if lang == "ja" else " ").join(sents)


def _web_doc(pool: list[str], lang: str, rng: random.Random) -> str:
    pars = rng.sample(pool, rng.randint(3, 7))
    if rng.random() < 0.5:
        pars = [_shuffle_sentences(p, lang, rng) for p in pars]
    return "\n\n".join(pars)


def _near_duplicate(text: str, lang: str, rng: random.Random) -> str:
    """A re-post: one paragraph (code: block) dropped when there are 4+, then 0-3% of the words replaced."""
    pars = text.split("\n\n")
    if len(pars) >= 4:
        del pars[rng.randrange(1, len(pars))]
    text = "\n\n".join(pars)
    tokens = list(text) if lang == "ja" else text.split(" ")
    for pos in rng.sample(range(len(tokens)), int(rng.uniform(0, 0.03) * len(tokens))):
        if tokens[pos].strip():
            tokens[pos] = rng.choice(tokens)
    return ("" if lang == "ja" else " ").join(tokens)


def build_corpus(n_docs: int, seed: int) -> list[tuple[str, str, str]]:
    """(id, source, text) for ``n_docs`` documents, plus the two unreadable junk records (as raw lines)."""
    rng = random.Random(seed)
    n_junk, n_near, n_exact = round(JUNK * n_docs), round(NEAR * n_docs), round(EXACT * n_docs)
    n_distinct = n_docs - n_junk - n_near - n_exact
    counts = {lang: int(share * n_distinct) for lang, share in SHARES.items()}
    counts["en"] += n_distinct - sum(counts.values())
    docs: list[tuple[str, str, str]] = []
    for lang in WEB_LANGS:
        real = [d["text"] for d in _read_jsonl(CORPUS / f"{lang}.jsonl")]
        pool = [p for t in real for p in t.split("\n\n") if p.strip()]
        texts = real[: counts[lang]] + [_web_doc(pool, lang, rng) for _ in range(counts[lang] - len(real))]
        for k, text in enumerate(texts):
            if rng.random() < PII:
                email = (
                    f"{rng.choice(['anna', 'mikko', 'ravi', 'yuki', 'lan'])}.{rng.randrange(10**4)}@mail.example.org"
                )
                phone = f"+358 40 {rng.randrange(100, 1000)} {rng.randrange(1000, 10000)}"
                ip = f"93.184.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                text += "\n\n" + CONTACT[lang].format(email=email, phone=phone, ip=ip)
            docs.append((f"{lang}-{k:06d}", lang, text))
    code = _read_jsonl(CORPUS / "code.jsonl")
    blocks: dict[str, list[str]] = {}
    for d in code:
        blocks.setdefault(d["language"], []).extend(b for b in d["text"].split("\n\n")[1:] if b.strip())
    gen = [d for d in code if blocks.get(d["language"])]
    texts = [d["text"] for d in code][: counts["code"]]
    for _ in range(counts["code"] - len(texts)):
        d = rng.choice(gen)
        pool = blocks[d["language"]]
        texts.append("\n\n".join([d["text"].split("\n\n")[0], *rng.sample(pool, min(len(pool), rng.randint(3, 8)))]))
    docs += [(f"code-{k:06d}", "code", t) for k, t in enumerate(texts)]
    originals = list(docs)
    for k in range(n_near):
        doc_id, src, text = rng.choice(originals)
        docs.append((f"{doc_id}-near{k}", src, _near_duplicate(text, src, rng)))
    for k in range(n_exact):
        doc_id, src, text = rng.choice(originals)
        docs.append((f"{doc_id}-copy{k}", src, text))
    junk = [d for d in _read_jsonl_lenient(CORPUS / "junk.jsonl") if isinstance(d.get("text"), str)]
    for k in range(n_junk - 2):
        text = re.sub(r"\d", lambda _: str(rng.randrange(10)), rng.choice(junk)["text"])
        docs.append((f"junk-{k:06d}", "junk", text))
    rng.shuffle(docs)
    return docs


def _read_jsonl_lenient(path: Path) -> list[dict]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return out


def write_shards(docs: list[tuple[str, str, str]], folder: Path, shards: int) -> list[Path]:
    """JSONL shards of about equal size; shard 0 also holds a cut-off line and a record without text."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"shard-{i:03d}.jsonl" for i in range(shards)]
    per = -(-len(docs) // shards)
    for i, path in enumerate(paths):
        lines = [
            json.dumps({"id": d, "src": s, "text": t}, ensure_ascii=False) for d, s, t in docs[i * per : (i + 1) * per]
        ]
        if i == 0:
            lines[len(lines) // 2 : len(lines) // 2] = [
                '{"id": "junk-broken", "src": "junk", "text": "this line was cut off in the middle of a wri',
                '{"id": "junk-nofield", "src": "junk", "body": "no text field here"}',
            ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def count_lines(paths: list[Path]) -> int:
    return sum(1 for p in paths for line in p.open(encoding="utf-8") if line.strip())


# --- the two sides ----------------------------------------------------------------------------


def run_datatrove(shards: list[Path], out: Path) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.formatters import PIIFormatter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    out.mkdir(parents=True, exist_ok=True)
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(shards[0].parent), glob_pattern="*.jsonl"),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            FineWebQualityFilter(),
            PIIFormatter(),
            JsonlWriter(str(out / "output"), compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(out / "logs"),
    )
    # datatrove logs each task to stderr (INFO) and to logging_dir (DEBUG); send the stderr copy to a file.
    with open(out / "stderr.log", "w") as err, contextlib.redirect_stderr(err):
        executor.run()
    return {"kept_ids": _ids(sorted((out / "output").glob("*.jsonl")))}


def run_auroralm(shards: list[Path], out: Path, workers: int) -> dict:
    stats = clean(shards, out, workers=workers)
    ids = _ids(sorted(out.glob("*.jsonl")))
    assert len(ids) == stats["documents_kept"], (len(ids), stats["documents_kept"])
    return {"kept_ids": ids, "stats": stats}


def _ids(paths: list[Path]) -> list[str]:
    return [json.loads(line)["id"] for p in paths for line in p.open(encoding="utf-8") if line.strip()]


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(fn: Callable[[], dict]) -> tuple[dict, dict]:
    load = os.getloadavg()[0]
    c0, k0, w0 = time.process_time(), _cpu_children(), time.perf_counter()
    result = fn()
    wall = time.perf_counter() - w0
    cpu, children = time.process_time() - c0, _cpu_children() - k0
    return result, {"wall_s": wall, "cpu_s": cpu + children, "cpu_children_s": children, "load1": load}


def by_source(ids: list[str], source_of: dict[str, str]) -> dict[str, int]:
    return dict(sorted(Counter(source_of.get(i, "?") for i in ids).items()))


# --- profile ----------------------------------------------------------------------------------

# (module, attribute, label); a class method is "Class.method". Each is wrapped to add its CPU time.
STAGES = [
    ("auroralm.data.shards", "read_path", "read + parse input JSON"),
    ("auroralm.data.filters", "normalize", "normalize (NFC)"),
    ("auroralm.data.clean", "identify", "language id (total)"),
    ("auroralm.data.langid", "code_score", "  of which code_score (per-line regex)"),
    ("auroralm.data.langid", "_script_counts", "  of which _script_counts"),
    ("auroralm.data.quality", "symbol_or_number_dominated", "symbol/number filter"),
    ("auroralm.data.quality", "check_code", "code filters"),
    ("auroralm.data.quality", "check_quality", "Gopher + FineWeb quality"),
    ("auroralm.data.toxicity", "toxic_reason", "toxicity"),
    ("auroralm.data.pii", "redact", "PII redaction"),
    ("auroralm.data.shards", "default_decontaminator", "decontamination index build"),
    ("auroralm.data.dedup", "ExactDeduper.add", "corpus pass: exact dedup"),
    ("auroralm.data.dedup", "MinHashDeduper.add", "corpus pass: MinHash dedup"),
    ("auroralm.data.decontam", "Decontaminator.contaminated", "corpus pass: decontamination"),
]


@contextlib.contextmanager
def stage_timers(acc: Counter):
    """Wrap the chain's steps so that each adds its CPU time (``process_time``) to ``acc[label]``."""
    import importlib
    import inspect

    undo = []
    for module, attr, label in STAGES:
        owner = importlib.import_module(module)
        cls, _, name = attr.rpartition(".")
        if cls:
            owner = getattr(owner, cls)
        if not hasattr(owner, name):
            continue  # the step was renamed or removed
        orig = getattr(owner, name)

        def wrapper(*a, _orig=orig, _label=label, **k):
            t = time.process_time()
            try:
                return _orig(*a, **k)
            finally:
                acc[_label] += time.process_time() - t

        def gen_wrapper(*a, _orig=orig, _label=label, **k):
            it = _orig(*a, **k)
            while True:
                t = time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    acc[_label] += time.process_time() - t
                    return
                acc[_label] += time.process_time() - t
                yield item

        setattr(owner, name, gen_wrapper if inspect.isgeneratorfunction(orig) else wrapper)
        undo.append((owner, name, orig))
    try:
        yield
    finally:
        for owner, name, orig in reversed(undo):
            setattr(owner, name, orig)


def profile_auroralm(shards: list[Path], out: Path, path: Path, n_docs: int) -> dict:
    """Per-stage CPU time (wrapped steps, no profiler), then cProfile's function list."""
    import cProfile
    import pstats

    acc: Counter = Counter()
    with stage_timers(acc):
        c0 = time.process_time()
        clean(shards, out / "stages", workers=1)
        total = time.process_time() - c0
    top_level = sum(v for k, v in acc.items() if not k.startswith("  "))
    print(f"\nauroralm clean(workers=1), {n_docs} docs: CPU time per stage (steps wrapped with process_time)")
    print(f"{'stage':42} {'CPU s':>7} {'share':>6}")
    for _, _, label in STAGES:
        if label in acc:
            print(f"{label:42} {acc[label]:7.2f} {acc[label] / total:6.1%}")
    rest = total - top_level
    print(f"{'rest (JSON out, funnel, files, loop)':42} {rest:7.2f} {rest / total:6.1%}")
    print(f"{'total':42} {total:7.2f}")

    prof = cProfile.Profile()
    prof.enable()
    clean(shards, out / "cprofile", workers=1)
    prof.disable()
    prof.dump_stats(str(path))
    st = pstats.Stats(prof)
    rows = [
        {"function": f"{Path(file).name}:{line}({name})", "calls": nc, "self_s": tt, "cum_s": ct}
        for (file, line, name), (_cc, nc, tt, ct, _callers) in st.stats.items()
    ]
    top = sorted(rows, key=lambda r: -r["self_s"])[:20]
    print(f"\ncProfile, same run (wall-clock timer, profiler overhead included: {st.total_tt:.1f} s; per-call cost")
    print("inflates Python loops over characters; read shares from the stage table above)")
    print(f"{'self s':>8} {'share':>6} {'cum s':>8} {'calls':>9}  function")
    for r in top:
        print(f"{r['self_s']:8.2f} {r['self_s'] / st.total_tt:6.1%} {r['cum_s']:8.2f} {r['calls']:9d}  {r['function']}")
    return {"stages_cpu_s": dict(acc), "rest_cpu_s": rest, "total_cpu_s": total, "cprofile_top_self": top}


# --- main -------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if ln.startswith("Model name")), "")
    from importlib.metadata import version

    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "datatrove": version("datatrove"),
        "spacy": version("spacy"),
        "auroralm": version("auroralm"),
        # the code measured: sha256 over src/auroralm/data/*.py (the tree changes while people work)
        "auroralm_data_sha256": _src_digest(),
        "date": datetime.date.today().isoformat(),
    }


def _src_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted((Path(auroralm.__file__).parent / "data").glob("*.py")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=12_000, help="documents in the corpus (>= 10,000 for the record)")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=2, help="interleaved timed runs per side (best kept)")
    ap.add_argument("--warmup-docs", type=int, default=300)
    ap.add_argument("--no-workers2", action="store_true", help="skip auroralm workers=2")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--profile", type=Path, help="also profile auroralm workers=1 with cProfile, stats to this file")
    ap.add_argument("--keep", type=Path, help="build the corpus and outputs here (kept) instead of a temp dir")
    args = ap.parse_args()

    from loguru import logger  # datatrove's logger: keep warnings, drop the per-step info lines

    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        t0 = time.perf_counter()
        docs = build_corpus(args.docs, args.seed)
        shards = write_shards(docs, root / "corpus", args.shards)
        warm = write_shards(build_corpus(args.warmup_docs, args.seed + 1), root / "warmup", 2)
        source_of = {d: s for d, s, _ in docs}
        n_in = count_lines(shards)
        size = sum(p.stat().st_size for p in shards)
        print(f"machine: {machine()}")
        print(
            f"corpus: {n_in} documents ({Counter(source_of.values())}) in {len(shards)} shards, "
            f"{size / 2**20:.1f} MiB; built in {time.perf_counter() - t0:.1f} s under {root}"
        )

        sides: dict[str, Callable[[Path, list[Path]], dict]] = {
            "datatrove stock (workers=1)": lambda out, s: run_datatrove(s, out),
            "auroralm clean (workers=1)": lambda out, s: run_auroralm(s, out, 1),
        }
        if not args.no_workers2:
            sides["auroralm clean (workers=2)"] = lambda out, s: run_auroralm(s, out, 2)
        workers = {name: 2 if "workers=2" in name else 1 for name in sides}

        cold = {}
        for i, (name, run) in enumerate(sides.items()):
            _, cold[name] = timed(lambda run=run, i=i: run(root / f"warm-out-{i}", warm))
        results: dict[str, dict] = {name: {"runs": []} for name in sides}
        for rep in range(args.repeats):
            for i, (name, run) in enumerate(sides.items()):
                out = root / f"out-{i}-{rep}"
                res, t = timed(lambda run=run, out=out: run(out, shards))
                results[name]["runs"].append(t)
                kept = res["kept_ids"]
                if "kept_ids" in results[name]:
                    assert kept == results[name]["kept_ids"], f"{name}: output differs between repeats"
                results[name]["kept_ids"] = kept
                if "stats" in res:
                    results[name]["stats"] = res["stats"]
                print(
                    f"  run {rep + 1}/{args.repeats} {name}: wall {t['wall_s']:.1f} s, CPU {t['cpu_s']:.1f} s, load {t['load1']:.1f}"
                )
                shutil.rmtree(out, ignore_errors=True)

        for name, r in results.items():
            w = workers[name]
            wall, cpu = min(t["wall_s"] for t in r["runs"]), min(t["cpu_s"] for t in r["runs"])
            r.update(
                workers=w,
                docs_in=n_in,
                kept=len(r["kept_ids"]),
                kept_by_source=by_source(r.pop("kept_ids"), source_of),
                wall_s=wall,
                cpu_s=cpu,
                docs_per_s_per_core_cpu=n_in / cpu,
                docs_per_s_per_core_wall=n_in / wall / w,
                docs_per_s_wall=n_in / wall,
                cold_warmup_run=cold[name],
            )
        dt, ours = results["datatrove stock (workers=1)"], results["auroralm clean (workers=1)"]
        ratio_cpu = ours["docs_per_s_per_core_cpu"] / dt["docs_per_s_per_core_cpu"]
        ratio_wall = ours["docs_per_s_per_core_wall"] / dt["docs_per_s_per_core_wall"]

        header = f"{'side':30} {'wall s':>7} {'CPU s':>7} {'docs/s/core CPU':>16} {'docs/s/core wall':>17} {'kept':>6}"
        print()
        print(header)
        print("-" * len(header))
        for name, r in results.items():
            print(
                f"{name:30} {r['wall_s']:7.1f} {r['cpu_s']:7.1f} {r['docs_per_s_per_core_cpu']:16.0f} "
                f"{r['docs_per_s_per_core_wall']:17.0f} {r['kept']:6d}"
            )
        print(
            f"\nratio auroralm / datatrove, docs/s per core (workers=1): CPU time {ratio_cpu:.2f}x, wall time {ratio_wall:.2f}x (goal >= 3x)"
        )
        for name, r in results.items():
            print(f"kept by source, {name}: {r['kept_by_source']}")
        drops = ours.get("stats", {}).get("dropped", {})
        print(f"auroralm drop reasons: {dict(sorted(drops.items(), key=lambda kv: -kv[1]))}")
        for name, r in results.items():
            c = r["cold_warmup_run"]
            print(
                f"warm-up run ({args.warmup_docs} docs, not in the results), {name}: wall {c['wall_s']:.1f} s, CPU {c['cpu_s']:.1f} s"
            )

        profile = None
        if args.profile:
            profile = profile_auroralm(shards, root / "profile-out", args.profile, n_in)

        if args.json:
            for r in results.values():
                r.pop("stats", None)
            payload = {
                "machine": machine(),
                "corpus": {
                    "documents": n_in,
                    "shards": len(shards),
                    "bytes": size,
                    "by_source": dict(Counter(source_of.values())),
                },
                "results": results,
                "auroralm_dropped": drops,
                "ratio_cpu": ratio_cpu,
                "ratio_wall": ratio_wall,
                "profile": profile,
            }
            args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
