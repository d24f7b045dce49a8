"""The offline basemap in a real browser: the seed map, written by the command line, shows places,
boundaries and water with every network request refused (so the web tiles fail, as on a plane)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.maps import assets

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MOSUL = (36.34, 43.13)
# Labels whose box lies inside the map's viewport.
VISIBLE_LABELS = """() => {
  const view = document.querySelector(".leaflet-container").getBoundingClientRect();
  return [...document.querySelectorAll(".im-bm-text")].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
  }).map(el => el.textContent);
}"""
# Admin-1 boundaries drawn (an SVG path with a size) inside the view, by region name.
VISIBLE_REGIONS = """() => {
  const map = incidentmap.map, bounds = map.getBounds();
  return incidentmapBasemap.current.regions.filter(r => map.hasLayer(r.layer) && r.layer._path
    && r.layer._path.getBBox().width > 0 && bounds.intersects(r.layer.getBounds())).map(r => r.name);
}"""


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory, cli, seeds_dir, gazetteer_index):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (Debian package `chromium`)")
    pytest.importorskip("playwright.sync_api")
    try:
        assets.require_assets()
    except assets.MissingAssetsError as exc:
        pytest.skip(str(exc))
    path = tmp_path_factory.mktemp("basemap") / "seeds.html"
    proc = cli("map", str(seeds_dir), "-o", str(path), "--self-contained")
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def page(seed_map):
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    errors: list[str] = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        context.route("http*://**/*", refuse)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(seed_map.as_uri(), wait_until="load")
        page.wait_for_function("window.incidentmap && incidentmap.pending === 0", timeout=60_000)
        page.refused, page.errors = refused, errors
        yield page
        browser.close()


def _view(page, lat, lon, zoom):
    page.evaluate("([lat, lon, z]) => incidentmap.map.setView([lat, lon], z, {animate: false})", [lat, lon, zoom])
    page.wait_for_timeout(300)


def test_at_zoom_10_over_mosul_the_offline_map_shows_mosul_its_neighbours_and_the_nineveh_boundary(page):
    _view(page, *MOSUL, 10)
    labels = page.evaluate(VISIBLE_LABELS)
    assert "Mosul" in labels
    assert {"Tel Keyf", "Bartella", "Qaraqosh", "Bashiqa"} <= set(labels)
    assert "Ninawa" in page.evaluate(VISIBLE_REGIONS)    # Natural Earth's name of Nineveh governorate
    # The Tigris runs through the city.
    assert page.locator(".im-bm-river").count() >= 1
    assert page.refused, "the tiles were requested and refused"
    assert page.errors == []


def test_at_world_zoom_capitals_show_and_towns_do_not(page):
    _view(page, 33.0, 44.0, 3)
    labels = set(page.evaluate(VISIBLE_LABELS))
    assert {"Baghdad", "Tehran", "Riyadh", "Cairo"} <= labels
    assert "Tel Keyf" not in labels and "Mosul" not in labels
    assert page.evaluate(VISIBLE_REGIONS) == []        # admin-1 boundaries wait for closer zooms
    assert page.locator(".im-bm-river").count() >= 1   # the world's large rivers


def test_the_basemap_is_a_layer_one_can_turn_off(page):
    _view(page, *MOSUL, 10)
    control = page.locator(".leaflet-control-layers-overlays label", has_text="Offline basemap")
    control.locator("input").uncheck()
    assert page.evaluate(VISIBLE_LABELS) == []
    control.locator("input").check()
    assert "Mosul" in page.evaluate(VISIBLE_LABELS)
