"""`auroralm report`: report.html and MODEL_CARD.md built from a real smoke run."""

import base64
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from auroralm.errors import AuroraError
from auroralm.recipe import RECIPES_DIR, load_recipe
from auroralm.report import write_report
from auroralm.report.html import screenshot

SECTIONS = [
    "summary",
    "recipe",
    "data",
    "mixture",
    "training",
    "bpb",
    "forgetting",
    "code",
    "safety",
    "scaling",
    "environment",
]
CARD_SECTIONS = [
    "## Model description",
    "## Training data",
    "## Training procedure",
    "## Evaluation results",
    "## Safety",
    "## Limitations",
]
CHROMIUM = Path("/usr/bin/chromium")


def copy_run(src: Path, dst: Path) -> Path:
    """A private copy of a run as the report sees it: no checkpoints, and none of the report's
    own outputs (`auroralm run` already wrote a report; other tests add plots to the shared run)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("checkpoints", "plots", "report.html", "MODEL_CARD.md"))
    return dst


@pytest.fixture(scope="module")
def built(smoke_run, tmp_path_factory):
    run = copy_run(smoke_run, tmp_path_factory.mktemp("report") / "run")
    html_path, card_path = write_report(run, load_recipe("smoke"))
    return run, html_path.read_text(encoding="utf-8"), card_path.read_text(encoding="utf-8")


def front_matter(card: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", card, re.S)
    assert match, "MODEL_CARD.md must start with YAML front matter"
    return yaml.safe_load(match.group(1))


def embedded_pngs(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_report_tells_the_runs_story(built):
    run, html, _ = built
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    stats = json.loads((run / "data" / "stats.json").read_text())
    assert f"{stats['documents_in']:,} documents in" in html  # the funnel's numbers, as the run counted them
    for reason in stats["dropped"]:
        assert reason.replace("_", " ") in html
    cat = json.loads((run / "eval" / "cat.json").read_text())
    for lang, bpb in cat["bits_per_byte"].items():
        assert f"{bpb:.3f}" in html, lang
    lr = load_recipe("smoke").stages[-1].lr
    assert "planned tokens" in html and f"{lr.max:g} → {lr.min:g}" in html  # the recipe's stages
    assert "Refusal per harm category × language" in html and "child safety" in html
    code_section = html.split('<section id="code">')[1].split("</section>")[0]
    if "code" in cat:
        assert f"{100 * cat['code']['humaneval']['pass@1']:.1f}%" in code_section
    else:  # conftest's run does not execute model-written code: the report says so instead of a table
        assert "Not measured" in code_section and "<table>" not in code_section


def test_report_is_self_contained_with_decodable_plots(built):
    run, html, _ = built
    pngs = embedded_pngs(html)
    assert len(pngs) >= 6  # funnel, mixture, loss, loss per source, bits per byte, safety
    for png in pngs:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 600
    assert sorted(p.read_bytes() for p in (run / "plots").glob("*.png")) == sorted(pngs)
    assert not re.search(r"<script|<link|src=\"http|url\(", html, re.I)


def test_model_card_front_matter_and_sections(built):
    run, _, card = built
    meta = front_matter(card)
    assert meta["language"] == ["en", "fi", "hi", "ja", "vi"]  # natural languages only: no "code" or "unknown"
    assert meta["license"] == "other" and "auroralm" in meta["tags"]
    for heading in CARD_SECTIONS:
        assert f"\n{heading}\n" in card
    cat = json.loads((run / "eval" / "cat.json").read_text())
    row = next(line for line in card.splitlines() if line.startswith(f"| cat | {cat['tokens_seen']:,} | "))
    assert [cell.split(" ± ")[0] for cell in row.strip("| ").split(" | ")[2:]] == [
        f"{cat['bits_per_byte'][lang]:.3f}" for lang in ["en", "fi", "hi", "ja", "vi", "code"]
    ]


def test_forgetting_beyond_noise_is_flagged(smoke_run, tmp_path):
    run = copy_run(smoke_run, tmp_path / "run")
    path = run / "eval" / "cat.json"
    cat = json.loads(path.read_text())
    cat.pop("bits_per_byte_ci", None)  # no intervals: the relative threshold applies
    base_code = json.loads((run / "eval" / "base.json").read_text())["bits_per_byte"]["code"]
    cat["bits_per_byte"]["code"] = round(base_code * 1.10, 4)  # 10% worse than base
    cat["bits_per_byte"]["en"] = json.loads((run / "eval" / "base.json").read_text())["bits_per_byte"]["en"]
    path.write_text(json.dumps(cat))
    html_path, card_path = write_report(run)
    html, card = html_path.read_text(), card_path.read_text()
    worse = re.findall(r'<td class="[^"]*worse[^"]*">([^<]*)</td>', html)
    assert f"{cat['bits_per_byte']['code']:.3f}" in worse and "+10.0%" in " ".join(worse)
    assert "bits per byte, code after cat" in html and "bits per byte, code after cat" in card
    assert "bits per byte, en after cat" not in html  # unchanged is not flagged


def test_report_without_recipe_or_evaluation_says_not_measured(smoke_run, tmp_path):
    run = copy_run(smoke_run, tmp_path / "run")
    shutil.rmtree(run / "eval")
    (run / "recipe.yaml").unlink()  # written by `auroralm run`; older runs lack it
    html_path, card_path = write_report(run)
    html, card = html_path.read_text(), card_path.read_text()
    assert "no recipe.yaml" in html and "Not measured" in html
    assert '<section id="bpb">' in html and "loss" in html
    assert front_matter(card)["language"] == ["en", "fi", "hi", "ja", "vi"]  # from the data funnel


def test_recipe_yaml_in_the_run_directory_is_used(smoke_run, tmp_path):
    run = copy_run(smoke_run, tmp_path / "run")
    shutil.copy(RECIPES_DIR / "smoke.yaml", run / "recipe.yaml")
    html = write_report(run)[0].read_text()
    assert "mixture weights" in html and "instructions 1.5, safety 1.5" in html


def test_empty_directory_is_a_clear_error(tmp_path):
    with pytest.raises(AuroraError, match="no run results"):
        write_report(tmp_path)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_report_renders_in_headless_chromium(built, tmp_path):
    run, _, _ = built
    png = screenshot(run / "report.html", tmp_path / "report.png", width=1280, height=4000, chromium=str(CHROMIUM))
    image = Image.open(png).convert("L")
    assert image.size == (1280, 4000)
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (image.width * image.height)
    assert 0.01 < dark < 0.5  # text and plots on a light page: neither blank nor a dark error screen
