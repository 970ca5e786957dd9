"""Typed recipe schema: loading, strict validation with field paths, and ``--set`` overrides.

A recipe is the whole experiment as data: model, tokenizer, sources, stages, training, evaluation.
Validation happens before any work so a typo costs seconds, not a training run.
"""

from __future__ import annotations

import dataclasses
import glob
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from auroralm.errors import RecipeError

RECIPES_DIR = Path(__file__).parent / "recipes"
ASSETS_DIR = Path(__file__).parent / "assets"
ASSETS_PREFIX = "@assets/"


@dataclass
class ModelConfig:
    """The starting model: a local HF checkpoint / hub id, or a fresh one built from this config."""

    pretrained: str | None = None
    architecture: Literal["gpt_bigcode", "llama"] = "gpt_bigcode"
    hidden_size: int = 256
    layers: int = 4
    heads: int = 4
    kv_heads: int = 1
    intermediate_size: int | None = None
    max_positions: int = 512


@dataclass
class TokenizerConfig:
    """``path`` is an HF tokenizer directory or hub id; null means the model's own, or train one."""

    path: str | None = None
    vocab_size: int = 8000
    train_bytes: int = 20_000_000
    extend: int = 0  # add this many new-language tokens to a pretrained tokenizer (0: off, as in Aurora-M)


@dataclass
class SourceConfig:
    name: str
    paths: list[str]
    kind: Literal["web", "code", "instructions", "safety"] = "web"
    format: Literal["auto", "jsonl", "parquet", "text", "code", "hf"] = "auto"
    text_field: str = "text"
    language: str | None = None
    held_out: float = 0.0
    split: str | None = None  # keep only records whose "split" field equals this


@dataclass
class LRConfig:
    schedule: Literal["cosine", "constant", "wsd"] = "cosine"
    max: float = 1e-3
    min: float = 1e-4
    warmup_steps: int = 0
    decay_fraction: float = 0.2


@dataclass
class StageConfig:
    name: str
    tokens: int
    mixture: dict[str, float]
    lr: LRConfig = field(default_factory=LRConfig)
    optimizer: Literal["reset", "keep"] = "reset"  # keep: carry AdamW state over from the previous stage


@dataclass
class DataConfig:
    instruction_template: str = "### Instruction:\n{instruction}\n\n### Response:\n{response}"
    min_chars: int = 50
    max_doc_bytes: int = 1_000_000  # longer documents are dropped before any filter (too_long)
    max_symbol_ratio: float = 0.3  # the CAT filter: text dominated by digits and symbols
    # a number for every language, or per language: {ja: 0.4, default: 0.6} (no default: 0.5)
    langid_min_confidence: float | dict[str, float] = 0.5
    quality_filters: bool = True  # Gopher quality and repetition, FineWeb line filters, per language
    toxicity: bool = True
    pii: bool = True  # redact e-mails, public IPs, phone numbers and secrets
    dedup: Literal["none", "exact", "minhash"] = "minhash"
    dedup_threshold: float = 0.75
    decontaminate: bool = True  # against HumanEval and the held-out red-team prompts
    workers: int = 1


@dataclass
class TrainConfig:
    seq_len: int = 256
    micro_batch: int = 8
    global_batch: int = 8
    seed: int = 1234
    betas: list[float] = field(default_factory=lambda: [0.9, 0.95])
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    precision: Literal["fp32", "bf16"] = "fp32"
    parallelism: Literal["ddp", "fsdp"] = "ddp"  # used when launched with torchrun
    checkpoint_every: int = 100
    keep_last: int = 2
    threads: int | None = None
    max_epochs: float | None = None  # error when a stage would repeat a source more often than this
    max_bad_steps: int = 5  # abort after this many consecutive non-finite steps
    fim_rate: float = 0.0  # fill-in-the-middle rate for documents of code sources
    reset_positions: bool = False  # position ids restart after every EOS
    compile: bool = False  # torch.compile the model
    prompt_loss: bool = True  # false: instruction and safety sources are trained on their responses only
    pack_instructions: bool = True  # false: instruction and safety sources one document per window, padded
    activation_checkpointing: bool = False
    eval_every: int = 0  # held-out bits-per-byte every N steps (0: only at stage ends)
    eval_max_bytes: int = 8000  # held-out text per language for those evaluations
    forgetting_threshold: float = 0.05  # warn when code bits-per-byte rises by this fraction in a stage


@dataclass
class EvalConfig:
    languages: list[str] = field(default_factory=lambda: ["en", "fi", "hi", "ja", "vi", "code"])
    max_bytes_per_language: int = 50_000
    code_problems: str | None = "humaneval"  # humaneval, a problems file, or null to skip
    code_limit: int | None = None  # evaluate only the first N problems
    code_max_new_tokens: int = 128
    code_timeout: float = 3.0
    safety: bool = True
    safety_max_new_tokens: int = 48


@dataclass
class Recipe:
    name: str
    sources: list[SourceConfig]
    stages: list[StageConfig]
    description: str = ""
    model: ModelConfig = field(default_factory=ModelConfig)
    tokenizer: TokenizerConfig = field(default_factory=TokenizerConfig)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)
    base_dir: str = "."  # directory relative paths resolve against; set by the loader

    def source(self, name: str) -> SourceConfig:
        return next(s for s in self.sources if s.name == name)

    def resolve(self, p: str) -> Path:
        """Resolve a recipe path: ``@assets/...`` is inside the package, relative paths are
        relative to the recipe file."""
        if p.startswith(ASSETS_PREFIX):
            return ASSETS_DIR / p[len(ASSETS_PREFIX) :]
        path = Path(p).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path

    def files(self, source: SourceConfig) -> list[Path]:
        out: list[Path] = []
        for p in source.paths:
            resolved = self.resolve(p)
            matches = sorted(glob.glob(str(resolved), recursive=True))
            out.extend(Path(m) for m in matches)
        return out


# --------------------------------------------------------------------------- loading


def builtin_names() -> list[str]:
    return sorted(p.stem for p in RECIPES_DIR.glob("*.yaml"))


def load_recipe(ref: str, overrides: list[str] | None = None) -> Recipe:
    """Load a recipe by built-in name or YAML path, apply ``--set`` overrides, validate."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise RecipeError(f"recipe file not found: {ref}")
    elif (RECIPES_DIR / f"{ref}.yaml").is_file():
        path = RECIPES_DIR / f"{ref}.yaml"
    else:
        raise RecipeError(
            f"unknown recipe '{ref}': give a YAML path or one of {', '.join(builtin_names())}"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise RecipeError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise RecipeError(f"{path}: a recipe must be a YAML mapping")
    for item in overrides or []:
        apply_override(raw, item)
    raw.setdefault("base_dir", str(path.resolve().parent))
    recipe = _build(Recipe, raw, "")
    validate(recipe)
    return recipe


def save_recipe(recipe: Recipe, path: Path) -> None:
    """Write the resolved recipe (overrides applied, defaults filled in) as YAML."""
    data = dataclasses.asdict(recipe)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tmp.replace(path)


def apply_override(raw: dict, item: str) -> None:
    """Apply ``a.b.c=value``; list items are addressed by index or by their ``name``."""
    if "=" not in item:
        raise RecipeError(f"--set {item}: expected KEY=VALUE, e.g. train.micro_batch=4")
    key, value = item.split("=", 1)
    parts = key.strip().split(".")
    node: Any = raw
    for i, part in enumerate(parts[:-1]):
        node = _child(node, part, ".".join(parts[: i + 1]))
    last = parts[-1]
    parsed = yaml.safe_load(value) if value.strip() else ""
    if isinstance(node, list):
        node[_list_index(node, last, key)] = parsed
    elif isinstance(node, dict):
        node[last] = parsed
    else:
        raise RecipeError(f"--set {key}: '{'.'.join(parts[:-1])}' is not a section")


def _child(node: Any, part: str, where: str) -> Any:
    if isinstance(node, list):
        return node[_list_index(node, part, where)]
    if isinstance(node, dict):
        if node.get(part) is None:
            node[part] = {}
        return node[part]
    raise RecipeError(f"--set {where}: not a section")


def _list_index(items: list, part: str, where: str) -> int:
    if part.isdigit() and int(part) < len(items):
        return int(part)
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return i
    raise RecipeError(f"--set {where}: no list item with index or name '{part}'")


# --------------------------------------------------------------------------- typed building


def _build(tp: Any, value: Any, path: str) -> Any:
    where = path or "recipe"
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise RecipeError(f"{where}: expected a mapping, got {type(value).__name__}")
        hints = typing.get_type_hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp)}
        unknown = [k for k in value if k not in fields]
        if unknown:
            known = ", ".join(fields)
            raise RecipeError(f"{_join(path, unknown[0])}: unknown key (known keys: {known})")
        kwargs = {}
        for name, f in fields.items():
            if name in value:
                kwargs[name] = _build(hints[name], value[name], _join(path, name))
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise RecipeError(f"{_join(path, name)}: required key is missing")
        return tp(**kwargs)
    if origin is Literal:
        choices = typing.get_args(tp)
        if value not in choices:
            raise RecipeError(f"{where}: must be one of {', '.join(map(str, choices))}, got {value!r}")
        return value
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _build(arg, value, path)
            except RecipeError as e:
                # a mapping for `float | dict[...]`: the dict member's error names the bad entry
                origin = typing.get_origin(arg)
                shape = dict if origin is dict or dataclasses.is_dataclass(arg) else list if origin is list else None
                errors.append((shape is None or not isinstance(value, shape), str(e)))
        raise RecipeError(min(errors, key=lambda e: e[0])[1] if errors else f"{where}: invalid value {value!r}")
    if origin is list:
        if not isinstance(value, list):
            raise RecipeError(f"{where}: expected a list, got {type(value).__name__}")
        (item_tp,) = typing.get_args(tp)
        return [_build(item_tp, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise RecipeError(f"{where}: expected a mapping, got {type(value).__name__}")
        _, val_tp = typing.get_args(tp)
        return {str(k): _build(val_tp, v, _join(path, str(k))) for k, v in value.items()}
    if tp is float:
        if isinstance(value, str):  # YAML 1.1 reads 2e-3 (no dot) as a string
            try:
                value = float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecipeError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecipeError(f"{where}: expected an integer, got {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise RecipeError(f"{where}: expected true or false, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise RecipeError(f"{where}: expected a string, got {value!r}")
        return value
    raise TypeError(f"unsupported recipe type {tp}")  # a bug in the schema, not user input


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --------------------------------------------------------------------------- semantic checks


def _positive(value: float, where: str, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        raise RecipeError(f"{where}: must be {'>= 0' if allow_zero else '> 0'}, got {value}")


def _check_langid_min_confidence(value: float | dict[str, float]) -> None:
    from auroralm.data.langid import LANGUAGES

    where = "data.langid_min_confidence"
    for lang, v in value.items() if isinstance(value, dict) else [(None, value)]:
        at = where if lang is None else _join(where, lang)
        if lang is not None and lang != "default" and lang not in LANGUAGES:
            raise RecipeError(f"{at}: unknown language (known: default, {', '.join(LANGUAGES)})")
        if not 0.0 <= v <= 1.0:
            raise RecipeError(f"{at}: must be in [0, 1], got {v}")


def validate(r: Recipe) -> None:
    """Cross-field checks; raise RecipeError naming the first bad field."""
    if not r.sources:
        raise RecipeError("sources: at least one source is required")
    if not r.stages:
        raise RecipeError("stages: at least one stage is required")
    names: set[str] = set()
    for i, s in enumerate(r.sources):
        where = f"sources[{i}]"
        if s.name in names:
            raise RecipeError(f"{where}.name: duplicate source name '{s.name}'")
        names.add(s.name)
        if not s.paths:
            raise RecipeError(f"{where}.paths: at least one path is required")
        for j, p in enumerate(s.paths):
            if not glob.glob(str(r.resolve(p)), recursive=True):
                raise RecipeError(f"{where}.paths[{j}]: no file matches '{p}'")
        if not 0.0 <= s.held_out < 1.0:
            raise RecipeError(f"{where}.held_out: must be in [0, 1), got {s.held_out}")
    stage_names: set[str] = set()
    for i, st in enumerate(r.stages):
        where = f"stages[{i}]"
        if st.name in stage_names:
            raise RecipeError(f"{where}.name: duplicate stage name '{st.name}'")
        stage_names.add(st.name)
        _positive(st.tokens, f"{where}.tokens")
        if not st.mixture:
            raise RecipeError(f"{where}.mixture: at least one source weight is required")
        for src, w in st.mixture.items():
            if src not in names:
                raise RecipeError(
                    f"{where}.mixture.{src}: unknown source (sources: {', '.join(sorted(names))})"
                )
            _positive(w, f"{where}.mixture.{src}")
        _positive(st.lr.max, f"{where}.lr.max")
        _positive(st.lr.min, f"{where}.lr.min", allow_zero=True)
        if st.lr.min > st.lr.max:
            raise RecipeError(f"{where}.lr.min: must not exceed lr.max ({st.lr.max})")
        _positive(st.lr.warmup_steps, f"{where}.lr.warmup_steps", allow_zero=True)
        if not 0.0 <= st.lr.decay_fraction <= 1.0:
            raise RecipeError(f"{where}.lr.decay_fraction: must be in [0, 1]")
    t = r.train
    for key in ("seq_len", "micro_batch", "global_batch", "checkpoint_every", "keep_last"):
        _positive(getattr(t, key), f"train.{key}")
    if not 0.0 <= t.fim_rate <= 1.0:
        raise RecipeError(f"train.fim_rate: must be in [0, 1], got {t.fim_rate}")
    if t.max_epochs is not None:
        _positive(t.max_epochs, "train.max_epochs")
    _positive(t.max_bad_steps, "train.max_bad_steps")
    _positive(t.eval_every, "train.eval_every", allow_zero=True)
    if t.global_batch % t.micro_batch:
        raise RecipeError(
            f"train.global_batch: must be a multiple of train.micro_batch ({t.micro_batch})"
        )
    if len(t.betas) != 2 or not all(0.0 <= b < 1.0 for b in t.betas):
        raise RecipeError("train.betas: must be two numbers in [0, 1)")
    _positive(t.weight_decay, "train.weight_decay", allow_zero=True)
    _positive(t.grad_clip, "train.grad_clip", allow_zero=True)
    if t.seq_len > r.model.max_positions:
        raise RecipeError(
            f"train.seq_len: {t.seq_len} exceeds model.max_positions ({r.model.max_positions})"
        )
    m = r.model
    for key in ("hidden_size", "layers", "heads", "kv_heads", "max_positions"):
        _positive(getattr(m, key), f"model.{key}")
    if m.hidden_size % m.heads:
        raise RecipeError(f"model.hidden_size: must be divisible by model.heads ({m.heads})")
    _positive(r.tokenizer.vocab_size, "tokenizer.vocab_size")
    _positive(r.tokenizer.extend, "tokenizer.extend", allow_zero=True)
    if r.tokenizer.extend and not (r.tokenizer.path or r.model.pretrained):
        raise RecipeError("tokenizer.extend: only applies to a pretrained tokenizer (set model.pretrained or tokenizer.path)")
    _positive(r.data.min_chars, "data.min_chars", allow_zero=True)
    _positive(r.data.max_doc_bytes, "data.max_doc_bytes")
    _positive(r.data.workers, "data.workers")
    _check_langid_min_confidence(r.data.langid_min_confidence)
    if not 0.0 < r.data.dedup_threshold < 1.0:
        raise RecipeError(f"data.dedup_threshold: must be in (0, 1), got {r.data.dedup_threshold}")
    if "{instruction}" not in r.data.instruction_template or "{response}" not in r.data.instruction_template:
        raise RecipeError("data.instruction_template: must contain {instruction} and {response}")
    _positive(r.eval.max_bytes_per_language, "eval.max_bytes_per_language")
