"""The HTML map: layers, popup data, escaping, reproducibility, offline assets, atomic writing."""

from __future__ import annotations

import base64
import doctest
import gc
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile

import pytest
from mapcases import (
    HOSTILE_ACTOR,
    HOSTILE_PLACE,
    HOSTILE_TITLE,
    XSS_IMG,
    XSS_SCRIPT,
    XSS_TEMPLATE,
    XSS_URL,
    hostile_incident,
    incident,
    place,
    sample_incidents,
    square_countries,
    square_regions,
)

import geo.maps.data
from geo.errors import UsageError
from geo.maps import assets
from geo.maps.build import build_map, default_threshold, render_map, write_map
from geo.maps.data import LayerEncoder, mention_offsets, type_styles
from geo.maps.escape import js_template_safe


def _render(incidents, **kw):
    kw.setdefault("regions", square_regions())
    kw.setdefault("countries", square_countries())
    return render_map(incidents, **kw)


def test_mapdata_doctests_pass():
    assert doctest.testmod(geo.maps.data).failed == 0


def test_same_input_gives_byte_identical_html():
    first = _render(sample_incidents())
    other = _render([hostile_incident()])
    again = _render(sample_incidents())
    assert first == again
    assert first != other


def test_rendering_turns_the_garbage_collector_back_on_and_leaves_it_off_if_it_was():
    assert "map_" in _render(sample_incidents())
    assert gc.isenabled()
    with pytest.raises(UsageError):
        _render(sample_incidents(), tiles="no such tiles", self_contained=False)
    assert gc.isenabled()              # after a failed build too
    gc.disable()                       # a caller that holds it off keeps it off
    try:
        _render(sample_incidents())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_element_ids_are_sequential_not_random():
    html = _render(sample_incidents())
    assert not re.search(r"_[0-9a-f]{32}\b", html)
    assert "map_0002" in html or re.search(r"\bmap_\d{4}\b", html)


def test_one_layer_per_type_named_with_its_count():
    html = _render(sample_incidents())
    assert '"Air/drone strike (2)"' in html
    assert '"Armed clash (1)"' in html
    assert '"Protest (1)"' in html   # the unlocated protest has no marker
    assert html.count("L.markerClusterGroup(") == 3


def test_unsure_incidents_go_to_one_layer_that_is_off_by_default():
    at = default_threshold()          # the calibration file's, not a constant
    sure = incident("a", confidence=at)
    unsure = incident("b", "armed_clash", confidence=round(at - 0.01, 3))
    html = _render([sure, unsure])
    assert '"Air/drone strike (1)"' in html and '"Armed clash' not in html
    assert '"Unconfirmed (less sure; off by default) (1)"' in html
    layer = html[html.index('"unconfirmed"'):]
    assert re.search(r'"unconfirmed",.*?,\s*false\s*\)', layer, re.S)
    assert '"Armed clash (1)"' in _render([sure, unsure], confirmed_at=unsure.confidence)


def test_the_default_threshold_is_the_calibration_files():
    from geo.extract.calibration import CALIBRATION_FILE

    rows = [line.split(",") for line in CALIBRATION_FILE.read_text(encoding="utf-8").splitlines()
            if line.startswith("threshold,")]
    assert len(rows) == 1 and default_threshold() == float(rows[0][1])


def test_layers_follow_taxonomy_order_and_unknown_types_get_a_palette_colour():
    styles = type_styles([incident("x", "zzz_custom"), incident("y", "armed_clash"), incident("z", "air_strike")],
                         taxonomy=None)
    assert [s.key for s in styles] == ["air_strike", "armed_clash", "zzz_custom"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", s.colour) for s in styles)


def test_summary_panel_counts_types_dates_fatalities_and_unlocated():
    html = _render(sample_incidents())
    assert "5 incidents, 4 located, 1 unlocated" in html
    assert "2016-10-17 \u2013 2016-10-21" in html
    assert "Fatalities: 13 (reported for 4 of 5 incidents)" in html


def test_summary_panel_says_fatalities_are_not_reported_rather_than_zero():
    html = _render([incident("a", "armed_clash", fatalities=None), incident("b", "air_strike", fatalities=None)])
    assert "Fatalities: not reported" in html and "Fatalities: 0" not in html


def test_popup_columns_carry_place_mention_offsets_and_link_only_http_urls():
    encoder = LayerEncoder()
    cols = encoder.layer([incident("ok"), hostile_incident()])
    strings = encoder.strings.values
    evil = next(i for i, v in enumerate(cols["v"]) if HOSTILE_PLACE in strings[v])
    ok = 1 - evil
    sentence = strings[cols["v"][evil]]
    assert sentence[cols["m"][evil]:cols["k"][evil]] == HOSTILE_PLACE
    refs = encoder.refs
    assert refs[cols["o"][ok]][0][2] == 1          # https link
    label, url, linkable = refs[cols["o"][evil]][0]
    assert linkable == 0 and url == -1                 # dropped, as the exports drop it (issue 19, item 10)
    assert not any(XSS_URL in s for s in strings if isinstance(s, str))
    assert strings[cols["a"][evil]] == HOSTILE_ACTOR


def test_popup_columns_carry_the_phrases_that_gave_place_and_date_and_the_confidence():
    encoder = LayerEncoder()
    cols = encoder.layer([incident("ok"), incident("undated", date=None, sentence="An air strike hit Mosul.")])
    strings = encoder.strings.values
    assert [strings[i] for i in cols["h"]] == ["Mosul", "Mosul"]
    assert cols["w"][0] == -1 or cols["w"][1] == -1             # no phrase dated the undated one
    assert sorted(strings[i] for i in cols["w"] if i >= 0) == ["on Monday"]
    assert cols["c"] == [0.95, 0.95]


def test_incidents_at_the_same_point_share_one_marker():
    cols = LayerEncoder().layer([incident("a"), incident("b", "air_strike", place(name="Basra", lat=30.5, lon=47.8,
                                                                                     pid="gn:2")), incident("c")])
    assert len(cols["t"]) == 3
    assert cols["y"] == [30.5, 36.34] and cols["x"] == [47.8, 43.13]
    assert cols["s"] == [0, 1]              # Basra holds incident 0; Mosul holds 1 and 2


@pytest.mark.parametrize("sentence,place_text,expected", [
    ("Shelling hit Mosul.", "Mosul", "Mosul"),
    ("In Mosuli markets and Mosul city", "Mosul", "Mosul"),   # whole word preferred
    ("Strike in \U0001F600 Raqqa", "Raqqa", "Raqqa"),        # offsets in UTF-16 units
    ("fighting in ALEPPO", "Aleppo", "ALEPPO"),
])
def test_mention_offsets_index_the_sentence_as_javascript_does(sentence, place_text, expected):
    start, end = mention_offsets(sentence, place_text)
    units = sentence.encode("utf-16-le")
    assert units[start * 2:end * 2].decode("utf-16-le") == expected
    if expected == "Mosul" and "Mosuli" in sentence:
        assert start == sentence.index("Mosul city")


def test_hostile_text_never_appears_raw_in_the_html():
    html = _render([hostile_incident(), *sample_incidents()], title=HOSTILE_TITLE)
    for raw in (XSS_IMG, XSS_SCRIPT, XSS_TEMPLATE, "`kills`", HOSTILE_ACTOR, "${alert(5)}", "{{ 7*7 }}"):
        assert raw not in html, raw
    assert html.count("<script>alert") == 0
    # The title went into the page as text: escaped, and not evaluated by Jinja.
    assert f"<title>{js_template_safe(HOSTILE_TITLE)}</title>" in html
    assert f"<h1>{js_template_safe(HOSTILE_TITLE)}</h1>" in html


def _regions(html):
    """The features of the regions layer, decoded from the page."""
    found = re.search(r"geo_json_\d+_add\((\{.*?\})\);", html, re.S)
    return json.loads(found.group(1))["features"]


def test_regions_layer_holds_only_regions_with_incidents_and_escapes_names():
    features = _regions(_render(sample_incidents()))
    got = {f["properties"]["name"]: f["properties"]["incidents"] for f in features}
    assert got == {"Nineveh &lt;b&gt;": 2, "Basra": 1}


def test_map_without_tiles_draws_country_outlines_and_an_outline_minimap():
    html = _render(sample_incidents(), tiles=None)
    assert '"Country outlines"' in html
    assert "L.Control.MiniMap(" in html and "L.geoJSON(outlines_" in html
    assert "tile.openstreetmap.org" not in html


def test_time_slider_heat_map_fullscreen_and_minimap_are_present():
    html = _render(sample_incidents())
    for needle in ("L.timeline(", "L.timelineSliderControl(", "L.heatLayer(", "setLatLngs(incidentmap.points())",
                   "L.control.fullscreen(", "L.Control.MiniMap("):
        assert needle in html, needle


def test_map_of_no_incidents_renders_a_world_view():
    html = _render([])
    assert "0 incidents, 0 located, 0 unlocated" in html
    assert "L.markerClusterGroup(" not in html


def test_bounds_fit_the_located_incidents():
    fmap = build_map(sample_incidents(), regions=square_regions(), countries=square_countries())
    html = fmap.get_root().render()
    fit = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    bounds = json.loads(fit.group(1))
    assert bounds[0][0] <= 30.51 and bounds[1][0] >= 36.34
    assert bounds[0][1] <= 43.13 and bounds[1][1] >= 47.78


def test_write_map_creates_the_folder_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "maps" / "m.html"
    write_map(sample_incidents(), out, regions=square_regions(), countries=square_countries())
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["m.html"]


def test_every_referenced_asset_is_in_the_manifest_with_a_licence():
    html = _render(sample_incidents(), tiles=None, self_contained=False)
    known = {a.url: a for a in assets.load_manifest()}
    linked = (set(re.findall(r'<script src="([^"]+)"', html))
              | set(re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)))
    assert linked and linked <= known.keys()
    assert all(known[url].licence for url in linked)


def test_a_map_is_self_contained_by_default_and_references_nothing_online():
    html = _render(sample_incidents(), tiles=None)
    assert "<script src=" not in html
    assert '<link rel="stylesheet" href=' not in html
    assert not re.search(r"url\((?!\s*['\"]?(?:data:|#))", html.split("<body>")[0]), "CSS url() left un-inlined"
    assert "leaflet@1.9.3" in html and "font/woff2;base64," in html


def test_cdn_mode_links_the_assets_and_is_much_smaller():
    cdn = _render(sample_incidents(), tiles=None, self_contained=False)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in cdn
    assert len(cdn) * 3 < len(_render(sample_incidents(), tiles=None))


def test_every_vendored_file_matches_its_checksum_and_each_package_ships_its_licence():
    manifest = json.loads((assets.vendor_dir() / assets.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert assets.require_assets() == len(manifest["files"])
    npm = {assets.package_folder(a) for a in assets.load_manifest() if a.source == "npm"}
    assert {p["folder"] for p in manifest["packages"]} == npm
    for package in manifest["packages"]:
        assert package["licence_file"] in manifest["files"], package
        assert package["integrity"].startswith("sha512-") and package["tarball"].startswith("https://registry.npmjs.org/")


def _damaged_copy(tmp_path, name: str, data: bytes | None):
    shutil.copytree(assets.vendor_dir(), tmp_path / "vendor")
    target = tmp_path / "vendor" / name
    if data is None:
        target.unlink()
    else:
        target.write_bytes(data)
    return tmp_path / "vendor"


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("leaflet-1.9.3/dist/leaflet.js", None, "is missing"),
    ("leaflet-1.9.3/dist/leaflet.js", b"alert(1)", "does not match its sha256"),
    ("fortawesome-fontawesome-free-6.2.0/webfonts/fa-solid-900.woff2", b"", "does not match its sha256"),
    ("leaflet-1.9.3/dist/images/layers.png", None, "is missing"),
], ids=["missing-js", "tampered-js", "tampered-font", "missing-image"])
def test_a_damaged_asset_fails_the_build_naming_it_and_the_fix_and_writes_no_map(tmp_path, name, data, problem):
    folder = _damaged_copy(tmp_path, name, data)
    out = tmp_path / "out" / "m.html"
    with pytest.raises(assets.MissingAssetsError, match=re.escape(f"map asset {name}") + f".*{problem}") as err:
        write_map(sample_incidents(), out, regions=square_regions(), countries=square_countries(), assets_dir=folder)
    assert "pip install --force-reinstall incidentmap" in str(err.value)
    assert "python scripts/vendor_assets.py" in str(err.value)
    assert not out.exists() and not (out.parent.exists() and any(out.parent.iterdir()))


def test_a_missing_checksum_list_fails_the_build_naming_it(tmp_path):
    folder = _damaged_copy(tmp_path, assets.MANIFEST_NAME, None)
    with pytest.raises(assets.MissingAssetsError, match="checksum list .*manifest.json is missing"):
        _render(sample_incidents(), assets_dir=folder)


def test_cdn_mode_does_not_need_the_vendored_files(tmp_path):
    folder = _damaged_copy(tmp_path, "leaflet-1.9.3/dist/leaflet.js", None)
    assert "leaflet@1.9.3/dist/leaflet.js" in _render(sample_incidents(), self_contained=False, assets_dir=folder)


def _vendor_script():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("vendor_assets", Path(__file__).parent.parent / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(f"package/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_vendor_script_copies_what_a_stylesheet_loads_and_the_licence(tmp_path):
    script = _vendor_script()
    files = {"css/a.css": b".x{background:url(../img/p.png)} .y{background:url(data:image/png;base64,AA)}",
             "img/p.png": b"\x89PNG", "LICENSE": b"MIT", "unused.js": b"x"}
    asset = assets.Asset(url="u", source="npm", package="pkg", version="1.0.0", path="css/a.css", licence="MIT")
    got = script.extract(_tarball(files), [asset], tmp_path / "out")
    assert sorted(got) == ["LICENSE", "css/a.css", "img/p.png"]
    assert (tmp_path / "out" / "img" / "p.png").read_bytes() == b"\x89PNG"


def test_vendor_script_refuses_a_tarball_that_differs_from_the_registry_integrity():
    script = _vendor_script()
    good = _tarball({"LICENSE": b"MIT"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(good).digest()).decode()
    script.check_integrity(good, integrity, "pkg@1.0.0")
    with pytest.raises(SystemExit, match="integrity"):
        script.check_integrity(good + b"x", integrity, "pkg@1.0.0")


def test_html_is_identical_across_processes_with_different_hash_seeds(tmp_path):
    import os
    import sys
    from pathlib import Path

    code = ("import sys; from mapcases import *; from geo.maps.build import render_map; "
            "sys.stdout.write(render_map([hostile_incident(), *sample_incidents()], regions=square_regions(), "
            "countries=square_countries(), tiles=None))")
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{root}{os.pathsep}{root / 'tests'}"}
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=True)
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10_000


def test_large_string_tables_are_embedded_gzipped_and_decode_to_the_same_json(monkeypatch):
    import base64
    import gzip

    import geo.maps.js

    plain = _render([hostile_incident(), *sample_incidents()])
    monkeypatch.setattr(geo.maps.js, "PACK_ABOVE", 0)
    packed = _render([hostile_incident(), *sample_incidents()])
    table = re.search(r"incidentmap\.strings = (.*);\n", plain).group(1)
    blob = re.search(r'incidentmap\.load\("([A-Za-z0-9+/=]+)"\);', packed).group(1)
    assert gzip.decompress(base64.b64decode(blob)).decode("utf-8") == table
    assert "incidentmap.strings =" not in packed
