"""The code passes the linter configured in pyproject.toml (ruff: pyflakes, pycodestyle, import order, bugbear)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "geo", "gazetteer", "tests", "scripts", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
