"""The one reader of the project's comment-bearing data files (gazetteer.datafiles)."""

import csv
from pathlib import Path

import pytest

from gazetteer.datafiles import csv_records, csv_rows, csv_table, data_lines
from geo.errors import RecordError, UsageError
from geo.extract.actors import read_actors
from geo.extract.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = sorted([*(ROOT / "gazetteer" / "data").glob("*.csv"), *(ROOT / "geo" / "data").glob("*.csv")])


@pytest.mark.parametrize(("line", "kept"), [
    ("a,b", True), ("# a note", False), ("   # indented note", False), ("", False), ("   ", False),
    ("a,# not a comment", True),
])
def test_comment_and_blank_lines_are_skipped(line, kept):
    assert [text for _, text in data_lines([line])] == ([line] if kept else [])


def test_records_keep_the_files_own_line_numbers_across_comments():
    text = "# head\nname,level\n\n# between\nKyiv,city\n  # indented\nDonetsk,admin1\n"
    assert list(csv_records(text.splitlines())) == [(2, ["name", "level"]), (5, ["Kyiv", "city"]),
                                                    (7, ["Donetsk", "admin1"])]


def test_a_quoted_cell_over_two_lines_is_one_record_dated_by_its_first_line():
    text = 'a,b\n# note\n"x\ny",z\nq,r\n'
    assert list(csv_records(text.splitlines(keepends=True))) == [(1, ["a", "b"]), (3, ["x\ny", "z"]), (5, ["q", "r"])]


def test_a_table_of_comments_only_has_no_header():
    assert csv_table(["# only a note", ""]) == (0, [], [])


def test_rows_fill_short_rows_with_none_and_keep_extra_cells_as_dict_reader_does(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# note\na,b\n1\n# mid\n1,2,3\n", encoding="utf-8")
    assert csv_rows(path) == [(3, {"a": "1", "b": None}), (5, {"a": "1", "b": "2", None: ["3"]})]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_data_file_reads_as_dict_reader_reads_its_lines_without_comments(path):
    with path.open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(line for line in fh if line.strip() and not line.lstrip().startswith("#")))
    assert [row for _, row in csv_rows(path)] == expected


def test_a_bad_taxonomy_row_after_a_comment_is_named_by_its_own_line():
    text = "# types\nname,event_type,sub_event_type,family,label,colour,icon\n# a note\nx,y\n"
    with pytest.raises(UsageError, match=r"^t\.csv:4: expected 7 cells, got 2"):
        Taxonomy.parse(text, "t.csv")


def test_a_bad_actor_row_after_comments_is_named_by_its_own_line(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("# actors\nactor,aliases,kind,country_code\n# mid\n\nHamas,,not_a_kind,\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        read_actors(path)
    assert err.value.line == 5

