"""The training loop: stages in order, each a blended mixture with its own LR schedule.

Re-running the same command resumes: finished stages are loaded from their HF export, an
unfinished one from its latest checkpoint, with the sampler positioned by the step number.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
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
from auroralm.train.batches import FIM, positions_per_document
from auroralm.train.metrics import MetricsLog
from auroralm.train.model import build_model, count_parameters, load_pretrained
from auroralm.train.sampler import BlendedSampler, TokenShard
from auroralm.train.schedule import lr_at

DONE = "STAGE_DONE.json"
IGNORE = -100  # label of tokens outside the loss (cross_entropy's ignore_index)
REPEAT_WARNING = 4.0  # epochs of one source in one stage past which a warning is printed


class Preempted(AuroraError):
    """Training stopped cleanly on SIGTERM after saving a checkpoint."""


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


def write_environment(path: Path, env: distributed.Env) -> None:
    """Versions and hardware of the training run, for the report and the model card."""
    import platform

    import transformers

    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    info = {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
            "cpu": cpu, "cpu_count": os.cpu_count(), "processes": env.world_size, "device": env.device.type,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
    path.write_text(json.dumps(info, indent=2))


def stage_done(run_dir: Path, stage: str) -> dict | None:
    marker = run_dir / "hf" / stage / DONE
    return json.loads(marker.read_text()) if marker.exists() else None


def load_shards(run_dir: Path, recipe: Recipe) -> dict[str, TokenShard]:
    data = run_dir / "data"
    if not (data / "stats.json").exists():
        raise AuroraError(f"no prepared data in {data}: run `auroralm prepare` first")
    unpacked = not recipe.train.pack_instructions
    return {s.name: TokenShard(data / s.name, recipe.train.seq_len,
                               whole_documents=unpacked and s.kind in ("instructions", "safety"))
            for s in recipe.sources}


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
        self.stop_requested = False
        if self.env.is_main:
            write_environment(run_dir / "environment.json", self.env)
        self.fim = FIM(self.tok, t.fim_rate, t.seed) if t.fim_rate > 0 else None
        dtype = torch.bfloat16 if t.precision == "bf16" else torch.float32
        self.peak_flops = measure_peak_flops(dtype, self.env.device.type)

    def initial_model(self, index: int) -> torch.nn.Module:
        """Stage 0 starts from the recipe's model; later stages from the previous stage's export."""
        if index > 0:
            return load_pretrained(str(self.run_dir / "hf" / self.recipe.stages[index - 1].name))
        model = build_model(self.recipe.model, len(self.tok), self.tok.eos_token_id, self.recipe.train.seed)
        if model.get_input_embeddings().num_embeddings < len(self.tok):  # the tokenizer was extended
            torch.manual_seed(self.recipe.train.seed)
            model.resize_token_embeddings(len(self.tok), mean_resizing=True)
        return model

    def run(self, only: str | None = None, on_stage_end: Callable | None = None) -> None:
        names = [s.name for s in self.recipe.stages]
        if only and only not in names:
            raise AuroraError(f"--stage {only}: no such stage (stages: {', '.join(names)})")
        tokens_before = 0
        previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            for i, stage in enumerate(self.recipe.stages):
                done = stage_done(self.run_dir, stage.name)
                if only and stage.name != only:
                    if done is None and names.index(only) > i:
                        raise AuroraError(f"stage '{stage.name}' must finish before '{only}'")
                    tokens_before = done["tokens_seen"] if done else tokens_before
                    continue
                if done:
                    if self.env.is_main:
                        print(f"train: stage '{stage.name}' already done ({done['steps']} steps)")
                    tokens_before = done["tokens_seen"]
                    continue
                model = self.train_stage(i, stage, tokens_before)
                tokens_before = stage_done(self.run_dir, stage.name)["tokens_seen"]
                if on_stage_end and not self.env.distributed:
                    on_stage_end(stage.name, model, self.tok, tokens_before)
        finally:
            signal.signal(signal.SIGTERM, previous)
            distributed.teardown(self.env)

    def _on_sigterm(self, signum, frame) -> None:
        self.stop_requested = True  # finish the step, save, exit (cluster preemption)

    def _prepare(self, index: int, stage: StageConfig, total: int):
        """Model (wrapped for parallelism), optimizer, sampler and the step to start from."""
        r, t, env = self.recipe, self.recipe.train, self.env
        raw = self.initial_model(index)
        if t.activation_checkpointing:
            raw.gradient_checkpointing_enable()
        model = distributed.wrap(raw, env, t.parallelism)
        optim = make_optimizer(model, r, stage.lr.max)
        sampler = BlendedSampler(self.shards, stage.mixture, total * t.global_batch, t.seed, stage.name)
        if not t.prompt_loss:
            for name in stage.mixture:
                if r.source(name).kind in ("instructions", "safety") and self.shards[name].loss_mask is None:
                    raise AuroraError(f"train.prompt_loss=false: source '{name}' has no response mask (prepared by an "
                                      f"older auroralm); delete {self.run_dir / 'data'} and run `auroralm prepare`")
        for name, epochs in sampler.epochs().items():
            if t.max_epochs is not None and epochs > t.max_epochs:
                raise AuroraError(f"stages.{stage.name}: source '{name}' would be repeated {epochs:.1f} times, "
                                  f"more than train.max_epochs ({t.max_epochs:g}); add data or lower its weight")
            if epochs > REPEAT_WARNING and env.is_main:
                # Up to about 4 epochs, repeated tokens are worth nearly as much as new ones
                # (Muennighoff et al., 2023, "Scaling Data-Constrained Language Models"); past that, less.
                print(f"warning: stage {stage.name}: source '{name}' is repeated {epochs:.1f} times", file=sys.stderr)
        start = 0
        existing = checkpoint.list_checkpoints(self.run_dir / "checkpoints" / stage.name)
        if existing:
            start = checkpoint.load(existing[-1], model, optim)["step"]
            if env.is_main:
                print(f"train: resuming stage '{stage.name}' from {existing[-1]} (step {start}/{total})")
        elif stage.optimizer == "keep" and index > 0:
            prev = checkpoint.list_checkpoints(self.run_dir / "checkpoints" / self.recipe.stages[index - 1].name)
            if not prev:
                raise AuroraError(f"stages.{stage.name}.optimizer: keep needs the previous stage's last checkpoint")
            checkpoint.load(prev[-1], model, optim)  # same weights as the export, plus AdamW moments
        if t.compile:
            model.compile()  # in place: state-dict keys (checkpoints, export) stay the same
        return raw, model, optim, sampler, start

    def _micro_batch(self, sampler: BlendedSampler, first: int, n: int):
        """Input ids, labels, optional position ids and source index per row."""
        t = self.recipe.train
        sources, windows = sampler.batch(range(first, first + n))
        if self.fim is not None:
            for row, k in enumerate(sources):
                if self.recipe.source(sampler.names[k]).kind == "code":
                    windows[row] = self.fim(windows[row], first + row)
        x = torch.from_numpy(windows).to(self.env.device)
        labels = x[:, 1:]
        if not t.prompt_loss or sampler.masked:  # no loss on padding, nor on prompts when they are context only
            keep = sampler.loss_masks(range(first, first + n), responses_only=not t.prompt_loss)
            keep = torch.from_numpy(keep[:, 1:]).to(self.env.device)
            labels = labels.masked_fill(~keep, IGNORE)
        positions = None
        if t.reset_positions:
            positions = torch.from_numpy(positions_per_document(windows[:, :-1], self.tok.eos_token_id))
            positions = positions.to(self.env.device)
        return x[:, :-1], labels, positions, sources

    def train_stage(self, index: int, stage: StageConfig, tokens_before: int) -> torch.nn.Module:
        r, t, env = self.recipe, self.recipe.train, self.env
        total = steps_for(r, stage)
        per_rank = t.global_batch // env.world_size
        accum = per_rank // t.micro_batch
        raw, model, optim, sampler, start = self._prepare(index, stage, total)
        model.train()
        flops_per_token = 6 * count_parameters(raw) + 12 * r.model.layers * r.model.hidden_size * t.seq_len
        tokens_per_step = t.global_batch * t.seq_len
        autocast = torch.autocast(env.device.type, dtype=torch.bfloat16, enabled=t.precision == "bf16")
        watch = ForgettingWatch(self, raw, stage) if t.eval_every and env.is_main and not env.distributed else None
        bar = tqdm(total=total, initial=start, desc=f"train {stage.name}", unit="step", disable=not env.is_main)
        log = MetricsLog(self.metrics_path, enabled=env.is_main)
        bad_steps = 0
        for step in range(start, total):
            t0 = time.perf_counter()
            lr = lr_at(step, total, stage.lr)
            for group in optim.param_groups:
                group["lr"] = lr
            loss_sum = torch.zeros((), device=env.device)
            by_source = torch.zeros((2, len(sampler.names)), dtype=torch.float64)  # (loss sum, tokens)
            for m in range(accum):
                first = step * t.global_batch + env.rank * per_rank + m * t.micro_batch
                inputs, labels, positions, sources = self._micro_batch(sampler, first, t.micro_batch)
                # DDP: all-reduce gradients only on the last micro-batch of the step.
                sync = m == accum - 1 or not hasattr(model, "no_sync")
                with autocast, (contextlib.nullcontext() if sync else model.no_sync()):
                    logits = model(input_ids=inputs, position_ids=positions, use_cache=False).logits
                    token_loss = F.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), reduction="none",
                                                 ignore_index=IGNORE)
                    counted = (labels != IGNORE).sum(1)
                    loss = token_loss.sum() / counted.sum().clamp(min=1)
                    (loss / accum).backward()
                loss_sum += loss.detach() / accum
                row_loss = token_loss.detach().view(len(sources), -1).sum(1).double().cpu()
                by_source[0].index_add_(0, torch.from_numpy(sources), row_loss)
                by_source[1].index_add_(0, torch.from_numpy(sources), counted.double().cpu())
            loss_value = distributed.mean_across_ranks(float(loss_sum), env)
            grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), t.grad_clip or float("inf")))
            if math.isfinite(loss_value) and math.isfinite(grad_norm):
                optim.step()
                bad_steps = 0
            else:
                bad_steps += 1
                tqdm.write(f"warning: stage {stage.name} step {step + 1}: non-finite loss or gradient, step skipped",
                           file=sys.stderr)
                if bad_steps >= t.max_bad_steps:
                    raise AuroraError(f"stage {stage.name}: {bad_steps} consecutive non-finite steps; lower the "
                                      "learning rate or check the data (the last good checkpoint is kept)")
            optim.zero_grad(set_to_none=True)
            tps = tokens_per_step / (time.perf_counter() - t0)
            rec = {
                "stage": stage.name, "step": step + 1, "tokens": (step + 1) * tokens_per_step,
                "tokens_seen": tokens_before + (step + 1) * tokens_per_step,
                "loss": loss_value if math.isfinite(loss_value) else None, "lr": lr,
                "grad_norm": grad_norm if math.isfinite(grad_norm) else None, "tokens_per_s": tps,
                "mfu": tps * flops_per_token / (self.peak_flops * env.world_size),
                "loss_by_source": {n: round(float(by_source[0, k] / by_source[1, k]), 5)
                                   for k, n in enumerate(sampler.names)
                                   if by_source[1, k] > 0 and math.isfinite(by_source[0, k])},
            }
            if watch and ((step + 1) % t.eval_every == 0 or step + 1 == total):
                rec["heldout_bpb"] = watch.check(step + 1)
            log.write(rec)
            bar.update(1)
            bar.set_postfix(loss=f"{loss_value:.3f}", tok_s=f"{tps:,.0f}")
            stop = distributed.any_rank(self.stop_requested, env)
            if (step + 1) % t.checkpoint_every == 0 or step + 1 == total or stop:
                checkpoint.save(self.run_dir / "checkpoints" / stage.name, step + 1, model, optim,
                                {"stage": stage.name, "tokens_seen": rec["tokens_seen"]}, t.keep_last)
            if stop:
                log.close()
                raise Preempted(f"SIGTERM: saved stage {stage.name} at step {step + 1}; "
                                "run the same command again to resume")
        bar.close()
        log.close()
        self.export(model, stage, total, tokens_before + total * tokens_per_step, sampler)
        return raw

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


class ForgettingWatch:
    """Held-out bits-per-byte during a stage; warns when code gets worse than at the stage start."""

    def __init__(self, trainer: Trainer, model: torch.nn.Module, stage: StageConfig):
        from auroralm.eval.runner import heldout_texts

        self.model, self.tok, self.stage = model, trainer.tok, stage
        self.seq_len = trainer.recipe.train.seq_len
        self.threshold = trainer.recipe.train.forgetting_threshold
        langs = trainer.recipe.eval.languages
        self.texts = {lang: heldout_texts(trainer.run_dir, lang, trainer.recipe.train.eval_max_bytes) for lang in langs}
        self.texts = {k: v for k, v in self.texts.items() if v}
        self.start = self._measure()

    def _measure(self) -> dict[str, float]:
        from auroralm.eval.bpb import bits_per_byte

        out = {lang: round(bits_per_byte(self.model, self.tok, texts, self.seq_len)["bits_per_byte"], 4)
               for lang, texts in self.texts.items()}
        self.model.train()
        return out

    def check(self, step: int) -> dict[str, float]:
        now = self._measure()
        code0, code = self.start.get("code"), now.get("code")
        if code0 and code and code > code0 * (1 + self.threshold):
            tqdm.write(f"warning: forgetting: code bits-per-byte rose from {code0:.3f} to {code:.3f} "
                       f"at stage {self.stage.name} step {step} (threshold {self.threshold:.0%})", file=sys.stderr)
        return now
