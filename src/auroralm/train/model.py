"""Causal LMs: a fresh GPTBigCode (multi-query) or Llama from the recipe, or a local HF checkpoint."""

from __future__ import annotations

import torch

from auroralm.errors import AuroraError
from auroralm.recipe import ModelConfig


def build_model(cfg: ModelConfig, vocab_size: int, eos_id: int, seed: int) -> torch.nn.Module:
    """A new model with deterministic initialisation, or the pretrained one the recipe names."""
    if cfg.pretrained:
        return load_pretrained(cfg.pretrained)
    torch.manual_seed(seed)
    if cfg.architecture == "gpt_bigcode":
        from transformers import GPTBigCodeConfig, GPTBigCodeForCausalLM

        config = GPTBigCodeConfig(
            vocab_size=vocab_size,
            n_positions=cfg.max_positions,
            n_embd=cfg.hidden_size,
            n_layer=cfg.layers,
            n_head=cfg.heads,
            n_inner=cfg.intermediate_size,
            multi_query=cfg.kv_heads == 1,
            resid_pdrop=0.0,
            embd_pdrop=0.0,
            attn_pdrop=0.0,
            bos_token_id=eos_id,
            eos_token_id=eos_id,
        )
        return GPTBigCodeForCausalLM(config)
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size or 4 * cfg.hidden_size,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        num_key_value_heads=cfg.kv_heads,
        max_position_embeddings=cfg.max_positions,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(config)


def load_pretrained(path: str) -> torch.nn.Module:
    """Load an HF causal LM from safetensors only (never unpickle weights)."""
    from pathlib import Path

    from transformers import AutoModelForCausalLM

    if path.startswith(("/", ".", "~")) and not Path(path).expanduser().is_dir():
        raise AuroraError(f"model directory not found: {path}")
    try:
        return AutoModelForCausalLM.from_pretrained(path, use_safetensors=True, dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise AuroraError(f"cannot load model from '{path}': {str(e).splitlines()[0]}") from None


def count_parameters(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
