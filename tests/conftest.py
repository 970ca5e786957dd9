import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
DATA = Path(__file__).parent / "data"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """One full `auroralm run smoke`, shared by the tests that inspect its outputs."""
    from auroralm.cli import main

    out = tmp_path_factory.mktemp("smoke")
    assert main(["run", "smoke", "--out", str(out)]) == 0
    return out
