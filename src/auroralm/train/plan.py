"""``plan``: what each stage will read from each source, how often, and how long it will take."""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from auroralm.recipe import Recipe
from auroralm.train.trainer import steps_for

REPEAT_WARNING_EPOCHS = 4.0  # past this, repeated data stops helping (Muennighoff et al., 2023)


def source_tokens(run_dir: Path, recipe: Recipe) -> dict[str, int] | None:
    """Tokens per source from prepared data, or None before ``prepare``. An unpacked source
    (``train.pack_instructions: false``) costs one padded window per document."""
    data = run_dir / "data"
    if not (data / "stats.json").exists():
        return None
    out = {}
    for s in recipe.sources:
        index = json.loads((data / s.name / "index.json").read_text())
        unpacked = not recipe.train.pack_instructions and s.kind in ("instructions", "safety")
        out[s.name] = index["documents"] * recipe.train.seq_len if unpacked else index["tokens"]
    return out


def measured_throughput(run_dir: Path) -> float | None:
    """Median tokens/s of the steps already logged in this run directory."""
    path = run_dir / "metrics.jsonl"
    if not path.exists():
        return None
    rates = sorted(json.loads(line)["tokens_per_s"] for line in open(path) if line.strip())
    return rates[len(rates) // 2] if rates else None


def benchmark_throughput(recipe: Recipe, vocab_size: int, steps: int = 3) -> float | None:
    """Tokens/s of a few forward/backward passes of the recipe's model on random tokens (CPU)."""
    if recipe.model.pretrained:
        return None  # loading a large pretrained model just to time it is not worth it here
    from auroralm.train.model import build_model

    model = build_model(recipe.model, vocab_size, 0, recipe.train.seed)
    t = recipe.train
    x = torch.randint(0, vocab_size, (t.micro_batch, t.seq_len + 1))
    model(input_ids=x[:, :-1]).logits.sum().backward()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        model(input_ids=x[:, :-1]).logits.sum().backward()
    return steps * t.micro_batch * t.seq_len / (time.perf_counter() - start)


def make_plan(recipe: Recipe, run_dir: Path) -> dict:
    tokens = source_tokens(run_dir, recipe)
    rate = measured_throughput(run_dir)
    rate_source = "measured in this run"
    if rate is None:
        rate = benchmark_throughput(recipe, recipe.tokenizer.vocab_size)
        rate_source = "benchmarked on this machine"
    stages, warnings = [], []
    for st in recipe.stages:
        steps = steps_for(recipe, st)
        total = steps * recipe.train.global_batch * recipe.train.seq_len
        wsum = sum(st.mixture.values())
        rows = {}
        for name, w in st.mixture.items():
            share = total * w / wsum
            epochs = share / tokens[name] if tokens and tokens[name] else None
            rows[name] = {"weight": w / wsum, "tokens": int(share), "epochs": epochs}
            if epochs and epochs > REPEAT_WARNING_EPOCHS:
                warnings.append(f"stage {st.name}: source '{name}' is repeated {epochs:.1f} times "
                                f"(more than {REPEAT_WARNING_EPOCHS:g} epochs adds little)")
        stages.append({"stage": st.name, "steps": steps, "tokens": total, "sources": rows,
                       "est_seconds": total / rate if rate else None})
    return {"stages": stages, "tokens_per_s": rate, "throughput_from": rate_source if rate else None,
            "warnings": warnings}


def format_plan(plan: dict) -> str:
    out = []
    for st in plan["stages"]:
        est = f"{st['est_seconds'] / 60:.1f} min" if st["est_seconds"] is not None else "unknown"
        out.append(f"stage {st['stage']}: {st['steps']:,} steps, {st['tokens']:,} tokens, est. {est}")
        out.append(f"  {'source':<14}{'weight':>8}{'tokens':>18}{'epochs':>9}")
        for name, row in st["sources"].items():
            ep = f"{row['epochs']:.2f}" if row["epochs"] is not None else "?"
            out.append(f"  {name:<14}{row['weight']:>8.3f}{row['tokens']:>18,}{ep:>9}")
    if plan["tokens_per_s"]:
        out.append(f"throughput: {plan['tokens_per_s']:,.0f} tokens/s ({plan['throughput_from']})")
    else:
        out.append("throughput: unknown (no steps logged yet and the model is too large to time here)")
    if any(r["epochs"] is None for st in plan["stages"] for r in st["sources"].values()):
        out.append("epochs: unknown until `auroralm prepare` has run")
    out += [f"warning: {w}" for w in plan["warnings"]]
    return "\n".join(out)
