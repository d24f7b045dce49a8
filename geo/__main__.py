"""`python -m geo` runs the incidentmap command line."""

from geo.cli import main

main(prog_name="incidentmap")
