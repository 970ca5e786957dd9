"""Real torch.distributed (gloo on CPU) under torchrun: DDP and FSDP2 match one process."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import read_jsonl


def _torchrun(run_dir, *extra):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "auroralm", "train", "smoke", "--out", str(run_dir), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize("parallelism", ["ddp", "fsdp"])
def test_two_processes_match_one(smoke_run, tmp_path, parallelism):
    run = tmp_path / "run"
    run.mkdir()
    for part in ("data", "tokenizer"):  # same prepared data; train from scratch
        shutil.copytree(smoke_run / part, run / part)
    _torchrun(run, "--set", f"train.parallelism={parallelism}")
    single = read_jsonl(smoke_run / "metrics.jsonl")
    multi = read_jsonl(run / "metrics.jsonl")
    assert [(r["stage"], r["step"]) for r in multi] == [(r["stage"], r["step"]) for r in single]
    for a, b in zip(single, multi, strict=True):
        assert abs(a["loss"] - b["loss"]) <= 1e-4 * abs(a["loss"]), (a, b)
    done = json.loads((run / "hf" / "cat" / "STAGE_DONE.json").read_text())
    assert done["steps"] == 10
