"""Custom folium elements for the incident map: the popup runtime, type layers, panel, outlines, time slider.

Each is a branca MacroElement with a Jinja template, like folium's own plugins. Every value
that reaches a template is either a constant of this module or passes through
`geo.maps.escape.script_json` (inside <script>) or `geo.maps.escape.js_template_safe` (HTML).
"""

from __future__ import annotations

import base64
import gzip
from importlib import resources

from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import HeatMap, MarkerCluster, MiniMap, Timeline
from folium.template import Template

from geo.maps.escape import script_data, script_json

__all__ = [
    "IncidentHeatMap", "IncidentLayer", "IncidentRuntime", "Outlines", "OutlineMiniMap", "SummaryPanel", "TimeSlider",
]

FONT_AWESOME_V4 = (
    "fontawesome_v4_shims",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/v4-shims.min.css",
)

# Above this many characters of JSON the string table is embedded gzip-compressed (base64) and
# unpacked by the browser's DecompressionStream: article sentences are most of a large map.
PACK_ABOVE = 2_000_000


def _runtime(name: str) -> str:
    """A file of the browser runtime (geo/data/map_runtime.js or .css)."""
    return (resources.files("geo") / "data" / name).read_text(encoding="utf-8")


class Verbatim(Element):
    """Rendered text placed in the page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class VerbatimMacro(MacroElement):
    """A MacroElement whose rendered parts are not parsed again as Jinja templates.

    branca wraps each rendered macro in `Element(template=...)`, which lexes megabytes of data
    a second time (slow at 100k incidents) and would evaluate any `{{ }}` that came from text.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self._name} can only be rendered inside a Figure")
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.__dict__.get(part)
            if macro is not None:
                target.add_child(Verbatim(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class IncidentRuntime(JSCSSMixin, VerbatimMacro):
    """The shared popup script, CSS and string tables; add it to the map before any IncidentLayer."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.js }}
            incidentmap.map = {{ this._parent.get_name() }};
            {%- if this.packed %}
            incidentmap.load({{ this.packed }});
            {%- else %}
            incidentmap.strings = {{ this.strings }};
            {%- endif %}
            incidentmap.refs = {{ this.refs }};
            incidentmap.precisions = {{ this.precisions }};
        {% endmacro %}
        """
    )
    default_js = MarkerCluster.default_js
    default_css = [*MarkerCluster.default_css, FONT_AWESOME_V4]

    def __init__(self, strings: list[str], refs: list, precisions: tuple[str, ...], *,
                 pack_above: int | None = None):
        super().__init__()
        self._name = "IncidentRuntime"
        # The runtime builds popups and tooltips from the column data with DOM text nodes, so
        # article text is never parsed as HTML; links are made only for http(s) URLs.
        self.js = _runtime("map_runtime.js")
        self.css = _runtime("map_runtime.css")
        self.strings = script_json(strings)
        self.packed = ""
        if len(self.strings) > (PACK_ABOVE if pack_above is None else pack_above):
            # mtime=0 keeps the bytes reproducible; level 1 is 4x faster than 6 for 10-20% more bytes.
            data = gzip.compress(self.strings.encode("utf-8"), compresslevel=1, mtime=0)
            self.packed = '"' + base64.b64encode(data).decode("ascii") + '"'
            self.strings = ""
        self.refs = script_data(refs)
        self.precisions = script_json(list(precisions))


class IncidentLayer(JSCSSMixin, Layer, VerbatimMacro):
    """One incident type: a marker-cluster group filled in the browser from column data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.markerClusterGroup({{ this.options }});
            {{ this.get_name() }}.options.iconCreateFunction = incidentmap.clusterIcon({{ this.colour }});
            incidentmap.fill(
                {{ this.get_name() }}, {{ this.key }}, {{ this.data }}, {{ this.style }}, {{ this.show|tojson }}
            );
        {% endmacro %}
        """
    )
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    def __init__(self, key: str, name: str, data: dict, style: dict, *, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "IncidentLayer"
        self.count = len(data["t"])
        self.key = script_json(key)
        self.colour = script_json(style["colour"])
        self.data = script_data(data)
        self.style = script_json(style)
        self.options = script_json({"chunkedLoading": True, "chunkInterval": 200, "chunkDelay": 10,
                                    "showCoverageOnHover": False, "spiderfyOnMaxZoom": True, "maxClusterRadius": 50})
        self.bounds = _bounds(data["y"], data["x"])

    def _get_self_bounds(self):
        return self.bounds


def _bounds(lats, lons):
    if not lats:
        return [[None, None], [None, None]]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


class SummaryPanel(VerbatimMacro):
    """Title, summary figures and legend, as a Leaflet control (so it stays visible in full screen)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <div id="{{ this.get_name() }}" class="im-panel leaflet-control">{{ this.html }}</div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "topleft"});
            {{ this.get_name() }}.onAdd = function () {
                var div = document.getElementById({{ this.get_name()|tojson }});
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            incidentmap.watchView(document.getElementById({{ this.get_name()|tojson }}), {{ this.everything }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, everything=None):
        """`html` must already be escaped (see geo.maps.build); `everything` frames every incident."""
        super().__init__()
        self._name = "SummaryPanel"
        self.html = html
        self.everything = script_json([list(corner) for corner in everything] if everything else None)


class Outlines(Layer, VerbatimMacro):
    """A light, non-interactive GeoJSON layer of country outlines for maps that may lack tiles.

    As the base layer (no tiles) it is filled like land; over tiles it draws lines only, so
    the outlines still show when an offline browser cannot load the tiles.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = {{ this.data }};
            var {{ this.get_name() }} = L.geoJSON({{ this.get_name() }}_data, {
                interactive: false,
                style: {color: "#777", weight: 0.8, fillColor: "#f2efe9", fillOpacity: {{ this.fill }}}
            });
        {% endmacro %}
        """
    )

    def __init__(self, geojson: dict, *, base: bool = True, name: str = "Country outlines"):
        super().__init__(name=name, overlay=not base, control=True, show=True)
        self._name = "Outlines"
        self.data = script_data(geojson)
        self.fill = 1 if base else 0


class OutlineMiniMap(JSCSSMixin, VerbatimMacro):
    """A mini-map drawn from the outline data, so it needs no tile server."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = new L.Control.MiniMap(
                L.geoJSON({{ this.outlines.get_name() }}_data, {
                    interactive: false, style: {color: "#777", weight: 0.5, fillColor: "#f2efe9", fillOpacity: 1}
                }),
                {position: "bottomright", toggleDisplay: true, zoomLevelOffset: -5, width: 150, height: 150}
            );
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outlines: Outlines):
        super().__init__()
        self._name = "OutlineMiniMap"
        self.outlines = outlines
        self.default_js = MiniMap.default_js
        self.default_css = MiniMap.default_css


class TimeSlider(JSCSSMixin, Layer, VerbatimMacro):
    """Incidents by date on a time slider; the slider control shows only while the layer is on."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            // Off until shown: its features are indexed by time when first shown, not at page load.
            var {{ this.get_name() }} = L.timeline(null, {
                pointToLayer: function (feature, latlng) {
                    var n = feature.properties.n;
                    return L.circleMarker(latlng, {radius: 4 + 2 * Math.sqrt(n), color: "#7f0000", weight: 1,
                                                   fillColor: "#e34a33", fillOpacity: 0.7, interactive: false});
                }
            });
            var {{ this.get_name() }}_slider = L.timelineSliderControl({
                enableKeyboardControls: false, showTicks: false, autoPlay: false, steps: {{ this.steps }},
                duration: 20000, formatOutput: function (t) { return new Date(t).toISOString().slice(0, 10); }
            });
            {{ this.get_name() }}.on("add", function () {
                if (!{{ this.get_name() }}.times.length) {{ this.get_name() }}._process({{ this.geojson }});
                {{ this.get_name() }}_slider.addTo({{ this._parent.get_name() }});
                {{ this.get_name() }}_slider.addTimelines({{ this.get_name() }});
            });
            {{ this.get_name() }}.on("remove", function () { {{ this.get_name() }}_slider.remove(); });
        {% endmacro %}
        """
    )

    default_js = Timeline.default_js

    def __init__(self, geojson: dict, *, name: str = "Time slider", steps: int = 200, show: bool = False):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "TimeSlider"
        self.geojson = script_data(geojson)
        self.steps = int(steps)


class IncidentHeatMap(HeatMap):
    """folium's HeatMap drawn from the points of the incident layers, so they are not embedded twice."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            // The points (one per marker) are gathered when the layer is first shown, not at page load.
            var {{ this.get_name() }} = L.heatLayer([], {{ this.options|tojavascript }});
            {{ this.get_name() }}.once("add", function () { this.setLatLngs(incidentmap.points()); });
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str = "Heat map", show: bool = False):
        super().__init__([], name=name, show=show, radius=15, blur=12, min_opacity=0.3)
        self._name = "IncidentHeatMap"
