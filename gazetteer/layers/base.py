"""The layer interface every gazetteer source implements, its registry, and the importance score."""

from __future__ import annotations

import importlib
import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import ClassVar

from gazetteer.errors import UnknownLayerError
from gazetteer.model import Level, Place

# name -> "module:Class"; modules are imported only when a layer is asked for.
_REGISTRY: dict[str, str] = {
    "naturalearth": "gazetteer.layers.naturalearth:NaturalEarthLayer",
    "geonames": "gazetteer.layers.geonames:GeoNamesLayer",
    "uscounties": "gazetteer.layers.uscounties:USCountiesLayer",
    "water": "gazetteer.layers.water:WaterLayer",
    "curated": "gazetteer.layers.curated:CuratedLayer",
    "user": "gazetteer.layers.user:UserLayer",
    "demonyms": "gazetteer.layers.demonyms:DemonymLayer",  # opt-in, not in DEFAULT_LAYERS
}

# The layers an index is built from, in build order (later layers may name earlier ids as parents).
DEFAULT_LAYERS: tuple[str, ...] = ("naturalearth", "geonames", "uscounties", "water", "curated", "user")

# Importance = log10(population + 1) + level bonus + layer bonus.  The level bonus puts a
# country above any city of the same name ("Georgia", "Jordan") and a province just below a
# city of a million ("Baghdad" the city before the governorate); the layer bonus lets
# hand-checked curated and user entries beat an obscure GeoNames namesake of equal size.
LEVEL_BONUS: dict[Level, float] = {
    Level.CONTINENT: 9.0,
    Level.COUNTRY: 8.0,
    Level.PROVINCE: 5.5,
    Level.DISTRICT: 3.5,
    Level.CITY: 0.0,
    Level.NEIGHBOURHOOD: -0.5,
    Level.CAMP: 0.5,
    Level.LANDMARK: 0.0,
    Level.FEATURE: 0.5,
}
LAYER_BONUS: dict[str, float] = {"curated": 2.0, "user": 2.0}


def importance(place: Place) -> float:
    """How prominent a place is, used to order candidates (higher first)."""
    population = max(int(place.population or 0), 0)
    return round(
        math.log10(population + 1) + LEVEL_BONUS[place.level] + LAYER_BONUS.get(place.layer, 0.0), 4
    )


class Layer(ABC):
    """One source of places; `iter_places` yields each place with all of its names."""

    name: ClassVar[str]
    # True for layers the user edits (re-merged into an index without a full rebuild).
    mutable: ClassVar[bool] = False

    @abstractmethod
    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        """Yield `(place, names)`; names include the place's main name."""

    def iter_extra_names(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Yield `(place_id, names)` adding names to places of other layers."""
        return iter(())

    def source_files(self) -> list[Path]:
        """Files this layer reads; their sizes and hashes decide when an index is stale."""
        return []


def layer_names() -> tuple[str, ...]:
    """Names of all registered layers."""
    return tuple(_REGISTRY)


def layer_class(name: str) -> type[Layer]:
    """The class registered under `name`; unknown names raise UnknownLayerError listing valid ones."""
    try:
        target = _REGISTRY[name]
    except KeyError:
        valid = ", ".join(sorted(_REGISTRY))
        raise UnknownLayerError(f"unknown gazetteer layer {name!r}; valid layers: {valid}") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def register(name: str, target: str) -> None:
    """Register a layer class given as "module:Class" (for plug-ins and tests)."""
    _REGISTRY[name] = target


def data_path(filename: str) -> Path:
    """A file in gazetteer/data (may not exist)."""
    return Path(str(resources.files("gazetteer") / "data" / filename))


_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2018-\u201f]")


def is_latin(name: str) -> bool:
    """True if every letter of `name` is Latin script (ASCII, Latin-1, Latin Extended)."""
    if name.isascii():
        return True
    return not _NON_LATIN.search(unicodedata.normalize("NFC", name))


def unique_names(names: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty stripped names, first occurrence kept, order preserved."""
    seen: dict[str, None] = {}
    for name in names:
        if name:
            name = " ".join(str(name).split())
            if name:
                seen.setdefault(name, None)
    return tuple(seen)
