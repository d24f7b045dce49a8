"""Choosing the place a mention means among the gazetteer's candidates."""
