"""`auroralm clean`: every kind of bad input accounted for, parallel = serial, resumable."""

import gzip
import json
import shutil

from auroralm.cli import main
from auroralm.data.pipeline import clean
from auroralm.recipe import ASSETS_DIR
from conftest import read_jsonl

CORPUS = ASSETS_DIR / "corpus"


def _inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("en.jsonl", "fi.jsonl", "junk.jsonl", "vi.jsonl"):
        shutil.copy(CORPUS / name, d / name)
    (d / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (d / "latin1.txt").write_bytes("Caf\xe9 au lait, s'il vous pla\xeet".encode("latin-1"))
    (d / "huge.jsonl").write_text(json.dumps({"text": "word " * 21_000_000}) + "\n")  # one ~100 MB document
    good = gzip.compress((json.dumps({"text": "x"}) + "\n").encode())
    (d / "broken.jsonl.gz").write_bytes(good[: len(good) // 2])  # truncated archive
    advert = ("I am selling my old road bicycle because I moved to a flat without storage. The frame is aluminium, "
              "size 54, and it has new tyres, a rear rack and mudguards that keep the rain off in autumn. It has been "
              "serviced every spring at the shop near the station and rides smoothly. If you are interested, write to "
              "kalle.virtanen@example.com or call +358 40 123 4567 in the evening, and you can come and try it.")
    (d / "advert.jsonl").write_text(json.dumps({"text": advert}) + "\n")
    code = d / "repo"
    code.mkdir()
    (code / "util.py").write_text(json.loads((CORPUS / "code.jsonl").read_text().splitlines()[0])["text"])
    (code / "notes.bin").write_bytes(b"\x00" * 10)
    return sorted(d.iterdir())


def test_bad_inputs_are_counted_with_reasons(tmp_path):
    stats = clean(_inputs(tmp_path), tmp_path / "out")
    assert stats["documents_in"] == stats["documents_kept"] + sum(stats["dropped"].values())
    for reason in ("binary_file", "invalid_utf8", "too_long", "unreadable_file", "malformed_json",
                   "missing_text_field", "exact_duplicate", "near_duplicate"):
        assert stats["dropped"].get(reason, 0) >= 1, reason
    assert stats["by_language"]["code"]["kept"] == 1  # the .py file of the tree; notes.bin is not source
    kept = sum(len(read_jsonl(p)) for p in (tmp_path / "out").glob("*.jsonl"))
    assert kept == stats["documents_kept"]
    assert stats["pii_redacted"]["email"] == 1 and stats["pii_redacted"]["phone"] == 1
    en = (tmp_path / "out" / "en.jsonl").read_text()
    assert "<EMAIL>" in en and "kalle.virtanen@example.com" not in en


def test_parallel_equals_serial_and_rerun_resumes(tmp_path):
    inputs = [CORPUS / n for n in ("en.jsonl", "fi.jsonl", "hi.jsonl", "junk.jsonl")]
    serial = clean(inputs, tmp_path / "serial", workers=1)
    parallel = clean(inputs, tmp_path / "parallel", workers=2)
    assert serial == parallel
    for lang in ("en", "fi", "hi"):
        assert (tmp_path / "serial" / f"{lang}.jsonl").read_text() == (tmp_path / "parallel" / f"{lang}.jsonl").read_text()
    # Simulate kill -9: two files done, one half-written, one not started.
    work = tmp_path / "parallel" / "work"
    for marker in sorted(work.glob("*.json"))[2:]:
        marker.unlink()
    (work / "000002.jsonl.tmp").write_text('{"half": ')
    assert clean(inputs, tmp_path / "parallel", workers=2) == serial
    assert (tmp_path / "serial" / "en.jsonl").read_text() == (tmp_path / "parallel" / "en.jsonl").read_text()


def test_cli_clean(tmp_path, capsys):
    assert main(["clean", str(CORPUS / "vi.jsonl"), "--out", str(tmp_path / "o")]) == 0
    assert "kept" in capsys.readouterr().out
    stats = json.loads((tmp_path / "o" / "stats.json").read_text())
    assert stats["by_language"]["vi"]["kept"] >= 57
    assert main(["clean", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")]) == 2
