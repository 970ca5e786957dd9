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


# --- data.langid_min_confidence: one number, or a minimum per language ---------------------------

MIXED = ("The library will stay open until eight in the evening during the winter months, and visitors who "
         "come to study can have a free cup of tea in the reading room.\n\n"
         "冬の間、図書館は平日の夜八時まで開館します。閲覧室で勉強する利用者には温かいお茶が無料で提供されます。")


def _langid_reason(min_confidence, text=MIXED):
    from auroralm.data.clean import DocumentCleaner
    from auroralm.recipe import DataConfig

    cfg = DataConfig(langid_min_confidence=min_confidence, quality_filters=False, toxicity=False, pii=False)
    return DocumentCleaner(cfg)(text).reason


def test_langid_min_confidence_per_language():
    from auroralm.data.langid import identify

    lang, conf = identify(MIXED)  # mostly English by letters: en, at a confidence well below a pure text's
    assert lang == "en" and 0.5 < conf < 0.7
    assert _langid_reason(0.5) is None
    assert _langid_reason(0.7) == "low_langid_confidence"
    assert _langid_reason({"en": 0.7}) == "low_langid_confidence"
    assert _langid_reason({"ja": 0.7}) is None  # en falls back to 0.5
    assert _langid_reason({"default": 0.7}) == "low_langid_confidence"
    assert _langid_reason({"en": 0.5, "default": 0.9}) is None


def test_langid_min_confidence_is_validated():
    import pytest

    from auroralm.errors import RecipeError
    from auroralm.recipe import load_recipe

    r = load_recipe("smoke", ["data.langid_min_confidence={ja: 0.3, code: 0.8, default: 0.6}"])
    assert r.data.langid_min_confidence == {"ja": 0.3, "code": 0.8, "default": 0.6}
    assert load_recipe("smoke", ["data.langid_min_confidence=0.7"]).data.langid_min_confidence == 0.7
    for value, message in [
        ("1.5", "data.langid_min_confidence: must be in [0, 1], got 1.5"),
        ("{ja: -0.1}", "data.langid_min_confidence.ja: must be in [0, 1], got -0.1"),
        ("{jp: 0.3}", "data.langid_min_confidence.jp: unknown language (known: default, en, "),
        ("high", "data.langid_min_confidence: expected a number"),
        ("{default: 0.5, ja: high}", "data.langid_min_confidence.ja: expected a number, got 'high'"),
    ]:
        with pytest.raises(RecipeError) as e:
            load_recipe("smoke", [f"data.langid_min_confidence={value}"])
        assert str(e.value).startswith(message), str(e.value)
