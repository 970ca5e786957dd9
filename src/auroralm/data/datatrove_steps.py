"""auroralm's per-document cleaning chain as a datatrove filter, for datatrove's Local, Slurm and Ray executors.

Language id, per-language quality filters, toxicity and PII redaction run inside the step;
near-duplicate removal across a cluster is left to datatrove's MinHash steps, which shard it.
Requires ``pip install 'auroralm[datatrove]'``.
"""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from auroralm.data.clean import DocumentCleaner
from auroralm.recipe import DataConfig


class AuroraCleanFilter(BaseFilter):
    """Drops documents with auroralm's reason names (datatrove counts them as ``dropped_<reason>``);
    kept documents get PII redacted and ``metadata["language"]`` set."""

    name = "auroralm clean"

    def __init__(self, data: DataConfig | None = None, kind: str = "web", language: str | None = None,
                 exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.cleaner = DocumentCleaner(data or DataConfig())
        self.kind, self.language = kind, language

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        out = self.cleaner(doc.text, self.kind, self.language, doc.metadata)
        doc.metadata["language"] = out.lang
        if out.reason:
            return False, out.reason
        doc.text = out.text
        for kind, n in out.pii.items():
            if n:
                self.stat_update(f"pii_{kind}", value=n)
        return True
