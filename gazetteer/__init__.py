"""Place knowledge for incidentmap: gazetteer layers, local index, mention finding and resolution."""

from gazetteer.errors import GazetteerError, IncidentMapError
from gazetteer.model import Level, Mention, Place, Toponym

__all__ = ["GazetteerError", "IncidentMapError", "Level", "Mention", "Place", "Toponym"]
