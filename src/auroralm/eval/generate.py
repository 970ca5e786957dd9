"""Batched generation with a KV cache and stop sequences, for code and safety evaluation."""

from __future__ import annotations

import torch
from tqdm import tqdm


class _StopOnSequences:
    """Stop once every row's new text contains a stop sequence (checked on decoded text)."""

    def __init__(self, tok, prompt_len: int, stops: list[str]):
        self.tok, self.prompt_len, self.stops = tok, prompt_len, stops

    def __call__(self, input_ids: torch.Tensor, scores, **kwargs) -> torch.Tensor:
        texts = self.tok.batch_decode(input_ids[:, self.prompt_len :], skip_special_tokens=True)
        done = [any(s in t for s in self.stops) for t in texts]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)


def truncate(text: str, stops: list[str]) -> str:
    """Cut ``text`` at the first stop sequence."""
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=len(text))
    return text[:cut]


@torch.no_grad()
def generate(
    model,
    tok,
    prompts: list[str],
    max_new_tokens: int = 128,
    stop: list[str] | None = None,
    temperature: float = 0.0,
    top_p: float = 1.0,
    n: int = 1,
    batch_size: int = 16,
    max_length: int | None = None,
    desc: str = "generate",
) -> list[list[str]]:
    """``n`` completions per prompt; greedy when temperature is 0. Prompts are left-truncated to fit."""
    from transformers import StoppingCriteriaList

    stop = stop or []
    model.eval()
    limit = max_length or getattr(model.config, "n_positions", None) or model.config.max_position_embeddings
    keep = max(1, limit - max_new_tokens)
    tok.padding_side = "left"
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))  # similar lengths batch well
    results: dict[int, list[str]] = {}
    for b in tqdm(range(0, len(order), batch_size), desc=desc, unit="batch", leave=False):
        idx = order[b : b + batch_size]
        ids = [tok(prompts[i], add_special_tokens=False)["input_ids"][-keep:] for i in idx]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for r, x in enumerate(ids):
            input_ids[r, width - len(x) :] = torch.tensor(x)
            mask[r, width - len(x) :] = 1
        criteria = StoppingCriteriaList([_StopOnSequences(tok, width, stop)]) if stop else None
        gen = model.generate(
            input_ids=input_ids.to(model.device),
            attention_mask=mask.to(model.device),
            max_new_tokens=max_new_tokens,
            do_sample=temperature > 0,
            temperature=temperature if temperature > 0 else None,
            top_p=top_p if temperature > 0 else None,
            num_return_sequences=n,
            pad_token_id=tok.pad_token_id,
            eos_token_id=tok.eos_token_id,
            stopping_criteria=criteria,
            use_cache=True,
        )
        texts = tok.batch_decode(gen[:, width:], skip_special_tokens=True)
        for r, i in enumerate(idx):
            results[i] = [truncate(t, stop) for t in texts[r * n : (r + 1) * n]]
    return [results[i] for i in range(len(prompts))]
