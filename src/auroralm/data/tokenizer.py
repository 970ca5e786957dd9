"""Tokenizer: the model's own, or a byte-level BPE trained on the recipe's sources."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auroralm.errors import AuroraError

EOS = "<|endoftext|>"
SPECIAL_TOKENS = [EOS, "<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"]


def train_tokenizer(texts: Iterable[str], vocab_size: int, out_dir: Path):
    """Train a byte-level BPE (StarCoder-style special tokens) and save it as an HF tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    hf = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, bos_token=EOS, unk_token=EOS)
    hf.pad_token = EOS
    hf.save_pretrained(out_dir)
    return hf


def load_tokenizer(path: str | Path):
    """Load an HF tokenizer from a local directory (or a hub id when online)."""
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as e:
        raise AuroraError(f"cannot load tokenizer from '{path}': {str(e).splitlines()[0]}") from None
    if tok.eos_token_id is None:
        raise AuroraError(f"tokenizer at '{path}' has no EOS token; documents cannot be separated")
    return tok
