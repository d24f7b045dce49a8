"""HTML map benchmark: build time, file size and headless-Chromium open time, against folium baselines.

    PYTHONPATH=. python bench/maps.py [--sizes 1000,10000,100000] [--repeat 3] [--json out.json]

Synthetic incidents (unique evidence sentences drawn word by word from the seed stories'
vocabulary, ~2.5 incidents per article, 12 types, 3% unlocated) are mapped by
`geo.maps.build` (CDN mode for build time and size) and by two folium baselines measured in the same run: one `folium.Marker`
with popup and tooltip per incident (1k and 10k, extrapolated linearly to 100k) and
`FastMarkerCluster` (no popups) at the largest size. Build time is the median of
--repeat runs of build + render; open time is one headless-Chromium load of the
self-contained file with every network request refused. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"build_s_100k": 5.0, "size_mb_100k": 25.0, "open_s_100k": 5.0}
CHROMIUM = "/usr/bin/chromium"
TYPES = ("armed_clash", "air_strike", "shelling", "ied", "suicide_bombing", "attack_on_civilians", "abduction",
         "protest", "riot", "arrest", "looting", "displacement")


def _vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words += re.findall(r"[A-Za-z][a-z'-]+|\d+", path.read_text(encoding="utf-8", errors="replace"))
    return words or ("the of and to in a said on killed people forces attack city army government police "
                     "militants near province district officials two three were at by from with").split()


def synthetic_incidents(n: int, seed: int = 7):
    """`n` incidents with realistic-length, mostly unique text."""
    from geo.model import (
        DatePrecision,
        Evidence,
        GeoPrecision,
        Incident,
        Level,
        Place,
        Span,
    )

    rnd = random.Random(seed)
    words = _vocabulary()
    places = [Place(id=f"gn:{k}", name=f"{rnd.choice(words).capitalize()}{rnd.choice(['', 'abad', ' al-Sharqi'])}",
                    lat=round(rnd.uniform(-35, 55), 5), lon=round(rnd.uniform(-20, 100), 5),
                    level=rnd.choice([Level.CITY, Level.CITY, Level.DISTRICT, Level.PROVINCE]), layer="geonames",
                    country_code=rnd.choice(["IQ", "SY", "AF", "NG", "YE", "SO", "UA", "ML"]),
                    admin1=f"Region {k % 90}")
              for k in range(5000)]
    actors = [f"{rnd.choice(words).capitalize()} {rnd.choice(['Brigade', 'Front', 'army', 'police', 'militia'])}"
              for _ in range(300)]
    articles = max(1, int(n / 2.5))
    titles = [" ".join(rnd.choice(words) for _ in range(rnd.randint(6, 12))).capitalize() for _ in range(articles)]
    start = dt.date(2015, 1, 1)
    out = []
    for i in range(n):
        where = rnd.choice(places)
        art = rnd.randrange(articles)
        body = [rnd.choice(words) for _ in range(rnd.randint(18, 34))]
        body.insert(rnd.randrange(len(body)), where.name)
        sentence = " ".join(body) + "."
        sentence = sentence[0].upper() + sentence[1:]
        ev = Evidence(article_id=f"art{art}", article_title=titles[art], sentence=sentence,
                      sentence_span=Span(0, len(sentence)), trigger=body[0], trigger_span=Span(0, len(body[0])),
                      source="Reuters", url=f"https://www.reuters.com/article/idUS{art:08d}")
        located = rnd.random() > 0.03
        dated = rnd.random() > 0.05
        out.append(Incident(
            id=f"i{i}", type=rnd.choice(TYPES), event_type="Battles", sub_event_type="Armed clash",
            date=start + dt.timedelta(days=rnd.randrange(730)) if dated else None,
            date_precision=DatePrecision.DAY if dated else DatePrecision.UNKNOWN,
            place=where if located else None, place_text=where.name,
            geo_precision=GeoPrecision.TOWN if located else None, evidence=(ev,),
            fatalities=rnd.choice([None, 0, 1, 2, 5, 12]), actors=tuple(rnd.sample(actors, rnd.randint(0, 2))),
            # Confident, so every marker is on a layer shown by default (the unsure layer is off until clicked).
            confidence=round(rnd.uniform(0.9, 1.0), 3),
        ))
    return out


def median_time(fn, repeat: int):
    """Median wall and CPU seconds of `repeat` calls, and the last result.

    CPU time is reported beside wall time because on a shared machine the wall clock
    mostly measures the neighbours.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), result


def _figures(seconds: float, cpu: float, html: str) -> dict:
    return {"build_s": round(seconds, 2), "build_cpu_s": round(cpu, 2), "html_mb": round(len(html.encode()) / 1e6, 2)}


# --- what is measured ------------------------------------------------------------------------

def ours(incidents, **kw) -> str:
    from geo.maps.build import build_map, map_html

    return map_html(build_map(incidents, **kw))


def folium_markers(incidents) -> str:
    """The naive way: one folium Marker (escaped popup + tooltip) per incident, one FeatureGroup per type."""
    import folium

    from geo.maps.escape import js_template_safe

    fmap = folium.Map(location=[20, 0], zoom_start=2)
    groups: dict[str, folium.FeatureGroup] = {}
    for inc in incidents:
        if inc.place is None:
            continue
        group = groups.get(inc.type) or groups.setdefault(inc.type, folium.FeatureGroup(name=inc.type).add_to(fmap))
        ev = inc.evidence[0]
        popup = (f"<b>{js_template_safe(ev.article_title)}</b><br>{js_template_safe(inc.type)}"
                 f"<br>{inc.date}<br>{js_template_safe(inc.place.name)}<br>{js_template_safe(ev.sentence)}")
        folium.Marker([inc.place.lat, inc.place.lon], popup=folium.Popup(popup, max_width=300),
                      tooltip=js_template_safe(f"{inc.type} - {inc.place.name}")).add_to(group)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render()


def fast_cluster(incidents) -> str:
    from folium.plugins import FastMarkerCluster

    from geo.maps.build import _map_class

    # folium.Map minus the awesome-markers assets, which have no offline copy (nor use here).
    fmap = _map_class()(location=[20, 0], zoom_start=2)
    # folium's default callback needs awesome-markers; a circle marker is as cheap and needs no asset.
    callback = "function (row) { return L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 5}); }"
    FastMarkerCluster([[i.place.lat, i.place.lon] for i in incidents if i.place is not None],
                      callback=callback).add_to(fmap)
    return fmap.get_root().render()


def open_median(html_path: Path, ready: str | None, repeat: int) -> dict:
    """The median of `repeat` fresh opens (a browser's first paint varies by a second from run to run)."""
    runs = [open_in_chromium(html_path, ready) for _ in range(max(repeat, 1))]
    out: dict = {key: statistics.median(r[key] for r in runs) for key in ("load_s", "ready_s", "main_thread_s")
                 if all(key in r for r in runs)}
    out["opens"] = len(runs)
    out["errors"] = [e for r in runs for e in r["errors"]][:3]
    return out


def open_in_chromium(html_path: Path, ready: str | None) -> dict:
    """Seconds to the load event and (if `ready` is a JS condition) until it holds."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("http*://**/*", lambda route: route.abort())
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        t0 = time.perf_counter()
        page.goto(html_path.as_uri(), wait_until="load", timeout=300_000)
        out = {"load_s": round(time.perf_counter() - t0, 2)}
        if ready:
            page.wait_for_function(ready, timeout=300_000, polling=50)
            out["ready_s"] = round(time.perf_counter() - t0, 2)
        # Main-thread busy time (parsing, scripts, layout): the browser's CPU cost of opening.
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        out["main_thread_s"] = round(metrics.get("TaskDuration", 0.0), 2)
        out["errors"] = errors[:3]
        browser.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--baseline-sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    base_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]
    browser = not args.no_browser and Path(CHROMIUM).exists()
    if browser:
        from geo.maps.assets import MissingAssetsError, require_assets

        try:
            require_assets()
        except MissingAssetsError as exc:
            print(f"browser timing skipped: {exc}")
            browser = False
    results: dict = {"ours": {}, "markers": {}, "fast_cluster": {}, "load_average": os.getloadavg()}
    ours(synthetic_incidents(50), regions=None)   # warm imports and boundary caches
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="incidentmap-mapbench-") as tmp:
        for n in sizes:
            incidents = synthetic_incidents(n)
            # Build time and size are measured in CDN mode (`map --cdn`); the default self-contained
            # file adds the vendored assets and country outlines (about 2.9 MB, the same at every size).
            seconds, cpu, html = median_time(lambda: ours(incidents, self_contained=False), args.repeat)
            row = _figures(seconds, cpu, html)
            if browser:
                offline = ours(incidents, tiles=None)
                path = Path(tmp) / f"ours-{n}.html"
                path.write_text(offline, encoding="utf-8")
                row["self_contained_mb"] = round(len(offline.encode()) / 1e6, 2)
                row.update(open_median(path, "window.incidentmap && incidentmap.pending === 0", args.repeat))
            results["ours"][n] = row
            print(f"ours {n:>7,}: {row}", flush=True)
        for n in base_sizes:
            incidents = synthetic_incidents(n)
            seconds, cpu, html = median_time(lambda: folium_markers(incidents), args.repeat if n <= 1000 else 1)
            results["markers"][n] = _figures(seconds, cpu, html)
            print(f"folium.Marker {n:>7,}: {results['markers'][n]}", flush=True)
        if base_sizes and max(sizes) > max(base_sizes):
            top, big = max(base_sizes), max(sizes)
            row = results["markers"][top]
            results["markers"][f"{big} (extrapolated)"] = {
                key: round(value * big / top, 1) for key, value in row.items()}
        n = max(sizes)
        incidents = synthetic_incidents(n)
        seconds, cpu, html = median_time(lambda: fast_cluster(incidents), args.repeat)
        row = _figures(seconds, cpu, html)
        if browser:
            from geo.maps.assets import inline_assets

            path = Path(tmp) / f"fast-{n}.html"
            path.write_text(inline_assets(html), encoding="utf-8")
            row.update(open_median(path, None, args.repeat))
        results["fast_cluster"][n] = row
        print(f"FastMarkerCluster {n:>7,}: {row}", flush=True)
    big = results["ours"].get(100_000)
    if big:
        verdict = {
            "build_s_100k": big["build_s"] <= TARGETS["build_s_100k"],
            "build_cpu_s_100k": big["build_cpu_s"] <= TARGETS["build_s_100k"],
            "size_mb_100k": big["html_mb"] <= TARGETS["size_mb_100k"],
        }
        if "ready_s" in big:
            verdict["open_s_100k"] = big["ready_s"] <= TARGETS["open_s_100k"]
            verdict["open_main_thread_s_100k"] = big["main_thread_s"] <= TARGETS["open_s_100k"]
        results["targets"] = {"targets": TARGETS, "met": verdict}
        print("targets:", verdict)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
