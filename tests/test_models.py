"""Continual pretraining of existing HF checkpoints (GPTBigCode and Llama) made here."""

import pytest
import torch

from auroralm.cli import main


def _tiny_checkpoint(kind, tok, path):
    import transformers

    if kind == "gpt_bigcode":
        cfg = transformers.GPTBigCodeConfig(vocab_size=len(tok), n_positions=64, n_embd=32, n_layer=2, n_head=2,
                                            multi_query=True, eos_token_id=tok.eos_token_id)
        model = transformers.GPTBigCodeForCausalLM(cfg)
    else:
        cfg = transformers.LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64,
                                       num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                       max_position_embeddings=64, eos_token_id=tok.eos_token_id)
        model = transformers.LlamaForCausalLM(cfg)
    model.save_pretrained(path, safe_serialization=True)
    tok.save_pretrained(path)
    return model


@pytest.mark.parametrize("kind", ["gpt_bigcode", "llama"])
def test_pretrained_checkpoint_trains_one_stage_and_exports(smoke_run, tmp_path, kind):
    from transformers import AutoModelForCausalLM

    from auroralm.data.tokenizer import load_tokenizer

    tok = load_tokenizer(smoke_run / "tokenizer")
    ckpt = tmp_path / "start"
    start = _tiny_checkpoint(kind, tok, ckpt)
    run = tmp_path / "run"
    args = ["--out", str(run), "--set", f"model.pretrained={ckpt}", "--set", "stages=" + (
        '[{"name": "cap", "tokens": 1536, "mixture": {"en": 1, "fi": 1, "code": 1}}]')]
    assert main(["prepare", "smoke", *args]) == 0
    assert main(["train", "smoke", *args]) == 0
    out = AutoModelForCausalLM.from_pretrained(run / "hf" / "cap")
    assert type(out) is type(start)
    before = dict(start.named_parameters())
    changed = [n for n, p in out.named_parameters() if not torch.equal(p, before[n])]
    assert changed  # it trained


def test_vocabulary_extension_adds_tokens_and_mean_initialised_rows(smoke_run, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from auroralm.data.tokenizer import load_tokenizer

    tok = load_tokenizer(smoke_run / "tokenizer")
    ckpt = tmp_path / "start"
    start = _tiny_checkpoint("gpt_bigcode", tok, ckpt)
    run = tmp_path / "run"
    args = ["--out", str(run), "--set", f"model.pretrained={ckpt}", "--set", "tokenizer.extend=40", "--set",
            'stages=[{"name": "cap", "tokens": 512, "mixture": {"fi": 1}, "lr": {"max": 1.0e-9, "min": 0}}]']
    assert main(["prepare", "smoke", *args]) == 0
    assert main(["train", "smoke", *args]) == 0
    out_tok = AutoTokenizer.from_pretrained(run / "hf" / "cap")
    assert len(out_tok) == len(tok) + 40
    text = "Kirjasto on auki iltaisin, ja lukusalissa on hiljaista."
    assert len(out_tok(text)["input_ids"]) <= len(tok(text)["input_ids"])
    emb = AutoModelForCausalLM.from_pretrained(run / "hf" / "cap").get_input_embeddings().weight.detach()
    old = start.get_input_embeddings().weight.detach()
    assert emb.shape[0] == len(out_tok)
    new_rows = emb[len(tok):]
    assert torch.allclose(new_rows.mean(0), old.mean(0), atol=3 * old.std().item())
    assert not torch.allclose(new_rows, torch.zeros_like(new_rows))
