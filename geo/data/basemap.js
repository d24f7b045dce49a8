// incidentmap's offline basemap (geo.maps.basemap.Basemap): boundaries, water and place labels by zoom.
// Names arrive as JSON strings and become DOM text nodes; nothing here is parsed as HTML.
(function () {
  "use strict";
  if (window.incidentmapBasemap) return;
  var BM = window.incidentmapBasemap = {};

  // [x0, y0, dx1, dy1, ...] in 1/scale degrees -> Leaflet latlngs.
  function decode(flat, scale) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([y / scale, x / scale]);
    }
    return out;
  }
  function lines(list, scale) { return list.map(function (f) { return decode(f, scale); }); }

  function waterGroup(water, scale, renderer) {
    var group = L.layerGroup();
    if (water.lakes.length) {
      group.addLayer(L.polygon(lines(water.lakes, scale), {
        renderer: renderer, interactive: false, className: "im-bm-lake",
        color: "#7fa7c9", weight: 0.8, fillColor: "#aac8e4", fillOpacity: 1
      }));
    }
    if (water.rivers.length) {
      group.addLayer(L.polyline(lines(water.rivers, scale), {
        renderer: renderer, interactive: false, className: "im-bm-river", color: "#6b9bd1", weight: 1.4
      }));
    }
    return group;
  }

  function labelIcon(name, kind) {
    var box = document.createElement("div");
    box.className = "im-bm-text im-bm-" + kind;
    if (kind !== "region") box.appendChild(document.createElement("span")).className = "im-bm-dot";
    box.appendChild(document.createTextNode(String(name)));
    var icon = L.divIcon({className: "im-bm-label", html: box, iconSize: null, iconAnchor: [4, 8]});
    if (kind === "region") icon.options.className += " im-bm-centred";
    return icon;
  }

  var BasemapLayer = L.LayerGroup.extend({
    initialize: function (data, options) {
      L.LayerGroup.prototype.initialize.call(this, [], options);
      this.data = data;
      this.markers = {};
      this.regions = [];
    },
    onAdd: function (map) {
      var d = this.data, z = this.options.zIndex;
      ["im-bm-lines", "im-bm-labels"].forEach(function (pane, i) {
        var el = map.getPane(pane) || map.createPane(pane);
        el.style.zIndex = String(z + 5 * i);
        el.style.pointerEvents = "none";
      });
      if (!this.coarse) {
        this.renderer = L.svg({pane: "im-bm-lines"});
        this.coarse = waterGroup(d.coarse, d.scales.coarse, this.renderer);
        this.labels = L.layerGroup();
      }
      L.LayerGroup.prototype.onAdd.call(this, map);
      // A zoom ends with a moveend too: one update per change of view.
      map.on("moveend", this.update, this);
      this.update();
    },
    onRemove: function (map) {
      map.off("moveend", this.update, this);
      L.LayerGroup.prototype.onRemove.call(this, map);
    },
    // Admin-1 lines and detailed water, decoded the first time the map is zoomed in far enough.
    detailLayer: function () {
      if (this.detail) return this.detail;
      var d = this.data, renderer = this.renderer, self = this;
      this.detail = waterGroup(d.detail, d.scales.detail, renderer);
      d.regions.b.forEach(function (rings, i) {
        var line = L.polyline(lines(rings, d.scales.detail), {
          renderer: renderer, interactive: false, className: "im-bm-admin1",
          color: "#8c6d9e", weight: 1.2, dashArray: "5 3", opacity: 0.9
        });
        self.regions.push({name: d.regions.n[i], layer: line});
        self.detail.addLayer(line);
      });
      return this.detail;
    },
    // Show the band of the current zoom and the labels due at it, only those in (or near) the view.
    update: function () {
      var map = this._map;
      if (!map) return;
      var d = this.data, zoom = map.getZoom(), detail = zoom >= d.zooms.detail;
      this.show(this.coarse, !detail);
      if (detail || this.detail) this.show(this.detailLayer(), detail);
      this.show(this.labels, true);
      var view = map.getBounds().pad(0.3), wanted = {}, key, i;
      var L_ = d.labels;
      for (i = 0; i < L_.n.length; i++) {
        if (L_.z[i] > zoom) continue;
        if (!view.contains([L_.y[i] / 1000, L_.x[i] / 1000])) continue;
        wanted["p" + i] = [L_.y[i] / 1000, L_.x[i] / 1000, L_.n[i], L_.k[i]];
      }
      var R = d.regions;
      // R.z[i]: bit z set when the region's name fits at zoom z (geo.maps.basemap.region_label_zooms).
      for (i = 0; i < R.n.length; i++) {
        if (zoom < 31 && (R.z[i] >> zoom) & 1 && view.contains([R.y[i] / 1000, R.x[i] / 1000])) {
          wanted["r" + i] = [R.y[i] / 1000, R.x[i] / 1000, R.n[i], "region"];
        }
      }
      for (key in this.markers) {
        if (!wanted[key]) { this.labels.removeLayer(this.markers[key]); delete this.markers[key]; }
      }
      for (key in wanted) {
        if (this.markers[key]) continue;
        var w = wanted[key];
        this.markers[key] = L.marker([w[0], w[1]], {
          icon: labelIcon(w[2], w[3]), interactive: false, keyboard: false, pane: "im-bm-labels"
        });
        this.labels.addLayer(this.markers[key]);
      }
    },
    show: function (layer, on) {
      if (on && !this.hasLayer(layer)) this.addLayer(layer);
      if (!on && this.hasLayer(layer)) this.removeLayer(layer);
    }
  });

  BM.layer = function (data, options) {
    BM.current = new BasemapLayer(data, options);
    return BM.current;
  };
})();
