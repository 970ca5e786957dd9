"""Per-step metrics: ``metrics.jsonl`` always, TensorBoard when it is installed."""

from __future__ import annotations

import json
from pathlib import Path


class MetricsLog:
    def __init__(self, path: Path, enabled: bool = True):
        self.fh = open(path, "a", encoding="utf-8") if enabled else None
        self.tb = None
        if enabled:
            try:
                from torch.utils.tensorboard import SummaryWriter

                self.tb = SummaryWriter(str(path.parent / "tensorboard"))
            except ImportError:  # tensorboard is optional
                pass

    def write(self, record: dict) -> None:
        if self.fh is None:
            return
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.fh.flush()
        if self.tb is not None:
            for key, value in _flatten(record).items():
                self.tb.add_scalar(f"{record['stage']}/{key}", value, record["tokens_seen"])

    def close(self) -> None:
        if self.fh:
            self.fh.close()
        if self.tb:
            self.tb.close()


def _flatten(record: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for k, v in record.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}/"))
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and k not in ("step", "tokens_seen"):
            out[prefix + k] = float(v)
    return out
