"""Files for people and GIS tools: exports, region summaries, atomic writes, safe cells."""
