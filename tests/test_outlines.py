"""Country outlines for maps without tiles: kept beside the index, and rebuilt when the kept file does not fit."""

from __future__ import annotations

import json
import os

import pytest

from gazetteer.boundaries import load_countries
from geo.maps import outlines


@pytest.fixture
def outline_cache(tmp_path, monkeypatch):
    """The outline cache beside an index path in a fresh folder, and no outlines remembered by the process."""
    monkeypatch.setenv("INCIDENTMAP_GAZETTEER", str(tmp_path / "g.sqlite"))
    outlines._default_outlines.cache_clear()
    yield outlines.cache_path()
    outlines._default_outlines.cache_clear()


def test_outlines_are_kept_beside_the_index_and_read_back_as_made(outline_cache):
    made = outlines.outline_geojson()
    assert outline_cache == outline_cache.parent / "g.sqlite.outlines.json" and outline_cache.is_file()
    assert json.dumps(made) == json.dumps(outlines._outlines(load_countries()))
    outlines._default_outlines.cache_clear()
    kept = outlines.outline_geojson()
    assert kept == made and kept is not made
    assert len(kept["features"]) > 200


def _tamper(path, change) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    change(payload)
    path.write_text(json.dumps(payload), encoding="utf-8")


@pytest.mark.parametrize("change", [
    lambda p: p.update(source="0" * 64),                                       # another admin-1 file
    lambda p: p.update(tolerance=0.5),                                         # other simplification
    lambda p: p["outlines"]["features"][0]["properties"].update(name="<img src=x onerror=alert(1)>"),
    lambda p: p["outlines"]["features"][0]["geometry"].update(type="Point", coordinates=[1.0, 2.0]),
    lambda p: p["outlines"]["features"][0]["geometry"]["coordinates"][0][0].__setitem__(0, "</script>"),
    lambda p: p["outlines"].update(extra="`${alert(3)}`"),
], ids=["source", "tolerance", "property", "point", "string-coordinate", "extra-key"])
def test_a_kept_file_that_does_not_fit_is_rebuilt_and_replaced(outline_cache, change):
    made = outlines.outline_geojson()
    _tamper(outline_cache, change)
    outlines._default_outlines.cache_clear()
    assert outlines.outline_geojson() == made
    assert json.loads(outline_cache.read_text(encoding="utf-8"))["outlines"] == made


def test_damaged_file_is_rebuilt_and_an_unwritable_folder_still_gives_outlines(outline_cache):
    made = outlines.outline_geojson()
    outline_cache.write_bytes(b'{"format": 1, "outlines": [[[[')
    outlines._default_outlines.cache_clear()
    assert outlines.outline_geojson() == made
    outline_cache.unlink()
    os.chmod(outline_cache.parent, 0o500)
    try:
        outlines._default_outlines.cache_clear()
        assert outlines.outline_geojson() == made
        writable = os.access(outline_cache.parent, os.W_OK)       # root writes anyway
        assert outline_cache.exists() == writable
    finally:
        os.chmod(outline_cache.parent, 0o700)
