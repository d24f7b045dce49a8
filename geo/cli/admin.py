"""Commands around the tool rather than the news: the gazetteer, evaluation, map assets (`geo.cli.main` adds `COMMANDS`)."""

from __future__ import annotations

import json

import click

from gazetteer.model import check_coordinates
from geo.cli.exits import handle_errors
from geo.errors import UsageError


def _parse_near(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise UsageError(f"--near must be LAT,LON (for example 36.34,43.13), got {value!r}") from None

    try:
        check_coordinates(lat, lon)
    except ValueError as exc:
        raise UsageError(f"--near: {exc}") from None
    return lat, lon


_PARTS_NOTE = (
    "A quarter, district or camp the gazetteer lacks is placed at its town when the text ties it there "
    "(\"the Wahda district of east Mosul\", \"Mosul's Intisar neighbourhood\"), or when a story about a "
    "town's parts names it with a part word; it keeps its name and level, with located_at: parent. "
    "See docs/accuracy.md, \"Parts of a known town\"."
)


@click.group("gazetteer")
def gazetteer_group() -> None:
    """Inspect and extend the offline gazetteer.

    \b
    Example:
      incidentmap gazetteer lookup Odessa --country UA
    """


@gazetteer_group.command("lookup")
@click.argument("name")
@click.option("--country", help="ISO country code that the place should be in.")
@click.option("--near", help="LAT,LON that the place should be near.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per candidate.")
@handle_errors
def lookup_cmd(name: str, country: str | None, near: str | None, limit: int, as_json: bool) -> None:
    """Show ranked candidates for a place name, with their layer.

    \b
    Example:
      incidentmap gazetteer lookup "Tel Keyf" --near 36.34,43.13
    """
    # lazy: start-up: `incidentmap --help` imports this module; the geoparser loads the gazetteer's matcher and resolver
    from gazetteer.geoparser import Geoparser

    geoparser = Geoparser.open()
    ranked = geoparser.lookup(name, country=country.upper() if country else None, near=_parse_near(near), limit=limit)
    if not ranked:
        click.echo(f"no place named {name!r} in the gazetteer", err=True)
        click.echo(_PARTS_NOTE, err=True)
        return
    if all(c.skel for c in geoparser.resolver.candidates(name)):
        # "Khazir" only sounds like Turkmenistan's Hazar: a story uses such a match only in its own country
        click.echo(f"no place named {name!r} in the gazetteer; these only sound alike (a story uses one only "
                   f"in a country it is about):", err=True)
    for place, score in ranked:
        row = {
            "score": round(score, 4), "name": place.name, "place_id": place.id, "layer": place.layer,
            "level": place.level.value, "feature_code": place.feature_code, "country_code": place.country_code,
            "admin1": place.admin1, "lat": round(place.lat, 6), "lon": round(place.lon, 6),
            "population": place.population,
        }
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(
                f"{row['score']:>6.3f}  {place.name:<28} {place.layer:<12} {place.level.value:<13} "
                f"{place.country_code or '--':<3} {(place.admin1 or '')[:20]:<20} {place.lat:9.4f} {place.lon:10.4f}  {place.id}"
            )


@gazetteer_group.command("info")
@handle_errors
def info_cmd() -> None:
    """Show the gazetteer's layers, entry counts and index location.

    \b
    Example:
      incidentmap gazetteer info
    """
    # lazy: start-up: `incidentmap --help` imports this module; only `gazetteer info` reads the index
    from gazetteer.index.lookup import GazetteerIndex

    index = GazetteerIndex.open()
    try:
        click.echo(json.dumps(index.info(), indent=2, ensure_ascii=False, default=str))
    finally:
        index.close()


@gazetteer_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@handle_errors
def import_cmd(file: str) -> None:
    """Add places from a GeoNames dump, alternateNames file, CSV or GeoJSON.

    \b
    Example:
      incidentmap gazetteer import IQ.txt
    """
    # lazy: start-up: `incidentmap --help` imports this module; only `gazetteer import` needs the user layer
    from gazetteer.layers.user import import_file

    report = import_file(file)
    for error in getattr(report, "errors", ()):
        click.echo(f"warning: {error}", err=True)
    click.echo(f"{file}: {report.added} added, {report.skipped} skipped")


@click.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--mode", type=click.Choice(["resolve", "end-to-end", "both"]), default="both", show_default=True,
              help="resolve: gold spans given; end-to-end: from raw text; both.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N documents of each file.")
@click.option("--literal-only", is_flag=True, help="GeoWebNews: only literal toponym types.")
@click.option("--no-demonyms", is_flag=True, help="Do not report demonyms ('Iraqi') as toponyms.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@handle_errors
def eval_cmd(gold: tuple[str, ...], mode: str, limit: int | None, literal_only: bool, no_demonyms: bool,
             as_json: bool) -> None:
    """Score the geoparser on gold files (text + toponyms with spans and coordinates).

    \b
    Example:
      incidentmap eval ../shared/corpora/lgl/lgl.jsonl --mode resolve
    """
    # lazy: start-up: `incidentmap --help` imports this module; evaluation loads the geoparser, its matcher and resolver
    from gazetteer.geoparser import Geoparser
    from geo.evaluate.geoparse import evaluate

    # LGL and GeoWebNews annotate demonyms ("Iraqi") as toponyms, so scoring recognises them by default.
    geoparser = Geoparser.open(demonyms=not no_demonyms)
    for path in gold:
        report = evaluate(path, geoparser, mode=mode, limit=limit, literal_only=literal_only)
        click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.format())


# The article splits of geo.evaluate.incidents.SPLITS and the sentence splits of geo.evaluate.events (written
# out here so that `incidentmap --help` need not import the evaluators; a test checks they agree).
ARTICLE_SPLITS = ("dev", "test", "holdout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                  "blind9", "blind10", "blind11", "written-articles", "written-articles2", "all")
SENTENCE_SPLITS = ("dev", "test", "written-dev", "written-test", "notes-blind")


@click.command("eval-incidents")
@click.option("--split", type=click.Choice(list(dict.fromkeys(ARTICLE_SPLITS + SENTENCE_SPLITS))), default="dev",
              show_default=True,
              help="Which annotated articles (tests/data/incidents_*.jsonl), or with --sentences which sentences.")
@click.option("--sentences", is_flag=True,
              help="Instead: the event detector sentence by sentence (per type P/R/F1, weighted F1, confusion).")
@click.option("--show", is_flag=True, help="List gold and predicted incidents per article.")
@click.option("--frames", is_flag=True, help="Articles: with the event frames on (see `--frames` of map).")
@handle_errors
def eval_incidents_cmd(split: str, sentences: bool, show: bool, frames: bool) -> None:
    """Score incident extraction on the hand-annotated articles (needs ../shared/corpora).

    \b
    Example:
      incidentmap eval-incidents --split test
      incidentmap eval-incidents --sentences --split notes-blind
    """
    if sentences:
        # lazy: start-up: `incidentmap --help` imports this module; the event detector's evaluation needs numpy
        from geo.evaluate.events import main as events_main

        if split not in SENTENCE_SPLITS:
            raise UsageError(f"--sentences has the splits {', '.join(SENTENCE_SPLITS)}")
        code = events_main(["--split", split, "--confusion"])
    else:
        # lazy: start-up: `incidentmap --help` imports this module; evaluation loads the whole pipeline (numpy)
        from geo.evaluate.incidents import main as incidents_main

        if split not in ARTICLE_SPLITS:
            raise UsageError(f"articles have the splits {', '.join(ARTICLE_SPLITS)} (or use --sentences)")
        code = incidents_main(["--split", split] + (["--show"] if show else []) + (["--frames"] if frames else []))
    if code:
        raise click.exceptions.Exit(code)


@click.group("assets")
def assets_group() -> None:
    """Check the JS/CSS that maps inline (vendored inside the package).

    \b
    Example:
      incidentmap assets verify
    """


@assets_group.command("verify")
@handle_errors
def assets_verify_cmd() -> None:
    """Check every vendored map asset against its sha256 checksum and list the packages and licences.

    \b
    Example:
      incidentmap assets verify
    """
    # lazy: start-up: `incidentmap --help` imports this module; only `assets verify` needs the asset list
    from geo.maps.assets import licences, require_assets, vendor_dir

    count = require_assets()
    for spec, licence in licences():
        click.echo(f"{spec}  {licence}")
    click.echo(f"{count} vendored files match their checksums in {vendor_dir()}")


COMMANDS = (gazetteer_group, eval_cmd, eval_incidents_cmd, assets_group)
