"""Training throughput on this machine: auroralm's Trainer against Hugging Face ``transformers.Trainer``.

Both sides train the same GPTBigCode (multi-query attention, built by ``auroralm.train.model.build_model``
from the same config and seed), on the same token windows (the demo's packed shards, drawn by the same
``BlendedSampler`` over the demo's ``cap`` mixture), at the same sequence length, global batch,
micro-batch and precision, with the same AdamW hyper-parameters and gradient clipping.

- auroralm: a Recipe built in code (the built-in demo recipe with one stage and this model), run by
  ``auroralm.train.trainer.Trainer`` in a temporary run directory whose ``data/`` and ``tokenizer/``
  link to the prepared demo. ``checkpoint_every`` exceeds the step count, so the only checkpoint and the
  HF export happen after the last step, outside the timed window.
- Hugging Face: ``transformers.Trainer`` over a torch ``Dataset`` that returns the same windows as
  ``input_ids`` / ``labels`` / ``shift_labels`` (so the loss covers the same 256 next tokens as ours),
  with its best settings for this CPU: its default fused AdamW, ``bf16=True`` for the bf16 run,
  ``dataloader_num_workers=0``, no evaluation, no saving, no reporting, ``logging_steps`` beyond the run,
  and ``torch_compile`` off: on 2 cores ``--hf-compile`` measured the same tokens/s (within 1%, below
  run-to-run noise) and adds ~30 s of compilation per run (absorbed by the warm-up when on).

Timing (identical for both): a global ``torch.optim`` step post-hook records the wall clock, and the
CPU time of the machine and of this process, after every optimizer step. The first ``--warmup`` steps
(compilation included) are discarded; a timed step runs from the end of one optimizer step to the end
of the next, so each side's whole loop (data, forward, backward, clipping, optimizer, logging) is
counted, and nothing before or after it (model build, peak measurement, checkpoint, export).
tokens/s = global_batch x seq_len / the median timed step of all ``--repeats`` runs (run order
alternates between the two trainers). On a shared machine another process slows a 2-thread step
several-fold, so the CPU time other processes used during each step is measured too, and only quiet
steps (other processes under 0.25 core) count, unless fewer than 3 were quiet (the table says so).
auroralm's own ``metrics.jsonl`` median ``tokens_per_s`` is printed next to it as a cross-check.

MFU = tokens/s x (6 N + 12 L H S) / peak, the formula auroralm's trainer logs: N parameters, L layers,
H hidden size, S sequence length; peak is dense matmul FLOP/s measured in this run by
``measure_peak_flops`` at fp32 and at bf16, each precision against its own peak.

    .venv/bin/pip install accelerate                                      # HF Trainer needs it; bench only
    .venv/bin/python bench/train_throughput.py --json bench-results.json   # ~3.5 minutes on 2 cores
    .venv/bin/python bench/train_throughput.py --quick                      # a smoke run, ~1 minute
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from auroralm.data.tokenizer import load_tokenizer
from auroralm.recipe import LRConfig, Recipe, load_recipe
from auroralm.train.model import build_model, count_parameters
from auroralm.train.sampler import BlendedSampler
from auroralm.train.trainer import Trainer, load_shards, measure_peak_flops

PRECISIONS = ("fp32", "bf16")
QUIET_CORES = 0.25  # a step during which other processes used less than this counts as quiet


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--data", type=Path, help="a run directory prepared by `auroralm prepare demo` (default: prepare one)"
    )
    p.add_argument("--steps", type=int, default=8, help="timed optimizer steps per run (default 8)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps before them (default 2)")
    p.add_argument(
        "--repeats", type=int, default=2, help="runs per trainer and precision, alternating order (default 2)"
    )
    p.add_argument("--quick", action="store_true", help="2 timed steps after 1 warm-up step, one repeat")
    p.add_argument("--precisions", default="fp32,bf16", help="comma-separated subset of fp32,bf16")
    p.add_argument("--hidden", type=int, default=384)
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--heads", type=int, default=6)
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--global-batch", type=int, default=16)
    p.add_argument("--micro-batch", type=int, default=8)
    p.add_argument("--hf-compile", action="store_true", help="HF Trainer with torch_compile=True (default: eager)")
    p.add_argument("--compile", action="store_true", help="auroralm with train.compile=true (default: eager)")
    p.add_argument("--json", type=Path, help="write the results here")
    args = p.parse_args()
    if args.quick:
        args.steps, args.warmup, args.repeats = 2, 1, 1
    args.precisions = [x.strip() for x in args.precisions.split(",") if x.strip()]
    if not set(args.precisions) <= set(PRECISIONS) or not args.precisions:
        p.error(f"--precisions: choose from {', '.join(PRECISIONS)}")
    if min(args.steps, args.warmup, args.repeats) < 1:
        p.error("--steps, --warmup and --repeats must be at least 1 (the last warm-up step starts the clock)")
    return args


def prepared_demo(args: argparse.Namespace, scratch: Path) -> Path:
    """The demo's token shards and tokenizer: ``--data``, or prepared now into the scratch directory."""
    if args.data:
        if not (args.data / "data" / "stats.json").exists():
            sys.exit(f"--data {args.data}: no prepared data there; run `auroralm prepare demo --out {args.data}`")
        return args.data
    out = scratch / "demo"
    print(f"preparing the demo data in {out} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "auroralm", "prepare", "demo", "--out", str(out)], check=True, stdout=subprocess.DEVNULL
    )
    return out


def bench_recipe(args: argparse.Namespace, precision: str) -> Recipe:
    """The demo recipe with the bench model and one stage (the demo's ``cap`` mixture) of exactly
    warmup + steps optimizer steps."""
    recipe = load_recipe(
        "demo",
        [
            f"model.hidden_size={args.hidden}",
            f"model.layers={args.layers}",
            f"model.heads={args.heads}",
            "model.kv_heads=1",
            f"model.max_positions={args.seq_len}",
            f"train.seq_len={args.seq_len}",
            f"train.micro_batch={args.micro_batch}",
            f"train.global_batch={args.global_batch}",
            f"train.precision={precision}",
            "train.checkpoint_every=1000000",
            "train.keep_last=1",
            f"train.compile={str(args.compile).lower()}",
        ],
    )
    cap = next(s for s in recipe.stages if s.name == "cap")
    steps = args.warmup + args.steps
    stage = dataclasses.replace(
        cap,
        name="bench",
        tokens=steps * args.global_batch * args.seq_len,
        lr=LRConfig(schedule="constant", max=cap.lr.max, min=cap.lr.max),
    )
    return dataclasses.replace(recipe, stages=[stage])


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine since boot, CPU seconds of this process), Linux only."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK"), time.process_time()


class StepClock:
    """Wall clock and CPU use at the end of every optimizer step, for any optimizer in the process."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, float, float]] = []

    def __enter__(self) -> StepClock:
        self.handle = register_optimizer_step_post_hook(
            lambda *_: self.marks.append((time.perf_counter(), *cpu_seconds()))
        )
        return self

    def __exit__(self, *exc) -> None:
        self.handle.remove()

    def timed(self, warmup: int, steps: int) -> dict:
        """Per timed step (end of step k-1 to end of step k, k after the warm-up): seconds, and cores that
        other processes used meanwhile (a busy neighbour slows a step several-fold on 2 cores)."""
        if len(self.marks) != warmup + steps:
            raise RuntimeError(f"expected {warmup + steps} optimizer steps, saw {len(self.marks)}")
        marks = self.marks[warmup - 1 :]
        pairs = list(zip(marks[:-1], marks[1:], strict=True))
        return {
            "step_s": [t1 - t0 for (t0, _, _), (t1, _, _) in pairs],
            "other_cpu": [max(0.0, (b1 - b0) - (o1 - o0)) / (t1 - t0) for (t0, b0, o0), (t1, b1, o1) in pairs],
        }


def run_auroralm(recipe: Recipe, demo: Path, run_dir: Path, args: argparse.Namespace) -> dict:
    run_dir.mkdir()
    for name in ("data", "tokenizer"):
        (run_dir / name).symlink_to((demo / name).resolve())
    trainer = Trainer(recipe, run_dir)
    with StepClock() as clock:
        trainer.run()
    logged = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return {
        **clock.timed(args.warmup, args.steps),
        "metrics_tokens_per_s": [r["tokens_per_s"] for r in logged[args.warmup :]],
    }


class WindowDataset(torch.utils.data.Dataset):
    """The sampler's windows of seq_len + 1 tokens as HF causal-LM examples (256 inputs, 256 targets)."""

    def __init__(self, sampler: BlendedSampler):
        self.sampler = sampler

    def __len__(self) -> int:
        return len(self.sampler)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        window = torch.from_numpy(self.sampler.sample(i)[1])
        return {"input_ids": window[:-1], "labels": window[:-1], "shift_labels": window[1:]}


def run_hf(recipe: Recipe, demo: Path, out_dir: Path, args: argparse.Namespace) -> dict:
    from transformers import Trainer as HFTrainer
    from transformers import TrainingArguments

    t, stage = recipe.train, recipe.stages[0]
    tok = load_tokenizer(demo / "tokenizer")
    model = build_model(recipe.model, len(tok), tok.eos_token_id, t.seed)
    steps = args.warmup + args.steps
    sampler = BlendedSampler(load_shards(demo, recipe), stage.mixture, steps * t.global_batch, t.seed, stage.name)
    training_args = TrainingArguments(
        output_dir=str(out_dir),
        max_steps=steps,
        per_device_train_batch_size=t.micro_batch,
        gradient_accumulation_steps=t.global_batch // t.micro_batch,
        learning_rate=stage.lr.max,
        lr_scheduler_type="constant",
        adam_beta1=t.betas[0],
        adam_beta2=t.betas[1],
        weight_decay=t.weight_decay,
        max_grad_norm=t.grad_clip,
        bf16=t.precision == "bf16",
        torch_compile=args.hf_compile,
        use_cpu=True,
        dataloader_num_workers=0,
        dataloader_pin_memory=False,
        eval_strategy="no",
        save_strategy="no",
        logging_steps=10**6,
        report_to=[],
        disable_tqdm=True,
        seed=t.seed,
    )
    trainer = HFTrainer(model=model, args=training_args, train_dataset=WindowDataset(sampler))
    with StepClock() as clock:
        trainer.train()
    return clock.timed(args.warmup, args.steps)


def hf_default_optim() -> str:
    from transformers import TrainingArguments

    return str(TrainingArguments.__dataclass_fields__["optim"].default)


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name"))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        return platform.processor() or "unknown"


def peak_flops(dtype: torch.dtype, tries: int = 5) -> float:
    """Best of a few matmul peak measurements: another process on the machine only ever lowers it."""
    return max(measure_peak_flops(dtype, seconds=0.5) for _ in range(tries))


def summarize(runs: list[dict], tokens_per_step: int, flops_per_token: int, peak: float) -> dict:
    """Tokens/s from the median timed step of all runs, counting only quiet steps (other processes under
    0.25 core) when there are at least 3; both trainers are judged by the same rule."""
    step_s = [x for r in runs for x in r["step_s"]]
    other = [x for r in runs for x in r["other_cpu"]]
    quiet = [s for s, o in zip(step_s, other, strict=True) if o < QUIET_CORES]
    used = quiet if len(quiet) >= min(3, len(step_s)) else step_s
    tps = tokens_per_step / statistics.median(used)
    out = {
        "tokens_per_s": tps,
        "mfu": tps * flops_per_token / peak,
        "steps_used": "quiet" if used is quiet else "all (too few quiet steps: contended)",
        "quiet_steps": len(quiet),
        "timed_steps": len(step_s),
        "median_all_steps_tokens_per_s": tokens_per_step / statistics.median(step_s),
        "mean_other_cpu_cores": statistics.fmean(other),
        "step_s": step_s,
        "other_cpu": other,
    }
    if "metrics_tokens_per_s" in runs[0]:
        logged = [x for r in runs for x in r["metrics_tokens_per_s"]]
        kept = [x for x, o in zip(logged, other, strict=True) if o < QUIET_CORES or used is step_s]
        out["metrics_median_tokens_per_s"] = statistics.median(kept)
    return out


def main() -> None:
    args = parse_args()
    if importlib.util.find_spec("accelerate") is None:
        sys.exit("transformers.Trainer needs accelerate: `.venv/bin/pip install accelerate` (benchmark only)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="auroralm-bench-") as tmp:
        scratch = Path(tmp)
        demo = prepared_demo(args, scratch)
        tok = load_tokenizer(demo / "tokenizer")
        probe = bench_recipe(args, "fp32")
        params = count_parameters(build_model(probe.model, len(tok), tok.eos_token_id, probe.train.seed))
        flops_per_token = 6 * params + 12 * args.layers * args.hidden * args.seq_len
        tokens_per_step = args.global_batch * args.seq_len
        peaks = {p: peak_flops(torch.bfloat16 if p == "bf16" else torch.float32) for p in PRECISIONS}
        results: dict[str, dict] = {}
        for precision in args.precisions:
            recipe = bench_recipe(args, precision)
            runs: dict[str, list[dict]] = {"auroralm": [], "hf_trainer": []}
            for r in range(args.repeats):
                # Alternate which side goes first, so neither always gets the cooler or quieter slot.
                order = ["auroralm", "hf_trainer"] if r % 2 == 0 else ["hf_trainer", "auroralm"]
                for side in order:
                    run = run_auroralm if side == "auroralm" else run_hf
                    runs[side].append(run(recipe, demo, scratch / f"{precision}-{r}-{side}", args))
            res = {side: summarize(v, tokens_per_step, flops_per_token, peaks[precision]) for side, v in runs.items()}
            res["ratio_auroralm_over_hf"] = res["auroralm"]["tokens_per_s"] / res["hf_trainer"]["tokens_per_s"]
            results[precision] = res
    report = {
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "torch_threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "transformers": __import__("transformers").__version__,
        },
        "model": {
            "architecture": "gpt_bigcode",
            "multi_query": True,
            "hidden": args.hidden,
            "layers": args.layers,
            "heads": args.heads,
            "vocab": len(tok),
            "parameters": params,
        },
        "seq_len": args.seq_len,
        "global_batch": args.global_batch,
        "micro_batch": args.micro_batch,
        "warmup_steps": args.warmup,
        "timed_steps": args.steps,
        "repeats": args.repeats,
        "hf_trainer_settings": {
            "optim": f"{hf_default_optim()} (its default)",
            "torch_compile": args.hf_compile,
            "bf16": "bf16 run only",
            "dataloader_num_workers": 0,
        },
        "auroralm_compile": args.compile,
        "flops_per_token": flops_per_token,
        "peak_flops": peaks,
        "results": results,
        "wall_s": time.perf_counter() - started,
    }
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


def print_table(report: dict) -> None:
    m, mach = report["model"], report["machine"]
    print(
        f"\n{mach['cpu']}, {mach['cores']} cores, torch {mach['torch']}, transformers {mach['transformers']}; "
        f"HF Trainer: {report['hf_trainer_settings']['optim']}, torch_compile={report['hf_trainer_settings']['torch_compile']}; "
        f"auroralm: train.compile={report['auroralm_compile']}"
    )
    print(
        f"GPTBigCode MQA {m['parameters'] / 1e6:.1f}M params (hidden {m['hidden']}, {m['layers']} layers, "
        f"{m['heads']} heads, vocab {m['vocab']}), seq {report['seq_len']}, global batch {report['global_batch']} "
        f"(micro {report['micro_batch']}); {report['repeats']} x {report['timed_steps']} timed steps, "
        f"each run after {report['warmup_steps']} warm-up"
    )
    print("peak matmul: " + ", ".join(f"{p} {v / 1e9:.1f} GFLOP/s" for p, v in report["peak_flops"].items()))
    print(
        "\n| precision | trainer | tokens/s | MFU | quiet steps used | tokens/s, all steps | other processes (cores) |"
        "\n|---|---|---:|---:|---:|---:|---:|"
    )
    for precision, r in report["results"].items():
        for name, key in (("auroralm", "auroralm"), ("HF Trainer", "hf_trainer")):
            x = r[key]
            quiet = f"{x['quiet_steps']}/{x['timed_steps']}" + ("" if x["steps_used"] == "quiet" else " (all used)")
            print(
                f"| {precision} | {name} | {x['tokens_per_s']:,.0f} | {x['mfu']:.1%} | {quiet} "
                f"| {x['median_all_steps_tokens_per_s']:,.0f} | {x['mean_other_cpu_cores']:.2f} |"
            )
    print()
    for precision, r in report["results"].items():
        print(
            f"{precision}: auroralm / HF = {r['ratio_auroralm_over_hf']:.2f}x "
            f"(auroralm's metrics.jsonl median: {r['auroralm']['metrics_median_tokens_per_s']:,.0f} tokens/s)"
        )
    print(f"total wall time {report['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
