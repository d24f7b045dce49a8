"""Place knowledge for incidentmap: gazetteer layers, local index, mention finding and resolution.

Heavy pieces (the index, the geoparser, the boundary polygons) load lazily on first attribute access.
"""

from importlib import import_module

from gazetteer.errors import GazetteerError, IncidentMapError
from gazetteer.model import Level, Mention, Place, Toponym

_LAZY = {
    "GazetteerIndex": "gazetteer.index.lookup",
    "Geoparser": "gazetteer.geoparser",
    "import_file": "gazetteer.layers.user",
    "ImportReport": "gazetteer.layers.user",
    "OnlineGeocoder": "gazetteer.layers.online",
    "load_admin1": "gazetteer.boundaries",
    "load_countries": "gazetteer.boundaries",
    "admin1_at": "gazetteer.boundaries",
}

__all__ = ["GazetteerError", "IncidentMapError", "Level", "Mention", "Place", "Toponym", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
