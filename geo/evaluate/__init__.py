"""Scoring against gold data: the geoparser on toponym corpora, incidents on annotated articles."""
