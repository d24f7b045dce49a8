"""The README documents every command and option, and CI runs the README's own test command."""

from __future__ import annotations

import re
import subprocess

import click
import pytest

from geo.cli.main import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from _commands(command, full + " ")


@pytest.mark.parametrize("name,command", list(_commands(main)), ids=[n for n, _ in _commands(main)])
def test_every_command_is_in_the_readme(name, command):
    assert f"incidentmap {name}" in README


@pytest.mark.parametrize("name,command", list(_commands(main)), ids=[n for n, _ in _commands(main)])
def test_every_option_is_in_the_readme(name, command):
    for param in command.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            if longest in ("--help", "--version"):
                continue
            assert longest in README, f"{name}: {longest} is not documented"


def test_readme_gives_exactly_two_setup_commands():
    section = README.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)\n```", section, flags=re.S)
    assert len(blocks) == 2
    assert "incidentmap map seeds/" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extracted = subprocess.run(
        ["bash", "-c", "awk '/<!-- test-command -->/{f=1; next} f && /^```/{if (b) exit; b=1; next} f && b {print}' README.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert "pytest" in extracted
    assert "test-command" in script
