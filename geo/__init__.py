"""incidentmap: conflict and security news to incident maps (articles, incidents, exports, maps, CLI)."""
