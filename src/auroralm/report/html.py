"""report.html: one self-contained page (inline CSS, PNGs as data URIs, no JavaScript), and its screenshot."""

from __future__ import annotations

import base64
import datetime
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from auroralm.errors import AuroraError
from auroralm.report.build import Run, Table, count, median, num, pct

if TYPE_CHECKING:
    from auroralm.report.card import Content

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;
  max-width:1120px;margin:0 auto;padding:24px 28px 64px;background:#fff}
h1{font-size:26px;margin:0 0 2px}h2{font-size:21px;border-bottom:2px solid #e3e6ea;padding-bottom:4px;margin:40px 0 10px}
h3{font-size:16px;margin:22px 0 6px}.meta{color:#5f6368;margin:0 0 14px}
nav{background:#f5f7fa;border:1px solid #e3e6ea;border-radius:6px;padding:8px 12px;font-size:14px}
nav a{margin-right:14px;color:#1a5fb4;text-decoration:none;white-space:nowrap}
ul.story li{margin:3px 0}.lead{color:#333;margin:4px 0 10px}
table{border-collapse:collapse;margin:8px 0;font-size:13.5px}
th,td{padding:4px 9px;border-bottom:1px solid #e6e8eb;vertical-align:top}
th{background:#f3f5f8;text-align:left;font-weight:600}th.num{text-align:right}th.group{text-align:center;border-left:2px solid #d5d9de}th.group:first-child{border-left:none}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.gstart{border-left:2px solid #d5d9de}
td.worse{background:#fde2e1;color:#a40000;font-weight:700}
.scroll{overflow-x:auto}.note{color:#5f6368;font-size:13px;margin:2px 0 12px}
.missing{color:#80868b;font-style:italic}.warn{background:#fff4d6;border:1px solid #e7c66b;padding:8px 12px;border-radius:6px}
img{max-width:100%;height:auto;display:block;margin:10px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:8px 0}dl.facts dt{color:#5f6368}
dl.facts dd{margin:0}.row{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-start}
details{margin:10px 0}summary{cursor:pointer;color:#1a5fb4}td.text{max-width:460px;white-space:pre-wrap;word-break:break-word}
"""
SECTIONS = {
    "summary": "Summary",
    "recipe": "Recipe",
    "data": "Data funnel",
    "mixture": "Mixture",
    "training": "Training",
    "bpb": "Bits per byte",
    "forgetting": "Forgetting",
    "code": "Code",
    "safety": "Safety",
    "scaling": "Scaling curves",
    "environment": "Environment",
}
_NUMERIC = re.compile(r"^[-+−]?[\d.,]+")


def render(run: Run, c: Content, figures: dict[str, bytes]) -> str:
    """The whole page as a string."""
    t = c.tables
    body = {
        "summary": _list(c.summary),
        "recipe": (
            ""
            if run.recipe
            else '<p class="missing">No recipe was given and the run directory has no '
            "recipe.yaml: the report shows what the run wrote.</p>"
        )
        + _facts(c.facts["recipe"] + c.facts["model"], "")
        + _h3("Stages")
        + _table(t.get("stages")),
        "data": _lead(
            "Every input document is either kept or dropped for one reason; held-out documents are kept "
            "but never trained on."
        )
        + _facts(c.facts["data"], "Not measured (no data/stats.json).")
        + _img(figures, "funnel")
        + '<div class="row">'
        + _table(t.get("dropped"), "No document was dropped.")
        + _table(t.get("languages"), "")
        + "</div>"
        + _h3("Per source")
        + _table(sources_table(run)),
        "mixture": _lead("What each stage asked for (recipe weights) and what it actually trained on.")
        + _img(figures, "mixture")
        + _table(t.get("mixture")),
        "training": _img(figures, "loss")
        + _img(figures, "loss_by_source")
        + _h3("Throughput and utilization")
        + _table(throughput_table(run)),
        "bpb": _lead(
            "Compression of held-out text per language after each stage: how well the model knows each language."
        )
        + _img(figures, "bpb")
        + _table(t.get("bpb")),
        "forgetting": _lead("Each metric after every stage against the first evaluated stage.")
        + _table(t.get("forgetting"), "Not measured: needs at least two evaluated stages."),
        "code": _table(
            t.get("code"), f"Not measured: {c.skipped['code']}." if "code" in c.skipped else "Not measured."
        ),
        "safety": _img(figures, "safety")
        + _table(t.get("safety"))
        + _h3("Refusal per harm category × language")
        + _table(categories_table(run))
        + _h3("Over-refusal per language")
        + _table(over_refusal_table(run))
        + _examples(run),
        "scaling": _img(
            figures,
            "bpb_vs_tokens",
            "Not measured: set train.eval_every in the recipe to log held-out "
            "bits per byte during training, or run `auroralm eval RECIPE --out RUN_DIR --checkpoint all`.",
        ),
        "environment": _facts(environment(run), "Not recorded."),
    }
    sections = "".join(f'<section id="{k}"><h2>{escape(SECTIONS[k])}</h2>{v}</section>' for k, v in body.items())
    notes = "".join(f"<li>{escape(n)}</li>" for n in run.notes)
    title = escape(f"{(run.recipe or {}).get('name') or run.dir.name}: auroralm run report")
    generated = datetime.datetime.now().isoformat(timespec="seconds")
    nav = "".join(f'<a href="#{k}">{escape(v)}</a>' for k, v in SECTIONS.items())
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>'
        f'<h1>{title}</h1><p class="meta">run directory <code>{escape(str(run.dir))}</code> · '
        f"stages {escape(' → '.join(run.stages) or 'none')} · generated {generated}</p>"
        f"<nav>{nav}</nav>"
        + (f'<div class="warn"><b>While reading this run:</b><ul>{notes}</ul></div>' if notes else "")
        + sections
        + "</body></html>\n"
    )


def throughput_table(run: Run) -> Table | None:
    """Per stage: steps, tokens/s, MFU, gradient norm, loss and the time the logged steps took."""
    rows = []
    for stage in run.stages:
        steps = run.rows(stage)
        if not steps:
            continue
        seconds, before = 0.0, 0
        for r in steps:  # time per step = the step's tokens / its tokens per second
            if r.get("tokens_per_s") and "tokens" in r:
                seconds += (r["tokens"] - before) / r["tokens_per_s"]
                before = r["tokens"]
        tps, mfu = median([r.get("tokens_per_s") for r in steps]), median([r.get("mfu") for r in steps])
        norms = [r["grad_norm"] for r in steps if r.get("grad_norm") is not None]
        losses = [r["loss"] for r in steps if r.get("loss") is not None]
        rows.append(
            [
                stage,
                count(len(steps)),
                count(tps),
                pct(mfu),
                num(max(norms), 2) if norms else "—",
                f"{num(losses[0])} → {num(losses[-1])}" if losses else "—",
                f"{seconds:,.1f} s" if seconds else "—",
            ]
        )
    if not rows:
        return None
    return Table(
        [
            "stage",
            "steps logged",
            "median tokens/s",
            "median MFU",
            "max grad norm",
            "loss first → last",
            "time in steps",
        ],
        rows,
        note="MFU: model FLOPs utilization as logged by the trainer. Time counts "
        "only the logged optimizer steps, not evaluation or checkpointing.",
    )


def sources_table(run: Run) -> Table | None:
    s = run.stats or {}
    by_source, sizes = s.get("by_source", {}), s.get("sources", {})
    if not by_source and not sizes:
        return None
    rows = []
    for src in dict.fromkeys([*by_source, *sizes]):
        b, z = by_source.get(src, {}), sizes.get(src, {})
        drops = ", ".join(
            f"{k.removeprefix('dropped_').replace('_', ' ')} {v}" for k, v in b.items() if k.startswith("dropped_")
        )
        rows.append(
            [
                src,
                count(b.get("in")),
                count(b.get("kept")),
                drops or "—",
                count(z.get("documents")),
                count(z.get("tokens")),
                count(z.get("bytes")),
            ]
        )
    return Table(
        ["source", "in", "kept", "dropped (reason count)", "train docs", "train tokens", "train bytes"],
        rows,
        note="Train columns exclude the documents held out for evaluation.",
    )


def categories_table(run: Run) -> Table | None:
    stages = run.safety_stages("by_category")
    if not stages:
        return None
    cats = {s: run.evals[s]["safety"]["by_category"] for s in stages}
    categories = list(dict.fromkeys(c for s in stages for c in cats[s]))
    langs = list(dict.fromkeys(lang for s in stages for c in cats[s].values() for lang in c))
    rows, shade, sizes = [], {}, set()
    for i, cat in enumerate(categories):
        row = [cat.replace("_", " ")]
        for lang in langs:
            for s in stages:
                cell = cats[s].get(cat, {}).get(lang, {})
                rate = cell.get("refusal_rate")
                sizes.add(cell.get("n"))
                if rate is not None:
                    shade[(i, len(row))] = rate
                row.append(pct(rate, 0))
        rows.append(row)
    sizes.discard(None)
    n = f"n = {min(sizes)}" + (f" to {max(sizes)}" if max(sizes) != min(sizes) else "") if sizes else "n unknown"
    return Table(
        ["harm category"] + stages * len(langs),
        rows,
        [("", 1)] + [(lang, len(stages)) for lang in langs],
        shade=shade,
        note=f"Refusal rate of harmful prompts per cell ({n} prompts each); attack success is "
        "1 − refusal. Green: refused; red: answered.",
    )


def over_refusal_table(run: Run) -> Table | None:
    stages = run.safety_stages("over_refusal_by_language")
    if not stages:
        return None
    per = {s: run.evals[s]["safety"]["over_refusal_by_language"] for s in stages}
    rows, shade = [], {}
    for i, lang in enumerate(dict.fromkeys(lang for s in stages for lang in per[s])):
        row = [lang]
        for s in stages:
            c = per[s].get(lang, {})
            if c.get("rate") is not None:
                shade[(i, len(row))] = 1 - c["rate"]
            row.append(f"{pct(c.get('rate'), 0)} (n={c.get('n', '?')})" if c else "—")
        rows.append(row)
    return Table(["language", *stages], rows, shade=shade, note="Benign prompts refused (lower is better).")


def _examples(run: Run) -> str:
    stage = next((s for s in reversed(run.evaluated) if run.evals[s].get("safety", {}).get("examples")), None)
    if stage is None:
        return ""
    rows = "".join(
        f'<tr><td class="text">{escape(str(e.get("prompt", "")))}</td>'
        f'<td class="text">{escape(str(e.get("answer", ""))[:400]) or "<i>(empty)</i>"}</td>'
        f"<td>{'yes' if e.get('refused') else 'no'}</td></tr>"
        for e in run.evals[stage]["safety"]["examples"]
    )
    return (
        f"<details><summary>Sample red-team answers after '{escape(stage)}'</summary><table><tr><th>prompt</th>"
        f"<th>answer</th><th>judged a refusal</th></tr>{rows}</table></details>"
    )


def _table(t: Table | None, missing: str = "Not measured.") -> str:
    if t is None:
        return f'<p class="missing">{escape(missing)}</p>' if missing else ""
    starts: set[int] = set()  # first column of each group after the first: drawn with a left border
    head, col = "", 0
    if t.groups:
        head = (
            "<tr>" + "".join(f'<th colspan="{span}" class="group">{escape(g)}</th>' for g, span in t.groups) + "</tr>"
        )
        for _, span in t.groups:
            starts.add(col)
            col += span
        starts.discard(0)
    numeric = {
        j
        for j in range(1, len(t.header))  # right-align columns of numbers (blanks and dashes aside)
        if all(_NUMERIC.match(row[j]) for row in t.rows if row[j] not in ("", "—"))
    }
    head += (
        "<tr>" + "".join(f"<th{_cls(j, starts, numeric)}>{escape(h)}</th>" for j, h in enumerate(t.header)) + "</tr>"
    )
    body = ""
    for i, row in enumerate(t.rows):
        cells = ""
        for j, value in enumerate(row):
            classes = [
                x
                for x in ("num" if j in numeric else "", "gstart" if j in starts else "", t.marks.get((i, j), ""))
                if x
            ]
            style = f' style="background:hsl({120 * t.shade[(i, j)]:.0f},65%,88%)"' if (i, j) in t.shade else ""
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells += f"<td{cls}{style}>{escape(value)}</td>"
        body += f"<tr>{cells}</tr>"
    note = f'<p class="note">{escape(t.note)}</p>' if t.note else ""
    return f'<div class="scroll"><table>{head}{body}</table></div>{note}'


def _cls(j: int, starts: set[int], numeric: set[int]) -> str:
    classes = " ".join(c for c, on in (("num", j in numeric), ("gstart", j in starts)) if on)
    return f' class="{classes}"' if classes else ""


def _img(figures: dict[str, bytes], name: str, missing: str = "") -> str:
    if name not in figures:
        return f'<p class="missing">{escape(missing)}</p>' if missing else ""
    data = base64.b64encode(figures[name]).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(name)} plot (also in plots/{escape(name)}.png)">'


def _facts(facts: list[tuple[str, str]], missing: str) -> str:
    if not facts:
        return f'<p class="missing">{escape(missing)}</p>' if missing else ""
    return '<dl class="facts">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>"


def _list(items: list[str]) -> str:
    return '<ul class="story">' + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def _lead(text: str) -> str:
    return f'<p class="lead">{escape(text)}</p>'


def _h3(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


# --------------------------------------------------------------------------- environment


def environment(run: Run) -> list[tuple[str, str]]:
    """Software and hardware: as recorded by the run in ``environment.json``, else of this machine."""
    if isinstance(run.environment, dict):
        return [(str(k), str(v)) for k, v in run.environment.items()]
    from auroralm import __version__

    out = [
        ("recorded", "not by the run: this is the machine that built the report"),
        ("python", platform.python_version()),
        ("auroralm", __version__),
    ]
    for package in ("torch", "transformers", "tokenizers"):
        try:
            out.append((package, importlib.metadata.version(package)))
        except importlib.metadata.PackageNotFoundError:
            out.append((package, "not installed"))
    out += [("os", platform.platform()), ("cpu", f"{_cpu_model()} ({os.cpu_count()} logical cores)"), ("gpu", _gpus())]
    return out


def _cpu_model() -> str:
    for command in (["lscpu"], ["cat", "/proc/cpuinfo"]):
        text = _output(command)
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("model name", "model") and value.strip():
                return value.strip()
    return platform.processor() or platform.machine() or "unknown"


def _gpus() -> str:
    names = _output(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"]).strip()
    return "; ".join(names.splitlines()) if names else "none detected (nvidia-smi not found or no GPU)"


def _output(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return ""
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


# --------------------------------------------------------------------------- screenshot


def find_chromium() -> str | None:
    return next((p for name in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(name))), None)


def screenshot(
    html_path: Path, png_path: Path, width: int = 1280, height: int = 4000, chromium: str | None = None
) -> Path:
    """Render ``html_path`` in headless Chromium to a ``width`` x ``height`` PNG (offline, throwaway profile)."""
    exe = chromium or find_chromium()
    if exe is None:
        raise AuroraError("no Chromium found: install it (e.g. apt-get install chromium) or pass its path")
    png_path = Path(png_path).resolve()
    png_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png_path}",
                Path(html_path).resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    if not png_path.is_file():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise AuroraError(f"Chromium wrote no screenshot (exit {proc.returncode}): {' '.join(tail)}")
    return png_path
