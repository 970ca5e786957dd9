"""lm-evaluation-harness on an HF export: our offline multilingual tasks, or any installed lm-eval task.

Our tasks (``auroralm_mc`` and its ``auroralm_mc_<lang>`` subtasks, in ``assets/lmeval``) read local
JSONL files, so they run on air-gapped nodes. Installed lm-eval tasks download their datasets from
the Hugging Face Hub unless they are already in the datasets cache.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from auroralm.errors import AuroraError

TASKS_DIR = Path(__file__).resolve().parent.parent / "assets" / "lmeval"

# What the Aurora-M paper measured per language, as far as lm-eval 0.4.13 has it (names checked
# against its registry by tests/test_lmeval.py). Missing upstream: FIN-bench (TurkuNLP's fork),
# llm-jp-eval's JEMHopQA/NIILC/WMT20, and the IndicXtreme Hindi tasks.
PRESETS: dict[str, list[str]] = {
    "en": [
        "arc_easy",
        "arc_challenge",
        "hellaswag",
        "mmlu",
        "openbookqa",
        "triviaqa",
        "squadv2",
        "xwinograd_en",
        "gsm8k",
    ],
    "fi": ["belebele_fin_Latn", "include_base_44_finnish", "global_piqa_parallel_cloze_fin_latn", "tydiqa_goldp_fi"],
    "hi": [
        "belebele_hin_Deva",
        "xnli_hi",
        "xstorycloze_hi",
        "arc_hi",
        "hellaswag_hi",
        "m_mmlu_hi",
        "truthfulqa_hi_mc2",
    ],
    "ja": [
        "belebele_jpn_Jpan",
        "xwinograd_jp",
        "ja_leaderboard_jcommonsenseqa",
        "ja_leaderboard_jnli",
        "ja_leaderboard_marc_ja",
        "ja_leaderboard_jsquad",
        "ja_leaderboard_mgsm",
    ],
    "vi": ["belebele_vie_Latn", "xnli_vi", "xcopa_vi", "arc_vi", "hellaswag_vi", "m_mmlu_vi", "truthfulqa_vi_mc2"],
    "offline": ["auroralm_mc"],
}


def lm_eval_available() -> bool:
    """Whether lm-evaluation-harness and its HF backend's accelerate are installed (``auroralm[lmeval]``)."""
    return all(importlib.util.find_spec(m) is not None for m in ("lm_eval", "accelerate"))


def expand_tasks(tasks: list[str]) -> list[str]:
    """Task names with PRESETS keys replaced by their tasks, duplicates dropped, order kept."""
    names = [name for t in tasks for name in PRESETS.get(t, [t])]
    return list(dict.fromkeys(names))


def run_lm_eval(
    model_dir: Path,
    tasks: list[str],
    limit: int | None = None,
    batch_size: int = 8,
    include_path: list[Path] | None = None,
    device: str | None = None,
) -> dict:
    """Run lm-eval ``tasks`` (names, groups or PRESETS keys) on an HF export → ``{task: {metric: value}}``.

    Metrics are lm-eval's (``acc``, ``acc_norm`` and their ``_stderr`` for multiple choice) plus
    ``samples``. ``include_path`` adds directories of your own task YAMLs (data files relative to them).
    """
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").is_file():
        raise AuroraError(f"{model_dir}: not an HF export (no config.json); use `auroralm export` first")
    if not lm_eval_available():
        raise AuroraError("lm-evaluation-harness is not installed: pip install 'auroralm[lmeval]'")
    import torch
    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    names = expand_tasks(tasks)
    if not names:
        raise AuroraError("no lm-eval tasks given: name tasks, groups or a preset (" + ", ".join(PRESETS) + ")")
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = "bfloat16" if device.startswith("cuda") else "float32"
    with tempfile.TemporaryDirectory(prefix="auroralm-lmeval-") as tmp:
        local = materialize_tasks([TASKS_DIR, *(include_path or [])], Path(tmp))
        only_local = set(names) <= local
        # Installed tasks fetch datasets unless the user asked for offline mode (any time before this call).
        offline = only_local or any(_truthy(os.environ.get(v)) for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))
        with hub_offline() if offline else contextlib.nullcontext():
            manager = TaskManager(include_path=tmp, include_defaults=not only_local)
            known = set(manager.all_tasks)
            unknown = [n for n in names if n not in known]
            if unknown:
                raise AuroraError(
                    f"unknown lm-eval task {', '.join(unknown)}: see `lm-eval ls tasks`, "
                    f"or use a preset ({', '.join(PRESETS)})"
                )
            _check_datasets(manager, names)  # before loading a possibly large model
            out = simple_evaluate(
                model="hf",
                model_args={"pretrained": str(model_dir), "dtype": dtype},  # a dict: paths may hold commas
                tasks=names,
                device=device,
                batch_size=batch_size,
                limit=limit,
                task_manager=manager,
                log_samples=False,
                bootstrap_iters=1000,
            )
    return metrics_table(out)


def materialize_tasks(sources: list[Path], dest: Path) -> set[str]:
    """Copy task directories under ``dest`` with relative data files made absolute → task and group names.

    Datasets resolve relative ``data_files`` against the working directory, so a task YAML that
    ships next to its data needs absolute paths filled in at run time.
    """
    names: set[str] = set()
    for i, src in enumerate(sources):
        src = Path(src).resolve()
        if not src.is_dir():
            raise AuroraError(f"lm-eval include path {src}: not a directory")
        target = dest / f"{i}_{src.name}"
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
        for path in sorted(target.rglob("*yaml")):
            try:
                config = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue  # custom tags such as !function: lm-eval reads the copy as it is
            if not isinstance(config, dict):
                continue
            names.update(config[k] for k in ("task", "group") if isinstance(config.get(k), str))
            files = (config.get("dataset_kwargs") or {}).get("data_files")
            if files:
                base = src / path.parent.relative_to(target)
                config["dataset_kwargs"]["data_files"] = _absolute(files, base)
                config["dataset_kwargs"].setdefault("cache_dir", str(dest / "datasets_cache"))
                path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return names


def _absolute(files, base: Path):
    if isinstance(files, dict):
        return {split: _absolute(f, base) for split, f in files.items()}
    if isinstance(files, list):
        return [_absolute(f, base) for f in files]
    return files if "://" in files or Path(files).is_absolute() else str(base / files)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().upper() in {"1", "ON", "YES", "TRUE"}


@contextlib.contextmanager
def hub_offline():
    """HF_HUB_OFFLINE/HF_DATASETS_OFFLINE for the duration, also for libraries that read them at import."""
    import datasets.config
    import huggingface_hub.constants as hub

    saved_env = {v: os.environ.get(v) for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")}
    saved = (hub.HF_HUB_OFFLINE, datasets.config.HF_HUB_OFFLINE, datasets.config.HF_DATASETS_OFFLINE)
    os.environ.update(dict.fromkeys(saved_env, "1"))
    hub.HF_HUB_OFFLINE = datasets.config.HF_HUB_OFFLINE = datasets.config.HF_DATASETS_OFFLINE = True
    try:
        yield
    finally:
        hub.HF_HUB_OFFLINE, datasets.config.HF_HUB_OFFLINE, datasets.config.HF_DATASETS_OFFLINE = saved
        for var, value in saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


def _check_datasets(manager, names: list[str]) -> None:
    for name in names:
        try:
            manager.load([name])
        except OSError as e:  # ConnectionError, DatasetNotFoundError, hub HTTP errors
            raise AuroraError(
                f"lm-eval task {name}: its dataset is not available offline ({type(e).__name__}); "
                "run it once with network access to fill the datasets cache, "
                "or use the offline preset (auroralm_mc)"
            ) from None


def metrics_table(out: dict) -> dict:
    """lm-eval's results → ``{task: {metric: value}}``; filters other than ``none`` become ``metric/filter``."""
    table = {}
    for task, row in out["results"].items():
        metrics = {}
        for key, value in row.items():
            metric, _, filter_name = key.partition(",")
            if not filter_name or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue  # name, alias, and "N/A" stderrs
            if isinstance(value, float) and math.isnan(value):
                continue
            metrics[metric if filter_name == "none" else f"{metric}/{filter_name}"] = float(value)
        samples = out.get("n-samples", {}).get(task)
        if samples:
            metrics["samples"] = samples["effective"]
        table[task] = metrics
    return table
