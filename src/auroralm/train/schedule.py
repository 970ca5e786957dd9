"""Learning-rate schedules: linear warmup, then cosine / constant / warmup-stable-decay."""

from __future__ import annotations

import math

from auroralm.recipe import LRConfig


def lr_at(step: int, total_steps: int, cfg: LRConfig) -> float:
    """Learning rate for a 0-based optimizer step."""
    if cfg.warmup_steps and step < cfg.warmup_steps:
        return cfg.max * (step + 1) / cfg.warmup_steps
    if cfg.schedule == "constant":
        return cfg.max
    span = max(1, total_steps - cfg.warmup_steps)
    progress = min(1.0, (step - cfg.warmup_steps) / span)
    if cfg.schedule == "cosine":
        return cfg.min + 0.5 * (cfg.max - cfg.min) * (1 + math.cos(math.pi * progress))
    decay_start = 1.0 - cfg.decay_fraction  # wsd: hold at max, then linear decay to min
    if progress <= decay_start:
        return cfg.max
    return cfg.max - (cfg.max - cfg.min) * (progress - decay_start) / max(cfg.decay_fraction, 1e-9)
