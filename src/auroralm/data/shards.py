"""Parallel, resumable cleaning over input files, then the corpus-wide pass (dedup, decontamination).

Each input file is a task. A task writes its kept documents to ``work/<n>.jsonl`` and then its
funnel to ``work/<n>.json``; the funnel file is the completion marker, so after a kill -9 a rerun
redoes only unfinished tasks and nothing is counted twice. The corpus-wide pass then reads the task
outputs in input order, so the result does not depend on the number of workers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from auroralm.data.clean import DocumentCleaner, Funnel
from auroralm.data.readers import ReadOptions, read_path
from auroralm.recipe import ASSETS_DIR, DataConfig


@dataclass
class Task:
    index: int
    source: str
    path: str
    format: str = "auto"
    kind: str = "web"
    hint: str | None = None
    options: ReadOptions | None = None

    def outputs(self, work: Path) -> tuple[Path, Path]:
        return work / f"{self.index:06d}.jsonl", work / f"{self.index:06d}.json"


def run_task(task: Task, cfg: DataConfig, work: Path) -> dict:
    """Clean one input file; write kept documents, then the funnel (the completion marker)."""
    cleaner = DocumentCleaner(cfg)
    funnel = Funnel()
    docs_path, stats_path = task.outputs(work)
    tmp = docs_path.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in read_path(Path(task.path), task.format, task.options or ReadOptions()):
            if rec.text is None:
                funnel.add_input(task.source, "unknown", 0)
                funnel.drop(task.source, "unknown", rec.reason or "unreadable", 0, rec.doc_id, None)
                continue
            nbytes = len(rec.text.encode("utf-8", "surrogatepass"))
            out = cleaner(rec.text, task.kind, task.hint, rec.meta)
            funnel.add_input(task.source, out.lang, nbytes)
            if out.reason:
                funnel.drop(task.source, out.lang, out.reason, nbytes, rec.doc_id, rec.text)
                continue
            funnel.keep(task.source, out.lang, nbytes)
            funnel.pii.update(out.pii)
            row = {"id": rec.doc_id, "lang": out.lang, "text": out.text}
            if rec.meta.get("programming_language"):
                row["programming_language"] = rec.meta["programming_language"]
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, docs_path)
    stats_tmp = stats_path.with_suffix(".json.tmp")
    stats_tmp.write_text(json.dumps(funnel.as_dict(), ensure_ascii=False))
    os.replace(stats_tmp, stats_path)
    return {"task": task.index}


def run_tasks(tasks: list[Task], cfg: DataConfig, work: Path, workers: int = 1) -> None:
    """Run the unfinished tasks, in parallel worker processes when ``workers`` > 1."""
    work.mkdir(parents=True, exist_ok=True)
    todo = [t for t in tasks if not t.outputs(work)[1].exists()]
    if len(todo) < len(tasks):
        print(f"clean: resuming, {len(tasks) - len(todo)} of {len(tasks)} files already done")
    bar = tqdm(total=len(todo), desc="clean", unit="file", leave=False)
    if workers <= 1 or len(todo) <= 1:
        for task in todo:
            run_task(task, cfg, work)
            bar.update(1)
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            for future in as_completed([pool.submit(run_task, t, cfg, work) for t in todo]):
                future.result()
                bar.update(1)
    bar.close()


def default_decontaminator():
    """HumanEval prompts and solutions, and the held-out red-team prompts."""
    from auroralm.data.decontam import Decontaminator

    d = Decontaminator()
    d.add_humaneval()
    for path in sorted((ASSETS_DIR / "safety").glob("*.jsonl")):
        d.add_jsonl(path, ["prompt"], where={"split": "test"})
    return d


def corpus_pass(tasks: list[Task], cfg: DataConfig, work: Path, funnel: Funnel) -> Iterator[tuple[Task, dict]]:
    """Kept documents in input order after exact and near-duplicate removal and decontamination."""
    from auroralm.data.dedup import ExactDeduper, MinHashDeduper

    exact = ExactDeduper() if cfg.dedup != "none" else None
    near = MinHashDeduper(threshold=cfg.dedup_threshold) if cfg.dedup == "minhash" else None
    decontam = default_decontaminator() if cfg.decontaminate else None
    for task in tasks:
        docs_path, stats_path = task.outputs(work)
        funnel.merge(json.loads(stats_path.read_text(encoding="utf-8")))
        with open(docs_path, encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                text, lang = doc["text"], doc["lang"]
                reason = None
                if exact is not None and exact.add(doc["id"], text, lang):
                    reason = "exact_duplicate"
                elif near is not None and near.add(doc["id"], text, lang):
                    reason = "near_duplicate"
                elif decontam is not None and decontam.contaminated(text, lang):
                    reason = "contaminated"
                if reason:
                    funnel.unkeep(task.source, lang, reason, len(text.encode("utf-8", "surrogatepass")),
                                  doc["id"], text)
                    continue
                yield task, doc


def clean_corpus(tasks: list[Task], cfg: DataConfig, work: Path, emit: Callable[[Task, dict], None],
                 workers: int = 1) -> Funnel:
    """Clean every task's file, then emit each surviving document; return the funnel."""
    run_tasks(tasks, cfg, work, workers)
    funnel = Funnel()
    for task, doc in corpus_pass(tasks, cfg, work, funnel):
        emit(task, doc)
    return funnel
