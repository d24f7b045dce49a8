"""The incremental store of articles, places and incidents (GeoPackage or PostGIS)."""
