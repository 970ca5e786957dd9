"""auroralm's chain inside a real datatrove pipeline (LocalPipelineExecutor, 2 tasks)."""

import json

import pytest

from auroralm.recipe import ASSETS_DIR
from conftest import read_jsonl

pytest.importorskip("datatrove", reason="pip install 'auroralm[datatrove]'")


def test_local_executor_runs_the_chain(tmp_path):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from auroralm.data.datatrove_steps import AuroraCleanFilter

    src = tmp_path / "in"
    src.mkdir()
    for name in ("fi.jsonl", "junk.jsonl"):
        rows = read_jsonl(ASSETS_DIR / "corpus" / name) if name != "junk.jsonl" else [
            json.loads(line) for line in (ASSETS_DIR / "corpus" / name).read_text().splitlines()
            if line.strip().startswith("{") and line.strip().endswith("}") and '"text"' in line]
        (src / name).write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows))
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), AuroraCleanFilter(), JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=2, workers=1, logging_dir=str(tmp_path / "logs"),
    ).run()
    kept = [json.loads(line) for f in sorted((tmp_path / "out").glob("*.jsonl")) for line in f.read_text().splitlines()]
    languages = {d["metadata"]["language"] for d in kept}
    assert len([d for d in kept if d["metadata"]["language"] == "fi"]) == 80  # every Finnish document kept
    assert languages <= {"fi", "en"}
    assert not any("BEST CHEAP" in d["text"] for d in kept)  # the spam is gone
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    assert any("dropped_" in k for step in stats for k in step.get("stats", {}))
