"""Reading articles: the seed wire files, JSON Lines, CSV, directories, stdin, and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import InputError, RecordError
from geo.model import DatePrecision
from geo.read.articles import (
    check_paths,
    content_hash,
    parse_metadata_date,
    read_articles,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# title, dateline places, dateline country, near, has byline, has caption, has credit line
SEED_ARTICLES = [
    ("U.S., European weapons used to commit war crimes in Iraq: Amnesty", ("ERBIL",), "Iraq", False, False, True, True),
    ("Iraqi general says 70 percent of east Mosul retaken from Islamic State", ("ERBIL",), "Iraq", False, True, True, True),
    ("Threat of New Year attack in U.S. low but ‘undeniable’: agencies", ("WASHINGTON",), None, False, False, True, True),
    ("Iraqi forces face fierce Islamic State combat in south Mosul", ("MOSUL",), "Iraq", True, True, True, True),
    ("European cities ramp up security for New Year after Berlin attack", ("BERLIN", "PARIS"), None, False, True, True, True),
    ("Trauma of Islamic State rule follows Iraqi women out of Mosul", ("KHAZIR",), "Iraq", False, True, True, False),
    ("ISIS tells supporters to quit messaging apps for fear of U.S. bombs", ("CAIRO",), None, False, True, True, True),
    ("Iraqi troops retreat after Mosul hospital battle", ("BAGHDAD",), None, False, True, True, True),
    ("Ties between Russia and the Taliban worry Afghan, U.S. officials", ("KABUL",), None, False, True, True, True),
    ("Iraqi forces using siege and stealth to evict Islamic State from Mosul", ("MOSUL",), "Iraq", False, True, True, True),
    ("Dolls, teddy bears return to eastern Mosul after Islamic State", ("MOSUL",), "Iraq", False, True, True, True),
    ("Hundreds more join Mosul exodus as Iraqi forces retake two more western districts", ("MOSUL",), "Iraq", False, True, True, True),
    ("At Mosul waterfalls, Iraqis savor small joys of post-Islamic State life", ("MOSUL",), "Iraq", False, True, True, True),
    ("Paris gunman’s criminal past in focus as police hunt second suspect", ("PARIS",), None, False, True, True, True),
    ("‘We want to be happy’: Iraqi violinist plays in Mosul as troops battle IS", ("MOSUL",), "Iraq", False, True, True, True),
    ("U.S. troops still battling Islamic State near site of Afghan bomb strike", ("KABUL", "ABDUL KHIL"), "Afghanistan", False, True, True, True),
    ("Civilians trapped in Mosul could face worst catastrophe in Iraq conflict, U.N. warns", ("ERBIL",), "Iraq", False, False, True, True),
    ("U.S. Defense Secretary Mattis to talk Islamic State, Syria in Middle East", ("WASHINGTON",), None, False, True, True, True),
    ("Islamic State seeking alliance with al Qaeda, Iraqi vice president says", ("BAGHDAD",), None, False, False, True, True),
]


def read(paths, **kw):
    errors: list[RecordError] = []
    articles = list(read_articles([str(p) for p in paths], on_error=errors.append, **kw))
    return articles, errors


@pytest.fixture(scope="module")
def seed_articles():
    articles, errors = read([SEEDS])
    assert errors == []
    return articles


def test_seeds_split_into_19_articles_with_every_title_and_dateline(seed_articles):
    got = [(a.title, a.dateline.places, a.dateline.country, a.dateline.near, bool(a.byline), bool(a.caption),
            bool(a.credit)) for a in seed_articles]
    assert got == SEED_ARTICLES


def test_seed_article_text_runs_from_title_to_credit_line(seed_articles):
    for article in seed_articles:
        assert article.text.startswith(article.title)
        if article.credit:
            assert article.text.endswith(article.credit)
            assert article.credit.startswith("(") and "by" in article.credit.lower()


def test_seed_spans_index_article_text_and_offsets_index_the_file(seed_articles):
    files = {str(p): p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for a in seed_articles:
        whole = files[a.path]
        assert whole[a.offset:a.offset + len(a.text)] == a.text
        assert whole.split("\n")[a.line - 1] == a.title
        assert a.text[a.dateline.span.start:a.dateline.span.end].endswith("(Reuters) –")
        assert a.body.startswith(a.text[a.dateline.span.start:a.dateline.span.end])
        assert a.byline == "" or a.byline.startswith("By ")


def test_section_headings_stay_in_the_body(seed_articles):
    assert "HUMAN SHIELDS" in seed_articles[1].body
    assert "“GATES OF HELL”" in seed_articles[7].body


def test_story_without_credit_line_ends_before_next_title(seed_articles):
    khazir = seed_articles[5]
    assert khazir.text.rstrip().endswith("“I want to go somewhere far away where nobody knows me.”")
    assert "ISIS tells supporters" not in khazir.text


def test_wire_ids_are_content_hashes_and_stable(seed_articles):
    again, _ = read([SEEDS])
    assert [a.id for a in again] == [a.id for a in seed_articles]
    assert all(a.id.startswith("a-") and len(a.id) == 18 for a in seed_articles)
    assert len({a.id for a in seed_articles}) == 19
    assert all(a.content_hash == content_hash(a.text, a.title) for a in seed_articles)


def test_reads_jsonl_with_metadata_and_dateline(tmp_path):
    rows = [
        {"id": 7, "title": "T1", "text": "WASHINGTON (Reuters) - Lead.", "date": "2017-12-31", "url": "https://r/1",
         "source": "Reuters", "subject": "ignored"},
        {"title": "T2", "text": "No dateline here.", "date": "December 31, 2017 "},
        {"text": "BAGHDAD (Reuters) - X.", "date": "2017-12-31T10:00:00Z"},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (a, b, c), errors = read([path])
    assert errors == []
    assert (a.id, a.title, a.url, a.source, a.line) == ("7", "T1", "https://r/1", "Reuters", 1)
    assert a.date == dt.date(2017, 12, 31) and a.date_precision is DatePrecision.DAY and a.date_source == "metadata"
    assert a.dateline.places == ("WASHINGTON",) and a.text[a.dateline.span.start:a.dateline.span.end] == "WASHINGTON (Reuters) -"
    assert a.title_span is None
    assert b.id.startswith("a-") and b.date == dt.date(2017, 12, 31) and b.dateline is None
    assert c.date == dt.date(2017, 12, 31) and c.line == 3


def test_unreadable_date_keeps_article_and_reports(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Body.", "date": "sometime soon"}) + "\n")
    (article,), errors = read([path])
    assert article.date is None and article.date_precision is DatePrecision.UNKNOWN
    assert len(errors) == 1 and errors[0].line == 1 and "date" in str(errors[0])
    assert errors[0].skipped is False


BAD_JSONL_LINES = {
    "not json at all": "not valid JSON",
    "[1, 2]": "expected a JSON object",
    '{"title": "no text"}': "no 'text'",
    '{"text": 42}': "'text' must be a string",
    '{"text": "   "}': "empty 'text'",
    '{"text": "trunc': "not valid JSON",
    "[" * 100_000 + "]" * 100_000: "",
}


def test_bad_jsonl_records_are_reported_with_file_and_line_and_skipped(tmp_path):
    good = json.dumps({"id": "ok", "text": "Fine."})
    lines = [good, *BAD_JSONL_LINES, "", good.replace('"ok"', '"ok2"')]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = read([path])
    assert [a.id for a in articles] == ["ok", "ok2"]
    assert [e.line for e in errors] == list(range(2, 2 + len(BAD_JSONL_LINES)))
    for error, expected in zip(errors, BAD_JSONL_LINES.values()):
        assert error.path == str(path) and expected in error.reason and error.skipped
        assert str(error).startswith(f"{path}:{error.line}: ")


def test_invalid_utf8_line_in_jsonl_skips_only_that_record(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine \xc3\xa9"}\n')
    articles, errors = read([path])
    assert [a.text for a in articles] == ["fine é"]
    assert [(e.line, "UTF-8" in e.reason) for e in errors] == [(1, True)]


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"text": "A."}\r\n{"text": "B."}\r\n')
    articles, errors = read([path])
    assert [a.text for a in articles] == ["A.", "B."] and errors == []
    wire = tmp_path / "w.txt"
    wire.write_bytes(b"\xef\xbb\xbfTitle\r\n\r\nPARIS (Reuters) - Lead.\r\n\r\n(Editing by X)\r\n")
    (article,), errors = read([wire])
    assert article.title == "Title" and article.credit == "(Editing by X)" and "\r" not in article.text


def test_reads_csv_with_embedded_newlines_quotes_and_line_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        'ID,Title,text,date\n'
        '1,"He said ""hi""","MOSUL, Iraq (Reuters) - Line one.\nLine two.",2017-04-21\n'
        '2,Second,Plain text,\n',
        encoding="utf-8",
    )
    (a, b), errors = read([path])
    assert errors == []
    assert a.title == 'He said "hi"' and a.text == "MOSUL, Iraq (Reuters) - Line one.\nLine two."
    assert a.dateline.places == ("MOSUL",) and a.date == dt.date(2017, 4, 21)
    assert (a.line, b.line) == (2, 4)


def test_bad_csv_rows_are_reported_and_skipped(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'id,text\n1,ok\n2,too,many\n3,\n4,"caf\xe9"\n5,fine\n')
    articles, errors = read([path])
    assert [a.id for a in articles] == ["1", "5"]
    assert [e.line for e in errors] == [3, 4, 5]
    assert "expected 2 fields" in errors[0].reason and "empty" in errors[1].reason and "UTF-8" in errors[2].reason


def test_csv_without_text_column_is_one_error_for_the_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,body\n1,x\n2,y\n")
    articles, errors = read([path])
    assert articles == [] and len(errors) == 1 and "'text' column" in errors[0].reason


def test_directory_is_read_recursively_sorted_skipping_hidden_and_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.jsonl").write_text(json.dumps({"id": "z", "text": "Z."}) + "\n")
    (tmp_path / "a.csv").write_text("id,text\na,A.\n")
    (tmp_path / ".secret.jsonl").write_text(json.dumps({"id": "s", "text": "S."}) + "\n")
    (tmp_path / ".hidden" / "h.jsonl").write_text(json.dumps({"id": "h", "text": "H."}) + "\n")
    (tmp_path / "README.md").write_text("# not an article\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    articles, errors = read([tmp_path])
    assert [a.id for a in articles] == ["a", "z"] and errors == []


def test_explicit_file_with_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "x.dat").write_text(json.dumps({"id": "j", "text": "J."}) + "\n")
    (tmp_path / "y.dat").write_text("id,text\nc,C.\n")
    (tmp_path / "z.dat").write_text("Headline\n\nROME (Reuters) - Lead.\n")
    articles, _ = read([tmp_path / "x.dat", tmp_path / "y.dat", tmp_path / "z.dat"])
    assert [a.id for a in articles][:2] == ["j", "c"] and articles[2].title == "Headline"


def test_json_array_file_is_accepted(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": "1", "text": "One."}, {"nope": 1}]))
    articles, errors = read([path])
    assert [a.id for a in articles] == ["1"] and "item 2" in errors[0].reason


@pytest.mark.parametrize("data,kind", [
    (b'{"id": "s1", "text": "From stdin."}\n', "jsonl"),
    (b"id,text\ns1,From stdin.\n", "csv"),
    (b"Stdin headline\n\nOSLO (Reuters) - From stdin.\n", "wire"),
])
def test_reads_standard_input_sniffing_the_format(data, kind):
    script = ("import sys; from geo.read.articles import read_articles\n"
              "for a in read_articles(['-']): print(a.id, a.path, a.title, sep='|')")
    out = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, timeout=60,
                         env={"PYTHONPATH": str(ROOT)}, check=True).stdout.decode()
    ident, path, title = out.strip().split("|")
    assert path == "-"
    if kind == "wire":
        assert ident.startswith("a-") and title == "Stdin headline"
    else:
        assert ident == "s1"


def test_binary_and_empty_files_are_one_report_each(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n")
    articles, errors = read([tmp_path / "bin.txt", tmp_path / "empty.jsonl", tmp_path / "blank.txt"])
    assert articles == []
    assert ["binary" in errors[0].reason, "empty" in errors[1].reason, "empty" in errors[2].reason] == [True] * 3


def test_latin1_bytes_in_wire_text_are_recovered_with_one_warning(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes("Title\n\nPARIS (Reuters) – Café owners said.\n".encode() + b"The caf\xe9 and na\xefve.\n")
    (article,), errors = read([path])
    assert "café and naïve" in article.text and "Café owners" in article.text
    assert len(errors) == 1 and errors[0].line == 4


def test_duplicate_ids_are_renamed_and_exact_repeats_dropped(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x", "text": "One."}, {"id": "x", "text": "Other."}, {"id": "x", "text": "One."}]) + "\n")
    articles, errors = read([path])
    assert [a.id for a in articles] == ["x", "x-2"]
    assert [e.line for e in errors] == [2, 3]


def test_missing_paths_are_input_errors_and_dash_is_fine(tmp_path):
    check_paths(["-", str(SEEDS)])
    with pytest.raises(InputError, match="does not exist"):
        check_paths([str(tmp_path / "nope.txt")])
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(InputError, match="no article files"):
        check_paths([str(tmp_path / "empty_dir")])


def test_missing_path_during_reading_is_reported_not_raised(tmp_path):
    articles, errors = read([tmp_path / "gone.jsonl"])
    assert articles == [] and "does not exist" in errors[0].reason


def test_default_error_handler_warns():
    with pytest.warns(UserWarning, match="does not exist"):
        assert list(read_articles(["/nonexistent/x.txt"])) == []


def test_reading_is_lazy(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "A."}) + "\nnot json\n")
    errors = []
    stream = read_articles([str(path)], on_error=errors.append)
    next(stream)
    assert errors == []


@pytest.mark.parametrize("value,expected", [
    ("2017-12-31", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("2017-12-31T23:59:00+01:00", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("December 31, 2017 ", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("Dec 31, 2017", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("31-Dec-17", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("2017-12", (dt.date(2017, 12, 1), DatePrecision.MONTH)),
    ("2017-13-01", None), ("yesterday", None), ("", None),
    # placeholders and the calendar's ends are no dates (issue 19, item 2)
    ("9999-12-31", None), ("0001-01-01T00:00:00Z", None), ("1899-12-31", None), ("2101-01-01", None),
    ("1900-01-01", (dt.date(1900, 1, 1), DatePrecision.DAY)), ("2100-12", (dt.date(2100, 12, 1), DatePrecision.MONTH)),
    # strptime's numbers are any decimal digits; a value that ends in none is no date before any format is tried
    ("Dec 31, \u0662\u0660\u0661\u0667", (dt.date(2017, 12, 31), DatePrecision.DAY)), ("2017/12/31", (dt.date(2017, 12, 31), DatePrecision.DAY)),
    ("Dec 31, 2017x", None), ("not a date ${alert(3)}", None),
])
def test_parses_metadata_dates(value, expected):
    assert parse_metadata_date(value) == expected


def test_isot_corpus_reads_without_errors_and_mostly_has_datelines(corpora_dir):
    path = corpora_dir / "isot-reuters-true-sample" / "isot-true.jsonl"
    if not path.exists():
        pytest.skip("ISOT sample absent")
    articles, errors = read([path])
    assert len(articles) == 1497 and errors == []
    assert all(a.date is not None for a in articles)
    assert sum(a.dateline is not None for a in articles) >= 1390


def test_header_only_csv_and_blank_jsonl_are_reported_once(tmp_path):
    (tmp_path / "h.csv").write_text("id,text\n")
    (tmp_path / "b.jsonl").write_text("\n" * 70_000)
    articles, errors = read([tmp_path / "h.csv", tmp_path / "b.jsonl"])
    assert articles == []
    assert [(e.reason, e.skipped) for e in errors] == [("no articles in file", False), ("empty file", False)]


def test_replaced_text_stdin_is_read(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": "t", "text": "Typed in."}\n'))
    articles, errors = read(["-"])
    assert [a.id for a in articles] == ["t"] and errors == []


def test_source_comes_from_metadata_or_the_dateline_agency(seed_articles, tmp_path):
    assert {a.source for a in seed_articles} == {"Reuters"}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "KABUL, Afghanistan (AP) — Lead."}) + "\n"
                    + json.dumps({"text": "KABUL (Reuters) - Lead.", "source": "Feed X"}) + "\n")
    (a, b), _ = read([path])
    assert (a.source, b.source) == ("AP", "Feed X")


def test_a_pipe_in_a_folder_is_reported_and_skipped_not_waited_on(tmp_path):
    import os

    from geo.read.articles import read_articles

    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "Gunmen attacked a checkpoint."}\n', encoding="utf-8")
    os.mkfifo(tmp_path / "stuck.jsonl")
    errors: list[RecordError] = []
    got = [a.id for a in read_articles([str(tmp_path)], on_error=errors.append)]
    assert got == ["a"]
    assert len(errors) == 1 and "stuck.jsonl" in str(errors[0]) and "not a regular file" in str(errors[0])
