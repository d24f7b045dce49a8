"""Incident confidence as a calibrated probability: the shipped file, its checks, and the script that makes it."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from mapcases import incident

from geo.errors import UsageError
from geo.extract.calibration import CALIBRATION_FILE, FEATURES, LEAD_CHARS, REMAKE, Calibration, features
from geo.model import DatePrecision, Span

ROOT = Path(__file__).resolve().parents[1]
GOOD = """# a comment line
name,value,why
intercept,-5,x
score,6,x
place_told,-0.5,x
date_told,1.5,x
lead,0.5,x
old,-1,x
threshold,0.6,x
"""


def _raw(score: float, place: bool, date: bool):
    """An incident whose confidence is still its decision score, with or without place/date phrases."""
    return incident("i", confidence=score, sentence="An air strike hit Mosul on Monday, killing three.",
                    place_phrase="Mosul" if place else "", date_phrase="on Monday" if date else "")


def test_the_shipped_calibration_is_valid_and_names_every_feature():
    cal = Calibration.load()
    assert [name for name, _ in cal.weights] == list(FEATURES)
    assert 0.0 <= cal.threshold <= 1.0


@pytest.mark.parametrize("place,date", list(itertools.product([False, True], repeat=2)))
def test_the_probability_is_within_0_and_1_and_never_falls_as_the_score_rises(place, date):
    cal = Calibration.load()
    got = [cal.probability(_raw(s / 100, place, date)) for s in range(60, 101)]
    assert all(0.0 <= p <= 1.0 for p in got)
    assert got == sorted(got)


def test_features_say_whether_the_place_and_date_phrases_are_in_the_incidents_sentences():
    assert features(_raw(0.7, True, False)) == {"score": 0.7, "place_told": 1.0, "date_told": 0.0, "lead": 1.0, "old": 0.0}
    assert features(_raw(0.9, False, True)) == {"score": 0.9, "place_told": 0.0, "date_told": 1.0, "lead": 1.0, "old": 0.0}


def _told(inc, start: int, published: dt.date | None):
    """The incident as told from offset `start` of an article published on `published`."""
    ev = inc.evidence[0]
    ev = replace(ev, sentence_span=Span(start, start + len(ev.sentence)), article_date=published)
    return replace(inc, evidence=(ev,), place_evidence=None, date_evidence=None)


def test_features_say_whether_the_lead_tells_the_incident_and_whether_it_is_a_year_older_than_the_article():
    inc = _raw(0.8, False, False)                       # dated 2016-10-17
    assert features(_told(inc, 0, dt.date(2016, 10, 18)))["lead"] == 1.0
    assert features(_told(inc, LEAD_CHARS - 1, None))["lead"] == 1.0
    assert features(_told(inc, LEAD_CHARS, None))["lead"] == 0.0
    assert features(_told(inc, 0, dt.date(2016, 10, 18)))["old"] == 0.0
    assert features(_told(inc, 0, dt.date(2017, 10, 17) + dt.timedelta(days=1)))["old"] == 1.0
    assert features(_told(inc, 0, None))["old"] == 0.0                     # no publication date: not known old
    assert features(replace(_told(inc, 0, dt.date(2020, 1, 1)), date=None,
                            date_precision=DatePrecision.UNKNOWN))["old"] == 0.0   # undated: not known old


def test_a_calibration_file_is_read_as_written(tmp_path):
    path = tmp_path / "cal.csv"
    path.write_text(GOOD, encoding="utf-8")
    cal = Calibration.load(path)
    assert (cal.intercept, dict(cal.weights), cal.threshold) == (
        -5.0, {"score": 6.0, "place_told": -0.5, "date_told": 1.5, "lead": 0.5, "old": -1.0}, 0.6)
    # told in the lead, not old: 1 / (1 + e^-(-5 + 6 * 0.9 - 0.5 + 1.5 + 0.5)) = 1 / (1 + e^-1.9)
    assert cal.probability(_raw(0.9, True, True)) == 0.870


@pytest.mark.parametrize("change,line,message", [
    (("score,6,x", "score,six,x"), 4, "score is not a number"),
    (("score,6,x", "score,-1,x"), 4, "must not be negative"),
    (("threshold,0.6,x", "threshold,1.5,x"), 9, "within \\[0, 1\\]"),
    (("threshold,0.6,x", "threshold,nan,x"), 9, "not a finite number"),
    (("date_told,1.5,x", "weather,1,x"), 6, "unknown row 'weather'"),
    (("date_told,1.5,x", "score,1,x"), 6, "given twice"),
])
def test_a_bad_row_is_an_error_naming_file_line_and_the_command_that_remakes_it(tmp_path, change, line, message):
    path = tmp_path / "cal.csv"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(UsageError, match=message) as err:
        Calibration.load(path)
    assert f"{path}:{line}:" in str(err.value) and REMAKE in str(err.value)


def test_a_missing_row_or_file_is_an_error_naming_the_file_and_the_command(tmp_path):
    path = tmp_path / "cal.csv"
    path.write_text(GOOD.replace("date_told,1.5,x\n", ""), encoding="utf-8")
    with pytest.raises(UsageError, match="missing rows: date_told") as err:
        Calibration.load(path)
    assert REMAKE in str(err.value)
    with pytest.raises(UsageError, match="cannot read the incident calibration") as err:
        Calibration.load(tmp_path / "absent.csv")
    assert str(tmp_path / "absent.csv") in str(err.value) and REMAKE in str(err.value)


def test_the_script_remakes_a_valid_calibration_from_the_written_articles(tmp_path):
    """It needs no research-only corpus: the calibration is fitted on articles the project owns."""
    out = tmp_path / "incident_calibration.csv"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "calibrate_incidents.py"), "--output", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert run.returncode == 0, run.stderr
    cal = Calibration.load(out)
    assert 0.0 <= cal.threshold <= 1.0 and dict(cal.weights)["score"] >= 0
    assert "not fitted on" in run.stdout and "threshold" in run.stdout
    assert out.read_text(encoding="utf-8").startswith("#") and REMAKE in out.read_text(encoding="utf-8")
    assert CALIBRATION_FILE.read_text(encoding="utf-8").splitlines()[6] == "name,value,why"


def _script():
    import importlib.util
    spec = importlib.util.spec_from_file_location("calibrate_incidents", ROOT / "scripts" / "calibrate_incidents.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_calibration_report_leaves_the_newest_blind_split_out_unless_asked():
    """A new blind split is scored at the start and the end of its day: a refit in between must not read it."""
    script = _script()
    newest = script.newest_blind()
    numbers = [int(s[len("blind"):]) for s in script.REPORTED if s[len("blind"):].isdigit() and s.startswith("blind")]
    assert newest == f"blind{max(numbers)}"
    assert newest not in script.report_names(None) and "blind2" in script.report_names(None)
    assert script.report_names("all") == script.REPORTED
    assert script.report_names(f"{newest}, blind2") == (newest, "blind2")
    with pytest.raises(SystemExit, match="unknown split"):
        script.report_names("blind999")
