"""Scaling curves: held-out bits-per-byte of every saved checkpoint against training tokens."""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from auroralm.data.pipeline import write_json_atomic
from auroralm.data.tokenizer import load_tokenizer
from auroralm.eval.bpb import bits_per_byte
from auroralm.eval.runner import heldout_texts
from auroralm.recipe import Recipe
from auroralm.train.checkpoint import META, list_checkpoints
from auroralm.train.export import load_checkpoint_model


def scaling_curves(recipe: Recipe, run_dir: Path) -> dict:
    """Evaluate every complete checkpoint of every stage; write eval/scaling.json and plots/scaling.png."""
    tok = load_tokenizer(run_dir / "tokenizer")
    texts = {lang: heldout_texts(run_dir, lang, recipe.eval.max_bytes_per_language) for lang in recipe.eval.languages}
    texts = {k: v for k, v in texts.items() if v}
    points = []
    ckpts = [(s.name, c) for s in recipe.stages for c in list_checkpoints(run_dir / "checkpoints" / s.name)]
    for stage, ckpt in tqdm(ckpts, desc="scaling", unit="checkpoint"):
        meta = json.loads((ckpt / META).read_text())
        model = load_checkpoint_model(recipe, run_dir, ckpt, tok)
        bpb = {lang: round(bits_per_byte(model, tok, t, recipe.train.seq_len)["bits_per_byte"], 4)
               for lang, t in texts.items()}
        points.append({"stage": stage, "step": meta["step"], "tokens_seen": meta["tokens_seen"], "bits_per_byte": bpb})
    result = {"points": points, "languages": sorted(texts)}
    (run_dir / "eval").mkdir(exist_ok=True)
    write_json_atomic(run_dir / "eval" / "scaling.json", result)
    if points:
        plot_scaling(result, run_dir / "plots" / "scaling.png")
    return result


def plot_scaling(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 5))
    for lang in result["languages"]:
        xs = [p["tokens_seen"] for p in result["points"] if lang in p["bits_per_byte"]]
        ys = [p["bits_per_byte"][lang] for p in result["points"] if lang in p["bits_per_byte"]]
        ax.plot(xs, ys, marker="o", label=lang)
    stage_starts = {}
    for p in result["points"]:
        stage_starts.setdefault(p["stage"], p["tokens_seen"])
    for stage, x in stage_starts.items():
        ax.axvline(x, color="grey", alpha=0.3)
        ax.annotate(stage, (x, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8, color="grey")
    ax.set_xlabel("training tokens seen")
    ax.set_ylabel("held-out bits per byte (lower is better)")
    ax.set_title("Scaling curves per language")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
