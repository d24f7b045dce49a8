"""The interactive HTML map of incidents: one layer per type, summaries, and a reproducible, safe file.

Markers are created in the browser from compact column data (see `geo.maps.data`, `geo.maps.js`),
which keeps 100,000 incidents with popups to a few seconds and a few tens of megabytes.
Element ids are numbered in tree order, so the same input gives byte-identical HTML.
"""

from __future__ import annotations

import gc
import itertools
import os
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import folium
from branca.element import Element
from folium.map import FitBounds
from folium.plugins import Fullscreen, MiniMap

from geo.errors import OutputError, UsageError
from geo.extract.calibration import Calibration
from geo.extract.taxonomy import Taxonomy
from geo.maps import layers as maplayers
from geo.maps.assets import inline_assets, require_assets
from geo.maps.basemap import add_basemap
from geo.maps.data import DATE_PRECISIONS, LayerEncoder, TypeStyle, summarise, type_styles
from geo.maps.escape import js_template_safe
from geo.maps.js import IncidentHeatMap, IncidentLayer, IncidentRuntime, OutlineMiniMap, Outlines, SummaryPanel, TimeSlider
from geo.maps.outlines import outline_geojson
from geo.maps.view import frame
from geo.model import Incident
from geo.outputs.atomic import atomic_write

__all__ = ["build_map", "default_threshold", "map_html", "render_map", "write_map"]

MIN_ZOOM, MAX_ZOOM = 2, 17
_FIT_MAX_ZOOM = 10   # the opening view never zooms closer than this, even for one incident
UNCONFIRMED = TypeStyle("unconfirmed", "Unconfirmed (less sure; off by default)", "", "", "#9e9e9e", "question")


def default_threshold() -> float:
    """The least confidence the map shows by default: where held-out precision reached 0.8
    (geo/data/incident_calibration.csv, docs/incidents.md). The rest go to a layer that is off."""
    return Calibration.load().threshold


def _map_class():
    """folium.Map without the awesome-markers and glyphicon assets, which this map does not use."""
    class IncidentMap(folium.Map):
        default_js = [js for js in folium.Map.default_js if js[0] != "awesome_markers"]
        default_css = [css for css in folium.Map.default_css
                       if css[0] not in ("glyphicons_css", "awesome_markers_css", "awesome_rotate_css")]

    return IncidentMap


def _taxonomy(taxonomy):
    if taxonomy is not None:
        return taxonomy
    try:
        return Taxonomy.load()
    except UsageError:
        return None  # fall back to the default palette keyed by type name


def build_map(
    incidents: Sequence[Incident],
    *,
    title: str = "incidentmap",
    taxonomy=None,
    self_contained: bool = True,
    regions=None,
    countries=None,
    tiles: str | None = "OpenStreetMap",
    assets_dir: str | os.PathLike | None = None,
    confirmed_at: float | None = None,
    basemap: bool = True,
):
    """A folium map of the incidents: type layers with lazy popups, heat, time slider, choropleth, panel.

    `regions`/`countries` are GeoDataFrames (id, name, country_code, geometry) that replace the
    gazetteer's admin-1 regions and country outlines. A `self_contained` map (the default) inlines
    the JS/CSS vendored in the package, checked against their checksums, so it opens with no network;
    otherwise it links them from CDNs. `assets_dir` replaces the vendored folder (tests).
    Incidents less confident than `confirmed_at` go to one "Unconfirmed" layer, off by default; by
    default that is the threshold of the incident calibration (`default_threshold()`).
    `basemap` adds the offline basemap (geo.maps.basemap), drawn under the tiles so it shows without network.
    """
    if self_contained:
        require_assets(assets_dir)
    incidents = list(incidents)
    styles = type_styles(incidents, _taxonomy(taxonomy))
    encoder, columns = _columns(incidents, styles, confirmed_at)
    fmap = _new_map(title, tiles, self_contained, assets_dir)
    outlines = None
    if tiles is None or self_contained:
        outlines = Outlines(outline_geojson(countries), base=tiles is None)
        outlines.add_to(fmap)
    IncidentRuntime(encoder.strings.values, encoder.refs, DATE_PRECISIONS).add_to(fmap)
    located = [i for i in incidents if i.place is not None]
    if basemap:
        add_basemap(fmap, located, regions=regions, under_tiles=tiles is not None)
    view = _fit_view(fmap, located)
    _add_type_layers(fmap, columns)
    if located:
        _add_overviews(fmap, located, regions)
    SummaryPanel(_panel_html(title, summarise(incidents, styles)), everything=view.everything).add_to(fmap)
    _add_controls(fmap, tiles, outlines)
    _renumber(fmap.get_root())
    return fmap


def _columns(incidents: list[Incident], styles, confirmed_at: float | None):
    """The encoder of the map's strings and, per layer (each type, then the unconfirmed), its style,
    column data and whether it shows at first."""
    by_type: dict[str, list[Incident]] = {}
    if confirmed_at is None:
        confirmed_at = default_threshold()
    unconfirmed = [i for i in incidents if i.confidence < confirmed_at]
    for incident in incidents:
        if incident.confidence >= confirmed_at:
            by_type.setdefault(incident.type, []).append(incident)
    encoder = LayerEncoder()
    columns = [(style, encoder.layer(by_type[style.key]), True) for style in styles if style.key in by_type]
    if unconfirmed:
        columns.append((UNCONFIRMED, encoder.layer(unconfirmed), False))
    return encoder, columns


def _new_map(title: str, tiles: str | None, self_contained: bool, assets_dir: str | os.PathLike | None):
    """The empty folium map with its zoom limits, asset mode and page title."""
    try:
        fmap = _map_class()(location=[20, 0], zoom_start=2, tiles=tiles, control_scale=True, max_zoom=MAX_ZOOM)
    except ValueError as exc:
        raise UsageError(f"cannot use tiles {tiles!r}: {exc}") from exc
    # Marker clustering needs a maximum zoom even when no tile layer sets one; every zoom level
    # between the two limits costs clustering work per marker.
    fmap.options["maxZoom"] = MAX_ZOOM
    fmap.options["minZoom"] = MIN_ZOOM
    fmap.self_contained = self_contained
    fmap.assets_dir = assets_dir
    fmap.get_root().title = js_template_safe(title)
    return fmap


def _fit_view(fmap, located: list[Incident]):
    """Set the opening view on the located incidents; returns it."""

    # Set the view before markers load: clustering restarts (and markercluster 1.1 can fail)
    # when the zoom changes while chunks are still being added.
    view = frame([(i.place.lat, i.place.lon) for i in located if i.place is not None])
    fit = FitBounds([list(view.bounds[0]), list(view.bounds[1])], max_zoom=_FIT_MAX_ZOOM)
    fit.options["animate"] = False
    fit.add_to(fmap)
    return view


def _add_type_layers(fmap, columns) -> None:
    """One marker layer per incident type (and the unconfirmed), each with its legend icon."""
    for style, data, show in columns:
        if not data["y"]:
            continue
        # colour and icon were checked against #rrggbb and [a-z0-9-] in type_styles.
        icon = f'<div style="background:{style.colour}"><i class="fa fa-{style.icon}"></i></div>'
        IncidentLayer(
            style.key, f"{js_template_safe(style.label)} ({len(data['t']):,})", data,
            {"key": style.key, "label": style.label, "colour": style.colour, "html": icon}, show=show,
        ).add_to(fmap)


def _add_overviews(fmap, located: list[Incident], regions) -> None:
    """The heat map, the time slider (if any incident is dated) and the admin-1 choropleth."""
    IncidentHeatMap(name="Heat map").add_to(fmap)
    timeline = maplayers.time_geojson(located)
    if timeline["features"]:
        TimeSlider(timeline, name="Time slider (dated incidents)").add_to(fmap)
    choropleth = _choropleth(located, regions)
    if choropleth is not None:
        choropleth.add_to(fmap)


def _add_controls(fmap, tiles: str | None, outlines) -> None:
    """Full screen, the mini map (of the tiles, or of the outlines without tiles) and the layer control."""
    Fullscreen(position="topleft").add_to(fmap)
    if tiles is not None:
        MiniMap(tile_layer=tiles, toggle_display=True, position="bottomright").add_to(fmap)
    elif outlines is not None:
        OutlineMiniMap(outlines).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)


def _choropleth(located: list[Incident], regions):
    """The admin-1 layer, or None when boundaries are unavailable (the map is still useful without it)."""
    try:
        return maplayers.choropleth_layer(located, regions)
    except (ImportError, OSError) as exc:
        warnings.warn(f"map: no regions layer ({exc})", stacklevel=3)
        return None


def _panel_html(title: str, summary) -> str:
    """The summary panel: every value escaped, since type labels and the title may come from users."""
    unlocated = summary.total - summary.located
    if summary.first_date:
        dates = (summary.first_date if summary.first_date == summary.last_date
                 else f"{summary.first_date} \u2013 {summary.last_date}")
    else:
        dates = "no dated incidents"
    rows = "".join(
        f'<tr><td><span class="im-swatch" style="background:{style.colour}"></span>'
        f'<i class="fa fa-{style.icon}"></i></td><td>{js_template_safe(style.label)}</td>'
        f'<td class="n">{count:,}</td></tr>'
        for style, count in summary.by_type
    )
    if summary.fatalities_reported:
        fatalities = f"{summary.fatalities:,} (reported for {summary.fatalities_reported:,} of {summary.total:,} incidents)"
    else:
        fatalities = "not reported"
    # The whole panel folds away (a <details>), so it never has to cover the map; the runtime fills
    # .im-outside with the incidents outside the current view and shows it only when there are some.
    return (
        f'<details class="im-fold" open><summary class="im-head"><h1>{js_template_safe(title)}</h1></summary>'
        f"<div>{summary.total:,} incidents, {summary.located:,} located, {unlocated:,} unlocated</div>"
        f'<div class="im-outside" hidden></div>'
        f"<div>Dates: {js_template_safe(dates)}</div>"
        f"<div>Fatalities: {fatalities}</div>"
        f'<details open><summary>Incident types</summary><table class="im-legend">{rows}</table></details>'
        f"</details>"
    )


def _renumber(root) -> None:
    """Give every element of the tree a sequential id instead of branca's random one.

    Elements referenced from attributes (a mini-map's tile layer) are numbered too; children
    keyed by their old name are re-keyed, so nothing outside this tree is touched.
    """
    counter = itertools.count(1)
    seen: set[int] = set()

    def walk(element: Element) -> None:
        if id(element) in seen:
            return
        seen.add(id(element))
        old = [(key, child, key == child.get_name()) for key, child in element._children.items()]
        element._id = f"{next(counter):04d}"
        for child in element._children.values():
            walk(child)
        for value in list(vars(element).values()):
            if isinstance(value, Element):
                walk(value)
        element._children = OrderedDict(
            (child.get_name() if by_name else key, child) for key, child, by_name in old
        )

    walk(root)


def map_html(fmap) -> str:
    """The complete HTML document of a map from `build_map` (assets inlined if it is self-contained)."""
    html = fmap.get_root().render()
    if getattr(fmap, "self_contained", False):
        html = inline_assets(html, getattr(fmap, "assets_dir", None))
    return html


def render_map(incidents: Sequence[Incident], **kw) -> str:
    """The full HTML of the incident map (see `build_map` for the options)."""
    # Everything the map builds (its elements, data, basemap layers) lives until the page is rendered, so the
    # cyclic collector's full passes over it, and over all else alive, free nothing: held off meanwhile (a
    # fifth of the CPU of a map of 2,000 incidents after a run of 10,000 articles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return map_html(build_map(incidents, **kw))
    finally:
        if collecting:
            gc.enable()


def write_map(incidents: Sequence[Incident], path: str | os.PathLike, **kw) -> None:
    """Render the map and write it atomically to `path`, creating its folder if needed."""
    html = render_map(incidents, **kw)
    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    with atomic_write(path, "w", encoding="utf-8") as out:
        out.write(html)
