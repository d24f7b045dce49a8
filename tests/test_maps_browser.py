"""The map in a real browser: layers and markers render, popups show hostile text as text, nothing runs.

Needs Debian's chromium at /usr/bin/chromium, Playwright, and the fetched map assets
(`incidentmap assets fetch`); the map is self-contained and every network request is refused.
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
    sample_incidents,
    square_countries,
    square_regions,
)

from geo.maps import assets
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
    try:
        assets.require_assets()
    except assets.MissingAssetsError as exc:
        pytest.skip(str(exc))
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
    # A click can land while the popup is re-laid out after the zoom (the button then detached):
    # press again, bounded, rather than fail on a click the page never received.
    for attempt in range(3):
        popup.locator(".im-pager button").nth(1).click()
        try:
            page.wait_for_function(pager_says, arg="2 of 2", timeout=5_000)
            break
        except Exception:
            if attempt == 2:
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
