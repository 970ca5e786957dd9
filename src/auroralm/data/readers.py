"""Streaming readers: every input line, row or file becomes a Record, readable or not, so nothing is lost.

Formats: JSONL (plain, .gz, .zst), Parquet (row batches), text files (one document each), source-code
trees (files by extension, programming language recorded) and HF ``datasets`` saved to disk.
Memory stays bounded by the largest single document.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auroralm.errors import AuroraError

CODE_EXTENSIONS = {
    ".py": "python", ".js": "javascript", ".mjs": "javascript", ".ts": "typescript", ".tsx": "typescript",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".java": "java", ".go": "go",
    ".rs": "rust", ".rb": "ruby", ".php": "php", ".cs": "csharp", ".kt": "kotlin", ".swift": "swift",
    ".scala": "scala", ".sh": "bash", ".bash": "bash", ".sql": "sql", ".r": "r", ".jl": "julia",
    ".lua": "lua", ".pl": "perl", ".hs": "haskell", ".ml": "ocaml", ".f90": "fortran",
}
TEXT_EXTENSIONS = {".txt", ".md", ".rst", ""}
JSONL_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".json.zst")
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", "build", "dist"}
MAX_FILE_BYTES = 10 * 2**20  # a source file above this is generated data, not code
try:
    from zstandard import ZstdError
except ImportError:  # zstandard is a dependency; this keeps the module importable without it
    ZstdError = OSError
_READ_ERRORS = (OSError, EOFError, zlib.error, ZstdError)  # truncated or corrupt compressed input


@dataclass
class Record:
    """One input document, or the reason it could not be read."""

    doc_id: str
    text: str | None
    reason: str | None = None
    meta: dict = field(default_factory=dict)


def detect_format(path: Path) -> str:
    """The reader for a path: jsonl, parquet, hf (a saved dataset), code (a tree), or text."""
    name = path.name.lower()
    if path.is_dir():
        return "hf" if (path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists() else "code"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return "code" if path.suffix.lower() in CODE_EXTENSIONS else "text"


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


@dataclass
class ReadOptions:
    text_field: str = "text"
    paired: bool = False  # instruction/response records rendered with ``template``
    template: str = "{instruction}\n{response}"
    split: str | None = None


def _from_object(obj: object, doc_id: str, opts: ReadOptions) -> Record:
    if not isinstance(obj, dict):
        return Record(doc_id, None, "malformed_json")
    doc_id = str(obj.get("id", doc_id))
    if opts.split and obj.get("split") != opts.split:
        return Record(doc_id, None, "excluded_split")
    text = render_instruction(obj, opts.template) if opts.paired else obj.get(opts.text_field)
    if not isinstance(text, str):
        return Record(doc_id, None, "missing_text_field")
    meta = {"language": obj["lang"]} if isinstance(obj.get("lang"), str) else {}
    return Record(doc_id, text, meta=meta)


def read_jsonl(path: Path, opts: ReadOptions) -> Iterator[Record]:
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
            yield _from_object(obj, doc_id, opts)


def read_parquet(path: Path, opts: ReadOptions) -> Iterator[Record]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise AuroraError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from None
    pf = pq.ParquetFile(path)
    row = 0
    for batch in pf.iter_batches(batch_size=1024):
        for obj in batch.to_pylist():
            row += 1
            yield _from_object(obj, f"{path.name}:{row}", opts)


def read_hf_dataset(path: Path, opts: ReadOptions) -> Iterator[Record]:
    try:
        from datasets import load_from_disk
    except ImportError:
        raise AuroraError(f"{path}: reading a saved HF dataset needs `datasets` (pip install datasets)") from None
    ds = load_from_disk(str(path))
    splits = ds.items() if hasattr(ds, "items") else [("data", ds)]
    for split_name, part in splits:
        for i, obj in enumerate(part):
            yield _from_object(obj, f"{path.name}/{split_name}:{i + 1}", opts)


def read_file_document(path: Path, language: str | None = None) -> Record:
    """One file as one document; binary and undecodable files are recorded, not read."""
    meta = {"programming_language": language} if language else {}
    try:
        if path.stat().st_size > MAX_FILE_BYTES and language:
            return Record(str(path), None, "file_too_large", meta)
        data = path.read_bytes()
    except OSError:
        return Record(str(path), None, "unreadable_file", meta)
    if b"\x00" in data[:8192]:
        return Record(str(path), None, "binary_file", meta)
    try:
        return Record(str(path), data.decode("utf-8"), meta=meta)
    except UnicodeDecodeError:
        return Record(str(path), None, "invalid_utf8", meta)


def read_code_tree(root: Path) -> Iterator[Record]:
    """Source files under ``root`` by extension (other files are not documents of a code tree)."""
    files = [root] if root.is_file() else []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        files.extend(Path(dirpath) / f for f in sorted(filenames))
    for path in files:
        language = CODE_EXTENSIONS.get(path.suffix.lower())
        if language:
            yield read_file_document(path, language)


def read_path(path: Path, fmt: str, opts: ReadOptions) -> Iterator[Record]:
    """All records of one input path, in a deterministic order. Unreadable inputs become records."""
    if fmt == "auto":
        fmt = detect_format(path)
    try:
        if fmt == "jsonl":
            yield from read_jsonl(path, opts)
        elif fmt == "parquet":
            yield from read_parquet(path, opts)
        elif fmt == "hf":
            yield from read_hf_dataset(path, opts)
        elif fmt == "code":
            yield from read_code_tree(path)
        elif path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                yield read_file_document(f)
        else:
            yield read_file_document(path)
    except _READ_ERRORS as e:
        print(f"warning: {path}: stopped reading ({type(e).__name__}: {e})")
        yield Record(str(path), None, "unreadable_file")
