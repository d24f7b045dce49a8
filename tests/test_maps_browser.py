"""The map in a real browser: layers and markers render, popups show hostile text as text, nothing runs.

Needs Debian's chromium at /usr/bin/chromium and Playwright; the map is self-contained (its JS/CSS are
vendored in the package) and every network request is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mapcases import (
    HOSTILE_PLACE,
    HOSTILE_TITLE,
    JINJA,
    XSS_IMG,
    XSS_SCRIPT,
    XSS_URL,
    hostile_incident,
    incident,
    place,
    sample_incidents,
    square_countries,
    square_regions,
)

from geo.maps.build import write_map

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# Any way a payload could run ends up in window.__calls (or as a dialog, recorded separately).
HOOKS = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (arg) { window.__calls.push(name + ":" + String(arg)); };
}
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (Debian package `chromium`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def map_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "hostile.html"
    write_map([hostile_incident(), *sample_incidents()], path, title=HOSTILE_TITLE, self_contained=True,
              tiles=None, regions=square_regions(), countries=square_countries())
    return path


class Page:
    """A page with the map loaded, plus everything it reported."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.requests: list[str] = []
        self.context.route("http*://**/*", self._refuse)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.add_init_script(HOOKS)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function("window.incidentmap && incidentmap.pending === 0", timeout=30_000)

    def _refuse(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def calls(self) -> list[str]:
        return self.page.evaluate("window.__calls")

    def assert_nothing_ran(self):
        assert self.dialogs == []
        assert self.calls() == []
        assert self.errors == []
        assert self.requests == []


@pytest.fixture
def loaded(browser, map_file):
    page = Page(browser, map_file)
    yield page
    page.context.close()


def test_layer_control_lists_every_incident_type_with_its_count(loaded):
    labels = loaded.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    text = " | ".join(label.strip() for label in labels)
    for expected in ("Air/drone strike (2)", "Armed clash (1)", "Protest (1)", "Shelling/artillery/missile (1)",
                     "Heat map", "Time slider", "Incidents per region"):
        assert expected in text
    loaded.assert_nothing_ran()


def test_markers_render_as_pins_or_clusters(loaded):
    shown = loaded.page.locator(".im-pin").count() + loaded.page.locator(".marker-cluster").count()
    assert shown > 0
    assert loaded.page.evaluate("Object.keys(incidentmap.layers).sort()") == [
        "air_strike", "armed_clash", "protest", "shelling"]


def test_hostile_popup_shows_payloads_as_text_and_runs_nothing(loaded):
    page = loaded.page
    assert page.evaluate("incidentmap.show('shelling', 0)") is True
    popup = page.locator(".leaflet-popup-content .im-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert XSS_IMG in text and XSS_SCRIPT in text and "${alert(5)}" in text and JINJA in text
    assert HOSTILE_TITLE.split(" ")[0] in text
    assert popup.locator("mark").inner_text() == HOSTILE_PLACE
    place_from = popup.locator("tr", has_text="Place from").locator("td").inner_text()
    assert place_from == f"\u201c{XSS_SCRIPT} fighters shelled {HOSTILE_PLACE}\u201d"
    assert popup.locator("tr", has_text="Date from").locator("td").inner_text() == f"\u201cat dawn {JINJA}\u201d"
    assert popup.locator("img, script, iframe").count() == 0
    assert popup.locator("a").count() == 0            # the javascript: url is not a link ...
    assert XSS_URL not in text and popup.locator(".im-nolink").count() == 1   # ... nor text: dropped, as in exports
    page.wait_for_timeout(300)
    loaded.assert_nothing_ran()


def test_clicking_a_marker_opens_a_popup_with_a_safe_link(loaded):
    page = loaded.page
    page.evaluate("incidentmap.show('armed_clash', 0)")
    page.locator(".leaflet-popup-content .im-popup").wait_for(timeout=10_000)
    page.evaluate("incidentmap.map.closePopup()")
    page.locator(".im-pin").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .im-popup")
    popup.wait_for(timeout=10_000)
    link = popup.locator("a")
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    loaded.assert_nothing_ran()


def test_summary_layers_toggle_on_without_errors(loaded):
    page = loaded.page
    for name in ("Heat map", "Time slider", "Incidents per region"):
        page.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input").check()
    page.wait_for_timeout(500)
    assert page.locator(".leaflet-timeline-control").count() == 1
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    page.mouse.move(600, 400)
    loaded.assert_nothing_ran()


def test_title_and_panel_show_the_hostile_title_as_text(loaded, tmp_path):
    page = loaded.page
    assert page.title() == HOSTILE_TITLE
    assert page.locator(".im-panel h1").inner_text() == HOSTILE_TITLE
    assert "6 incidents, 5 located, 1 unlocated" in page.locator(".im-panel").inner_text()
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    loaded.assert_nothing_ran()


def test_incidents_at_one_point_share_a_marker_with_a_pager(loaded):
    page = loaded.page
    popup = page.locator(".leaflet-popup-content .im-popup")
    # The pager is rebuilt on every page turn, so for a moment it is not in the document: the
    # predicates must not throw then (a thrown predicate fails the wait instead of polling again).
    pager_says = ("(text) => { const p = document.querySelector('.leaflet-popup-content .im-pager span');"
                  " return p !== null && p.textContent.startsWith(text); }")
    # Under load the zoom to a clustered marker can end before the cluster opens, and the popup
    # never comes: ask again (bounded) instead of failing on the first try.
    for attempt in range(3):
        page.evaluate("incidentmap.show('air_strike', 0)")
        try:
            page.wait_for_function(pager_says, arg="1 of 2", timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    assert "1 of 2 incidents here" in popup.locator(".im-pager").inner_text()
    first = popup.locator(".im-facts").inner_text()
    # A click can land while the popup is re-laid out after the zoom (the button then detached), and
    # under load the cluster can re-open and close the popup: press again, bounded (each try with its own
    # short timeout, reopening the popup if it went), rather than fail on a click the page never received.
    for attempt in range(4):
        try:
            if not page.evaluate(pager_says, "1 of 2") and not page.evaluate(pager_says, "2 of 2"):
                page.evaluate("incidentmap.show('air_strike', 0)")
                page.wait_for_function(pager_says, arg="1 of 2", timeout=10_000)
            if page.evaluate(pager_says, "1 of 2"):
                popup.locator(".im-pager button").nth(1).click(timeout=5_000)
            page.wait_for_function(pager_says, arg="2 of 2", timeout=5_000)
            break
        except Exception:
            if attempt == 3:
                raise
    assert popup.locator(".im-facts").inner_text() != first
    loaded.assert_nothing_ran()


def test_a_layer_that_is_off_does_not_keep_the_map_loading(browser, tmp_path):
    unsure = [incident("s1", confidence=0.95), incident("s2", "armed_clash", confidence=0.5)]
    path = tmp_path / "unsure.html"
    write_map(unsure, path, self_contained=True, tiles=None, regions=square_regions(), countries=square_countries())
    loaded = Page(browser, path)      # waits for incidentmap.pending === 0
    try:
        assert loaded.page.evaluate("incidentmap.layers['unconfirmed'].group._map") is None
        assert loaded.page.evaluate("incidentmap.show('unconfirmed', 0)") is True
        loaded.page.locator(".leaflet-popup-content .im-popup").wait_for(timeout=10_000)
    finally:
        loaded.context.close()


def test_gzipped_string_table_unpacks_in_the_browser(browser, tmp_path, monkeypatch):
    import geo.maps.js

    monkeypatch.setattr(geo.maps.js, "PACK_ABOVE", 0)
    path = tmp_path / "packed.html"
    write_map([hostile_incident(), *sample_incidents()], path, self_contained=True, tiles=None,
              regions=square_regions(), countries=square_countries())
    loaded = Page(browser, path)
    try:
        loaded.page.evaluate("incidentmap.ready")
        loaded.page.evaluate("incidentmap.show('shelling', 0)")
        popup = loaded.page.locator(".leaflet-popup-content .im-popup .im-title")
        popup.wait_for(timeout=10_000)
        assert XSS_IMG in popup.inner_text()
        loaded.assert_nothing_ran()
    finally:
        loaded.context.close()


def test_hovering_a_marker_shows_a_tooltip_with_type_and_place(loaded):
    page = loaded.page
    page.evaluate("incidentmap.show('armed_clash', 0)")
    page.locator(".leaflet-popup-content .im-popup").wait_for(timeout=10_000)
    page.locator(".im-pin").first.dispatch_event("mouseover")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert tooltip.inner_text().startswith(("Armed clash", "Air/drone strike", "Protest", "Shelling"))
    assert "\u2014" in tooltip.inner_text()
    loaded.assert_nothing_ran()


def test_type_layers_can_be_hidden_and_shown_again(loaded):
    page = loaded.page
    pins = "document.querySelectorAll('.im-pin, .im-cluster').length"
    before = page.evaluate(pins)
    for label in page.locator(".leaflet-control-layers-overlays label").all():
        if "(" in label.inner_text():
            label.locator("input").uncheck()
    assert page.evaluate(pins) == 0
    for label in page.locator(".leaflet-control-layers-overlays label").all():
        if "(" in label.inner_text():
            label.locator("input").check()
    page.wait_for_timeout(300)
    assert page.evaluate(pins) == before > 0
    loaded.assert_nothing_ran()


def test_pins_are_drawn_centred_on_their_coordinates(loaded):
    # Leaflet places a marker icon at its point with `_leaflet_pos` and centres it with the icon
    # anchor; any stylesheet that changes the icon's positioning shifts pins off their places.
    offsets = loaded.page.evaluate("""() => {
      const pane = document.querySelector('.leaflet-map-pane').getBoundingClientRect();
      return Array.from(document.querySelectorAll('.im-pin')).filter(el => el._leaflet_pos).map(el => {
        const r = el.getBoundingClientRect();
        return [r.left + r.width / 2 - (pane.left + el._leaflet_pos.x),
                r.top + r.height / 2 - (pane.top + el._leaflet_pos.y)];
      });
    }""")
    assert offsets, "no pin on the map"
    for dx, dy in offsets:
        assert abs(dx) <= 1.5 and abs(dy) <= 1.5, offsets


# --- the README's own first command, opened with the network cut ------------------------------

SEED_MAP_LIMIT_MB = 8      # the self-contained seed map must stay easy to e-mail


def _readme_map_command() -> list[str]:
    """The `incidentmap map ...` step of the README's first set-up command, as arguments."""
    import shlex

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1]
    setup = section.split("```", 2)[1].strip()
    step = setup.split("&&")[-1].strip()
    assert step.startswith("incidentmap map "), setup
    return shlex.split(step)[1:]


class OfflinePage(Page):
    """A page on which every request that is not for a file: URL is refused and recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.requests = []
        self.context.route("**/*", self._only_files)
        self.page = self.context.new_page()
        self.dialogs, self.errors = [], []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.add_init_script(HOOKS)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function("window.incidentmap && incidentmap.pending === 0", timeout=60_000)

    def _only_files(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory):
    """The README's first command run as written (in a scratch folder holding `seeds/`), and the seeds' incidents."""
    import json
    import os

    from tests.conftest import SEEDS, run_cli

    work = tmp_path_factory.mktemp("readme")
    os.symlink(SEEDS, work / "seeds")
    proc = run_cli(*_readme_map_command(), cwd=work)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("extract", "seeds", "-q", "-o", "seeds.jsonl", cwd=work)
    assert proc.returncode == 0, proc.stderr
    incidents = [json.loads(line) for line in (work / "seeds.jsonl").read_text(encoding="utf-8").splitlines()]
    return work / "maps" / "incidents.html", incidents


@pytest.fixture
def seed_page(browser, seed_map):
    page = OfflinePage(browser, seed_map[0])
    yield page
    page.context.close()


def test_the_readme_map_is_self_contained_and_small_enough_to_email(seed_map):
    path, _ = seed_map
    html = path.read_text(encoding="utf-8")
    assert "<script src=" not in html and '<link rel="stylesheet" href=' not in html
    assert path.stat().st_size <= SEED_MAP_LIMIT_MB * 1_000_000, f"{path.stat().st_size / 1e6:.1f} MB"


def test_the_readme_map_offline_shows_every_type_layer_and_every_marker(seed_page, seed_map):
    from collections import Counter

    from geo.maps.build import default_threshold

    page = seed_page.page
    expected = Counter(i["type"] for i in seed_map[1]
                       if i["latitude"] is not None and i["confidence"] >= default_threshold())
    assert expected, "the seeds give no confident located incident"
    shown = page.evaluate("""() => Object.fromEntries(Object.entries(incidentmap.layers)
        .filter(([key, layer]) => layer.group._map).map(([key, layer]) => [key, layer.data.t.length]))""")
    assert shown == dict(expected)
    labels = " | ".join(page.locator(".leaflet-control-layers-overlays label").all_inner_texts())
    assert sum(f"({n:,})" in labels for n in expected.values()) >= len(set(expected.values()))
    # Frame everything, then every marker of every layer is drawn: as its pin or inside a cluster.
    page.evaluate("""() => incidentmap.map.fitBounds(
        L.latLngBounds(incidentmap.points().map(p => [p[0], p[1]])).pad(0.05), {animate: false})""")
    page.wait_for_timeout(800)
    hidden = page.evaluate("""() => Object.values(incidentmap.layers).filter(l => l.group._map).flatMap(l =>
        l.markers.filter(m => { const v = l.group.getVisibleParent(m); return !v || !v._icon; })).length""")
    assert hidden == 0
    assert page.locator(".im-pin").count() + page.locator(".im-cluster").count() > 0
    assert seed_page.errors == [] and seed_page.dialogs == []
    # Nothing but map tiles was asked of the network: no script, stylesheet or font.
    assert all("tile.openstreetmap.org" in url for url in seed_page.requests), seed_page.requests


def test_the_readme_map_popups_show_the_article_text_as_text(seed_page, seed_map):
    page = seed_page.page
    for key in page.evaluate("Object.keys(incidentmap.layers).filter(k => incidentmap.layers[k].group._map)"):
        assert page.evaluate(f"incidentmap.show({key!r}, 0)") is True
        popup = page.locator(".leaflet-popup-content .im-popup")
        popup.wait_for(timeout=10_000)
        sentence = page.evaluate(f"(() => {{ const d = incidentmap.layers[{key!r}].data; return incidentmap.strings[d.v[0]]; }})()")
        page.wait_for_function("(s) => { const q = document.querySelector('.leaflet-popup-content .im-evidence');"
                               " return q !== null && q.textContent === s; }", arg=sentence, timeout=10_000)
        assert popup.locator("script, img, iframe").count() == 0
        page.evaluate("incidentmap.map.closePopup()")
    assert seed_page.errors == [] and seed_page.dialogs == []


def test_the_readme_map_has_a_legend_that_folds_away(seed_page, seed_map):
    page = seed_page.page
    panel = page.locator(".im-panel")
    assert panel.is_visible()
    legend = panel.locator("table.im-legend")
    assert legend.is_visible() and legend.locator("tr").count() >= 1
    open_width = panel.bounding_box()["width"]
    panel.locator("summary.im-head").click()
    assert not legend.is_visible()
    assert panel.bounding_box()["height"] < 60 and panel.bounding_box()["width"] <= open_width
    panel.locator("summary.im-head").click()
    assert legend.is_visible()


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_a_popup_opened_under_the_legend_pans_clear_of_it(seed_page):
    page = seed_page.page
    panel = page.locator(".im-panel").bounding_box()
    # Put the Mosul marker (the busiest layer's first) under the panel, then open its popup.
    placed = page.evaluate("""(at) => {
        const layer = Object.values(incidentmap.layers).filter(l => l.group._map)[0], m = layer.markers[0];
        const map = incidentmap.map;
        map.setView(m.getLatLng(), 17, {animate: false});
        map.panBy([map.getSize().x / 2 - at[0], map.getSize().y / 2 - at[1]], {animate: false});
        if (layer.group.getVisibleParent(m) !== m) return false;
        incidentmap.open(layer, m);
        return true;
    }""", [panel["x"] + panel["width"] / 2, panel["y"] + panel["height"] / 2])
    assert placed, "the marker is still clustered at the highest zoom"
    popup = page.locator(".leaflet-popup")
    popup.wait_for(timeout=10_000)
    page.wait_for_timeout(600)          # the autopan animation
    assert not _overlap(popup.bounding_box(), page.locator(".im-panel").bounding_box())
    assert seed_page.errors == []


def test_far_outliers_are_counted_in_the_panel_and_one_click_away(browser, tmp_path):
    mosul = [incident(f"m{k}", "armed_clash", place("Mosul", 36.34 + k / 50, 43.13 + k / 70, pid=f"p{k}"))
             for k in range(20)]
    washington = incident("dc", "protest", place("Washington", 38.9, -77.04, pid="dc", cc="US", admin1="DC"))
    path = tmp_path / "outlier.html"
    write_map([*mosul, washington], path, tiles=None, regions=square_regions(), countries=square_countries())
    loaded = OfflinePage(browser, path)
    try:
        page = loaded.page
        outside = page.locator(".im-panel .im-outside")
        assert outside.is_visible() and outside.inner_text().startswith("1 incident lies outside this view")
        width = page.evaluate("incidentmap.map.getBounds().getEast() - incidentmap.map.getBounds().getWest()")
        assert width < 60, "the opening view should frame Mosul, not the world"
        outside.locator("a").click()
        page.wait_for_function("incidentmap.outside === 0", timeout=10_000)
        assert not outside.is_visible()
        loaded.assert_nothing_ran()
    finally:
        loaded.context.close()
