"""Vocabulary extension: add frequent new-language tokens to a pretrained tokenizer.

A byte-level BPE is trained on the kept text; its tokens that the pretrained tokenizer does not
already produce as one token are added, most frequent merges first. The model's new embedding
rows are drawn from the mean and covariance of the old ones (``resize_token_embeddings`` with
``mean_resizing``), so new tokens start as plausible, average words.
"""

from __future__ import annotations

from collections.abc import Iterable


def new_tokens(tok, texts: Iterable[str], count: int) -> list[str]:
    """Up to ``count`` strings, in BPE merge order, that ``tok`` splits into several tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    # Enough merges to get past the ones the pretrained tokenizer already has.
    trainer = trainers.BpeTrainer(vocab_size=len(alphabet) + len(tok) + 4 * count, initial_alphabet=alphabet,
                                  show_progress=False)
    bpe.train_from_iterator(texts, trainer=trainer)
    out: list[str] = []
    for piece, _ in sorted(bpe.get_vocab().items(), key=lambda kv: kv[1])[len(alphabet):]:
        text = bpe.decoder.decode([piece])
        if len(text.strip()) < 2 or "\ufffd" in text:
            continue  # whitespace runs and partial UTF-8 sequences make poor tokens
        if len(tok(text, add_special_tokens=False)["input_ids"]) > 1:
            out.append(text)
        if len(out) == count:
            break
    return out


def extend_tokenizer(tok, texts: Iterable[str], count: int) -> int:
    """Add the new tokens to ``tok`` in place; return how many were added."""
    from tokenizers import AddedToken

    tokens = new_tokens(tok, texts, count)
    return tok.add_tokens([AddedToken(t, normalized=False) for t in tokens])
