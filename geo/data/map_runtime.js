// incidentmap's browser runtime: markers from column data, popups built with DOM text nodes.
// Loaded by geo.mapjs.IncidentRuntime; article text is never parsed as HTML here.
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
    if (d.h[i] >= 0) row(t, "Place from", "\u201c" + s(d.h[i]) + "\u201d");
    if (d.w[i] >= 0) row(t, "Date from", "\u201c" + s(d.w[i]) + "\u201d");
    row(t, "Confidence", d.c[i] === null || d.c[i] === undefined ? "" : Math.round(d.c[i] * 100) + " % likely right");
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
  // Room kept free when a popup pans into view: the panel (top left) and the layer control (top
  // right), measured when the popup opens, since either may be folded away or resized.
  IM.panPadding = function (corner) {
    var c = IM.map.getContainer(), pad = 12;
    function width(selector) { var e = c.querySelector(selector); return e ? e.getBoundingClientRect().width : 0; }
    return corner === "topleft" ? [width(".im-panel") + 2 * pad, pad] : [width(".leaflet-control-layers") + 2 * pad, pad];
  };
  function popupFor(content) {
    var popup = L.popup({maxWidth: 380});
    // Leaflet reads these options each time it pans a popup into view.
    Object.defineProperty(popup.options, "autoPanPaddingTopLeft", {get: function () { return IM.panPadding("topleft"); }});
    Object.defineProperty(popup.options, "autoPanPaddingBottomRight", {get: function () { return IM.panPadding("bottomright"); }});
    return popup.setContent(content);
  }
  IM.open = function (layer, m, page) {
    if (!m.getPopup()) {
      m.bindPopup(popupFor(function () {
        if (IM.strings) return IM.popup(layer, m._imIndex, m._imPage, m);
        IM.ready.then(function () { m.setPopupContent(IM.popup(layer, m._imIndex, m._imPage, m)); });
        return el("div", "im-popup", "Loading\u2026");
      }));
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
    // One icon per count, shared by the markers that show it (an icon only describes the element to make).
    var icons = {};
    function icon(n) {
      return icons[n] || (icons[n] = L.divIcon(L.extend(
        {html: n > 1 ? style.html + '<span class="im-count">' + n + "</span>" : style.html}, opts)));
    }
    var layer = {group: group, data: data, style: style, markers: new Array(data.y.length)};
    for (var p = 0; p < data.y.length; p++) {
      var n = count(data, p);
      var m = L.marker([data.y[p], data.x[p]], {icon: icon(n), keyboard: false});
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
    IM.pending = IM.pending || 0;
    // Only layers being filled count as pending: a layer that is off by default is filled when
    // first shown, and until then must not keep the map "loading".
    var started = false;
    function start() { if (!started) { started = true; IM.pending += 1; } }
    group.options.chunkProgress = function (done, total) {
      if (done === total && !layer.loaded) { layer.loaded = true; IM.pending -= 1; }
    };
    // Added while the group is off the map, each marker would be checked against all queued
    // ones (quadratic); on the map they are clustered in chunks without blocking the page.
    if (show) {
      start();
      group.addTo(IM.map);
      group.addLayers(layer.markers);
    } else {
      group.once("add", function () { start(); group.addLayers(layer.markers); });
    }
  };
  // Keeps the panel's count of incidents (on the layers shown) outside the view up to date, with a
  // link that frames them all: the opening view leaves far outliers out (geo.maps.view).
  IM.watchView = function (panel, everything) {
    var box = panel && panel.querySelector(".im-outside");
    if (!box) return;
    function update() {
      var view = IM.map.getBounds(), out = 0;
      var s = view.getSouth(), w = view.getWest(), n = view.getNorth(), e = view.getEast();
      Object.keys(IM.layers).forEach(function (key) {
        var layer = IM.layers[key], d = layer.data, y = d.y, x = d.x;
        if (!layer.group._map) return;
        // Plain comparisons, as LatLngBounds.contains does, without an object per point.
        for (var p = 0; p < y.length; p++) {
          if (y[p] < s || y[p] > n || x[p] < w || x[p] > e) out += count(d, p);
        }
      });
      IM.outside = out;
      box.hidden = out === 0;
      box.textContent = "";
      if (!out) return;
      box.appendChild(document.createTextNode(out.toLocaleString("en") +
        (out === 1 ? " incident lies" : " incidents lie") + " outside this view. "));
      if (everything) {
        var all = el("a", "im-show-all", "Show all");
        all.href = "#";
        all.addEventListener("click", function (e) { e.preventDefault(); IM.map.fitBounds(everything, {maxZoom: 10}); });
        box.appendChild(all);
      }
    }
    IM.map.on("moveend overlayadd overlayremove", update);
    update();
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
