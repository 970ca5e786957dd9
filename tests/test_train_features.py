"""Trainer features beyond the plain loop: FIM, position reset, NaN guard, SIGTERM, limits, optimizer carry-over."""

import json
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from auroralm.cli import main
from auroralm.train.batches import FIM, positions_per_document
from conftest import read_jsonl


def _fresh_run(smoke_run, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    for part in ("data", "tokenizer"):
        shutil.copytree(smoke_run / part, run / part)
    return run


def test_positions_restart_after_each_document():
    x = np.array([[5, 6, 0, 7, 8, 9, 0, 1]])
    assert positions_per_document(x, eos=0).tolist() == [[0, 1, 2, 0, 1, 2, 3, 0]]


def test_fim_rearranges_documents_in_psm_order(smoke_run):
    from auroralm.data.tokenizer import load_tokenizer

    tok = load_tokenizer(smoke_run / "tokenizer")
    fim = FIM(tok, rate=1.0, seed=0)
    doc = np.arange(100, 120, dtype=np.int64)
    window = np.concatenate([doc, [tok.eos_token_id], doc + 100])
    out = fim(window, sample_index=3)
    assert len(out) == len(window)
    assert out[0] == fim.prefix
    first_doc = out[: list(out).index(tok.eos_token_id) + 1]
    assert fim.suffix in first_doc and fim.middle in first_doc
    body = [t for t in first_doc if t not in (fim.prefix, fim.suffix, fim.middle, tok.eos_token_id)]
    assert sorted(body) == list(doc)  # the same tokens, rearranged
    assert np.array_equal(fim(window, 3), out)  # deterministic per sample index
    assert np.array_equal(FIM(tok, rate=0.0, seed=0)(window, 3), window)


def test_training_with_fim_position_reset_and_forgetting_watch(smoke_run, tmp_path):
    run = _fresh_run(smoke_run, tmp_path)
    args = ["--out", str(run), "--set", "train.fim_rate=0.5", "--set", "train.reset_positions=true",
            "--set", "train.eval_every=5", "--set", "stages.cap.optimizer=keep"]
    assert main(["train", "smoke", *args]) == 0
    rows = read_jsonl(run / "metrics.jsonl")
    assert all(np.isfinite(r["loss"]) for r in rows)
    watched = [r for r in rows if "heldout_bpb" in r]
    assert {r["step"] for r in watched if r["stage"] == "cap"} == {5, 10, 15}
    assert set(watched[0]["heldout_bpb"]) == {"en", "fi", "hi", "ja", "vi", "code"}
    assert all(r["loss_by_source"] for r in rows)


def test_non_finite_steps_are_skipped_then_abort(smoke_run, tmp_path, capsys):
    run = _fresh_run(smoke_run, tmp_path)
    code = main(["train", "smoke", "--out", str(run), "--set", "stages.base.lr.max=1e30",
                 "--set", "stages.base.lr.min=1e29", "--set", "train.grad_clip=0", "--set", "train.max_bad_steps=3"])
    assert code == 2
    err = capsys.readouterr().err
    assert "non-finite loss or gradient, step skipped" in err
    assert "3 consecutive non-finite steps" in err
    assert not (run / "hf" / "base").exists()


def test_repetition_limit_fails_before_training(smoke_run, tmp_path, capsys):
    run = _fresh_run(smoke_run, tmp_path)
    assert main(["train", "smoke", "--out", str(run), "--set", "train.max_epochs=0.01"]) == 2
    assert "would be repeated" in capsys.readouterr().err
    assert not (run / "metrics.jsonl").exists()


def test_sigterm_saves_and_exits_cleanly_then_resumes(smoke_run, tmp_path):
    run = _fresh_run(smoke_run, tmp_path)
    cmd = [sys.executable, "-m", "auroralm", "train", "smoke", "--out", str(run),
           "--set", "stages.base.tokens=102400", "--set", "train.checkpoint_every=1000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    metrics = run / "metrics.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and (not metrics.exists() or len(metrics.read_text().splitlines()) < 5):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "SIGTERM: saved stage base" in err
    saved = sorted((run / "checkpoints" / "base").glob("step_*"))
    assert len(saved) == 1
    last = read_jsonl(metrics)[-1]
    assert json.loads((saved[0] / "meta.json").read_text())["step"] == last["step"] < 200
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert (run / "hf" / "cat").exists()


@pytest.mark.parametrize("bad", ["train.fim_rate=2", "train.max_bad_steps=0", "stages.cap.optimizer=sometimes"])
def test_new_fields_are_validated(bad, capsys):
    assert main(["plan", "smoke", "--set", bad]) == 2
    assert "error:" in capsys.readouterr().err


def _shard(tmp_path, name, tokens):
    from auroralm.train.sampler import TokenShard

    d = tmp_path / name
    d.mkdir()
    np.asarray(tokens, dtype=np.uint16).tofile(d / "tokens.bin")
    (d / "index.json").write_text(json.dumps({"dtype": "uint16", "tokens": len(tokens), "documents": 1}))
    return TokenShard(d, seq_len=8)


def test_a_source_shorter_than_a_window_repeats_and_an_empty_one_is_an_error(tmp_path):
    from auroralm.errors import AuroraError
    from auroralm.train.sampler import BlendedSampler

    big, tiny, empty = _shard(tmp_path, "big", range(100, 181)), _shard(tmp_path, "tiny", [1, 2, 3]), _shard(tmp_path, "empty", [])
    sampler = BlendedSampler({"big": big, "tiny": tiny}, {"big": 1.0, "tiny": 1.0}, 40, seed=0, stage="s")
    rows = [sampler.sample(i) for i in range(40)]
    assert all(len(t) == 9 for _, t in rows)
    assert [t.tolist() for k, t in rows if sampler.names[k] == "tiny"][0] == [1, 2, 3, 1, 2, 3, 1, 2, 3]
    epochs = sampler.epochs()
    n_tiny = int((sampler.source_of == sampler.names.index("tiny")).sum())
    assert epochs["tiny"] == pytest.approx(n_tiny * 8 / 2) and epochs["big"] == pytest.approx((40 - n_tiny) * 8 / 80)
    with pytest.raises(AuroraError, match="'empty' has no tokens"):
        BlendedSampler({"big": big, "empty": empty}, {"big": 1.0, "empty": 1.0}, 10, seed=0, stage="s")


def test_response_masks_cover_exactly_the_responses(smoke_run):
    from auroralm.data.tokenizer import load_tokenizer

    tok = load_tokenizer(smoke_run / "tokenizer")
    for source in ("instructions", "safety"):
        d = smoke_run / "data" / source
        tokens = np.fromfile(d / "tokens.bin", dtype=np.uint16)
        mask = np.fromfile(d / "loss_mask.bin", dtype=np.uint8)
        docs = read_jsonl(d / "docs.jsonl")
        assert len(mask) == len(tokens) and json.loads((d / "index.json").read_text())["response_tokens"] == mask.sum()
        starts = list(np.load(d / "doc_starts.npy")) + [len(tokens)]
        for doc, a, b in list(zip(docs, starts, starts[1:]))[:20]:
            prompt, response = doc["text"].split("\n\n### Response:\n", 1)
            m = mask[a:b].astype(bool)
            assert tok.decode(tokens[a:b][~m]) == prompt + "\n\n### Response:\n"
            assert tok.decode(tokens[a:b][m]) == response + tok.eos_token
    assert not (smoke_run / "data" / "en" / "loss_mask.bin").exists()


def test_training_on_responses_only(smoke_run, tmp_path):
    from auroralm.recipe import load_recipe
    from auroralm.train.sampler import BlendedSampler, TokenShard

    run = _fresh_run(smoke_run, tmp_path)
    assert main(["train", "smoke", "--out", str(run), "--set", "train.prompt_loss=false"]) == 0
    rows = read_jsonl(run / "metrics.jsonl")
    assert all(np.isfinite(r["loss"]) for r in rows)
    recipe = load_recipe("smoke")
    # windows longer than the smoke recipe's 64 tokens, so that some hold a whole red-team prompt
    shards = {s.name: TokenShard(run / "data" / s.name, 512) for s in recipe.sources}
    sampler = BlendedSampler(shards, {"safety": 1.0, "en": 1.0}, 64, seed=0, stage="cat")
    masks = sampler.loss_masks(range(64), responses_only=True)
    safety_rows = sampler.source_of == sampler.names.index("safety")
    assert masks[~safety_rows].all() and not masks[safety_rows].all() and masks[safety_rows].any()


def test_responses_only_needs_masks(smoke_run, tmp_path, capsys):
    run = _fresh_run(smoke_run, tmp_path)
    (run / "data" / "instructions" / "loss_mask.bin").unlink()
    assert main(["train", "smoke", "--out", str(run), "--set", "train.prompt_loss=false"]) == 2
    assert "has no response mask" in capsys.readouterr().err


def test_a_window_that_opens_inside_a_document_does_not_train_on_its_rest(tmp_path):
    from auroralm.train.sampler import TokenShard

    # four documents, EOS = 0: prompt tokens 1x, response tokens 2x
    tokens = [11, 12, 13, 21, 22, 0, 14, 15, 23, 24, 25, 0, 16, 26, 0, 17, 27, 28, 0]
    mask = [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1]
    _shard(tmp_path, "inst", tokens)
    np.asarray(mask, dtype=np.uint8).tofile(tmp_path / "inst" / "loss_mask.bin")
    shard = TokenShard(tmp_path / "inst", seq_len=4)
    assert shard.response_mask(0).tolist() == [False, False, False, True, True]  # opens at a document start
    assert shard.response_mask(1).tolist() == [False, False, False, False, True]  # opens at 22: doc 1 is out
    assert shard.response_mask(2).tolist() == [False] * 5  # opens at 23, inside doc 2: all of it is out
    assert shard.response_mask(3).tolist() == [False, True, True, False, True]  # opens right after an EOS


def test_whole_document_windows_hold_one_document_each_padded(tmp_path):
    from auroralm.train.sampler import BlendedSampler, TokenShard

    # the same four documents (EOS = 0); seq_len 4, so windows are 5 tokens and doc 1 (6 tokens) is cut
    tokens = [11, 12, 13, 21, 22, 0, 14, 15, 23, 24, 25, 0, 16, 26, 0, 17, 27, 28, 0]
    mask = [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1]
    _shard(tmp_path, "inst", tokens)
    np.asarray(mask, dtype=np.uint8).tofile(tmp_path / "inst" / "loss_mask.bin")
    shard = TokenShard(tmp_path / "inst", seq_len=4, whole_documents=True)
    assert shard.num_windows == 4
    assert [shard.window(k).tolist() for k in range(4)] == [
        [11, 12, 13, 21, 22], [14, 15, 23, 24, 25], [16, 26, 0, 0, 0], [17, 27, 28, 0, 0]]
    # padding is never trained on; prompts only when responses_only is off
    assert shard.trained(2, responses_only=False).tolist() == [True, True, True, False, False]
    assert shard.trained(2, responses_only=True).tolist() == [False, True, True, False, False]
    assert shard.trained(1, responses_only=True).tolist() == [False, False, True, True, True]
    sampler = BlendedSampler({"inst": shard}, {"inst": 1.0}, 10, seed=0, stage="s")
    assert sampler.masked and sampler.epochs()["inst"] == pytest.approx(10 / 4)
    assert sorted(sampler.batch(range(4))[1][:, 0].tolist()) == [11, 14, 16, 17]  # each document once per epoch


def test_training_unpacked_instructions(smoke_run, tmp_path):
    run = _fresh_run(smoke_run, tmp_path)
    assert main(["train", "smoke", "--out", str(run), "--set", "train.pack_instructions=false",
                 "--set", "train.prompt_loss=false"]) == 0
    rows = read_jsonl(run / "metrics.jsonl")
    assert rows and all(np.isfinite(r["loss"]) for r in rows)
    assert any(np.isfinite(r["loss_by_source"].get("safety", np.nan)) for r in rows)


def test_plan_counts_unpacked_epochs_in_documents(smoke_run):
    from auroralm.recipe import load_recipe
    from auroralm.train.plan import source_tokens

    packed = source_tokens(smoke_run, load_recipe("smoke"))
    recipe = load_recipe("smoke", ["train.pack_instructions=false"])
    unpacked = source_tokens(smoke_run, recipe)
    for name in ("instructions", "safety"):
        docs = json.loads((smoke_run / "data" / name / "index.json").read_text())["documents"]
        assert unpacked[name] == docs * recipe.train.seq_len != packed[name]
    assert unpacked["en"] == packed["en"]
