"""Streaming readers: every input line or file becomes a Record, readable or not, so nothing is lost."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auroralm.recipe import SourceConfig


@dataclass
class Record:
    """One input document, or the reason it could not be read."""

    doc_id: str
    text: str | None
    reason: str | None = None


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".zst":
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb")))
    return open(path, "rb")


def render_instruction(obj: dict, template: str) -> str | None:
    """Render an instruction pair (``instruction`` or ``prompt`` + ``response``) in the template."""
    instruction = obj.get("instruction", obj.get("prompt"))
    response = obj.get("response")
    if not isinstance(instruction, str) or not isinstance(response, str):
        return None
    return template.format(instruction=instruction.strip(), response=response.strip())


def read_jsonl(path: Path, source: SourceConfig, template: str) -> Iterator[Record]:
    paired = source.kind in ("instructions", "safety")
    with _open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            doc_id = f"{path.name}:{lineno}"
            if not raw.strip():
                continue  # blank lines are not documents
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Record(doc_id, None, "invalid_utf8")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                yield Record(doc_id, None, "malformed_json")
                continue
            if not isinstance(obj, dict):
                yield Record(doc_id, None, "malformed_json")
                continue
            doc_id = str(obj.get("id", doc_id))
            if source.split and obj.get("split") != source.split:
                yield Record(doc_id, None, "excluded_split")
                continue
            text = render_instruction(obj, template) if paired else obj.get(source.text_field)
            if not isinstance(text, str):
                yield Record(doc_id, None, "missing_text_field")
                continue
            yield Record(doc_id, text)


def read_text(path: Path) -> Iterator[Record]:
    try:
        data = path.read_bytes()
    except OSError:
        yield Record(str(path), None, "unreadable_file")
        return
    if b"\x00" in data[:8192]:
        yield Record(str(path), None, "binary_file")
        return
    try:
        yield Record(str(path), data.decode("utf-8"))
    except UnicodeDecodeError:
        yield Record(str(path), None, "invalid_utf8")


def read_source(files: list[Path], source: SourceConfig, template: str) -> Iterator[Record]:
    """All records of a source, in file order then line order (deterministic)."""
    for path in files:
        if source.format == "text":
            yield from read_text(path)
            continue
        try:
            yield from read_jsonl(path, source, template)
        except OSError as e:
            yield Record(str(path), None, "unreadable_file")
            print(f"warning: cannot read {path}: {e}")
        except EOFError:
            yield Record(str(path), None, "truncated_file")
