"""Tests for geo.outputs.summary: regions by spatial join, trend, renderers and the chart."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json
from collections import Counter

import geopandas
import pytest
import shapely.geometry as shapely_geometry

import geo.outputs.summary
from gazetteer.errors import GazetteerError
from geo.errors import UsageError
from geo.model import DatePrecision, Evidence, Incident, Level, Place, Span
from geo.outputs.summary import UNLOCATED, RegionLevel, summarize
from geo.outputs.summary_render import SummaryFormat, chart, render

box = shapely_geometry.box


@pytest.fixture(scope="module")
def regions():
    """Two made-up provinces side by side: West [40,42]x[35,37] and East [42,44]x[35,37] (lon x lat)."""
    return geopandas.GeoDataFrame(
        {"id": ["t:west", "t:east"], "name": ["West Province", "East Province"], "country_code": ["IQ", "IQ"]},
        geometry=[box(40, 35, 42, 37), box(42, 35, 44, 37)], crs="EPSG:4326")


@pytest.fixture(scope="module")
def countries():
    return geopandas.GeoDataFrame({"country_code": ["IQ"], "name": ["Iraq"]},
                                  geometry=[box(40, 35, 44, 37)], crs="EPSG:4326")


def place(pid: str, name: str, lat: float, lon: float, **kw) -> Place:
    return Place(id=pid, name=name, lat=lat, lon=lon, level=kw.pop("level", Level.CITY), layer="test",
                 country_code="IQ", **kw)


def incident(n: int, where: Place | None, day: dt.date | None, *, kind: str = "battle", dead: int | None = None,
             article: str = "a1") -> Incident:
    ev = Evidence(article_id=article, article_title="t", sentence="s", sentence_span=Span(0, 1), trigger="x",
                  trigger_span=Span(0, 1))
    return Incident(id=f"i{n}", type=kind, event_type="Battles", sub_event_type="Armed clash", date=day,
                    date_precision=DatePrecision.DAY if day else DatePrecision.UNKNOWN, place=where,
                    place_text=where.name if where else "", geo_precision=None, evidence=(ev,), fatalities=dead)


# Named "Mosul" but its coordinates lie in East Province: the point decides.
MISNAMED = place("p:1", "Mosul", 36.0, 43.5, admin1="West Province")
WEST_TOWN = place("p:2", "Westville", 36.0, 41.0, admin1="West Province")
DAY0 = dt.date(2017, 4, 21)


def test_spatial_join_puts_incident_where_its_coordinates_fall(regions):
    rows = summarize([incident(1, MISNAMED, DAY0), incident(2, WEST_TOWN, DAY0)], by="admin1", regions=regions)
    by_name = {r.name: r for r in rows}
    assert by_name["East Province"].top_places == (("Mosul", 1),)
    assert by_name["West Province"].top_places == (("Westville", 1),)


def test_country_level_uses_country_polygons(countries):
    rows = summarize([incident(1, MISNAMED, DAY0), incident(2, WEST_TOWN, DAY0)], by="country", regions=countries)
    assert [(r.region_id, r.name, r.incidents) for r in rows] == [("IQ", "Iraq", 2)]


def test_point_outside_all_polygons_falls_back_to_place_fields(regions):
    far = place("p:3", "Basra", 30.5, 47.8, admin1="Basra")
    (row,) = summarize([incident(1, far, DAY0)], by="admin1", regions=regions)
    assert row.name == "Basra" and row.country_code == "IQ"


def test_admin2_uses_place_field_then_district_then_admin1(regions):
    district = place("p:4", "Achin District", 36.5, 41.5, level=Level.DISTRICT)
    town = place("p:5", "Tel Keyf", 36.5, 41.2, admin2="Tel Kaif")
    rows = summarize([incident(1, district, DAY0), incident(2, town, DAY0), incident(3, WEST_TOWN, DAY0)],
                     by="admin2", regions=regions)
    assert sorted(r.name for r in rows) == ["Achin District", "Tel Kaif", "West Province"]


def test_place_level_groups_by_place_id_and_unlocated_row_comes_last(regions):
    rows = summarize([incident(1, None, DAY0), incident(2, WEST_TOWN, DAY0), incident(3, WEST_TOWN, None)],
                     by="place", regions=regions)
    assert [(r.region_id, r.incidents) for r in rows] == [("p:2", 2), ("", 1)]
    assert rows[-1].name == UNLOCATED


def test_figures_per_region(regions):
    incs = [incident(1, WEST_TOWN, DAY0, dead=3, article="a1"),
            incident(2, WEST_TOWN, DAY0 - dt.timedelta(days=3), kind="explosion", dead=None, article="a2"),
            incident(3, WEST_TOWN, None, kind="battle", dead=2, article="a1")]
    (row,) = summarize(incs, by="admin1", regions=regions)
    assert row.by_type == (("battle", 2), ("explosion", 1))
    assert (row.fatalities, row.sources) == (5, 2)
    assert (row.first_date, row.last_date) == (DAY0 - dt.timedelta(days=3), DAY0)


def test_trend_compares_latest_week_with_four_week_mean(regions):
    end = DAY0
    days = [end, end - dt.timedelta(days=1), end - dt.timedelta(days=2),      # 3 in the latest week
            end - dt.timedelta(days=10), end - dt.timedelta(days=30)]         # 2 over the 4 weeks before
    (row,) = summarize([incident(n, WEST_TOWN, d) for n, d in enumerate(days)], by="admin1", regions=regions)
    assert (row.latest_week, row.baseline, row.trend) == (3, 0.5, "increase")
    quiet = [end - dt.timedelta(days=d) for d in (0, 8, 9, 15, 16, 22, 23, 29)]
    (row,) = summarize([incident(n, WEST_TOWN, d) for n, d in enumerate(quiet)], by="admin1", regions=regions)
    assert (row.latest_week, row.baseline, row.trend) == (1, 1.75, "decrease")


def test_trend_is_not_available_when_dates_span_too_little(regions):
    (row,) = summarize([incident(1, WEST_TOWN, DAY0), incident(2, WEST_TOWN, DAY0 - dt.timedelta(days=6))],
                       by="admin1", regions=regions)
    assert (row.trend, row.latest_week, row.baseline) == ("n/a", None, None)


def test_unknown_level_error_lists_allowed_values():
    with pytest.raises(UsageError, match="country, admin1, admin2, place"):
        RegionLevel.parse("district")
    with pytest.raises(UsageError, match="table, markdown, csv, json"):
        SummaryFormat.parse("xlsx")


@pytest.fixture()
def summaries(regions):
    evil = place("p:9", "=HYPERLINK(\"http://x\")|<b>", 36.2, 41.4)
    return summarize([incident(1, evil, DAY0, dead=1), incident(2, MISNAMED, DAY0), incident(3, None, None)],
                     by="admin1", regions=regions)


def test_table_is_aligned(summaries):
    table, total = render(summaries, "table").split("\n\n")
    assert total.startswith("Total: ")
    lines = table.splitlines()
    assert lines[0].startswith("region") and set(lines[1]) <= {"-", " "}
    for column in ("country", "incidents", "trend"):
        pos = lines[0].index(column)
        assert all(line[pos - 2:pos] == "  " for line in lines), column
    assert len(lines) == 2 + len(summaries)


def test_markdown_escapes_pipes_and_html(summaries):
    text = render(summaries, "markdown")
    assert "\\|&lt;b&gt;" in text and "<b>" not in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(summaries) and all(line.count(" | ") >= 13 for line in rows)
    assert text.rstrip().splitlines()[-1].startswith("Total: ")


def test_csv_cells_are_spreadsheet_safe(summaries):
    table = list(csv.DictReader(io.StringIO(render(summaries, "csv"))))
    cells = [v for row in table for v in row.values() if v]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells)
    assert any(v.startswith("'=HYPERLINK") for v in cells)
    assert [row["region"] for row in table][-1] == UNLOCATED


def test_json_round_trips(summaries):
    data = json.loads(render(summaries, "json"))
    assert [d["incidents"] for d in data] == [s.incidents for s in summaries]
    assert data[0]["by_type"] == {"battle": 1} and data[0]["level"] == "admin1"


def test_chart_writes_a_png(tmp_path, regions):
    incs = [incident(n, WEST_TOWN if n % 2 else MISNAMED, DAY0 - dt.timedelta(days=3 * n),
                     kind="battle" if n % 3 else "explosion") for n in range(12)]
    out = tmp_path / "chart.png"
    chart(incs, "admin1", out, regions=regions)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_chart_without_dates_still_writes_a_png(tmp_path, regions):
    out = tmp_path / "empty.png"
    chart([incident(1, None, None)], "admin1", out, regions=regions)
    assert out.read_bytes().startswith(b"\x89PNG")


def test_packaged_admin1_boundaries_place_mosul_in_nineveh():
    from gazetteer import boundaries
    try:
        boundaries.load_admin1()
    except GazetteerError as exc:
        pytest.skip(f"admin-1 boundaries unavailable: {exc}")
    mosul = place("p:mosul", "Mosul", 36.34, 43.13)
    (row,) = summarize([incident(1, mosul, DAY0)], by="admin1")
    assert "nin" in row.name.lower() and row.country_code == "IQ"


def test_doctests():
    assert doctest.testmod(geo.outputs.summary).failed == 0


def test_chart_draws_region_and_type_names_with_dollar_signs_as_plain_text(tmp_path):
    odd = place("p:9", "Cost $5 to $10 town", 36.0, 41.0, admin1="$\\frac{1}{0}$ Province")
    incs = [incident(n, odd, DAY0 - dt.timedelta(days=n), kind="$\\unknowncommand$") for n in range(3)]
    out = tmp_path / "odd.png"
    chart(incs, "place", out)
    assert out.read_bytes().startswith(b"\x89PNG")


def test_an_incident_known_only_to_its_country_is_not_counted_in_a_province(regions):
    iraq = place("p:iq", "Iraq", 36.0, 41.0, level=Level.COUNTRY)      # its point falls in West Province
    rows = summarize([incident(1, iraq, DAY0, dead=42), incident(2, WEST_TOWN, DAY0)], by="admin1", regions=regions)
    names = {r.name: r.incidents for r in rows}
    assert names == {"Iraq (country-wide)": 1, "West Province": 1}


def test_unknown_fatalities_stay_unknown_not_zero(regions):
    rows = summarize([incident(1, WEST_TOWN, DAY0), incident(2, WEST_TOWN, DAY0)], by="admin1", regions=regions)
    assert [r.fatalities for r in rows] == [None]
    assert "None" not in render(rows, "table") and json.loads(render(rows, "json"))[0]["fatalities"] is None


def test_an_incident_known_only_to_its_province_gets_a_province_wide_row_at_admin2(regions):
    west = place("p:w", "West Province", 36.0, 41.0, level=Level.PROVINCE, admin1="West Province")
    iraq = place("p:iq", "Iraq", 36.0, 41.5, level=Level.COUNTRY)
    town = place("p:5", "Tel Keyf", 36.5, 41.2, admin2="Tel Kaif")
    rows = summarize([incident(1, west, DAY0), incident(2, town, DAY0), incident(3, iraq, DAY0)], by="admin2",
                     regions=regions)
    assert {r.name: r.region_id for r in rows} == {
        "West Province (province-wide)": "province-wide:t:west", "Tel Kaif": "admin2:IQ::Tel Kaif",
        "Iraq (country-wide)": "country-wide:IQ"}


def test_totals_say_how_many_incidents_reported_a_fatality_count(regions):
    incs = [incident(1, WEST_TOWN, DAY0, dead=3), incident(2, WEST_TOWN, DAY0, dead=0), incident(3, WEST_TOWN, DAY0),
            incident(4, MISNAMED, DAY0)]
    rows = summarize(incs, by="admin1", regions=regions)
    assert {r.name: (r.fatalities, r.fatalities_reported) for r in rows} == {
        "West Province": (3, 2), "East Province": (None, 0)}
    table = render(rows, "table")
    assert table.rstrip().endswith("Total: 4 incidents; 3 fatalities, reported for 2 of them (the other 2 give no number).")
    assert json.loads(render(rows, "json"))[1]["fatalities_reported"] == 0
    assert "Total" not in render(rows, "csv")


@pytest.mark.parametrize(("span_days", "unit"), [(0, "day"), (60, "day"), (61, "week"), (420, "week"), (421, "month"),
                                                 (3 * 365, "month")])
def test_chart_bins_follow_the_date_range(span_days, unit):
    from geo.outputs.summary_render import choose_bin

    assert choose_bin([DAY0, DAY0 + dt.timedelta(days=span_days)]).value == unit


def test_chart_over_three_years_has_monthly_bars_integer_ticks_and_counts_undated_incidents(regions):
    import matplotlib.pyplot as plt

    from geo.outputs.summary_render import draw

    incs = [incident(n, WEST_TOWN, DAY0 - dt.timedelta(days=40 * n)) for n in range(28)]
    incs += [incident(100 + n, WEST_TOWN, None) for n in range(3)]
    fig = draw(incs, "admin1", regions=regions)
    try:
        ax = fig.axes[0]
        assert ax.get_ylabel() == "per month"
        ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks)
        widths = {round(p.get_width()) for p in ax.patches}
        assert widths == {26}
        texts = [t.get_text() for t in fig.texts]
        assert any("3 undated incidents are not drawn" in t for t in texts), texts
    finally:
        plt.close(fig)


def test_summary_of_the_real_seeds_puts_no_country_level_incident_in_a_province(cli, tmp_path):
    extracted = tmp_path / "seeds.jsonl"
    proc = cli("extract", "seeds", "-q", "-o", str(extracted))
    assert proc.returncode == 0, proc.stderr
    incidents = [json.loads(line) for line in extracted.read_text(encoding="utf-8").splitlines()]
    country_level = Counter(i["country_code"] for i in incidents if i["level"] == "country")
    assert country_level["IQ"] >= 1, "the seeds place some incidents at Iraq only"
    proc = cli("summary", "seeds", "-q", "--by", "admin1", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    wide = {r["country"]: r["incidents"] for r in rows if r["region_id"].startswith("country-wide:")}
    assert wide == dict(country_level)
    for cc in country_level:
        in_provinces = sum(r["incidents"] for r in rows if r["country"] == cc and not r["region_id"].startswith("country-wide:"))
        assert in_provinces == sum(1 for i in incidents if i["country_code"] == cc and i["level"] != "country")
    assert sum(r["fatalities_reported"] for r in rows) == sum(1 for i in incidents if i["fatalities"] is not None)
