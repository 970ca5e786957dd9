import gzip
import json

from auroralm.data.pipeline import prepare
from auroralm.recipe import load_recipe
from conftest import read_jsonl

GOOD = [
    "The river froze early this year, and the ferry stopped running a week before the usual date. People in the "
    "village walked across the ice to reach the shop on the other side, although the council asked them to wait "
    "until the ice was measured. By the weekend the rescue service had marked a safe path with small flags, and "
    "children were skating near the harbour while their parents watched from the pier.",
    "A small bakery on the main street has started selling rye bread again after a long break. The owner says that "
    "the old recipe came from her grandmother and needs two days of work, because the sourdough has to rest "
    "overnight in a cool room. Customers queue before the doors open on Saturday mornings, and the first loaves are "
    "usually gone before nine o'clock, so she plans to bake a second batch in the afternoon.",
    "The town council agreed to repair the footbridge over the stream before the summer. Until then, walkers are "
    "asked to use the road bridge, which is about a kilometre away, and cyclists should follow the signs through the "
    "park. The repair will replace the rotten planks and add a new railing, and the engineers expect the work to "
    "take about three weeks if the weather stays dry during the spring.",
]


def _recipe(tmp_path, files):
    lines = "\n".join(f'      - "{f}"' for f in files)
    (tmp_path / "r.yaml").write_text(f"""
name: t
model: {{hidden_size: 32, layers: 1, heads: 2, max_positions: 32}}
tokenizer: {{vocab_size: 300}}
sources:
  - name: web
    paths:
{lines}
stages:
  - {{name: s, tokens: 100, mixture: {{web: 1.0}}}}
train: {{seq_len: 16, micro_batch: 1, global_batch: 1}}
""")
    return load_recipe(str(tmp_path / "r.yaml"))


def test_bad_input_is_counted_not_lost(tmp_path):
    bad = tmp_path / "bad.jsonl"
    with open(bad, "wb") as fh:
        fh.write(json.dumps({"text": GOOD[0]}).encode() + b"\n")
        fh.write(b'{"text": "cut off in the mid\n')  # malformed JSON
        fh.write(b'{"text": "caf\xe9 with a Latin-1 byte"}\n')  # invalid UTF-8
        fh.write(json.dumps({"body": GOOD[1]}).encode() + b"\n")  # missing text field
        fh.write(json.dumps({"text": "   "}).encode() + b"\n")  # empty
        fh.write(json.dumps({"text": GOOD[0]}).encode() + b"\n")  # exact duplicate
        fh.write(b"[1, 2, 3]\n")  # JSON but not an object
    with gzip.open(tmp_path / "more.jsonl.gz", "wt", encoding="utf-8") as fh:
        for text in GOOD[1:]:
            fh.write(json.dumps({"text": text}) + "\n")
    stats = prepare(_recipe(tmp_path, ["bad.jsonl", "*.gz"]), tmp_path / "run")
    assert stats["documents_in"] == 9
    assert stats["documents_in"] == stats["documents_kept"] + sum(stats["dropped"].values())
    assert stats["dropped"] == {
        "malformed_json": 2, "invalid_utf8": 1, "missing_text_field": 1, "too_short": 1, "exact_duplicate": 1,
    }
    assert (stats["by_language"]["en"]["in"], stats["by_language"]["en"]["kept"]) == (4, 3)
    assert stats["samples"]["malformed_json"][0]["id"].startswith("bad.jsonl:")
    kept = read_jsonl(tmp_path / "run" / "data" / "web" / "docs.jsonl")
    assert sorted(d["text"] for d in kept) == sorted(GOOD)
    index = json.loads((tmp_path / "run" / "data" / "web" / "index.json").read_text())
    assert index["documents"] == 3 and index["tokens"] > 0


def test_prepare_is_skipped_when_inputs_unchanged(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in GOOD))
    recipe = _recipe(tmp_path, ["a.jsonl"])
    first = prepare(recipe, tmp_path / "run")
    capsys.readouterr()
    assert prepare(recipe, tmp_path / "run") == first
    assert "up to date" in capsys.readouterr().out
