"""MODEL_CARD.md: its tables and sentences, and their Markdown layout.

The card's sections (data funnel, training procedure, evaluation, safety) are also the core of the
HTML report, so they are computed here once, as text; report.html adds plots and detail tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from auroralm.eval.forgetting import RELATIVE_NOISE, forgetting_report
from auroralm.report.build import (
    Run,
    Table,
    count,
    funnel_facts,
    model_facts,
    num,
    pct,
    rate_ci,
    recipe_facts,
    summary,
)

SAFETY_METRICS = {
    "refusal_rate": "refusal of harmful prompts (higher is better)",
    "attack_success_rate": "attack success (lower is better)",
    "over_refusal_rate": "over-refusal of benign prompts (lower is better)",
    "empty_answer_rate": "empty answers",
}


@dataclass
class Content:
    summary: list[str]  # the run's story in a few sentences
    facts: dict[str, list[tuple[str, str]]]  # "recipe", "model", "data" -> (label, value)
    tables: dict[str, Table]  # only those whose data exists
    flagged: list[str]  # metrics worse than the first evaluated stage beyond noise
    skipped: dict[str, str]  # section -> why it was not measured, where the run recorded it


def content(run: Run) -> Content:
    """The card's tables and sentences, computed from a loaded run; the HTML report shows them too."""
    flagged: list[str] = []
    tables = {
        "stages": stages_table(run),
        "dropped": dropped_table(run),
        "languages": languages_table(run),
        "mixture": mixture_table(run),
        "bpb": bpb_table(run),
        "forgetting": forgetting_table(run, flagged),
        "code": code_table(run),
        "safety": safety_table(run),
    }
    facts = {
        "recipe": recipe_facts(run),
        "model": model_facts(run),
        "data": funnel_facts(run),
    }
    reasons = [r["code_skipped"] for r in run.evals.values() if r.get("code_skipped")]
    skipped = {"code": reasons[-1]} if reasons else {}
    return Content(summary(run, flagged), facts, {k: t for k, t in tables.items() if t is not None}, flagged, skipped)


# --------------------------------------------------------------------------- data


def dropped_table(run: Run) -> Table | None:
    s = run.stats or {}
    if not s.get("dropped"):
        return None
    n_in = s.get("documents_in") or 0
    rows = [
        [reason.replace("_", " "), count(n), pct(n / n_in if n_in else None)]
        for reason, n in sorted(s["dropped"].items(), key=lambda kv: -kv[1])
    ]
    return Table(["reason dropped", "documents", "share of input"], rows)


def languages_table(run: Run) -> Table | None:
    langs = (run.stats or {}).get("by_language")
    if not langs:
        return None
    rows = [
        [lang, count(v.get("in")), count(v.get("kept")), pct(v["kept"] / v["in"] if v.get("in") else None)]
        for lang, v in langs.items()
    ]
    return Table(["language (identified)", "in", "kept", "kept share"], rows)


# --------------------------------------------------------------------------- training


def stages_table(run: Run) -> Table | None:
    if not run.stages:
        return None
    rows, before = [], 0
    for s in run.stages:
        rs, done, steps = run.recipe_stage(s), run.done.get(s, {}), run.rows(s)
        trained = steps[-1].get("tokens") if steps else None
        if trained is None and "tokens_seen" in done:
            trained = done["tokens_seen"] - before
        before = done.get("tokens_seen", before)
        lr = rs.get("lr", {})
        lr_text = (
            (
                f"{lr.get('schedule', 'cosine')} {lr['max']:g} → {lr.get('min', 0):g}, "
                f"warm-up {lr.get('warmup_steps', 0)}"
            )
            if "max" in lr
            else "—"
        )
        mix = ", ".join(f"{k} {v:g}" for k, v in rs.get("mixture", {}).items()) or "—"
        n_steps = done.get("steps", steps[-1]["step"] if steps else None)
        planned = [count(rs.get("tokens"))] if run.recipe else []
        rows.append([s, *planned, count(trained), count(n_steps)] + ([lr_text, mix] if run.recipe else []))
    if run.recipe:
        return Table(["stage", "planned tokens", "trained tokens", "steps", "learning rate", "mixture weights"], rows)
    return Table(
        ["stage", "trained tokens", "steps"],
        rows,
        note="Without the recipe, planned tokens, learning rates and mixture weights are unknown.",
    )


def mixture_table(run: Run) -> Table | None:
    stages = [s for s in run.stages if run.consumed(s)]
    if not stages:
        return None
    used = {s: run.consumed(s) for s in stages}
    weighted = any(v["weight"] is not None for s in stages for v in used[s].values())
    columns = ["target", "trained", "epochs"] if weighted else ["trained", "epochs"]
    header, groups = ["source"], [("", 1)]
    for s in stages:
        header += columns
        groups.append((s, len(columns)))
    rows = []
    for src in dict.fromkeys(src for s in stages for src in used[s]):
        row = [src]
        for s in stages:
            e = used[s].get(src)
            w_sum = sum(v["weight"] or 0 for v in used[s].values())
            t_sum = sum(v["tokens"] or 0 for v in used[s].values())
            if e is None:
                row += [""] * len(columns)
                continue
            if weighted:
                row.append(pct(e["weight"] / w_sum) if e["weight"] is not None and w_sum else "—")
            row += [
                pct(e["tokens"] / t_sum) if e["tokens"] is not None and t_sum else "—",
                "—" if e["epochs"] is None else f"{e['epochs']:.3g}",
            ]
        rows.append(row)
    return Table(
        header,
        rows,
        groups,
        note="target: the source's share of the recipe's mixture weights; trained: "
        "its share of the tokens the stage consumed (epochs × the source's tokens, from STAGE_DONE.json); "
        "epochs: passes over the source.",
    )


# --------------------------------------------------------------------------- evaluation


def bpb_table(run: Run) -> Table | None:
    stages, langs = [s for s in run.evaluated if run.evals[s].get("bits_per_byte")], run.languages
    if not stages:
        return None
    rows = []
    for s in stages:
        r = run.evals[s]
        cis = r.get("bits_per_byte_ci") or {}
        cells = []
        for lang in langs:
            v, ci = r["bits_per_byte"].get(lang), cis.get(lang)
            cells.append(num(v) + (f" ± {(ci[1] - ci[0]) / 2:.3f}" if ci and v is not None else ""))
        rows.append([s, count(r.get("tokens_seen"))] + cells)
    held = next((run.evals[s]["heldout"] for s in stages if run.evals[s].get("heldout")), {})
    sizes = "; ".join(
        f"{lang} {count(h.get('bytes'))} bytes / {count(h.get('documents'))} docs" for lang, h in held.items()
    )
    note = "Lower is better." + (
        " ± is half the 95% interval." if any(run.evals[s].get("bits_per_byte_ci") for s in stages) else ""
    )
    return Table(["stage", "tokens seen", *langs], rows, note=note + (f" Held-out text: {sizes}." if sizes else ""))


def _label(metric: str) -> str:
    if metric.startswith("bits_per_byte."):
        return f"bits per byte, {metric.split('.', 1)[1]}"
    if metric.startswith("code."):
        return " ".join(metric.split(".")[1:])
    return SAFETY_METRICS.get(metric.split(".")[-1], metric).split(" (")[0]


def _value(metric: str, v: float) -> str:
    return num(v) if metric.startswith("bits_per_byte.") else pct(v)


def _delta(metric: str, base: float, value: float) -> str:
    d = value - base
    if metric.startswith("bits_per_byte."):
        return f"{d:+.3f}" + (f" ({d / base:+.1%})" if base else "")
    return f"{100 * d:+.1f} pp"


def forgetting_table(run: Run, flagged: list[str]) -> Table | None:
    stages = run.evaluated
    if len(stages) < 2:
        return None
    try:
        report = forgetting_report({s: run.evals[s] for s in stages}, stages[0])
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
        run.notes.append(f"the forgetting check could not compare the stages' eval files ({e!r})")
        return None
    by = {(r["stage"], r["metric"]): r for r in report["rows"]}
    header, groups = ["metric", "better", stages[0]], [("", 3)]
    for s in stages[1:]:
        header += ["value", f"Δ vs {stages[0]}"]
        groups.append((f"after {s}", 2))
    rows, marks = [], {}
    for i, metric in enumerate(dict.fromkeys(r["metric"] for r in report["rows"])):
        first = next(r for r in report["rows"] if r["metric"] == metric)
        row = [_label(metric), "higher" if first["higher_is_better"] else "lower", _value(metric, first["base"])]
        for s in stages[1:]:
            r = by.get((s, metric))
            row += [_value(metric, r["value"]), _delta(metric, r["base"], r["value"])] if r else ["—", "—"]
            if r and r["worse"]:
                marks[(i, len(row) - 2)] = marks[(i, len(row) - 1)] = "worse"
                flagged.append(
                    f"{_label(metric)} after {s}: {_value(metric, r['base'])} → {_value(metric, r['value'])}"
                )
        rows.append(row)
    note = (
        f"Flagged (red): worse than '{stages[0]}' beyond noise, i.e. the 95% intervals do not overlap, or, "
        f"where no interval was measured, a relative change over {RELATIVE_NOISE:.0%}."
    )
    return Table(header, rows, groups, marks, note=note)


def code_table(run: Run) -> Table | None:
    stages = [s for s in run.evaluated if run.evals[s].get("code")]
    if not stages:
        return None
    results = {s: {b: r for b, r in run.evals[s]["code"].items() if isinstance(r, dict)} for s in stages}
    cols = list(
        dict.fromkeys((b, k) for s in stages for b, r in results[s].items() for k in r if re.fullmatch(r"pass@\d+", k))
    )
    rows = [
        [s, count(run.evals[s].get("tokens_seen"))]
        + [rate_ci(results[s].get(b, {}).get(k), results[s].get(b, {}).get(f"{k}_ci")) for b, k in cols]
        for s in stages
    ]
    problems = {b: r["problems"] for s in stages for b, r in results[s].items() if "problems" in r}
    has_ci = any(f"{k}_ci" in results[s].get(b, {}) for s in stages for b, k in cols)
    note = "Share of problems solved" + ("; [95% interval]" if has_ci else "") + ". "
    note += "; ".join(f"{b}: {n} problems" for b, n in problems.items())
    return Table(["stage", "tokens seen"] + [f"{b} {k}" for b, k in cols], rows, note=note)


def safety_table(run: Run) -> Table | None:
    stages = run.safety_stages()
    if not stages:
        return None
    sf = {s: run.evals[s]["safety"] for s in stages}
    rows = [
        [label] + [rate_ci(sf[s].get(key), sf[s].get(f"{key}_ci")) for s in stages]
        for key, label in SAFETY_METRICS.items()
        if any(key in sf[s] for s in stages)
    ]
    rows.append(
        ["prompts (harmful / benign)"]
        + [f"{count(sf[s].get('n_harmful'))} / {count(sf[s].get('n_benign'))}" for s in stages]
    )
    judge = next((sf[s]["judge"] for s in stages if sf[s].get("judge")), "")
    return Table(["metric", *stages], rows, note="[95% interval]." + (f" Judge: {judge}." if judge else ""))


# --------------------------------------------------------------------------- Markdown


def render(run: Run, c: Content) -> str:
    """MODEL_CARD.md in the Hugging Face model-card layout, YAML front matter first."""
    name = (run.recipe or {}).get("name") or run.dir.name
    t = c.tables
    return f"""{_front_matter(run)}
# {name} ({run.final or "unfinished"})

Trained with auroralm, recipe `{name}`. {(run.recipe or {}).get("description", "")}

{_bullets(c.summary)}
## Model description

{_facts(c.facts["model"] + c.facts["recipe"])}
## Training data

{_facts(c.facts["data"])}
{_md(t.get("dropped"))}
{_md(t.get("languages"))}
## Training procedure

{_md(t.get("stages"))}
{"Mixture each stage actually consumed:" if "mixture" in t else ""}

{_md(t.get("mixture"))}
## Evaluation results

### Held-out bits per byte

{_md(t.get("bpb"))}
### Forgetting

{_md(t.get("forgetting"))}
### Code

{_md(t.get("code"), c.skipped.get("code"))}
## Safety

{_md(t.get("safety"))}
Refusal per harm category × language, over-refusal per language and sample answers: see report.html.

## Limitations

{_bullets(limitations(run, c))}
## How to use

{_usage(run)}"""


def _bullets(lines: list[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


def _front_matter(run: Run) -> str:
    langs = [
        lang
        for lang in dict.fromkeys([*run.languages, *(run.stats or {}).get("by_language", {})])
        if re.fullmatch(r"[a-z]{2,3}", lang)
    ]
    arch = (run.recipe or {}).get("model", {}).get("architecture")
    meta = {
        "language": langs,
        "license": "other",
        "library_name": "transformers",
        "pipeline_tag": "text-generation",
        "tags": ["auroralm", "continual-pretraining", "multilingual", "code", "safety"] + ([arch] if arch else []),
    }
    if pretrained := (run.recipe or {}).get("model", {}).get("pretrained"):
        meta["base_model"] = pretrained
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    text = text.replace(
        "license: other\n", "license: other  # placeholder: set the model's licence before publishing\n"
    )
    return f"---\n{text}---\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md(table: Table | None, why: str | None = None) -> str:
    if table is None:
        return f"Not measured{f' ({why})' if why else ''}.\n"
    header = list(table.header)
    if table.groups:  # fold spanning labels into the column names: Markdown has one header row
        labels = [g for g, span in table.groups for _ in range(span)]
        header = [f"{g} {h}".strip() if g else h for g, h in zip(labels, header, strict=True)]
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    for i, row in enumerate(table.rows):
        cells = [
            f"**{_cell(v)} (worse)**" if table.marks.get((i, j)) == "worse" else _cell(v) for j, v in enumerate(row)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + (f"\n\n{table.note}\n" if table.note else "\n")


def _facts(facts: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{k}**: {v}" for k, v in facts) + "\n" if facts else "Not recorded.\n"


def _usage(run: Run) -> str:
    path = f"hf/{run.final}" if run.final else "hf/<stage>"
    return (
        "```python\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
        f'tok = AutoTokenizer.from_pretrained("{path}")\nmodel = AutoModelForCausalLM.from_pretrained("{path}")\n```\n'
    )


def limitations(run: Run, c: Content) -> list[str]:
    """What a reader must know before trusting these numbers, derived from the run where possible."""
    out = [f"Worse than the first stage beyond noise: {item}." for item in c.flagged]
    params = next((v for k, v in c.facts["model"] if k == "parameters"), None)
    if params and int(params.replace(",", "")) < 100_000_000:
        out.append(f"This is a small model ({params} parameters), suited to testing the recipe, not to real use.")
    held = next((r["heldout"] for r in run.evals.values() if r.get("heldout")), {})
    if held and (largest := max(h.get("bytes", 0) for h in held.values())) < 1_000_000:
        out.append(
            f"Bits per byte were measured on small held-out samples (at most {largest:,} bytes per language): "
            "differences of a few percent can be noise."
        )
    if run.languages:
        out.append(f"Ability was measured only for: {', '.join(run.languages)}; other languages are unmeasured.")
    for bench, r in next((run.evals[s].get("code", {}) for s in reversed(run.evaluated)), {}).items():
        if isinstance(r, dict) and r.get("problems"):
            out.append(f"Code ability is pass@1 on {r['problems']} {bench} problems only.")
    if sf := next((run.evals[s]["safety"] for s in reversed(run.evaluated) if run.evals[s].get("safety")), None):
        out.append(
            f"Safety is judged automatically ({sf.get('judge', 'judge not recorded')}). A refusal phrase is not "
            "proof of safe behaviour, and an answer that merely fails to refuse counts as an attack success"
            + (f" (empty answers: {pct(sf['empty_answer_rate'])})." if "empty_answer_rate" in sf else ".")
        )
    else:
        out.append("Safety was not measured.")
    out.append("The model can produce wrong, biased or harmful text in any language; evaluate it for your own use.")
    return out
