"""Reading articles: files and streams, wire-copy structure, paragraphs and sentences."""
