"""Tests for the opt-in online geocoder: caching, rate limiting and degrading on failures.

No test touches the network: one fake sits behind geopy's Geocoder interface, the other is a
local HTTP server on 127.0.0.1 that speaks Nominatim's JSON.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from gazetteer.layers.online import (
    GeocoderWarning,
    OnlineGeocoder,
    make_geocoder,
    user_agent,
)
from gazetteer.model import Level

MOSUL_RAW = {
    "place_id": 1, "osm_type": "relation", "osm_id": 1234, "lat": "36.34", "lon": "43.13",
    "class": "boundary", "type": "administrative", "addresstype": "city", "name": "Mosul",
    "display_name": "Mosul, Nineveh Governorate, Iraq", "address": {"country_code": "iq"},
}


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeGeocoder(Geocoder):
    """geopy's interface, answering from a script: a Location, None, or an exception to raise."""

    def __init__(self, script: dict):
        super().__init__()
        self.script = script
        self.calls: list[str] = []

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
        self.calls.append(query)
        answer = self.script[query]
        if isinstance(answer, list):  # successive answers for repeated calls
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def clock():
    return FakeClock()


def _online(tmp_path, geocoder, clock) -> OnlineGeocoder:
    return OnlineGeocoder(geocoder, cache_path=tmp_path / "online.sqlite", clock=clock, sleep=clock.sleep)


def test_found_answer_becomes_an_online_place_and_is_cached(tmp_path, clock):
    fake = FakeGeocoder({"Mosul": Location("Mosul, Nineveh Governorate, Iraq", (36.34, 43.13), MOSUL_RAW)})
    online = _online(tmp_path, fake, clock)
    place = online.geocode("Mosul")
    assert place.id == "osm:relation/1234" and place.layer == "online"
    assert place.level == Level.CITY and place.country_code == "IQ"
    assert online.geocode("  mosul ") == place  # normalized key hits the cache
    assert fake.calls == ["Mosul"]
    online.close()
    with _online(tmp_path, FakeGeocoder({}), clock) as reopened:  # persisted across runs
        assert reopened.geocode("Mosul") == place


def test_not_found_is_cached_as_a_definitive_answer(tmp_path, clock):
    fake = FakeGeocoder({"Atlantis": None})
    online = _online(tmp_path, fake, clock)
    assert online.geocode("Atlantis") is None
    assert online.geocode("Atlantis") is None
    assert fake.calls == ["Atlantis"]
    assert online.cache_entries() == [("atlantis", "", False)]


@pytest.mark.parametrize(
    "error",
    [GeocoderTimedOut("timed out"), GeocoderRateLimited("429"), GeocoderServiceError("500"),
     KeyError("lat")],
)
def test_failures_warn_stay_unresolved_and_are_never_cached(tmp_path, clock, error):
    good = Location("Mosul, Iraq", (36.34, 43.13), MOSUL_RAW)
    fake = FakeGeocoder({"Mosul": [error, good]})
    online = _online(tmp_path, fake, clock)
    with pytest.warns(GeocoderWarning, match="Mosul"):
        assert online.geocode("Mosul") is None
    assert online.cache_entries() == []
    assert online.geocode("Mosul").id == "osm:relation/1234"  # the later good answer is cached
    assert online.cache_entries() == [("mosul", "", True)]
    assert online.failures == 1


def test_after_three_failures_in_a_row_the_run_stops_asking(tmp_path, clock):
    down = OSError("Network is unreachable")
    fake = FakeGeocoder({name: down for name in ("A", "B", "C", "D", "E")})
    online = _online(tmp_path, fake, clock)
    with pytest.warns(GeocoderWarning) as caught:
        assert [online.geocode(n) for n in "ABCDE"] == [None] * 5
    assert fake.calls == ["A", "B", "C"]
    assert len(caught) == 3 and "does not ask it again" in str(caught[-1].message)


def test_an_answer_resets_the_count_of_failures(tmp_path, clock):
    good = Location("Mosul, Iraq", (36.34, 43.13), MOSUL_RAW)
    fake = FakeGeocoder({"A": OSError("x"), "B": OSError("x"), "Mosul": good, "C": OSError("x"), "D": None})
    online = _online(tmp_path, fake, clock)
    with pytest.warns(GeocoderWarning):
        for name in ("A", "B", "Mosul", "C", "D"):
            online.geocode(name)
    assert fake.calls == ["A", "B", "Mosul", "C", "D"]


def test_requests_are_rate_limited_without_real_waiting(tmp_path, clock):
    fake = FakeGeocoder({"A": None, "B": None, "C": None})
    online = _online(tmp_path, fake, clock)
    started = time.monotonic()
    for name in ("A", "B", "C"):
        online.geocode(name)
    assert time.monotonic() - started < 0.5
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


def test_country_is_part_of_the_cache_key(tmp_path, clock):
    fake = FakeGeocoder({"Odessa, US": None, "Odessa, UA": Location("Odesa", (46.48, 30.74), {})})
    online = _online(tmp_path, fake, clock)
    assert online.geocode("Odessa", country="US") is None
    assert online.geocode("Odessa", country="UA").id.startswith("online:")
    assert sorted(online.cache_entries()) == [("odessa", "UA", True), ("odessa", "US", False)]


def test_geocoder_factory_sets_the_user_agent_and_checks_the_provider():
    assert user_agent().startswith("incidentmap/")
    nominatim = make_geocoder()
    assert nominatim.headers["User-Agent"] == user_agent()
    with pytest.raises(ValueError, match="username"):
        make_geocoder("geonames")
    with pytest.raises(ValueError, match="nominatim, geonames"):
        make_geocoder("bing")


def test_provider_names_build_real_geopy_geocoders_without_network(tmp_path):
    from geopy.geocoders import GeoNames

    with OnlineGeocoder("geonames", username="demo", cache_path=tmp_path / "c.sqlite") as online:
        assert isinstance(online.geocoder, GeoNames) and online.provider == "geonames"
    with OnlineGeocoder(cache_path=tmp_path / "c.sqlite") as online:
        assert isinstance(online.geocoder, Nominatim)


# -- a fake Nominatim over HTTP ----------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    flaky_calls = 0

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)

    def do_GET(self):  # noqa: N802 - http.server's name
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        if query == "Mosul":
            self._send(200, json.dumps([MOSUL_RAW]).encode())
        elif query == "Nowhere":
            self._send(200, b"[]")
        elif query == "Busy":
            self._send(429, b'{"error": "rate limited"}')
        elif query == "Broken":
            self._send(500, b"internal error")
        elif query == "Garbage":
            self._send(200, b"{not json")
        elif query == "Slow":
            time.sleep(1.0)
            self._send(200, json.dumps([MOSUL_RAW]).encode())
        elif query == "Flaky":
            type(self).flaky_calls += 1
            if type(self).flaky_calls == 1:
                self._send(503, b"try later")
            else:
                self._send(200, json.dumps([{**MOSUL_RAW, "name": "Flaky"}]).encode())
        else:
            self._send(404, b"")


@pytest.fixture
def nominatim_server():
    _Handler.flaky_calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_run_goes_on_through_http_failures_and_caches_only_answers(tmp_path, clock, nominatim_server):
    geocoder = Nominatim(domain=nominatim_server, scheme="http", user_agent=user_agent(), timeout=0.3,
                         proxies={})
    online = _online(tmp_path, geocoder, clock)
    results = {}
    with pytest.warns(GeocoderWarning) as caught:
        for name in ("Mosul", "Nowhere", "Busy", "Broken", "Garbage", "Slow", "Flaky"):
            results[name] = online.geocode(name)
    assert results["Mosul"].id == "osm:relation/1234"
    assert all(results[n] is None for n in ("Nowhere", "Busy", "Broken", "Garbage", "Slow", "Flaky"))
    warned = " ".join(str(w.message) for w in caught)
    for name in ("Busy", "Broken", "Garbage", "Slow", "Flaky"):
        assert repr(name) in warned
    assert "'Nowhere'" not in warned and "'Mosul'" not in warned
    assert online.cache_entries() == [("mosul", "", True), ("nowhere", "", False)]
    # A later good answer for a name that failed before is cached.
    assert online.geocode("Flaky").name == "Flaky"
    assert ("flaky", "", True) in online.cache_entries()
    assert online.failures == 5
