"""Distributed checkpoints (torch DCP) written atomically: a half-written save is never "latest"."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import torch
import torch.distributed.checkpoint as dcp
from torch.distributed.checkpoint.state_dict import get_state_dict, set_state_dict

META = "meta.json"


def _state(model: torch.nn.Module, optim: torch.optim.Optimizer) -> dict:
    model_sd, optim_sd = get_state_dict(model, optim)
    return {"model": model_sd, "optim": optim_sd, "rng": torch.get_rng_state()}


def _is_rank0() -> bool:
    return not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0


def save(directory: Path, step: int, model, optim, meta: dict, keep_last: int) -> Path:
    """Save to ``step_<N>.tmp`` then rename to ``step_<N>``; prune all but the last ``keep_last``."""
    final = directory / f"step_{step}"
    tmp = directory / f"step_{step}.tmp"
    if _is_rank0():
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    if torch.distributed.is_initialized():
        torch.distributed.barrier()
    dcp.save(_state(model, optim), checkpoint_id=str(tmp))
    if _is_rank0():
        (tmp / META).write_text(json.dumps({**meta, "step": step}))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        for old in list_checkpoints(directory)[:-keep_last]:
            shutil.rmtree(old, ignore_errors=True)
    if torch.distributed.is_initialized():
        torch.distributed.barrier()
    return final


def list_checkpoints(directory: Path) -> list[Path]:
    """Complete checkpoints, oldest first (``.tmp`` leftovers of an interrupted save are ignored)."""
    if not directory.is_dir():
        return []
    done = [p for p in directory.glob("step_*") if p.is_dir() and not p.name.endswith(".tmp")
            and (p / META).exists()]
    return sorted(done, key=lambda p: int(p.name.split("_")[1]))


def load(path: Path, model, optim) -> dict:
    """Restore model, optimizer and RNG in place; return the saved metadata."""
    state = _state(model, optim)
    dcp.load(state, checkpoint_id=str(path))
    set_state_dict(model, optim, model_state_dict=state["model"], optim_state_dict=state["optim"])
    torch.set_rng_state(state["rng"])
    return json.loads((path / META).read_text())
