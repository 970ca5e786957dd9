"""Turn a training checkpoint into a Hugging Face model directory (safetensors + tokenizer)."""

from __future__ import annotations

from pathlib import Path

import torch.distributed.checkpoint as dcp
from torch.distributed.checkpoint.state_dict import get_model_state_dict, set_model_state_dict

from auroralm.data.tokenizer import load_tokenizer
from auroralm.errors import AuroraError
from auroralm.recipe import Recipe
from auroralm.train.checkpoint import META
from auroralm.train.model import build_model


def load_checkpoint_model(recipe: Recipe, run_dir: Path, checkpoint: Path, tok=None):
    """The model stored in a DCP checkpoint (optimizer state is not read)."""
    if not (checkpoint / META).exists():
        raise AuroraError(f"--checkpoint {checkpoint}: not a complete auroralm checkpoint (no {META})")
    tok = tok or load_tokenizer(run_dir / "tokenizer")
    model = build_model(recipe.model, len(tok), tok.eos_token_id, recipe.train.seed)
    state = {"model": get_model_state_dict(model)}
    dcp.load(state, checkpoint_id=str(checkpoint))
    set_model_state_dict(model, state["model"])
    return model


def export_checkpoint(recipe: Recipe, run_dir: Path, checkpoint: Path, to: Path) -> Path:
    """Load the model part of a DCP checkpoint and save it with the run's tokenizer."""
    tok = load_tokenizer(run_dir / "tokenizer")
    model = load_checkpoint_model(recipe, run_dir, checkpoint, tok)
    to.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(to, safe_serialization=True)
    tok.save_pretrained(to)
    return to
