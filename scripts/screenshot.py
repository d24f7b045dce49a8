"""Screenshot an incidentmap HTML map in headless Chromium (for the README's docs/seed-map.png).

    PYTHONPATH=. python scripts/screenshot.py MAP.html OUT.png [--width 1280 --height 800] [--popup TYPE:INDEX]
        [--view LAT,LON,ZOOM] [--offline]

The map should be self-contained (the default of `incidentmap map`) or the machine online;
the script waits until every marker layer has loaded, optionally opens one popup, then saves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def screenshot(html: str | Path, out: str | Path, *, width: int = 1280, height: int = 800,
               popup: tuple[str, int] | None = None, executable: str = CHROMIUM,
               view: tuple[float, float, int] | None = None, offline: bool = False) -> Path:
    """Load the map, wait for its markers (and popup), and write a PNG to `out`.

    `view` moves the map to (lat, lon, zoom) first; `offline` refuses every request that is not a file.
    """
    from playwright.sync_api import sync_playwright

    out = Path(out)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            if offline:
                page.route("http*://**/*", lambda route: route.abort())
            page.goto(Path(html).resolve().as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_function("!window.incidentmap || incidentmap.pending === 0", timeout=120_000)
            if view is not None:
                page.evaluate("([lat, lon, z]) => incidentmap.map.setView([lat, lon], z, {animate: false})", list(view))
            if popup is not None:
                page.evaluate("([key, i]) => incidentmap.show(key, i)", [popup[0], popup[1]])
                page.locator(".leaflet-popup-content .im-popup").wait_for(timeout=20_000)
            page.wait_for_timeout(800)   # tiles, fades and cluster animations
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()
    return out


def _view(text: str) -> tuple[float, float, int]:
    lat, lon, zoom = text.split(",")
    return float(lat), float(lon), int(zoom)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--popup", help="open the popup of incident INDEX of layer TYPE, e.g. air_strike:0")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--view", help="LAT,LON,ZOOM to show, e.g. 36.34,43.13,10")
    parser.add_argument("--offline", action="store_true", help="refuse every request that is not a file")
    args = parser.parse_args(argv)
    popup = None
    if args.popup:
        key, _, index = args.popup.partition(":")
        popup = (key, int(index or 0))
    print(screenshot(args.html, args.out, width=args.width, height=args.height, popup=popup,
                     executable=args.chromium, offline=args.offline,
                     view=_view(args.view) if args.view else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
