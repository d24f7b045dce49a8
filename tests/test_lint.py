"""The code passes the checks configured in pyproject.toml: the linter (ruff: pyflakes, pycodestyle,
import order, bugbear) and the type checker (mypy)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "geo", "gazetteer", "tests", "scripts", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing(tmp_path):
    # The files, the libraries without types and the pending folder are set in pyproject.toml;
    # a fresh cache keeps a stale one from hiding an error.
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
