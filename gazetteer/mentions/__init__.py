"""Finding place mentions in text: the name matcher, text map, patterns and word lists."""
