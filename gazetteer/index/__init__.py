"""The local SQLite index of places: building it and looking names up."""
