"""The `incidentmap` command line: a click group of verb commands.

Library code raises typed errors; only this layer turns them into one-line messages
and exit codes (`geo.cli.exits`).
"""

from __future__ import annotations

import glob
import math
import os
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import click

from gazetteer.index.build import reporting
from gazetteer.paths import default_index_path
from geo.cli import admin
from geo.cli.exits import EXIT_OK, EXIT_OUTPUT, EXIT_SKIPPED, EXIT_USAGE, handle_errors
from geo.errors import InputError, UsageError
from geo.outputs.atomic import atomic_write, check_output
from geo.run.runner import Filters, Runner, RunOptions


def pipeline_options(func: Callable) -> Callable:
    """Options shared by every command that reads articles."""
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(allow_dash=True)),
        click.option("--db", help="Read incidents from this store (FILE.gpkg or postgresql://...) instead of PATHS."),
        click.option("--taxonomy", type=click.Path(dir_okay=False), help="Replacement incident taxonomy CSV."),
        click.option("--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False),
                     help="Extra actor lexicon CSV (repeatable)."),
        click.option("--online", is_flag=True, help="Resolve names the offline gazetteer lacks with an online geocoder."),
        click.option("--geocoder", type=click.Choice(["nominatim", "geonames"]), default="nominatim", show_default=True),
        click.option("--geonames-username", envvar="GEONAMES_USERNAME", help="GeoNames user name (with --geocoder geonames)."),
        click.option("--no-merge", is_flag=True, help="Keep the same incident told by several articles apart."),
        click.option("--workers", type=click.IntRange(min=0), default=0, show_default="all cores",
                     help="Parallel worker processes (1 = in-process)."),
        click.option("--max-article-chars", type=click.IntRange(min=1000), default=200_000, show_default=True),
        click.option("--max-mentions", type=click.IntRange(min=1), default=2_000, show_default=True,
                     help="Place mentions kept per article."),
        click.option("--frames", is_flag=True,
                     help="Place and date events by a dependency parse of the sentences that offer two of either "
                          "(needs pip install 'incidentmap[frames]'; docs/incidents.md, 'Event frames')."),
        click.option("--strict", is_flag=True, help="Exit 1 if any input record was skipped."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary line."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


class Fraction(click.FloatRange):
    """A number from 0 to 1; unlike click's FloatRange it refuses nan, which every comparison lets through."""

    name = "fraction"

    def __init__(self) -> None:
        super().__init__(0.0, 1.0)

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number from 0 to 1", param, ctx)
        return number


def filter_options(func: Callable) -> Callable:
    """Incident filters shared by map, extract and summary."""
    decorators = [
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only incidents on or after this date."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only incidents on or before this date."),
        click.option("--type", "types", multiple=True, help="Only these incident types (repeatable)."),
        click.option("--country", "countries", multiple=True, help="Only these ISO country codes (repeatable)."),
        click.option("--min-confidence", type=Fraction(), help="Only incidents at least this likely right (a probability, 0-1)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _expand(paths) -> tuple[str, ...]:
    """Paths as given, with quoted glob patterns ('shards/*.jsonl') expanded as the shell would have."""
    out: list[str] = []
    for path in paths:
        if path != "-" and not os.path.exists(path) and glob.has_magic(path):
            found = sorted(glob.glob(path, recursive=True))
            if not found:
                raise InputError(f"no file matches {path}")
            out += found
        else:
            out.append(path)
    return tuple(out)


def make_runner(kw: dict) -> Runner:
    """Build a Runner from the shared options (popping them from `kw`)."""
    if kw.get("online") and kw.get("geocoder") == "geonames" and not kw.get("geonames_username"):
        raise UsageError("--geocoder geonames needs --geonames-username NAME (GeoNames' free web-service account)")
    opts = RunOptions(
        paths=_expand(kw.pop("paths")),
        db=kw.pop("db"),
        taxonomy=kw.pop("taxonomy"),
        actor_files=tuple(kw.pop("actor_files")),
        online=kw.pop("online"),
        geocoder=kw.pop("geocoder"),
        geonames_username=kw.pop("geonames_username"),
        merge=not kw.pop("no_merge"),
        workers=kw.pop("workers") or (os.cpu_count() or 1),
        max_article_chars=kw.pop("max_article_chars"),
        max_mentions=kw.pop("max_mentions"),
        frames=kw.pop("frames"),
        strict=kw.pop("strict"),
        quiet=kw.pop("quiet"),
    )
    if opts.frames and not opts.db:
        from geo.extract.frames import nlp  # lazy: spaCy takes a second to load and only --frames needs it
        nlp()
    if not opts.quiet and not opts.db and not default_index_path().exists():
        # The first run builds the gazetteer index (about 30 s); say so rather than sit silent.
        click.echo(f"building the gazetteer index in {default_index_path()} (first run only, about 30 s)...",
                   err=True)
    return Runner(opts, warn=lambda m: click.echo(f"warning: {m}", err=True))


def make_filters(kw: dict) -> Filters:
    since, until = kw.pop("since", None), kw.pop("until", None)
    return Filters(
        since=since.date() if since else None,
        until=until.date() if until else None,
        types=tuple(kw.pop("types", ())),
        countries=tuple(c.upper() for c in kw.pop("countries", ())),
        min_confidence=kw.pop("min_confidence", None),
    )


def finish(runner: Runner, message: str) -> None:
    """Print the closing line and exit with the code the run earned."""
    if not runner.options.quiet:
        click.echo(message, err=True)
    if runner.skipped:
        click.echo(f"{runner.skipped} record(s) skipped", err=True)
        if runner.options.strict:
            sys.exit(EXIT_SKIPPED)


def _version() -> str:
    """The installed distribution's version, else the one in the source tree's pyproject.toml."""
    try:
        return metadata.version("incidentmap")
    except metadata.PackageNotFoundError:
        # lazy: only a source tree without an installed distribution reads pyproject.toml
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="incidentmap")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Turn conflict and security news into incident maps, offline.

    \b
    Example:
      incidentmap map seeds/            # writes maps/incidents.html
    """
    if sys.stderr.isatty():
        ctx.with_resource(reporting(index_progress_bar))


def index_progress_bar(step: str, done: int, total: int, width: int = 30) -> None:
    """Draw the gazetteer index build on the terminal: one bar, redrawn in place."""
    filled = width * done // max(total, 1)
    line = f"\rgazetteer index [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {step:<28}"
    click.echo(line, err=True, nl=done >= total)


@main.command("map")
@pipeline_options
@filter_options
@click.option("-o", "--output", default=os.path.join("maps", "incidents.html"), show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--title", default="Incidents", show_default=True, help="Map title.")
@click.option("--self-contained/--cdn", "self_contained", default=True, show_default=True,
              help="Inline the JS/CSS shipped with incidentmap so the map works offline (the default), "
                   "or link them from CDNs for a smaller file that needs network access.")
@click.option("--no-tiles", is_flag=True, help="No web tiles; country outlines from the gazetteer only.")
@click.option("--no-basemap", is_flag=True,
              help="Leave out the offline basemap (places, regions, rivers under the tiles), for a smaller file.")
@handle_errors
def map_cmd(output: str, title: str, self_contained: bool, no_tiles: bool, no_basemap: bool, **kw) -> None:
    """Map the incidents in articles as one shareable HTML file.

    \b
    Example:
      incidentmap map seeds/ -o maps/incidents.html --cdn
    """
    # lazy: folium, branca, pandas and numpy, needed by `map` only
    from geo.maps.build import write_map

    check_output(output)
    runner, filters = make_runner(kw), make_filters(kw)
    incidents = runner.incidents(filters)
    # --min-confidence drops what is below it and shows the rest; without it, the unsure stay in a hidden layer.
    sure = {} if filters.min_confidence is None else {"confirmed_at": filters.min_confidence}
    write_map(incidents, output, title=title, self_contained=self_contained,
              tiles=None if no_tiles else "OpenStreetMap", basemap=not no_basemap, **sure)
    finish(runner, f"wrote {output}: {runner.summary_line(incidents)}")


@main.command("extract")
@pipeline_options
@filter_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file: .geojson, .gpkg, .csv, .jsonl, or - for GeoJSON on stdout.")
@handle_errors
def extract_cmd(output: str, **kw) -> None:
    """Write incidents as GeoJSON, GeoPackage, CSV or JSON Lines.

    \b
    Example:
      incidentmap extract seeds/ -o incidents.geojson
    """
    # lazy: start-up: `incidentmap --help` imports this module; only the exporting commands need the exporter
    from geo.outputs.export import write_incidents

    check_output(output)
    runner, filters = make_runner(kw), make_filters(kw)
    incidents = runner.incidents(filters)
    write_incidents(incidents, output)
    finish(runner, f"wrote {output}: {runner.summary_line(incidents)}")


@main.command("places")
@pipeline_options
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="JSON Lines file (default: stdout), or CSV for a .csv path.")
@click.option("--unresolved/--no-unresolved", default=False, help="Also list mentions no place was found for.")
@handle_errors
def places_cmd(output: str, unresolved: bool, **kw) -> None:
    """List every resolved place mention as one JSON object per line (or a CSV row).

    \b
    Example:
      incidentmap places seeds/ | head
    """
    # lazy: start-up: `incidentmap --help` imports this module; only the exporting commands need the exporter
    from geo.outputs.export import place_format, write_place_rows

    place_format(output)        # a refused extension or a FIFO stops before the run, not after it
    check_output(output)
    runner = make_runner(kw)
    count = write_place_rows(runner.place_rows(unresolved=unresolved), output)
    finish(runner, f"{count} place mention(s) from {runner.articles_read} article(s)")


@main.command("summary")
@pipeline_options
@filter_options
@click.option("--by", "by", type=click.Choice(["country", "admin1", "admin2", "place"]), default="admin1", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "json"]), default="table", show_default=True)
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--chart", type=click.Path(dir_okay=False), help="Also write a PNG chart of incidents over time per region.")
@handle_errors
def summary_cmd(by: str, fmt: str, output: str, chart: str | None, **kw) -> None:
    """Summarise incidents per region (spatial join with admin polygons).

    \b
    Example:
      incidentmap summary seeds/ --by admin1 --format markdown
    """
    # lazy: start-up: `incidentmap --help` imports this module; only `summary` needs the summariser
    from geo.outputs.summary import summarize
    from geo.outputs.summary_render import chart as draw_chart
    from geo.outputs.summary_render import render

    for path in (output, chart) if chart else (output,):
        check_output(path)
    runner, filters = make_runner(kw), make_filters(kw)
    incidents = runner.incidents(filters)
    text = render(summarize(incidents, by=by), fmt)
    with atomic_write(output, "w") as out:
        out.write(text if text.endswith("\n") else text + "\n")
    if chart:
        draw_chart(incidents, by, chart)
    finish(runner, runner.summary_line(incidents))


@main.command("ingest")
@pipeline_options
@click.option("--dask", "dask_address", help="Run on a Dask cluster: a scheduler address or 'local'.")
@handle_errors
def ingest_cmd(dask_address: str | None, **kw) -> None:
    """Add articles to an incident store; unchanged articles are skipped.

    \b
    Example:
      incidentmap ingest seeds/ --db incidents.gpkg
    """
    runner = make_runner(kw)
    if not runner.options.db:
        raise UsageError("ingest needs --db FILE.gpkg or --db postgresql://...")
    if not runner.options.db.startswith(("postgresql://", "postgres://")):
        check_output(runner.options.db)
    stats = runner.ingest(dask_address=dask_address)
    finish(runner, f"{runner.options.db}: {stats}")


for _command in admin.COMMANDS:     # gazetteer, eval, eval-incidents, assets
    main.add_command(_command)

__all__: Sequence[str] = ["main", "handle_errors", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "EXIT_OUTPUT"]
