"""The labelled event sentences: reading and checking them, and the corpus annotations kept as offsets.

Two kinds of rows (docs/event-guideline.md):
- sentences written for this project, `geo/data/events/written_*.jsonl`: `id`, `text`, `labels`,
  `style`, `lookalike_of`, `split`; the shipped model is trained on their `train` split;
- sentences of the research-only corpora in `../shared/corpora/`, kept as `doc_id`, `start`, `end`,
  `labels`, `split` (`tests/data/event_sentences_*.jsonl`); their text is read from the corpus at
  evaluation time and never stored in the repository.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.errors import RecordError

__all__ = ["NONE", "SPLITS", "STYLES", "LabelledSentence", "corpus_sentences", "read_labelled", "written_files"]

NONE = "none"
SPLITS = ("train", "dev", "test")
STYLES = ("wire", "local", "ngo", "police", "acled", "social", "corpus")
DATA_DIR = Path(__file__).parent.parent / "data" / "events"


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One sentence and the types it reports (empty: no event)."""

    id: str
    text: str
    labels: tuple[str, ...]
    split: str
    style: str = "corpus"
    lookalike_of: str | None = None

    def __post_init__(self) -> None:
        if self.split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {self.split!r}")
        if NONE in self.labels:
            raise ValueError("`none` is the empty label set, not a label")


def written_files(folder: Path = DATA_DIR) -> list[Path]:
    """The files of written sentences, in name order."""
    return sorted(folder.glob("written_*.jsonl"))


def read_labelled(paths: Iterable[Path], types: Iterable[str]) -> list[LabelledSentence]:
    """Every row of the written-sentence files; a malformed row raises `RecordError` with file and line."""
    known = set(types)
    seen: dict[str, str] = {}
    out = []
    for path in paths:
        for line_no, row in _json_lines(path):
            where = f"{path}:{line_no}"
            try:
                text, labels = row["text"], _labels(row["labels"], known)
                split, style = row["split"], row.get("style", "wire")
                item = LabelledSentence(str(row["id"]), text, labels, split, style, row.get("lookalike_of"))
            except KeyError as exc:
                raise RecordError(f"missing field {exc.args[0]!r}", str(path), line_no) from exc
            except (TypeError, ValueError) as exc:
                raise RecordError(str(exc), str(path), line_no) from exc
            if not isinstance(text, str) or not text.strip():
                raise RecordError("empty text", str(path), line_no)
            if style not in STYLES:
                raise RecordError(f"unknown style {style!r}; expected one of: {', '.join(STYLES)}", str(path), line_no)
            if item.id in seen:
                raise RecordError(f"id {item.id!r} is also at {seen[item.id]}", str(path), line_no)
            seen[item.id] = where
            out.append(item)
    return out


def corpus_sentences(path: Path, corpora: dict[str, Path], types: Iterable[str]) -> list[LabelledSentence]:
    """Annotated corpus sentences with their text read from the corpora (`prefix -> jsonl path`)."""
    known = set(types)
    rows = list(_json_lines(path))
    texts: dict[str, str] = {}
    wanted = {row.get("doc_id") for _, row in rows}
    for prefix, corpus in corpora.items():
        for _, doc in _json_lines(corpus):
            if doc.get("id") in wanted and str(doc["id"]).startswith(prefix):
                texts[doc["id"]] = doc["text"]
    out = []
    for line_no, row in rows:
        try:
            doc, start, end = row["doc_id"], int(row["start"]), int(row["end"])
            labels = _labels(row["labels"], known)
        except KeyError as exc:
            raise RecordError(f"missing field {exc.args[0]!r}", str(path), line_no) from exc
        except (TypeError, ValueError) as exc:
            raise RecordError(str(exc), str(path), line_no) from exc
        if doc not in texts:
            raise RecordError(f"document {doc!r} is in none of the corpora", str(path), line_no)
        text = texts[doc]
        if not 0 <= start < end <= len(text):
            raise RecordError(f"span {start}-{end} is outside the document ({len(text)} characters)",
                              str(path), line_no)
        out.append(LabelledSentence(f"{doc}:{start}", text[start:end], labels, row.get("split", "test")))
    return out


def _labels(value: object, known: set[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError("labels must be a non-empty list of type names")
    unknown = [v for v in value if v != NONE and v not in known]
    if unknown:
        raise ValueError(f"unknown type {unknown[0]!r}; expected `none` or one of: {', '.join(sorted(known))}")
    if NONE in value and len(value) > 1:
        raise ValueError("`none` cannot stand beside a type")
    return tuple(dict.fromkeys(v for v in value if v != NONE))


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        # split on newlines only: JSON strings may hold U+2028 and other separators `splitlines` breaks at
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"cannot read ({exc})", str(path)) from exc
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"not JSON ({exc.msg})", str(path), line_no) from exc
        if not isinstance(row, dict):
            raise RecordError("not a JSON object", str(path), line_no)
        yield line_no, row
