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
from geo.outputs.safe import spreadsheet_safe
from geo.outputs.summary import RegionLevel, RegionSummary, region_keys

__all__ = ["SummaryFormat", "chart", "render", "rows"]

# Escaped with "\\": brackets (no name becomes a link or an image: every link form needs "[" and "]"),
# backticks, the cell separator and the escape character itself.
_MD_SPECIAL = re.compile(r"([\\`\[\]|])")
COLUMNS = ("region", "region_id", "country", "incidents", "types", "fatalities", "first_date", "last_date",
           "top_places", "sources", "latest_week", "prev_4wk_mean", "trend")


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
        "types": _pairs(s.by_type), "fatalities": s.fatalities,
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
    numeric = {"incidents", "fatalities", "sources", "latest_week", "prev_4wk_mean"}
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
    return {SummaryFormat.TABLE: _table, SummaryFormat.MARKDOWN: _markdown, SummaryFormat.CSV: _csv}[kind](data)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def chart(incidents: Sequence[Incident], by: "str | RegionLevel", path, *, top: int = 6, regions=None) -> None:
    """Write a PNG: one panel per region (the `top` busiest), weekly bars stacked by incident type."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geo.outputs.atomic import atomic_write

    level = RegionLevel.parse(by)
    keys = region_keys(incidents, level, regions=regions)
    dated = [(k.name, _monday(i.date), i.type) for i, k in zip(incidents, keys) if i.date is not None]
    busiest = [name for name, _ in Counter(name for name, _, _ in dated).most_common(max(1, top))]
    types = sorted({t for _, _, t in dated})
    panels = max(1, len(busiest))
    fig, axes = plt.subplots(panels, 1, figsize=(9, 2.2 * panels + 0.6), squeeze=False, sharex=True)
    try:
        if not busiest:
            axes[0][0].text(0.5, 0.5, "no dated incidents", ha="center", va="center")
            axes[0][0].set_axis_off()
        weeks = sorted({w for _, w, _ in dated})
        colours = {t: plt.get_cmap("tab10")(n % 10) for n, t in enumerate(types)}
        for ax, name in zip((row[0] for row in axes), busiest):
            counts = Counter((w, t) for n, w, t in dated if n == name)
            bottom = [0] * len(weeks)
            for t in types:
                heights = [counts[(w, t)] for w in weeks]
                if any(heights):
                    ax.bar(weeks, heights, width=6, bottom=bottom, color=colours[t], label=t, align="edge")
                    bottom = [b + h for b, h in zip(bottom, heights)]
            # Region names come from articles: "$...$" must not be read as mathtext (a crash, or markup).
            ax.set_title(name, fontsize=9, loc="left", parse_math=False)
            ax.set_ylabel("incidents / week", fontsize=8)
            ax.tick_params(labelsize=7)
        if busiest:
            handles = {t: plt.Rectangle((0, 0), 1, 1, color=colours[t]) for t in types}
            legend = fig.legend(handles.values(), handles.keys(), loc="upper right", fontsize=7, ncol=min(4, len(types)))
            for text in legend.get_texts():
                text.set_parse_math(False)
        fig.suptitle(f"Incidents per week by {level.value}", fontsize=10, x=0.01, ha="left")
        fig.autofmt_xdate()
        with atomic_write(path, "wb") as out:
            fig.savefig(out, format="png", dpi=100)
    finally:
        plt.close(fig)
