"""The report's figures, drawn with matplotlib's object API (Agg canvas, no pyplot global state).

Each function returns a Figure, or None when the run holds no data for it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from auroralm.report.build import Run

DPI = 100
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
]


def figures(run: Run) -> dict[str, Figure]:
    """Every figure the run has data for, by file name (without .png)."""
    makers: dict[str, Callable[[Run], Figure | None]] = {
        "funnel": funnel,
        "mixture": mixture,
        "loss": loss,
        "loss_by_source": loss_by_source,
        "bpb": bpb,
        "bpb_vs_tokens": bpb_vs_tokens,
        "safety": safety,
    }
    return {name: fig for name, make in makers.items() if (fig := make(run)) is not None}


def save(fig: Figure, path: Path) -> bytes:
    """Write ``fig`` as a PNG to ``path`` and return the PNG's bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def _color(names: list[str], name: str) -> str:
    return PALETTE[names.index(name) % len(PALETTE)] if name in names else "#333333"


def _mark_stages(ax, run: Run) -> None:
    """A dotted line and the stage's name where each stage starts on a tokens-seen axis (titles need pad=16)."""
    for stage in run.stages:
        rows = run.rows(stage)
        if rows and "tokens_seen" in rows[0]:
            start = rows[0]["tokens_seen"] - rows[0].get("tokens", 0)
            ax.axvline(start, color="#888888", linestyle=":", linewidth=1)
            ax.text(
                start, 1.0, f" {stage}", transform=ax.get_xaxis_transform(), va="bottom", fontsize=9, color="#555555"
            )  # above the frame, where no data can hide it


def funnel(run: Run) -> Figure | None:
    s = run.stats or {}
    dropped, langs = s.get("dropped", {}), s.get("by_language", {})
    if not dropped and not langs:
        return None
    fig = Figure(figsize=(11, 4), layout="constrained")
    axes = fig.subplots(1, 2) if dropped and langs else [fig.subplots()]
    if dropped:
        ax = axes[0]
        items = sorted(dropped.items(), key=lambda kv: kv[1])
        ax.barh([k.replace("_", " ") for k, _ in items], [v for _, v in items], color="#d62728")
        for i, (_, v) in enumerate(items):
            ax.text(v, i, f" {v:,}", va="center", fontsize=9)
        ax.set_xlabel("documents dropped")
        ax.set_title(f"Why documents were dropped ({sum(dropped.values()):,} of {s.get('documents_in', 0):,})")
        ax.margins(x=0.15)
    if langs:
        ax = axes[-1]
        names = list(langs)
        ax.barh(names, [langs[n].get("in", 0) for n in names], 0.75, label="in", color="#cccccc")
        ax.barh(names, [langs[n].get("kept", 0) for n in names], 0.4, label="kept", color="#2ca02c")
        ax.invert_yaxis()
        ax.set_xlabel("documents")
        ax.set_title("Documents per identified language: in (grey) vs kept (green)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def mixture(run: Run) -> Figure | None:
    stages = [s for s in run.stages if any(v["tokens"] for v in run.consumed(s).values())]
    if not stages:
        return None
    sources = list(dict.fromkeys(src for s in stages for src in run.consumed(s)))
    fig = Figure(figsize=(10, 1.2 + 0.6 * len(stages)), layout="constrained")
    ax = fig.subplots()
    left = [0.0] * len(stages)
    for src in sources:
        widths = [run.consumed(s).get(src, {}).get("tokens") or 0 for s in stages]
        ax.barh(stages, widths, left=left, label=src, color=_color(sources, src))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, total in enumerate(left):
        ax.text(total, y, f" ≈{total:,.0f}", va="center", fontsize=9)
    ax.set_xlim(0, max(left) * 1.12)
    ax.invert_yaxis()
    ax.set_xlabel("tokens trained on")
    ax.set_title("Tokens each stage consumed, by source (epochs × source size)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title="source")
    return fig


def loss(run: Run) -> Figure | None:
    rows = [r for r in run.metrics if r.get("loss") is not None and "tokens_seen" in r]
    if not rows:
        return None
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax, ax_lr = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    for stage in run.stages:
        pts = [r for r in rows if r["stage"] == stage]
        if pts:
            color = _color(run.stages, stage)
            ax.plot([r["tokens_seen"] for r in pts], [r["loss"] for r in pts], marker=".", color=color, label=stage)
            lr = [r for r in pts if r.get("lr") is not None]
            ax_lr.plot([r["tokens_seen"] for r in lr], [r["lr"] for r in lr], color=color)
    _mark_stages(ax, run)
    ax.set_ylabel("training loss (nats/token)")
    ax.set_title("Training loss per stage", pad=16)
    ax.legend(title="stage", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax_lr.set_ylabel("learning rate")
    ax_lr.set_xlabel("tokens seen (all stages)")
    return fig


def loss_by_source(run: Run) -> Figure | None:
    rows = [r for r in run.metrics if r.get("loss_by_source") and "tokens_seen" in r]
    if not rows:
        return None
    sources = list(dict.fromkeys(src for r in rows for src in r["loss_by_source"]))
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax = fig.subplots()
    for src in sources:
        pts = [(r["tokens_seen"], r["loss_by_source"][src]) for r in rows if src in r["loss_by_source"]]
        ax.plot(*zip(*pts, strict=True), marker=".", linewidth=1, color=_color(sources, src), label=src)
    _mark_stages(ax, run)
    ax.set_xlabel("tokens seen (all stages)")
    ax.set_ylabel("training loss (nats/token)")
    ax.set_title("Training loss per source (on the batches that contained it)", pad=16)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title="source")
    return fig


def bpb(run: Run) -> Figure | None:
    stages = [s for s in run.evaluated if run.evals[s].get("bits_per_byte")]
    langs = run.languages
    if not stages or not langs:
        return None
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / len(stages)
    for i, stage in enumerate(stages):
        r = run.evals[stage]
        xs = [j + (i - (len(stages) - 1) / 2) * width for j in range(len(langs))]
        ys = [r["bits_per_byte"].get(lang, math.nan) for lang in langs]
        cis = r.get("bits_per_byte_ci") or {}
        err = None
        if cis:
            err = [
                [max(0.0, y - cis[lang][0]) if lang in cis else 0 for lang, y in zip(langs, ys, strict=True)],
                [max(0.0, cis[lang][1] - y) if lang in cis else 0 for lang, y in zip(langs, ys, strict=True)],
            ]
        ax.bar(
            xs,
            ys,
            width,
            yerr=err,
            capsize=2,
            color=_color(run.stages, stage),
            label=f"after {stage} ({r.get('tokens_seen', 0):,} tokens)",
        )
    ax.set_xticks(range(len(langs)), langs)
    ax.set_xlabel("held-out language")
    ax.set_ylabel("bits per byte (lower is better)")
    ax.set_title("Held-out bits per byte per language, after each stage")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def bpb_vs_tokens(run: Run) -> Figure | None:
    """Scaling curves: held-out bits per byte logged during training, else of saved checkpoints."""
    points = [(r["tokens_seen"], r["heldout_bpb"]) for r in run.metrics if r.get("heldout_bpb") and "tokens_seen" in r]
    source = "logged during training (train.eval_every)"
    if not points and run.scaling:
        points = [(p["tokens_seen"], p["bits_per_byte"]) for p in run.scaling.get("points", [])]
        source = "of saved checkpoints (eval/scaling.json)"
    if not points:
        return None
    langs = list(dict.fromkeys([*run.languages, *(lang for _, v in points for lang in v)]))
    langs = [lang for lang in langs if any(lang in v for _, v in points)]
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax = fig.subplots()
    for lang in langs:
        pts = sorted((x, v[lang]) for x, v in points if lang in v)
        ax.plot(*zip(*pts, strict=True), marker="o", markersize=3, color=_color(langs, lang), label=lang)
    _mark_stages(ax, run)
    ax.set_xlabel("tokens seen (all stages)")
    ax.set_ylabel("bits per byte (lower is better)")
    ax.set_title(f"Held-out bits per byte vs training tokens, {source}", pad=16)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title="language")
    return fig


def safety(run: Run) -> Figure | None:
    stages = [s for s in run.evaluated if run.evals[s].get("safety")]
    metrics = {
        "refusal_rate": "refusal of harmful\n(higher is better)",
        "attack_success_rate": "attack success\n(lower is better)",
        "over_refusal_rate": "over-refusal of benign\n(lower is better)",
    }
    metrics = {k: v for k, v in metrics.items() if any(k in run.evals[s]["safety"] for s in stages)}
    if not metrics:
        return None
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / len(stages)
    for i, stage in enumerate(stages):
        sf = run.evals[stage]["safety"]
        xs = [j + (i - (len(stages) - 1) / 2) * width for j in range(len(metrics))]
        ys = [100 * sf.get(k, math.nan) for k in metrics]
        err = [
            [max(0.0, y - 100 * sf[f"{k}_ci"][0]) if f"{k}_ci" in sf else 0 for k, y in zip(metrics, ys, strict=True)],
            [max(0.0, 100 * sf[f"{k}_ci"][1] - y) if f"{k}_ci" in sf else 0 for k, y in zip(metrics, ys, strict=True)],
        ]
        bars = ax.bar(xs, ys, width, yerr=err, capsize=3, color=_color(run.stages, stage), label=f"after {stage}")
        ax.bar_label(bars, fmt="%.0f%%", fontsize=8, padding=2)
    ax.set_xticks(range(len(metrics)), list(metrics.values()))
    ax.set_ylim(0, 112)
    ax.set_ylabel("% of prompts (95% interval)")
    ax.set_title("Red-team safety after each stage")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
