"""The run report: ``report.html`` (plots, forgetting and safety tables, data funnel) and ``MODEL_CARD.md``."""

from auroralm.report.build import write_report

__all__ = ["write_report"]
