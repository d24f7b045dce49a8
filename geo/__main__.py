"""`python -m geo` runs the incidentmap command line."""

from geo.cli.main import main

main(prog_name="incidentmap")
