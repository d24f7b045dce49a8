"""Region summaries as text (table, markdown, csv, json) and as a chart of incidents over time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from enum import Enum

from gazetteer.model import parse_enum
from geo.errors import UsageError
from geo.model import Incident
from geo.outputs.atomic import atomic_write
from geo.outputs.safe import spreadsheet_safe
from geo.outputs.summary import RegionLevel, RegionSummary, region_keys

__all__ = ["SummaryFormat", "chart", "render", "rows", "total_line"]

# Escaped with "\\": brackets (no name becomes a link or an image: every link form needs "[" and "]"),
# backticks, the cell separator and the escape character itself.
_MD_SPECIAL = re.compile(r"([\\`\[\]|])")
COLUMNS = ("region", "region_id", "country", "incidents", "types", "fatalities", "fatalities_reported", "first_date",
           "last_date", "top_places", "sources", "latest_week", "prev_4wk_mean", "trend")


class SummaryFormat(str, Enum):
    """Output formats for `render`."""

    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"

    @classmethod
    def parse(cls, value: "str | SummaryFormat") -> "SummaryFormat":
        """Parse a format name; the error lists the allowed values."""
        return parse_enum(cls, value, what="summary format", error=UsageError)


def _pairs(pairs: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({n})" for name, n in pairs)


def rows(summaries: Sequence[RegionSummary]) -> list[dict]:
    """One flat dict per summary, keyed by `COLUMNS` (dates ISO, None for unknown)."""
    return [{
        "region": s.name, "region_id": s.region_id, "country": s.country_code, "incidents": s.incidents,
        "types": _pairs(s.by_type), "fatalities": s.fatalities, "fatalities_reported": s.fatalities_reported,
        "first_date": s.first_date.isoformat() if s.first_date else None,
        "last_date": s.last_date.isoformat() if s.last_date else None,
        "top_places": _pairs(s.top_places), "sources": s.sources, "latest_week": s.latest_week,
        "prev_4wk_mean": None if s.baseline is None else round(s.baseline, 2), "trend": s.trend,
    } for s in summaries]


def _cell(value) -> str:
    return "" if value is None else str(value)


def _table(data: list[dict]) -> str:
    cells = [list(COLUMNS)] + [[_cell(r[c]) for c in COLUMNS] for r in data]
    cells = [[" ".join(c.split()) for c in row] for row in cells]     # no line breaks inside a row
    widths = [max(len(row[k]) for row in cells) for k in range(len(COLUMNS))]
    numeric = {"incidents", "fatalities", "fatalities_reported", "sources", "latest_week", "prev_4wk_mean"}
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if COLUMNS[k] in numeric and n else c.ljust(w)
                 for k, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _markdown(data: list[dict]) -> str:
    def esc(value) -> str:
        text = _MD_SPECIAL.sub(r"\\\1", " ".join(_cell(value).split()))
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")   # renderers pass raw HTML
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(esc(r[c]) for c in COLUMNS) + " |" for r in data]
    return "\n".join(lines) + "\n"


def _csv(data: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in data:
        writer.writerow([spreadsheet_safe(r[c]) if isinstance(r[c], str) else _cell(r[c]) for c in COLUMNS])
    return buf.getvalue()


def _json(summaries: Sequence[RegionSummary]) -> str:
    data = [{
        "level": s.level.value, "region": s.name, "region_id": s.region_id, "country": s.country_code,
        "incidents": s.incidents, "by_type": dict(s.by_type), "fatalities": s.fatalities,
        "fatalities_reported": s.fatalities_reported,
        "first_date": s.first_date.isoformat() if s.first_date else None,
        "last_date": s.last_date.isoformat() if s.last_date else None,
        "top_places": [{"name": n, "incidents": k} for n, k in s.top_places], "sources": s.sources,
        "latest_week": s.latest_week, "prev_4wk_mean": s.baseline, "trend": s.trend,
    } for s in summaries]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(summaries: Sequence[RegionSummary], fmt: "str | SummaryFormat") -> str:
    """Summaries as an aligned table, a markdown table, spreadsheet-safe CSV or JSON."""
    kind = SummaryFormat.parse(fmt)
    if kind is SummaryFormat.JSON:
        return _json(summaries)
    data = rows(summaries)
    if kind is SummaryFormat.CSV:
        return _csv(data)
    text = _table(data) if kind is SummaryFormat.TABLE else _markdown(data)
    return text + "\n" + total_line(summaries) + "\n"


def total_line(summaries: Sequence[RegionSummary]) -> str:
    """One line of totals: incidents, and fatalities with how many incidents reported a number.

    >>> total_line([])
    'Total: 0 incidents; no incident reported a fatality count.'
    """
    incidents = sum(s.incidents for s in summaries)
    reported = sum(s.fatalities_reported for s in summaries)
    if not reported:
        return f"Total: {incidents:,} incidents; no incident reported a fatality count."
    dead = sum(s.fatalities or 0 for s in summaries)
    return (f"Total: {incidents:,} incidents; {dead:,} fatalities, reported for {reported:,} of them"
            f" (the other {incidents - reported:,} give no number).")


class Bin(str, Enum):
    """The width of a chart bar."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# The widest date range (in days) drawn with daily, then weekly bars; anything longer gets monthly bars,
# so a chart never has more than about 60 bars per panel.
DAILY_UP_TO, WEEKLY_UP_TO = 60, 420


def choose_bin(dates: Sequence[dt.date]) -> Bin:
    """Day, week or month bars, from the range the dates span.

    >>> d = dt.date(2017, 1, 1)
    >>> [choose_bin([d, d + dt.timedelta(days=n)]).value for n in (0, 60, 61, 420, 421, 1100)]
    ['day', 'day', 'week', 'week', 'month', 'month']
    """
    if not dates:
        return Bin.DAY
    span = (max(dates) - min(dates)).days
    return Bin.DAY if span <= DAILY_UP_TO else Bin.WEEK if span <= WEEKLY_UP_TO else Bin.MONTH


def bin_start(day: dt.date, unit: Bin) -> dt.date:
    """The first day of the bar `day` falls in (weeks start on Monday).

    >>> [bin_start(dt.date(2017, 4, 21), b).isoformat() for b in Bin]
    ['2017-04-21', '2017-04-17', '2017-04-01']
    """
    if unit is Bin.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if unit is Bin.MONTH:
        return day.replace(day=1)
    return day


_BAR_DAYS = {Bin.DAY: 0.8, Bin.WEEK: 6.0, Bin.MONTH: 26.0}


def caption(dated: int, undated: int, shown: int, regions: int) -> str:
    """The note under the chart: what it shows and what it leaves out.

    >>> caption(40, 3, 4, 6)
    '40 dated incidents; the 4 busiest of 6 regions are drawn. 3 undated incidents are not drawn.'
    """
    text = f"{dated:,} dated incident{'s' if dated != 1 else ''}"
    text += f"; the {shown} busiest of {regions} regions are drawn." if shown < regions else "."
    if undated:
        text += f" {undated:,} undated incident{'s are' if undated != 1 else ' is'} not drawn."
    return text


def draw(incidents: Sequence[Incident], by: "str | RegionLevel", *, top: int = 6, regions=None):
    """The chart as a matplotlib Figure: one panel per region (the `top` busiest), bars stacked by type."""
    # lazy: matplotlib (about 0.3 s) only for a chart; `summary` renders its text through this module
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: as above, and after the choice of the Agg back end

    level = RegionLevel.parse(by)
    keys = region_keys(incidents, level, regions=regions)
    unit = choose_bin([i.date for i in incidents if i.date is not None])
    dated, ranked, busiest, types = _binned(incidents, keys, unit, top)
    panels = max(1, len(busiest))
    fig, axes = plt.subplots(panels, 1, figsize=(9, 2.0 * panels + 1.4), squeeze=False, sharex=True)
    if not busiest:
        axes[0][0].text(0.5, 0.5, "no dated incidents", ha="center", va="center", fontsize=11)
        axes[0][0].set_axis_off()
    starts = sorted({b for _, b, _ in dated})
    colours = {t: plt.get_cmap("tab10")(n % 10) for n, t in enumerate(types)}
    for ax, name in zip((row[0] for row in axes), busiest):
        _draw_panel(ax, name, [(b, t) for n, b, t in dated if n == name], starts, types, colours, unit)
    if busiest:
        _draw_time_axis_and_legend(fig, axes[-1][0], types, colours)
    fig.suptitle(f"Incidents per {unit.value} by {level.value}", fontsize=11, x=0.01, ha="left")
    undated = sum(1 for i in incidents if i.date is None)
    fig.text(0.01, 0.01, caption(len(dated), undated, len(busiest), len(ranked)), fontsize=9, ha="left",
             va="bottom", parse_math=False)
    # Inches kept free: at the top for the title and the legend's rows (four types a row), below for the caption.
    height, legend_rows = fig.get_figheight(), -(-len(types) // 4)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.75 / height, top=1 - (0.55 + 0.2 * legend_rows) / height,
                        hspace=0.45)
    return fig


def _binned(incidents: Sequence[Incident], keys: list, unit, top: int) -> tuple[list, list, list[str], list[str]]:
    """(region name, bin start, type) of each dated incident; regions by count; the `top` busiest; the types."""
    dated = [(k.name, bin_start(i.date, unit), i.type) for i, k in zip(incidents, keys) if i.date is not None]
    ranked = Counter(name for name, _, _ in dated).most_common()
    busiest = [name for name, _ in ranked[:max(1, top)]]
    types = sorted({t for _, _, t in dated})
    return dated, ranked, busiest, types


def _draw_panel(ax, name: str, bars: list, starts: list, types: list[str], colours: dict, unit) -> None:
    """One region's panel: its (bin start, type) bars stacked by type."""
    # lazy: matplotlib (about 0.3 s) only for a chart; `summary` renders its text through this module
    from matplotlib.ticker import MaxNLocator

    counts = Counter(bars)
    bottom = [0] * len(starts)
    for t in types:
        heights = [counts[(b, t)] for b in starts]
        if any(heights):
            ax.bar(starts, heights, width=_BAR_DAYS[unit], bottom=bottom, color=colours[t], label=t, align="edge")
            bottom = [b + h for b, h in zip(bottom, heights)]
    # Region names come from articles: "$...$" must not be read as mathtext (a crash, or markup).
    ax.set_title(name, fontsize=10, loc="left", parse_math=False)
    ax.set_ylabel(f"per {unit.value}", fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_ylim(0, max(bottom) * 1.15 + 0.5)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", linewidth=0.4, alpha=0.5)


def _draw_time_axis_and_legend(fig, bottom_ax, types: list[str], colours: dict) -> None:
    """Dates under the lowest panel, and one legend of the types for the figure."""
    # lazy: matplotlib (about 0.3 s) only for a chart; `summary` renders its text through this module
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    bottom_ax.xaxis.set_major_locator(locator)
    bottom_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    handles = {t: plt.Rectangle((0, 0), 1, 1, color=colours[t]) for t in types}
    legend = fig.legend(handles.values(), handles.keys(), loc="upper right", fontsize=8, ncol=min(4, len(types)))
    for text in legend.get_texts():
        text.set_parse_math(False)


def chart(incidents: Sequence[Incident], by: "str | RegionLevel", path, *, top: int = 6, regions=None) -> None:
    """Write a PNG: one panel per region (the `top` busiest), day/week/month bars stacked by incident type."""
    # lazy: matplotlib (about 0.3 s) only for a chart; `summary` renders its text through this module
    import matplotlib.pyplot as plt

    fig = draw(incidents, by, top=top, regions=regions)
    try:
        with atomic_write(path, "wb") as out:
            fig.savefig(out, format="png", dpi=110)
    finally:
        plt.close(fig)
