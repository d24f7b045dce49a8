"""Custom folium elements for the incident map: the popup runtime, type layers, panel, outlines, time slider.

Each is a branca MacroElement with a Jinja template, like folium's own plugins. Every value
that reaches a template is either a constant of this module or passes through
`geo.escape.script_json` (inside <script>) or `geo.escape.js_template_safe` (HTML).
"""

from __future__ import annotations

import base64
import gzip

from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import HeatMap, MarkerCluster, Timeline
from folium.template import Template

from geo.escape import script_json

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

# Builds popups and tooltips from the column data with DOM text nodes, so article text is
# never parsed as HTML; links are made only for http(s) URLs, checked again here.
RUNTIME_JS = r"""
(function () {
  "use strict";
  var IM = window.incidentmap = window.incidentmap || {};
  IM.layers = IM.layers || {};
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function s(i) { return (i === null || i === undefined || i < 0) ? "" : IM.strings[i]; }
  function httpUrl(u) {
    if (!/^https?:\/\//i.test(u)) return null;
    try {
      var p = new URL(u);
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (e) { return null; }
  }
  function row(table, label, value) {
    if (value === "" || value === null || value === undefined) return;
    var tr = table.insertRow();
    tr.appendChild(el("th", null, label));
    tr.insertCell().textContent = String(value);
  }
  IM.ready = Promise.resolve();
  IM.load = function (packed) {
    var bin = atob(packed), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    IM.ready = new Response(stream).text().then(function (text) { IM.strings = JSON.parse(text); });
  };
  // The incidents of marker p are d.t[s[p]] ... d.t[s[p + 1] - 1].
  function first(d, p) { return d.s[p]; }
  function count(d, p) { return (p + 1 < d.s.length ? d.s[p + 1] : d.t.length) - d.s[p]; }
  IM.popup = function (layer, p, page, marker) {
    var d = layer.data, st = layer.style, box = el("div", "im-popup"), total = count(d, p), i = first(d, p) + page;
    if (total > 1) {
      var pager = el("div", "im-pager");
      var prev = el("button", null, "\u2039"), next = el("button", null, "\u203a");
      prev.type = next.type = "button";
      prev.disabled = page === 0;
      next.disabled = page === total - 1;
      pager.appendChild(prev);
      pager.appendChild(el("span", null, (page + 1) + " of " + total + " incidents here"));
      pager.appendChild(next);
      L.DomEvent.disableClickPropagation(pager);
      function go(to) { marker.setPopupContent(IM.popup(layer, p, to, marker)); }
      prev.addEventListener("click", function () { go(page - 1); });
      next.addEventListener("click", function () { go(page + 1); });
      box.appendChild(pager);
    }
    box.appendChild(el("div", "im-title", s(d.t[i])));
    var kind = el("div", "im-kind");
    var sw = el("span", "im-swatch");
    sw.style.background = st.colour;
    kind.appendChild(sw);
    kind.appendChild(document.createTextNode(st.label + (d.r[i] >= 0 ? " \u2014 " + s(d.r[i]) : "")));
    box.appendChild(kind);
    var t = el("table", "im-facts"), date = s(d.d[i]);
    row(t, "Date", date ? date + " (" + IM.precisions[d.q[i]] + ")" : "unknown");
    row(t, "Place", s(d.n[i]) + " (" + s(d.l[i]) + (d.g[i] ? ", geo precision " + d.g[i] : "") + ")");
    row(t, "Fatalities", d.f[i] === null ? "not reported" : d.f[i]);
    if (d.j[i] !== null) row(t, "Injured", d.j[i]);
    row(t, "Actors", s(d.a[i]));
    box.appendChild(t);
    var sentence = s(d.v[i]), a = d.m[i], b = d.k[i];
    if (sentence) {
      var q = el("blockquote", "im-evidence");
      if (a >= 0 && b > a && b <= sentence.length) {
        q.appendChild(document.createTextNode(sentence.slice(0, a)));
        q.appendChild(el("mark", null, sentence.slice(a, b)));
        q.appendChild(document.createTextNode(sentence.slice(b)));
      } else {
        q.textContent = sentence;
      }
      box.appendChild(q);
    }
    var refs = IM.refs[d.o[i]] || [];
    if (refs.length) {
      var src = el("div", "im-sources", refs.length > 1 ? "Sources: " : "Source: ");
      refs.forEach(function (r, n) {
        if (n) src.appendChild(document.createTextNode(", "));
        var label = s(r[0]) || "article", url = s(r[1]), href = r[2] ? httpUrl(url) : null;
        if (href) {
          var link = el("a", null, label);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer nofollow";
          src.appendChild(link);
        } else {
          src.appendChild(el("span", "im-nolink", url ? label + " (" + url + ")" : label));
        }
      });
      box.appendChild(src);
    }
    return box;
  };
  IM.tooltip = function (layer, p) {
    var d = layer.data, n = count(d, p);
    return el("span", null, layer.style.label + (IM.strings ? " \u2014 " + s(d.n[first(d, p)]) : "") +
                            (n > 1 ? " (" + n + " incidents)" : ""));
  };
  IM.clusterIcon = function (colour) {
    return function (cluster) {
      var n = 0, markers = cluster.getAllChildMarkers();
      for (var k = 0; k < markers.length; k++) n += markers[k]._imCount;
      var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46, inner = el("div");
      inner.style.background = colour;
      inner.appendChild(el("span", null, n));
      return L.divIcon({html: inner, className: "marker-cluster im-cluster", iconSize: L.point(size, size)});
    };
  };
  IM.open = function (layer, m, page) {
    if (!m.getPopup()) {
      m.bindPopup(function () {
        if (IM.strings) return IM.popup(layer, m._imIndex, m._imPage, m);
        IM.ready.then(function () { m.setPopupContent(IM.popup(layer, m._imIndex, m._imPage, m)); });
        return el("div", "im-popup", "Loading\u2026");
      }, {maxWidth: 380});
    }
    if (page !== undefined) {
      m._imPage = page;
      if (m.isPopupOpen()) m.closePopup();
    }
    if (!m.isPopupOpen()) m.openPopup();
  };
  IM.fill = function (group, key, data, style, show) {
    var opts = {className: "im-pin", iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12],
                tooltipAnchor: [12, 0]};
    var icon = L.divIcon(L.extend({html: style.html}, opts));
    var layer = {group: group, data: data, style: style, markers: new Array(data.y.length)};
    for (var p = 0; p < data.y.length; p++) {
      var n = count(data, p);
      var m = L.marker([data.y[p], data.x[p]], {
        icon: n > 1 ? L.divIcon(L.extend({html: style.html + '<span class="im-count">' + n + "</span>"}, opts)) : icon,
        keyboard: false
      });
      m._imIndex = p;
      m._imCount = n;
      m._imPage = 0;
      layer.markers[p] = m;
    }
    group.on("click", function (e) {
      var m = e.layer;
      if (m && m._imIndex !== undefined && !m.getPopup()) IM.open(layer, m);
    });
    group.on("mouseover", function (e) {
      var m = e.layer;
      if (!m || m._imIndex === undefined || m.getTooltip()) return;
      m.bindTooltip(function () { return IM.tooltip(layer, m._imIndex); });
      m.openTooltip();
    });
    IM.layers[key] = layer;
    IM.pending = (IM.pending || 0) + 1;
    group.options.chunkProgress = function (done, total) {
      if (done === total && !layer.loaded) { layer.loaded = true; IM.pending -= 1; }
    };
    // Added while the group is off the map, each marker would be checked against all queued
    // ones (quadratic); on the map they are clustered in chunks without blocking the page.
    if (show) {
      group.addTo(IM.map);
      group.addLayers(layer.markers);
    } else {
      group.once("add", function () { group.addLayers(layer.markers); });
    }
  };
  IM.points = function () {
    var out = [];
    Object.keys(IM.layers).forEach(function (key) {
      var d = IM.layers[key].data;
      for (var p = 0; p < d.y.length; p++) out.push([d.y[p], d.x[p], count(d, p)]);
    });
    return out;
  };
  // Opens incident `i` (in the layer's marker order) of type `key`: for links, tests and the console.
  IM.show = function (key, i) {
    var layer = IM.layers[key];
    if (!layer || i < 0 || i >= layer.data.t.length) return false;
    var lo = 0, hi = layer.data.s.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (layer.data.s[mid] <= i) lo = mid; else hi = mid - 1;
    }
    var m = layer.markers[lo];
    if (!layer.group._map) layer.group.addTo(IM.map);
    layer.group.zoomToShowLayer(m, function () { IM.open(layer, m, i - layer.data.s[lo]); });
    return true;
  };
})();
"""

RUNTIME_CSS = """
.im-pin { position: relative; }
.im-pin div { width: 24px; height: 24px; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 2px #333;
  color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.im-cluster div { border-radius: 50%; width: 100%; height: 100%; opacity: 0.85; color: #fff;
  font: bold 12px sans-serif; display: flex; align-items: center; justify-content: center; text-shadow: 0 0 2px #000; }
.im-cluster { background: rgba(255, 255, 255, 0.6); border-radius: 50%; padding: 3px; }
.im-popup { font: 13px/1.35 sans-serif; max-width: 360px; }
.im-popup .im-title { font-weight: bold; font-size: 14px; margin-bottom: 4px; }
.im-popup .im-kind { margin-bottom: 4px; }
.im-swatch, .im-panel .im-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  margin-right: 5px; border: 1px solid #555; }
.im-popup .im-facts th { padding-right: 8px; vertical-align: top; color: #555; font-weight: normal; }
.im-popup .im-evidence { margin: 6px 0; padding-left: 8px; border-left: 3px solid #ccc; font-style: italic; }
.im-popup mark { background: #ffe066; padding: 0 1px; }
.im-popup .im-pager { display: flex; align-items: center; gap: 6px; margin-bottom: 6px; color: #555; }
.im-popup .im-pager button { border: 1px solid #bbb; background: #f6f6f6; border-radius: 3px; padding: 0 7px; }
.im-pin .im-count { position: absolute; top: -7px; right: -9px; background: #222; color: #fff; border-radius: 8px;
  font: bold 10px/14px sans-serif; padding: 0 4px; }
.im-popup .im-sources { font-size: 12px; color: #333; }
.im-panel { background: rgba(255, 255, 255, 0.93); padding: 8px 10px; border-radius: 5px; max-width: 300px;
  max-height: 70vh; overflow-y: auto; font: 12px/1.35 sans-serif; box-shadow: 0 1px 5px rgba(0, 0, 0, 0.4); }
.im-panel h1 { font-size: 15px; margin: 0 0 4px; }
.im-panel table { border-collapse: collapse; }
.im-panel td { padding: 1px 4px; }
.im-panel td.n { text-align: right; }
.im-panel summary { cursor: pointer; font-weight: bold; }
"""


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
                 pack_above: int = PACK_ABOVE):
        super().__init__()
        self._name = "IncidentRuntime"
        self.js = RUNTIME_JS
        self.css = RUNTIME_CSS
        self.strings = script_json(strings)
        self.packed = ""
        if len(self.strings) > pack_above:
            # mtime=0 keeps the bytes reproducible.
            data = gzip.compress(self.strings.encode("utf-8"), compresslevel=6, mtime=0)
            self.packed = '"' + base64.b64encode(data).decode("ascii") + '"'
            self.strings = ""
        self.refs = script_json(refs)
        self.precisions = script_json(list(precisions))


class IncidentLayer(JSCSSMixin, Layer, VerbatimMacro):
    """One incident type: a marker-cluster group filled in the browser from column data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.markerClusterGroup({{ this.options }});
            {{ this.get_name() }}.options.iconCreateFunction = incidentmap.clusterIcon({{ this.colour }});
            incidentmap.fill({{ this.get_name() }}, {{ this.key }}, {{ this.data }}, {{ this.style }}, {{ this.show|tojson }});
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
        self.data = script_json(data)
        self.style = script_json(style)
        self.options = script_json({"chunkedLoading": True, "chunkInterval": 100, "showCoverageOnHover": False,
                                    "spiderfyOnMaxZoom": True, "maxClusterRadius": 50})
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
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        """`html` must already be escaped (see geo.maps)."""
        super().__init__()
        self._name = "SummaryPanel"
        self.html = html


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
        self.data = script_json(geojson)
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
        from folium.plugins import MiniMap

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
            var {{ this.get_name() }} = L.timeline({{ this.geojson }}, {
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
        self.geojson = script_json(geojson)
        self.steps = int(steps)


class IncidentHeatMap(HeatMap):
    """folium's HeatMap drawn from the points of the incident layers, so they are not embedded twice."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.heatLayer(incidentmap.points(), {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str = "Heat map", show: bool = False):
        super().__init__([], name=name, show=show, radius=15, blur=12, min_opacity=0.3)
        self._name = "IncidentHeatMap"
