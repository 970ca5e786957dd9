"""External red-team sets, read from local files in their published formats, as rows of our red-team format.

Every loader returns dicts with ``id, lang, category, split, prompt`` (plus ``response`` when the set ships a
reference answer and ``benign`` when it mixes safe and unsafe prompts), and ``source`` / ``source_category``
so a result can be traced back. Categories are mapped onto our eight harm areas (``CATEGORIES``) by the
explicit tables below; ``other`` when nothing fits. Files may be CSV, JSON / JSON Lines, Parquet, Arrow, or a
``datasets`` ``save_to_disk`` directory (Parquet and Arrow need ``pyarrow``). Nothing is downloaded.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

from auroralm.errors import AuroraError

OTHER = "other"

# XSTest (Röttger et al. 2024) prompt types, without their "contrast_" prefix (contrast = unsafe twin).
# Most types are lexical traps around violence; the focus word refines them (see _XSTEST_FOCUS).
XSTEST_TYPES = {
    "homonyms": "violence",
    "figurative_language": "violence",
    "safe_targets": "violence",
    "safe_contexts": "violence",
    "definitions": "violence",
    "historical_events": "violence",
    "discr": "hate",
    "real_group_nons_discr": "hate",
    "nons_group_real_discr": "hate",
    "privacy": "privacy",
    "privacy_public": "privacy",
    "privacy_fictional": "privacy",
}
# XSTest focus words (and the "drugs" note) that name a harm area other than the type's.
XSTEST_FOCUS = {
    "suicide": "self_harm",
    "pedophilia": "child_safety",
    "human trafficking": "illegal",
    "money laundering": "illegal",
    "fraud": "illegal",
    "bank fraud": "illegal",
    "bank account fraud": "illegal",
    "identity theft": "illegal",
    "treason": "illegal",
    "kidnapping": "illegal",
    "drugs": "illegal",
}
# HarmBench (Mazeika et al. 2024) SemanticCategory.
HARMBENCH_CATEGORIES = {
    "chemical_biological": "cbrn",
    "cybercrime_intrusion": "cyber",
    "harassment_bullying": "hate",
    "illegal": "illegal",
    "misinformation_disinformation": OTHER,
    "harmful": OTHER,
    "copyright": OTHER,
}
# Do-Not-Answer (Wang et al. 2023) types_of_harm, lower-cased; risk_area when the type is unknown.
DO_NOT_ANSWER_TYPES = {
    "risks from leaking or inferring sensitive information (organization/gov)": "privacy",
    "compromise privacy by leaking or inferring private information (person/individual)": "privacy",
    "assisting illegal activities": "illegal",
    "nudging or advising users to perform unethical or unsafe actions": OTHER,
    "reducing the cost of disinformation campaigns": OTHER,
    "social stereotypes and unfair discrimination": "hate",
    "toxic language (hate speech)": "hate",
    "adult content": OTHER,
    "disseminating false or misleading information": OTHER,
    "causing material harm by disseminating misinformation e.g. in medicine or law": OTHER,
    "mental health or overreliance crisis": "self_harm",
    "treat chatbot as a human": OTHER,
}
DO_NOT_ANSWER_AREAS = {
    "information hazards": "privacy",
    "malicious uses": "illegal",
    "discrimination, exclusion, toxicity, hateful, offensive": "hate",
}
# Keywords for sets without a category column (AdvBench) or with free-text ones (Aurora-M subsets).
# Checked in this order, first match wins, so the narrow areas come before the broad ones.
KEYWORD_CATEGORIES: list[tuple[str, str]] = [
    ("child_safety", r"\bchild(?:ren)?\b|\bminors?\b|\bkids?\b|\bteen|\bgrooming\b|child[ _-]?safety"),
    ("self_harm", r"suicid|self[ _-]?harm|\bharm (?:myself|yourself|themselves)\b|\beating disorder|anorexi"),
    (
        "cbrn",
        r"\bcbrn\b|chemical|biological|\bnuclear\b|radiolog|\bbomb|explosive|nerve agent|"
        r"\bpathogen|\btoxins?\b|\bpoison|\banthrax\b|\bsarin\b|weapons? of mass",
    ),
    (
        "cyber",
        r"\bcyber|\bhack|malware|ransomware|\bvirus\b|\bexploit|\bphishing\b|\bbotnet\b|\bddos\b|"
        r"keylogger|\bspyware\b|password",
    ),
    (
        "privacy",
        r"privacy|personal (?:data|information)|\bdox|\bstalk|\bsurveil|\btrack (?:someone|a person)|"
        r"\bspy on\b|home address|social security number",
    ),
    ("hate", r"\bhate\b|hateful|\bracis|discriminat|\bslur|\bbias\b|\bxenophob|\bsexis|\bbully|harass"),
    ("violence", r"violen|\bkill|murder|assault|\bweapon|\bgun\b|firearm|\bshoot|\bstab|\bterror|\battack"),
    (
        "illegal",
        r"illegal|\bcrime|criminal|\bsteal|\btheft\b|\bfraud|counterfeit|launder|\bdrugs?\b|"
        r"smuggl|\bscam|\bbrib|evade taxes|tax evasion|piracy|\bpirate",
    ),
]
_KEYWORD_RES = [(cat, re.compile(pattern, re.IGNORECASE)) for cat, pattern in KEYWORD_CATEGORIES]
# Aurora-M rows keep instruction and answer in one "text" field, in the instruction template of its paper.
_AURORA_TEXT = re.compile(r"###\s*Instruction:\s*(?P<prompt>.*?)\s*###\s*Response:\s*(?P<response>.*)", re.DOTALL)


def category_from_text(text: str) -> str:
    """Our harm category for free text (a prompt or a category name) by the keyword table; ``other`` if none."""
    for category, pattern in _KEYWORD_RES:
        if pattern.search(text):
            return category
    return OTHER


def _fail(path: Path, what: str) -> AuroraError:
    return AuroraError(f"{path}: {what}")


def _pyarrow(path: Path):
    try:
        import pyarrow  # noqa: F401  (imported for its submodules below)
        import pyarrow.ipc
        import pyarrow.parquet
    except ImportError:
        raise _fail(
            path, "reading Parquet/Arrow needs pyarrow (pip install pyarrow), or export the set to CSV/JSON"
        ) from None
    return pyarrow


def _read_arrow(path: Path) -> list[dict]:
    pa = _pyarrow(path)
    try:  # `datasets` writes the IPC stream format; plain .arrow files may use the file format
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_stream(source).read_all().to_pylist()
    except pa.ArrowInvalid:
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_file(source).read_all().to_pylist()


def _read_saved_dataset(path: Path) -> list[dict]:
    """A ``datasets`` ``save_to_disk`` directory: one Dataset (state.json) or a DatasetDict of splits."""
    if (path / "dataset_dict.json").is_file():
        splits = json.loads((path / "dataset_dict.json").read_text(encoding="utf-8")).get("splits", [])
        rows = []
        for split in splits:
            rows += [{**r, "_split": split} for r in _read_saved_dataset(path / split)]
        return rows
    if not (path / "state.json").is_file():
        raise _fail(path, "not a saved dataset: no state.json or dataset_dict.json (save it with Dataset.save_to_disk)")
    files = json.loads((path / "state.json").read_text(encoding="utf-8")).get("_data_files", [])
    return [r for f in files for r in _read_arrow(path / f["filename"])]


def _read_json(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:  # JSON Lines, as Dataset.to_json writes by default
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise _fail(path, f"neither JSON nor JSON Lines (line {e.lineno}: {e.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if isinstance(data, dict):
        data = [data]
    return data


def read_records(path: Path) -> list[dict]:
    """The records of a CSV, JSON(L), Parquet or Arrow file, or of a saved ``datasets`` directory."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, "file not found")
    if path.is_dir():
        records = _read_saved_dataset(path)
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            records = list(csv.DictReader(f))
    elif path.suffix in (".json", ".jsonl"):
        records = _read_json(path)
    elif path.suffix == ".parquet":
        records = _pyarrow(path).parquet.read_table(str(path)).to_pylist()
    elif path.suffix == ".arrow":
        records = _read_arrow(path)
    else:
        raise _fail(
            path,
            f"unknown file type '{path.suffix}' (use .csv, .json, .jsonl, .parquet, .arrow or a saved dataset directory)",
        )
    if not records:
        raise _fail(path, "has no rows")
    if not all(isinstance(r, dict) for r in records):
        raise _fail(path, "rows are not objects with named columns")
    return records


def _require(path: Path, records: list[dict], columns: list[str], name: str) -> None:
    present = set().union(*(r.keys() for r in records[:50]))
    missing = [c for c in columns if c not in present]
    if missing:
        raise _fail(
            path,
            f"not a {name} file: missing column(s) {', '.join(missing)} (found: {', '.join(sorted(present)) or 'none'})",
        )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _row(
    source: str,
    rid: str,
    prompt: str,
    category: str,
    source_category: str,
    split: str = "test",
    lang: str = "en",
    **extra,
) -> dict:
    return {
        "id": rid,
        "lang": lang,
        "category": category,
        "split": split,
        "prompt": prompt,
        **extra,
        "source": source,
        "source_category": source_category,
    }


def _prompt(path: Path, record: dict, column: str, index: int) -> str:
    prompt = _text(record.get(column))
    if not prompt:
        raise _fail(path, f"row {index + 1} has an empty '{column}'")
    return prompt


def load_xstest(path: Path) -> list[dict]:
    """XSTest prompts (``id,prompt,type,label,focus,note``); ``benign`` from label safe/unsafe."""
    records = read_records(path)
    _require(path, records, ["prompt", "type"], "XSTest")
    rows = []
    for i, r in enumerate(records):
        kind = _text(r.get("type"))
        label = _text(r.get("label")).lower()
        if label not in ("safe", "unsafe"):
            if "label" in r:
                raise _fail(path, f"row {i + 1} has label '{label}', expected safe or unsafe")
            label = "unsafe" if kind.startswith("contrast_") else "safe"  # v2 file: no label column
        base = kind.removeprefix("contrast_")
        focus, note = _text(r.get("focus")).lower(), _text(r.get("note")).lower()
        category = XSTEST_FOCUS.get(focus) or XSTEST_FOCUS.get(note) or XSTEST_TYPES.get(base, OTHER)
        rid = _text(r.get("id") or r.get("id_v2")) or str(i + 1)
        rows.append(
            _row("xstest", f"xstest-{rid}", _prompt(path, r, "prompt", i), category, kind, benign=label == "safe")
        )
    return rows


def load_harmbench(path: Path) -> list[dict]:
    """HarmBench behaviours (``Behavior,FunctionalCategory,SemanticCategory,Tags,ContextString,BehaviorID``)."""
    records = read_records(path)
    _require(path, records, ["Behavior", "SemanticCategory", "BehaviorID"], "HarmBench behaviours")
    rows = []
    for i, r in enumerate(records):
        behavior, context = _prompt(path, r, "Behavior", i), _text(r.get("ContextString"))
        # HarmBench's own test cases put the context first, separated by a rule, for contextual behaviours.
        prompt = f"{context}\n\n---\n\n{behavior}" if context else behavior
        semantic = _text(r.get("SemanticCategory"))
        rows.append(
            _row(
                "harmbench",
                _text(r["BehaviorID"]) or f"harmbench-{i + 1}",
                prompt,
                HARMBENCH_CATEGORIES.get(semantic, OTHER),
                semantic,
                functional_category=_text(r.get("FunctionalCategory")),
            )
        )
    return rows


def load_do_not_answer(path: Path) -> list[dict]:
    """Do-Not-Answer questions (``id,risk_area,types_of_harm,specific_harms,question,...``); all harmful."""
    records = read_records(path)
    _require(path, records, ["question", "types_of_harm"], "Do-Not-Answer")
    rows = []
    for i, r in enumerate(records):
        harm, area = _text(r.get("types_of_harm")), _text(r.get("risk_area"))
        category = DO_NOT_ANSWER_TYPES.get(harm.lower()) or DO_NOT_ANSWER_AREAS.get(area.lower(), OTHER)
        rid = _text(r.get("id")) or str(i + 1)
        rows.append(_row("do-not-answer", f"dna-{rid}", _prompt(path, r, "question", i), category, harm))
    return rows


def load_advbench(path: Path) -> list[dict]:
    """AdvBench ``harmful_behaviors.csv`` (``goal,target``); no categories, so the keyword table decides."""
    records = read_records(path)
    _require(path, records, ["goal", "target"], "AdvBench harmful_behaviors")
    rows = []
    for i, r in enumerate(records):
        goal = _prompt(path, r, "goal", i)
        rows.append(_row("advbench", f"advbench-{i + 1}", goal, category_from_text(goal), ""))
    return rows


def load_aurora_m(path: Path) -> list[dict]:
    """The Aurora-M Biden-Harris red-team set: ``text`` with ``### Instruction:`` / ``### Response:``, or
    separate instruction/response columns; a ``category`` (or subset) column is mapped by keywords."""
    records = read_records(path)
    present = set().union(*(r.keys() for r in records[:50]))
    prompt_col = next((c for c in ("instruction", "prompt", "question") if c in present), None)
    response_col = next((c for c in ("response", "output", "answer") if c in present), None)
    if "text" not in present and not (prompt_col and response_col):
        raise _fail(path, "not an Aurora-M red-team file: missing column 'text' (or 'instruction' and 'response')")
    category_col = next((c for c in ("category", "subset", "harm_category") if c in present), None)
    rows = []
    for i, r in enumerate(records):
        if prompt_col and response_col:
            prompt, response = _prompt(path, r, prompt_col, i), _text(r.get(response_col))
        else:
            match = _AURORA_TEXT.search(_text(r.get("text")))
            if not match or not match["prompt"].strip():
                raise _fail(path, f"row {i + 1}: 'text' lacks the '### Instruction:' / '### Response:' markers")
            prompt, response = match["prompt"].strip(), match["response"].strip()
        label = _text(r.get(category_col)) if category_col else ""
        split = _text(r.get("split") or r.get("_split")) or "test"
        lang = _text(r.get("lang") or r.get("language")) or "en"  # the published set is English
        rid = _text(r.get("id")) or f"aurora-m-{split}-{i + 1}"
        rows.append(
            _row(
                "aurora-m",
                rid,
                prompt,
                category_from_text(label or prompt),
                label,
                split=split,
                lang=lang,
                response=response,
            )
        )
    return rows


LOADERS: dict[str, Callable[[Path], list[dict]]] = {
    "aurora-m": load_aurora_m,
    "xstest": load_xstest,
    "harmbench": load_harmbench,
    "do-not-answer": load_do_not_answer,
    "advbench": load_advbench,
}
_ALIASES = {
    "aurora": "aurora-m",
    "biden-harris": "aurora-m",
    "biden-harris-redteam": "aurora-m",
    "dna": "do-not-answer",
    "donotanswer": "do-not-answer",
}


def load_external(kind: str, path: Path) -> list[dict]:
    """Rows of an external red-team set of the given kind (see ``LOADERS``) read from a local file."""
    name = kind.strip().lower().replace("_", "-")
    name = _ALIASES.get(name, name)
    if name not in LOADERS:
        raise AuroraError(f"unknown red-team set '{kind}': choose one of {', '.join(LOADERS)}")
    return LOADERS[name](Path(path))
