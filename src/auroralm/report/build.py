"""Read a run directory and turn it into the report's content, then write report.html and MODEL_CARD.md.

Everything a run wrote is optional here: a section whose data is missing says "not measured" instead
of failing, so a report can be built for a half-finished or older run.
"""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auroralm.errors import AuroraError


@dataclass
class Run:
    """What one run directory holds, with stages in training order."""

    dir: Path
    recipe: dict | None
    stats: dict | None
    metrics: list[dict]
    evals: dict[str, dict]  # stage -> eval/<stage>.json
    done: dict[str, dict]  # stage -> hf/<stage>/STAGE_DONE.json
    scaling: dict | None  # eval/scaling.json (checkpoint evaluations), when measured
    environment: dict | None  # environment.json, where the run recorded its software and hardware
    stages: list[str]
    notes: list[str] = field(default_factory=list)  # problems met while reading, shown at the top

    def rows(self, stage: str) -> list[dict]:
        return [r for r in self.metrics if r["stage"] == stage]

    def recipe_stage(self, stage: str) -> dict:
        return next((s for s in (self.recipe or {}).get("stages", []) if s.get("name") == stage), {})

    @property
    def evaluated(self) -> list[str]:
        return [s for s in self.stages if s in self.evals]

    @property
    def final(self) -> str | None:
        """The last stage that finished training (or was evaluated)."""
        finished = [s for s in self.stages if s in self.done or s in self.evals]
        return finished[-1] if finished else None

    @property
    def languages(self) -> list[str]:
        """Languages with held-out bits per byte, in the recipe's order when it has one."""
        seen: list[str] = list((self.recipe or {}).get("eval", {}).get("languages", []))
        for r in self.evals.values():
            seen += list(r.get("bits_per_byte", {}))
        langs = [
            lang for lang in dict.fromkeys(seen) if any(lang in r.get("bits_per_byte", {}) for r in self.evals.values())
        ]
        return langs

    def safety_stages(self, key: str | None = None) -> list[str]:
        """Evaluated stages with a safety section (that holds ``key``, when given)."""
        return [s for s in self.evaluated if (sf := self.evals[s].get("safety")) and (key is None or sf.get(key))]

    def consumed(self, stage: str) -> dict[str, dict[str, float | None]]:
        """Source -> recipe weight, tokens trained on (epochs x the source's tokens) and epochs."""
        weights = self.recipe_stage(stage).get("mixture", {})
        epochs = self.done.get(stage, {}).get("epochs_per_source", {})
        sizes = (self.stats or {}).get("sources", {})
        out = {}
        for src in dict.fromkeys([*weights, *epochs]):
            ep = epochs.get(src)
            size = sizes.get(src, {}).get("tokens")
            out[src] = {
                "weight": weights.get(src),
                "epochs": ep,
                "tokens": ep * size if ep is not None and size is not None else None,
            }
        return out


@dataclass
class Table:
    """A table the HTML and Markdown renderers both draw; cells are already formatted text."""

    header: list[str]
    rows: list[list[str]]
    groups: list[tuple[str, int]] = field(default_factory=list)  # spanning labels above the header
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "worse"
    shade: dict[tuple[int, int], float] = field(default_factory=dict)  # (row, col) -> 0 bad .. 1 good
    note: str = ""


# --------------------------------------------------------------------------- reading


def load_run(run_dir: Path, recipe: Any = None) -> Run:
    """Read everything the report uses from ``run_dir``; missing parts stay empty."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise AuroraError(f"run directory not found: {run_dir} (give the --out directory of `auroralm run`)")
    notes: list[str] = []
    recipe_dict = _recipe_dict(recipe, run_dir, notes)
    stats = _read_json(run_dir / "data" / "stats.json", notes)
    metrics = _read_metrics(run_dir / "metrics.jsonl", notes)
    evals = {}
    for path in sorted((run_dir / "eval").glob("*.json")):
        r = _read_json(path, notes)
        if isinstance(r, dict) and "bits_per_byte" in r:  # skip forgetting.json, scaling.json, ...
            evals[r.get("stage", path.stem)] = r
    done = {
        p.parent.name: d
        for p in sorted((run_dir / "hf").glob("*/STAGE_DONE.json"))
        if (d := _read_json(p, notes)) is not None
    }
    if not (stats or metrics or evals or done):
        raise AuroraError(
            f"{run_dir} holds no run results (data/stats.json, metrics.jsonl, eval/, hf/): "
            "run `auroralm run RECIPE --out DIR` first"
        )
    if stats and stats.get("documents_in") != stats.get("documents_kept", 0) + sum(stats.get("dropped", {}).values()):
        notes.append("data/stats.json does not account for every input document (in != kept + dropped)")
    order = [s.get("name") for s in (recipe_dict or {}).get("stages", [])]
    names = list(dict.fromkeys([*order, *evals, *done, *(r["stage"] for r in metrics)]))
    reached = {s: _tokens_reached(s, evals, done, metrics) for s in names}
    stages = sorted(names, key=lambda s: (reached[s], order.index(s) if s in order else -1))
    scaling = _read_json(run_dir / "eval" / "scaling.json", notes)
    env = _read_json(run_dir / "environment.json", notes)
    return Run(run_dir, recipe_dict, stats, metrics, evals, done, scaling, env, stages, notes)


def _tokens_reached(stage: str, evals: dict, done: dict, metrics: list[dict]) -> float:
    for source in (evals.get(stage), done.get(stage)):
        if source and "tokens_seen" in source:
            return source["tokens_seen"]
    seen = [r.get("tokens_seen", 0) for r in metrics if r["stage"] == stage]
    return max(seen) if seen else math.inf  # not trained yet: after everything, in recipe order


def _recipe_dict(recipe: Any, run_dir: Path, notes: list[str]) -> dict | None:
    if recipe is None:
        path = run_dir / "recipe.yaml"
        if not path.is_file():
            return None
        try:  # read raw, not validated: a report must still read runs of older recipe versions
            recipe = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            notes.append(f"{path} is not valid YAML; the report goes on without the recipe")
            return None
    if isinstance(recipe, str | Path):
        from auroralm.recipe import load_recipe

        recipe = load_recipe(str(recipe))
    if dataclasses.is_dataclass(recipe) and not isinstance(recipe, type):
        recipe = dataclasses.asdict(recipe)
    return recipe if isinstance(recipe, dict) else None


def _read_json(path: Path, notes: list[str]) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        notes.append(f"{path.name} is not valid JSON and was skipped")
        return None


def _read_metrics(path: Path, notes: list[str]) -> list[dict]:
    """Rows with a stage and a step; a step logged again after a resume keeps its last record."""
    if not path.is_file():
        return []
    rows: dict[tuple[str, int], dict] = {}
    bad = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            bad += line.strip() != ""  # a line cut short when a job was killed
            continue
        if isinstance(r, dict) and "stage" in r and "step" in r:
            rows[(r["stage"], r["step"])] = r
    if bad:
        notes.append(f"metrics.jsonl: {bad} unreadable line(s) skipped")
    return sorted(rows.values(), key=lambda r: (r.get("tokens_seen", 0), r["step"]))


# --------------------------------------------------------------------------- formatting


def num(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def count(x: float | None) -> str:
    return "—" if x is None else f"{round(x):,}"


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"


def rate_ci(value: float | None, ci: list[float] | None) -> str:
    if value is None:
        return "—"
    return f"{pct(value)} [{100 * ci[0]:.1f}–{100 * ci[1]:.1f}]" if ci else pct(value)


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------- facts


def recipe_facts(run: Run) -> list[tuple[str, str]]:
    r = run.recipe
    if not r:
        return []
    t, tok = r.get("train", {}), r.get("tokenizer", {})
    out = [
        ("recipe", str(r.get("name", "?"))),
        ("description", r.get("description") or "—"),
        ("sources", ", ".join(str(s.get("name")) for s in r.get("sources", []))),
        ("tokenizer", tok.get("path") or f"trained on the run's data, vocabulary {count(tok.get('vocab_size'))}"),
    ]
    if "seq_len" in t:
        out.append(
            (
                "batch",
                f"{t.get('global_batch', '?')} sequences × {t['seq_len']} tokens "
                f"(micro-batch {t.get('micro_batch', '?')})",
            )
        )
    if "precision" in t:
        out.append(("precision / parallelism", f"{t['precision']} / {t.get('parallelism', '?')}"))
    return out


def model_facts(run: Run) -> list[tuple[str, str]]:
    m = (run.recipe or {}).get("model", {})
    out = [("starting point", m["pretrained"] if m.get("pretrained") else "initialized from scratch")] if m else []
    export = run.dir / "hf" / (run.final or "")
    if (export / "config.json").is_file():
        cfg = json.loads((export / "config.json").read_text(encoding="utf-8"))
        layers = cfg.get("n_layer", cfg.get("num_hidden_layers", "?"))
        hidden = cfg.get("n_embd", cfg.get("hidden_size", "?"))
        heads = cfg.get("n_head", cfg.get("num_attention_heads", "?"))
        out += [
            ("architecture", str(cfg.get("model_type", "?"))),
            ("layers × hidden × heads", f"{layers} × {hidden} × {heads}"),
            ("vocabulary", count(cfg.get("vocab_size"))),
            ("context length", count(cfg.get("n_positions", cfg.get("max_position_embeddings")))),
        ]
    if params := parameter_count(export):
        out.append(("parameters", f"{params:,}"))
    if run.final and export.is_dir():
        out.append(("weights", f"hf/{run.final}/ (transformers format)"))
    return out


def parameter_count(export) -> int:
    """Parameters in an export's safetensors files, read from their headers (no weights loaded)."""
    total = 0
    for path in sorted(export.glob("*.safetensors")) if export.is_dir() else []:
        with path.open("rb") as f:
            header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        for name, entry in header.items():
            if name != "__metadata__":
                n = 1
                for dim in entry["shape"]:
                    n *= dim
                total += n
    return total


def funnel_facts(run: Run) -> list[tuple[str, str]]:
    s = run.stats
    if not s or "documents_in" not in s:
        return []
    n_in, kept = s["documents_in"], s.get("documents_kept", 0)
    out = [("documents in", count(n_in)), ("kept", f"{count(kept)} ({pct(kept / n_in if n_in else None)})")]
    if "held_out" in s:
        out.append(("held out for evaluation (of the kept)", count(s["held_out"])))
    out.append(("dropped", count(sum(s.get("dropped", {}).values()))))
    return out


# --------------------------------------------------------------------------- story


def summary(run: Run, flagged: list[str]) -> list[str]:
    """The run in a few sentences: data, training, ability, forgetting, code, safety."""
    out = []
    s = run.stats or {}
    if "documents_in" in s:
        top = ", ".join(
            f"{k.replace('_', ' ')} ({v})" for k, v in sorted(s.get("dropped", {}).items(), key=lambda kv: -kv[1])[:3]
        )
        out.append(
            f"Data: {count(s['documents_in'])} documents in, {count(s.get('documents_kept'))} kept"
            + (f", {count(s['held_out'])} of them held out for evaluation" if "held_out" in s else "")
            + (f"; most dropped for {top}." if top else ".")
        )
    trained = [st for st in run.stages if run.rows(st) or st in run.done]
    if trained:
        steps = sum(run.done.get(st, {}).get("steps") or len(run.rows(st)) for st in trained)
        tokens = max(
            [d.get("tokens_seen", 0) for d in run.done.values()] + [r.get("tokens_seen", 0) for r in run.metrics]
        )
        tps = median([r.get("tokens_per_s") for r in run.metrics])
        mfu = median([r.get("mfu") for r in run.metrics])
        out.append(
            f"Training: {_plural(len(trained), 'stage')} ({' → '.join(trained)}), {steps:,} optimizer steps, "
            f"{tokens:,} tokens"
            + (f"; median {tps:,.0f} tokens/s" if tps else "")
            + (f", MFU {pct(mfu)}." if mfu is not None else ".")
        )
    ev = run.evaluated
    if len(ev) >= 2:
        first, last = run.evals[ev[0]], run.evals[ev[-1]]
        moves = [
            f"{lang} {num(first['bits_per_byte'][lang])} → {num(last['bits_per_byte'][lang])}"
            for lang in run.languages
            if lang in first.get("bits_per_byte", {}) and lang in last.get("bits_per_byte", {})
        ]
        if moves:
            out.append(f"Held-out bits per byte, '{ev[0]}' → '{ev[-1]}' (lower is better): {'; '.join(moves)}.")
        out.append(
            f"Forgetting: {_plural(len(flagged), 'metric')} worse than '{ev[0]}' beyond noise: {'; '.join(flagged)}."
            if flagged
            else f"Forgetting: no metric got worse than '{ev[0]}' beyond noise."
        )
        for bench, r in last.get("code", {}).items():
            if isinstance(r, dict) and "pass@1" in r and "pass@1" in first.get("code", {}).get(bench, {}):
                out.append(f"Code: {bench} pass@1 {pct(first['code'][bench]['pass@1'])} → {pct(r['pass@1'])}.")
    elif ev:
        out.append(f"Only one stage ('{ev[0]}') was evaluated, so nothing can be compared yet.")
    if (sf := run.safety_stages()) and "refusal_rate" in (last_sf := run.evals[sf[-1]]["safety"]):
        out.append(
            f"Safety after '{sf[-1]}': refuses {pct(last_sf['refusal_rate'])} of harmful prompts "
            f"(attack success {pct(last_sf.get('attack_success_rate'))}) and "
            f"{pct(last_sf.get('over_refusal_rate'))} of benign ones."
        )
    return out or ["Not measured: the run directory holds no results yet."]


# --------------------------------------------------------------------------- Markdown


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- writing


def write_report(run_dir: Path, recipe: Any = None) -> tuple[Path, Path]:
    """Write ``report.html``, ``MODEL_CARD.md`` and ``plots/*.png`` into ``run_dir``; return the first two.

    ``recipe`` (a Recipe, a dict, or a recipe name or path) is optional: without it ``run_dir/recipe.yaml``
    is read when present, else the report is built from the run's outputs alone.
    """
    from auroralm.report import card, html, plots  # they import this module's Run, Table and formatters

    run = load_run(run_dir, recipe)
    content = card.content(run)
    figures = {name: plots.save(fig, run.dir / "plots" / f"{name}.png") for name, fig in plots.figures(run).items()}
    html_path, card_path = run.dir / "report.html", run.dir / "MODEL_CARD.md"
    html_path.write_text(html.render(run, content, figures), encoding="utf-8")
    card_path.write_text(card.render(run, content), encoding="utf-8")
    return html_path, card_path
