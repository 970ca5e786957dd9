"""The training loop: stages in order, each a blended mixture with its own LR schedule.

Re-running the same command resumes: finished stages are loaded from their HF export, an
unfinished one from its latest checkpoint, with the sampler positioned by the step number.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from tqdm import tqdm

from auroralm.data.tokenizer import load_tokenizer
from auroralm.errors import AuroraError
from auroralm.recipe import Recipe, StageConfig
from auroralm.train import checkpoint, distributed
from auroralm.train.model import build_model, count_parameters, load_pretrained
from auroralm.train.sampler import BlendedSampler, TokenShard
from auroralm.train.schedule import lr_at

DONE = "STAGE_DONE.json"


def steps_for(recipe: Recipe, stage: StageConfig) -> int:
    per_step = recipe.train.global_batch * recipe.train.seq_len
    return max(1, math.ceil(stage.tokens / per_step))


def measure_peak_flops(dtype: torch.dtype = torch.float32, device: str = "cpu", seconds: float = 0.3) -> float:
    """Dense matmul FLOP/s at the training precision on this device: the denominator of MFU."""
    size = 4096 if device == "cuda" else 1024
    a = torch.randn(size, size, dtype=dtype, device=device)
    b = torch.randn(size, size, dtype=dtype, device=device)

    def timed(n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            torch.mm(a, b)
        if device == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    timed(2)
    n = 4
    while (elapsed := timed(n)) < seconds:
        n *= 2
    return 2 * size**3 * n / elapsed


def make_optimizer(model: torch.nn.Module, recipe: Recipe, lr: float) -> torch.optim.Optimizer:
    """AdamW; no weight decay on biases, norms and embeddings' 1-D parameters."""
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    groups = [
        {"params": decay, "weight_decay": recipe.train.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr, betas=tuple(recipe.train.betas))


def stage_done(run_dir: Path, stage: str) -> dict | None:
    marker = run_dir / "hf" / stage / DONE
    return json.loads(marker.read_text()) if marker.exists() else None


def load_shards(run_dir: Path, recipe: Recipe) -> dict[str, TokenShard]:
    data = run_dir / "data"
    if not (data / "stats.json").exists():
        raise AuroraError(f"no prepared data in {data}: run `auroralm prepare` first")
    return {s.name: TokenShard(data / s.name, recipe.train.seq_len) for s in recipe.sources}


class Trainer:
    def __init__(self, recipe: Recipe, run_dir: Path):
        self.recipe = recipe
        self.run_dir = run_dir
        self.tok = load_tokenizer(run_dir / "tokenizer")
        self.shards = load_shards(run_dir, recipe)
        self.metrics_path = run_dir / "metrics.jsonl"
        self.env = distributed.setup()
        t = recipe.train
        if t.global_batch % (t.micro_batch * self.env.world_size):
            raise AuroraError(f"train.global_batch ({t.global_batch}) must be a multiple of "
                              f"micro_batch x processes ({t.micro_batch} x {self.env.world_size})")
        if recipe.train.threads:
            torch.set_num_threads(recipe.train.threads)
        dtype = torch.bfloat16 if t.precision == "bf16" else torch.float32
        self.peak_flops = measure_peak_flops(dtype, self.env.device.type)

    def initial_model(self, index: int) -> torch.nn.Module:
        """Stage 0 starts from the recipe's model; later stages from the previous stage's export."""
        if index > 0:
            return load_pretrained(str(self.run_dir / "hf" / self.recipe.stages[index - 1].name))
        return build_model(self.recipe.model, len(self.tok), self.tok.eos_token_id, self.recipe.train.seed)

    def run(self, only: str | None = None, on_stage_end: Callable | None = None) -> None:
        names = [s.name for s in self.recipe.stages]
        if only and only not in names:
            raise AuroraError(f"--stage {only}: no such stage (stages: {', '.join(names)})")
        tokens_before = 0
        for i, stage in enumerate(self.recipe.stages):
            done = stage_done(self.run_dir, stage.name)
            if only and stage.name != only:
                if done is None and names.index(only) > i:
                    raise AuroraError(f"stage '{stage.name}' must finish before '{only}'")
                tokens_before = done["tokens_seen"] if done else tokens_before
                continue
            if done:
                print(f"train: stage '{stage.name}' already done ({done['steps']} steps)")
                tokens_before = done["tokens_seen"]
                continue
            model = self.train_stage(i, stage, tokens_before)
            tokens_before = stage_done(self.run_dir, stage.name)["tokens_seen"]
            if on_stage_end and not self.env.distributed:
                on_stage_end(stage.name, model, self.tok, tokens_before)
        distributed.teardown(self.env)

    def train_stage(self, index: int, stage: StageConfig, tokens_before: int) -> torch.nn.Module:
        r, t, env = self.recipe, self.recipe.train, self.env
        total = steps_for(r, stage)
        per_rank = t.global_batch // env.world_size
        accum = per_rank // t.micro_batch
        raw = self.initial_model(index)
        flops_per_token = 6 * count_parameters(raw) + 12 * r.model.layers * r.model.hidden_size * t.seq_len
        model = distributed.wrap(raw, env, t.parallelism)
        model.train()
        optim = make_optimizer(model, r, stage.lr.max)
        sampler = BlendedSampler(self.shards, stage.mixture, total * t.global_batch, t.seed, stage.name)
        ckpt_dir = self.run_dir / "checkpoints" / stage.name
        start = 0
        existing = checkpoint.list_checkpoints(ckpt_dir)
        if existing:
            start = checkpoint.load(existing[-1], model, optim)["step"]
            if env.is_main:
                print(f"train: resuming stage '{stage.name}' from {existing[-1]} (step {start}/{total})")
        tokens_per_step = t.global_batch * t.seq_len
        autocast = torch.autocast(env.device.type, dtype=torch.bfloat16, enabled=t.precision == "bf16")
        bar = tqdm(total=total, initial=start, desc=f"train {stage.name}", unit="step", disable=not env.is_main)
        log = open(self.metrics_path, "a", encoding="utf-8") if env.is_main else None
        for step in range(start, total):
            t0 = time.perf_counter()
            lr = lr_at(step, total, stage.lr)
            for group in optim.param_groups:
                group["lr"] = lr
            loss_sum = 0.0
            for m in range(accum):
                first = step * t.global_batch + env.rank * per_rank + m * t.micro_batch
                _, batch = sampler.batch(range(first, first + t.micro_batch))
                x = torch.from_numpy(batch).to(env.device)
                # DDP: all-reduce gradients only on the last micro-batch of the step.
                sync = m == accum - 1 or not hasattr(model, "no_sync")
                with autocast, (contextlib.nullcontext() if sync else model.no_sync()):
                    logits = model(input_ids=x[:, :-1]).logits
                    loss = F.cross_entropy(logits.float().flatten(0, 1), x[:, 1:].flatten())
                    (loss / accum).backward()
                loss_sum += loss.item() / accum
            loss_sum = distributed.mean_across_ranks(loss_sum, env)
            grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), t.grad_clip or float("inf")))
            if not (math.isfinite(loss_sum) and math.isfinite(grad_norm)):
                optim.zero_grad(set_to_none=True)
                tqdm.write(f"warning: step {step}: non-finite loss or gradient, step skipped")
            else:
                optim.step()
                optim.zero_grad(set_to_none=True)
            tps = tokens_per_step / (time.perf_counter() - t0)
            rec = {
                "stage": stage.name, "step": step + 1, "tokens": (step + 1) * tokens_per_step,
                "tokens_seen": tokens_before + (step + 1) * tokens_per_step,
                "loss": loss_sum, "lr": lr, "grad_norm": grad_norm, "tokens_per_s": tps,
                "mfu": tps * flops_per_token / (self.peak_flops * env.world_size),
            }
            if log:
                log.write(json.dumps(rec) + "\n")
                log.flush()
            bar.update(1)
            bar.set_postfix(loss=f"{loss_sum:.3f}", tok_s=f"{tps:,.0f}")
            if (step + 1) % t.checkpoint_every == 0 or step + 1 == total:
                checkpoint.save(ckpt_dir, step + 1, model, optim,
                                {"stage": stage.name, "tokens_seen": rec["tokens_seen"]}, t.keep_last)
        bar.close()
        if log:
            log.close()
        self.export(model, stage, total, tokens_before + total * tokens_per_step, sampler)
        return distributed.unwrap(model)

    def export(self, model, stage: StageConfig, steps: int, tokens_seen: int, sampler) -> None:
        """Write ``hf/<stage>/`` (safetensors + tokenizer), loadable by transformers alone."""
        full = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))
        if not self.env.is_main:
            distributed.barrier(self.env)
            return
        out = self.run_dir / "hf" / stage.name
        distributed.unwrap(model).save_pretrained(out, state_dict=full, safe_serialization=True)
        self.tok.save_pretrained(out)
        epochs = sampler.epochs()
        marker = {"stage": stage.name, "steps": steps, "tokens_seen": tokens_seen,
                  "epochs_per_source": epochs}
        (out / DONE).write_text(json.dumps(marker, indent=2))
        distributed.barrier(self.env)
