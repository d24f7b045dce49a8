"""Hostile input for the reader: it never raises, and every rejected record names its file and line."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import RecordError
from geo.read.articles import read_articles

# Fixed examples in CI (no flaky runs); FUZZ_EXAMPLES=2000 explores fresh random cases locally.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                derandomize="FUZZ_EXAMPLES" not in os.environ, suppress_health_check=[HealthCheck.too_slow])

# Text with the awkward parts of Unicode: RTL, combining marks, emoji, NUL, lone surrogates.
HOSTILE_CHARS = st.sampled_from([
    "\u202e", "\u200f", "\u0301", "\u0338", "\U0001F4A3", "\U0001F1EE\U0001F1F6", "\x00", "\ufeff", "\r", "\n",
    "\u2028", "\t", "\"", "'", ",", "{", "[", "\\", "(", ")", "–", "—", "=", "<script>", "مرحبا", "שלום",
])
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=20), HOSTILE_CHARS), max_size=30).map("".join)


def _read(path: str) -> tuple[list, list[RecordError]]:
    errors: list[RecordError] = []
    articles = list(read_articles([path], on_error=errors.append))
    return articles, errors


def _write(data: bytes, suffix: str) -> str:
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def _check(path: str, data: bytes) -> tuple[list, list[RecordError]]:
    try:
        articles, errors = _read(path)
    finally:
        os.unlink(path)
    lines = data.count(b"\n") + 1
    for e in errors:
        assert isinstance(e, RecordError) and e.path == path and e.reason
        assert e.line is None or 1 <= e.line <= lines
        assert str(e).startswith(path)
    for a in articles:
        assert a.id and a.text.strip()
        for span in (a.title_span, a.caption_span, a.byline_span, a.body_span, a.credit_span,
                     a.dateline.span if a.dateline else None):
            assert span is None or 0 <= span.start <= span.end <= len(a.text)
        a.text.encode("utf-8")          # every article can be written out again
    return articles, errors


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".jsonl", ".csv", ".json", ".dat"]))
def test_arbitrary_bytes_never_raise(data, suffix):
    _check(_write(data, suffix), data)


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_arbitrary_unicode_jsonl_records_round_trip_or_are_reported(texts):
    lines = [json.dumps({"id": f"r{i}", "title": t[:50], "text": t}) for i, t in enumerate(texts)]
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    articles, errors = _check(_write(data, ".jsonl"), data)
    kept = {a.id: a for a in articles}
    for i, t in enumerate(texts):
        if t.strip():
            assert kept[f"r{i}"].text == t
        else:
            assert f"r{i}" not in kept and any(e.line == i + 1 for e in errors)


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_csv_with_embedded_newlines_and_quotes_round_trips(texts):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["id", "text", "title"])
    for i, t in enumerate(texts):
        writer.writerow([f"c{i}", t, t[:10]])
    data = buf.getvalue().encode("utf-8")
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
        texts = [t.replace("\x00", "") for t in texts]
    articles, errors = _check(_write(data, ".csv"), data)
    kept = {a.id: a.text for a in articles}
    if any(e.line is None and "binary" in e.reason for e in errors):
        return                      # mostly control characters: rejected as a whole, and said so
    for i, t in enumerate(texts):
        if t.strip() and "\r" not in t:
            assert kept.get(f"c{i}") == t, (t, errors)


@FUZZ
@given(st.lists(st.tuples(TEXT, st.booleans()), min_size=1, max_size=8))
def test_latin1_bytes_in_utf8_jsonl_skip_only_their_lines(records):
    lines = []
    for i, (t, latin) in enumerate(records):
        line = json.dumps({"id": f"m{i}", "text": "x" + t}, ensure_ascii=False).encode("utf-8", "surrogatepass")
        lines.append(line.replace(b'"x', b'"x\xe9', 1) if latin else line)
    data = b"\n".join(lines) + b"\n"
    articles, errors = _check(_write(data, ".jsonl"), data)
    bad_lines = {i + 1 for i, (_, latin) in enumerate(records) if latin}
    assert {e.line for e in errors if "UTF-8" in e.reason} == bad_lines
    assert {a.id for a in articles} >= {f"m{i}" for i, (t, latin) in enumerate(records) if not latin and "\x00" not in t}


@FUZZ
@given(st.lists(st.text(max_size=200), min_size=1, max_size=5), st.data())
def test_truncated_json_lines_are_reported_per_line(texts, data):
    lines = [json.dumps({"text": "a" + t}) for t in texts]
    cuts = [data.draw(st.integers(1, len(line) - 1)) for line in lines]
    raw = "\n".join(line[:cut] for line, cut in zip(lines, cuts)) + "\n"
    payload = raw.encode("utf-8", "surrogatepass")
    articles, errors = _check(_write(payload, ".jsonl"), payload)
    assert len(articles) + len(errors) == len(lines)


@FUZZ
@given(st.lists(TEXT, max_size=12))
def test_wire_text_of_arbitrary_paragraphs_keeps_spans_inside_the_file(paragraphs):
    text = "\n\n".join(paragraphs)
    data = text.encode("utf-8", "surrogatepass")
    articles, _ = _check(_write(data, ".txt"), data)
    decoded = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    for a in articles:
        if "\ufffd" not in decoded and not decoded.startswith("\ufeff"):
            assert decoded[a.offset:a.offset + len(a.text)] == a.text


@pytest.mark.parametrize("suffix,make", [
    (".jsonl", lambda: json.dumps({"text": "Z" * 3_000_000}).encode() + b"\n"),
    (".csv", lambda: b"id,text\n1," + b"Z" * 3_000_000 + b"\n"),
    (".txt", lambda: b"Title\n\nPARIS (Reuters) - " + b"Z" * 3_000_000 + b"\n"),
])
def test_huge_lines_are_read(suffix, make):
    data = make()
    articles, errors = _check(_write(data, suffix), data)
    assert len(articles) == 1 and errors == [] and len(articles[0].text) >= 3_000_000


@pytest.mark.parametrize("line", [
    "[" * 200_000, "{\"a\":" * 100_000, "[" * 50_000 + "]" * 50_000, '{"text": "' + "\\ud800" * 10 + '"}',
    '{"text": "ok", "id": {"nested": [1, 2]}}', '{"text": "ok", "date": 20171231}', "\x00\x00",
])
def test_nested_and_odd_json_never_raise(line):
    data = (line + "\n").encode("utf-8")
    _check(_write(data, ".jsonl"), data)


def test_whitespace_only_articles_in_every_format_are_reported():
    for suffix, data in [(".jsonl", b'{"text": " \\n\\t "}\n'), (".csv", b"id,text\n1,\"  \n \"\n"),
                         (".txt", b"\n\n   \n\t\n")]:
        articles, errors = _check(_write(data, suffix), data)
        assert articles == [] and len(errors) == 1
