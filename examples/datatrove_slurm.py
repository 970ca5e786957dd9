"""Clean a large crawl with auroralm's chain on a Slurm cluster through datatrove.

    pip install 'auroralm[datatrove]'
    python examples/datatrove_slurm.py /data/crawl /data/cleaned --tasks 512 --partition cpu

Each Slurm task reads its share of the input files, runs auroralm's language id, per-language
quality filters, toxicity filter and PII redaction, and writes kept documents; datatrove records
per-task completion, so re-submitting the same command skips finished tasks. Use
``LocalPipelineExecutor`` (as in the test suite) on one machine, or ``RayPipelineExecutor`` on Ray.
Near-duplicates across the whole crawl are then removed with datatrove's MinHash pipeline
(``datatrove.pipeline.dedup.minhash``), which shards that work too.
"""

import argparse

from datatrove.executor import SlurmPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from auroralm.data.datatrove_steps import AuroraCleanFilter
from auroralm.recipe import DataConfig


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--tasks", type=int, default=64)
    p.add_argument("--partition", default="cpu")
    p.add_argument("--time", default="12:00:00")
    args = p.parse_args()
    SlurmPipelineExecutor(
        job_name="auroralm-clean",
        pipeline=[
            JsonlReader(args.input, glob_pattern="**/*.jsonl*"),
            AuroraCleanFilter(DataConfig(), exclusion_writer=JsonlWriter(f"{args.output}/removed")),
            JsonlWriter(f"{args.output}/kept", output_filename="${rank}.jsonl.gz"),
        ],
        tasks=args.tasks,
        time=args.time,
        partition=args.partition,
        logging_dir=f"{args.output}/logs",
    ).run()


if __name__ == "__main__":
    main()
