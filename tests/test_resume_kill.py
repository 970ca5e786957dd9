"""kill -9 in the middle of training, then the same command again: identical losses afterwards."""

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import read_jsonl

LONGER = ["--set", "stages.base.tokens=40960", "--set", "train.checkpoint_every=20"]  # 80 base steps


def _train(run, wait=True):
    cmd = [sys.executable, "-m", "auroralm", "train", "smoke", "--out", str(run), *LONGER]
    if wait:
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return None
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_9_then_rerun_matches_uninterrupted(smoke_run, tmp_path):
    runs = {}
    for name in ("reference", "killed"):
        runs[name] = tmp_path / name
        runs[name].mkdir()
        for part in ("data", "tokenizer"):
            shutil.copytree(smoke_run / part, runs[name] / part)
    _train(runs["reference"])

    proc = _train(runs["killed"], wait=False)
    first = runs["killed"] / "checkpoints" / "base" / "step_20"
    deadline = time.time() + 120
    while not first.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert first.exists()
    assert not (runs["killed"] / "hf" / "cat").exists(), "finished before the kill; make the run longer"

    _train(runs["killed"])
    ref = {(r["stage"], r["step"]): r["loss"] for r in read_jsonl(runs["reference"] / "metrics.jsonl")}
    got = {}
    for r in read_jsonl(runs["killed"] / "metrics.jsonl"):
        got[(r["stage"], r["step"])] = r["loss"]  # a step logged twice: the resumed value wins
    assert set(got) == set(ref)
    for key, loss in ref.items():
        assert abs(got[key] - loss) <= 1e-6, key
