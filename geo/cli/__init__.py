"""The `incidentmap` command line."""
